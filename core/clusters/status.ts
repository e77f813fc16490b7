import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { clusters } from "../../schema";
import type { ConditionChange } from "../conditions";
import type { Deps } from "../context";
import type { ClusterRow } from "./read";
import type { ClusterPhase } from "./spec";

export interface ClusterStatusChange {
  phase?: ClusterPhase;
  conditions?: ConditionChange[];
  /** Top-level status keys this writer owns, each replaced whole; `undefined` removes one. */
  fields?: Record<string, unknown>;
  /** Only the delete function writes status once deletion was requested. */
  whileDeleting?: boolean;
}

const STATUS_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * How a function writes a cluster's status. A function decides from the row it read when it
 * started, which may be seconds old; meanwhile a verb may have observed a new generation or
 * moved the phase, and another function may have recorded its own condition. So the change is
 * merged into the status as it is *when the statement runs*, inside SQLite: only the keys named
 * here are replaced, conditions are replaced one type at a time (keeping `lastTransitionTime`
 * while their status holds), the phase moves only when the change names one, and
 * `observedGeneration` never goes back. The spec columns are untouched, so an API write racing a
 * function never loses either side.
 */
export function clusterStatusStatement(deps: Deps, row: ClusterRow, change: ClusterStatusChange) {
  const now = deps.now();
  const current = sql.raw(`"${clusters.status.name}"`);
  let removed: SQL = current;
  const assignments: SQL[] = [
    sql`'$.observedGeneration', max(coalesce(json_extract(${current}, '$.observedGeneration'), 0), ${row.generation})`,
  ];
  if (change.phase !== undefined) assignments.push(sql`'$.phase', ${change.phase}`);
  if (change.conditions && change.conditions.length > 0) {
    assignments.push(sql`'$.conditions', ${mergedConditions(current, change.conditions, now)}`);
  }
  for (const [key, value] of Object.entries(change.fields ?? {})) {
    if (!STATUS_KEY.test(key)) throw new Error(`not a status key: ${key}`);
    const path = `$.${key}`;
    if (value === undefined) removed = sql`json_remove(${removed}, ${path})`;
    else assignments.push(sql`${path}, json(${JSON.stringify(value)})`);
  }
  const status = sql`json_set(${removed}, ${sql.join(assignments, sql`, `)})`;
  return deps.store
    .update(clusters)
    .set({
      status,
      ...(change.phase !== undefined ? { phase: change.phase } : {}),
      revision: sql`${clusters.revision} + 1`,
      updatedAt: now,
    })
    .where(and(eq(clusters.id, row.id), change.whileDeleting ? undefined : isNull(clusters.deletionRequestedAt)))
    .returning();
}

/**
 * The stored conditions with the given ones set by type, in SQL so it merges with what is
 * stored now: an existing type is replaced in place, a new one goes to the end. The transition
 * time is kept from the stored condition of that type when its status is unchanged.
 */
function mergedConditions(current: SQL, next: ConditionChange[], now: number): SQL {
  const incoming = JSON.stringify(next);
  const at = new Date(now).toISOString();
  const stamped = (alias: string) => {
    const n = sql.raw(alias);
    return sql`json_set(${n}.value, '$.lastTransitionTime', coalesce((
      SELECT json_extract(o2.value, '$.lastTransitionTime') FROM json_each(${current}, '$.conditions') o2
      WHERE json_extract(o2.value, '$.type') = json_extract(${n}.value, '$.type')
        AND json_extract(o2.value, '$.status') = json_extract(${n}.value, '$.status')), ${at}))`;
  };
  return sql`(SELECT json_group_array(json(value)) FROM (
    SELECT 0 AS part, o.key AS pos, CASE WHEN n.value IS NULL THEN o.value ELSE ${stamped("n")} END AS value
      FROM json_each(${current}, '$.conditions') o
      LEFT JOIN json_each(${incoming}) n ON json_extract(n.value, '$.type') = json_extract(o.value, '$.type')
    UNION ALL
    SELECT 1 AS part, a.key AS pos, ${stamped("a")} AS value
      FROM json_each(${incoming}) a
      WHERE json_extract(a.value, '$.type') NOT IN (
        SELECT json_extract(e.value, '$.type') FROM json_each(${current}, '$.conditions') e)
    ORDER BY part, pos))`;
}
