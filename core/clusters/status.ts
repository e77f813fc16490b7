import { and, eq, isNull, sql } from "drizzle-orm";
import { clusters } from "../../schema";
import { type Condition, setCondition } from "../conditions";
import type { Deps } from "../context";
import type { Store } from "../store";
import type { ClusterRow } from "./read";
import type { ClusterPhase } from "./spec";

export interface ClusterStatusChange {
  phase?: ClusterPhase;
  conditions?: Omit<Condition, "lastTransitionTime">[];
  fields?: Record<string, unknown>;
  /** Only the delete function writes status once deletion was requested. */
  whileDeleting?: boolean;
}

/**
 * Functions own status. The change is computed against the row they read and written with
 * a revision bump; the spec columns are untouched, so an API write racing with a function
 * never loses either side.
 */
export function clusterStatusStatement(deps: Deps, row: ClusterRow, change: ClusterStatusChange) {
  const now = deps.now();
  let conditions = (row.status.conditions as Condition[] | undefined) ?? [];
  for (const condition of change.conditions ?? []) conditions = setCondition(conditions, condition, now);
  const status = {
    ...row.status,
    ...change.fields,
    phase: change.phase ?? row.phase,
    conditions,
    observedGeneration: row.generation,
  };
  return statusUpdate(deps.store, row.id, status, change.phase ?? row.phase, now, change.whileDeleting ?? false);
}

function statusUpdate(
  store: Store,
  id: string,
  status: Record<string, unknown>,
  phase: string,
  now: number,
  whileDeleting: boolean,
) {
  return store
    .update(clusters)
    .set({ status, phase, revision: sql`${clusters.revision} + 1`, updatedAt: now })
    .where(and(eq(clusters.id, id), whileDeleting ? undefined : isNull(clusters.deletionRequestedAt)))
    .returning();
}
