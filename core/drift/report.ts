import { eq } from "drizzle-orm";
import { driftReports } from "../../schema";
import { requireAdmin } from "../access";
import { getCluster } from "../clusters/read";
import type { Ctx, Deps } from "../context";
import type { DriftItem } from "./compare";
import type { DriftState } from "./spec";

/** The Flux kinds whose own Ready verdict a reconcile reads and the metrics export. */
export const FLUX_KINDS: ReadonlySet<string> = new Set([
  "Kustomization",
  "GitRepository",
  "HelmRelease",
  "HelmRepository",
  "OCIRepository",
]);

/** What the metrics need about each object Fleetplane wants: its identity and Flux's verdict. */
export interface ObservedObject {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  owner: { type: string; id: string; name: string };
  /**
   * Ready as Flux reports it on its own objects (True/False/Unknown), or undefined for other kinds;
   * `since` (RFC 3339) is when it last stopped being Ready, while it is not.
   */
  ready?: { status: string; reason: string; message: string; since?: string };
  drifted: boolean;
  /** Drifted by being gone from the cluster (OutOfSync), rather than changed (Modified). */
  missing?: boolean;
  /** Whether a reconcile has ever seen the object on the cluster: only then is its absence drift. */
  established: boolean;
}

export interface DriftReport {
  state: DriftState;
  reason: string;
  message: string;
  items: DriftItem[];
  objects: ObservedObject[];
  narrative: string | null;
  durationMs: number;
  reconciledAt: number;
}

export type DriftReportRow = typeof driftReports.$inferSelect;

/** Reconcile durations are bucketed here, once, so the histogram is the same on every host. */
export const DURATION_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Modified is the worst (someone changed what Fleetplane owns), then OutOfSync (objects missing or
 * left behind), as in the per-cluster deployment states.
 */
export function stateOf(items: DriftItem[]): DriftState {
  if (items.some((i) => i.type === "Modified")) return "Modified";
  if (items.length > 0) return "OutOfSync";
  return "Ready";
}

export async function findDriftReport(deps: Deps, clusterId: string): Promise<DriftReportRow | undefined> {
  const rows = await deps.store.select().from(driftReports).where(eq(driftReports.clusterId, clusterId)).limit(1);
  return rows[0];
}

/**
 * The upsert of a cluster's latest report, carrying the cumulative counters forward. Reconciles
 * of one cluster never run at once (jobs of a cluster are serialised), so reading the previous
 * row first is safe.
 */
export function driftReportStatement(
  deps: Deps,
  clusterId: string,
  previous: DriftReportRow | undefined,
  report: DriftReport,
  result: string,
) {
  const results = { ...(previous?.results ?? {}) };
  results[result] = (results[result] ?? 0) + 1;
  const seconds = report.durationMs / 1000;
  const buckets = DURATION_BUCKETS_SECONDS.map(
    (le, i) => (previous?.durationBuckets[i] ?? 0) + (seconds <= le ? 1 : 0),
  );
  const row = {
    clusterId,
    state: report.state,
    reason: report.reason,
    message: report.message,
    items: report.items,
    objects: report.objects,
    narrative: report.narrative,
    reconciledAt: report.reconciledAt,
    durationMs: report.durationMs,
    results,
    durationBuckets: buckets,
    durationSum: (previous?.durationSum ?? 0) + report.durationMs,
  };
  const { clusterId: _id, ...update } = row;
  return deps.store
    .insert(driftReports)
    .values(row)
    .onConflictDoUpdate({ target: driftReports.clusterId, set: update });
}

export function driftReportToWire(cluster: { id: string; name: string }, row: DriftReportRow | undefined) {
  if (!row) {
    return {
      cluster: { id: cluster.id, name: cluster.name },
      state: "NeverReconciled" as const,
      reason: "NeverReconciled",
      message: `Cluster ${cluster.name} has not been reconciled yet; POST /v1/clusters/${cluster.name}/reconcile runs one now`,
      reconciledAt: null,
      durationSeconds: null,
      items: [],
      narrative: null,
    };
  }
  return {
    cluster: { id: cluster.id, name: cluster.name },
    state: row.state,
    reason: row.reason,
    message: row.message,
    reconciledAt: new Date(row.reconciledAt).toISOString(),
    durationSeconds: row.durationMs / 1000,
    items: row.items as DriftItem[],
    narrative: row.narrative,
  };
}

/** GET /v1/clusters/{ref}/drift: the latest report, or a clear answer that there is none yet. */
export async function getDriftReport(ctx: Ctx, ref: string) {
  // A report names every tenant's objects on the cluster: for the platform team only.
  requireAdmin(ctx, "Reading a cluster's drift report");
  const cluster = await getCluster(ctx, ref);
  return driftReportToWire(cluster, await findDriftReport(ctx, cluster.id));
}
