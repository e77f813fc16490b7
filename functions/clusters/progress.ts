import type { ClusterRow } from "../../core/clusters/read";
import { type ClusterStatusChange, clusterStatusStatement } from "../../core/clusters/status";
import { type Statement, writeBatch } from "../../core/store";
import type { FunctionDeps } from "../types";

/**
 * Writes a status change only when it says something new. Polling functions run every few
 * seconds for many minutes; without this each look would bump the revision (the ETag) and
 * clients would see changes where there are none.
 */
export async function recordProgress(
  deps: FunctionDeps,
  cluster: ClusterRow,
  change: ClusterStatusChange,
  extra: Statement[] = [],
): Promise<void> {
  if (extra.length === 0 && isNoop(cluster, change)) return;
  await writeBatch(deps.store, [...extra, clusterStatusStatement(deps, cluster, change)]);
}

export function isNoop(cluster: ClusterRow, change: ClusterStatusChange): boolean {
  if (change.phase !== undefined && change.phase !== cluster.phase) return false;
  const conditions = cluster.status.conditions;
  for (const next of change.conditions ?? []) {
    const current = conditions.find((c) => c.type === next.type);
    if (
      !current ||
      current.status !== next.status ||
      current.reason !== next.reason ||
      current.message !== next.message
    )
      return false;
  }
  for (const [key, value] of Object.entries(change.fields ?? {})) {
    if (JSON.stringify((cluster.status as Record<string, unknown>)[key]) !== JSON.stringify(value)) return false;
  }
  return true;
}
