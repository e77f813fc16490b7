import { asc, eq, inArray } from "drizzle-orm";
import { clusters, tenantPlacements, tenants } from "../../schema";
import type { Condition } from "../conditions";
import type { Ctx, Deps, Principal } from "../context";
import { NotFoundError } from "../errors";
import { isId } from "../ids";
import { TENANT_KIND } from "../kinds";
import { listPage } from "../list";
import { driftByClusterAndOwner, type OwnerDrift, ownerDriftedCondition } from "../owner-drift";
import type { PageRequest } from "../pagination";
import { toWire } from "../resource";
import { CLUSTER_STATES, type ClusterState, type TenantPhase } from "./spec";

export type TenantRow = typeof tenants.$inferSelect;
export type PlacementRow = typeof tenantPlacements.$inferSelect;

export async function findTenant(deps: Deps, ref: string): Promise<TenantRow | undefined> {
  const where = isId(ref) ? eq(tenants.id, ref) : eq(tenants.name, ref);
  const rows = await deps.store.select().from(tenants).where(where).limit(1);
  return rows[0];
}

/** A tenant-scoped token sees only its own tenant: every other one answers 404, as if absent. */
export function canSeeTenant(principal: Principal, tenantId: string): boolean {
  return principal.role === "admin" || principal.tenantId === tenantId;
}

export async function getTenant(ctx: Ctx, ref: string): Promise<TenantRow> {
  const row = await findTenant(ctx, ref);
  if (!row || !canSeeTenant(ctx.principal, row.id)) throw new NotFoundError(TENANT_KIND, ref);
  return row;
}

export interface ListTenants extends PageRequest {
  labelSelector?: string | undefined;
}

export function listTenants(ctx: Ctx, query: ListTenants) {
  // A tenant token lists its own tenant only.
  const own = ctx.principal.role === "admin" ? undefined : eq(tenants.id, ctx.principal.tenantId ?? "");
  return listPage(ctx.store, tenants, query, { where: [own] });
}

export interface PlacementView extends PlacementRow {
  clusterName: string;
  /** The cluster's latest drift per owning resource (this tenant, its secrets), by owner id. */
  drift?: Map<string, OwnerDrift>;
}

/** Placements of some tenants with their clusters' names; placements on vanished clusters are left out. */
export async function placementsOf(deps: Deps, tenantIds: string[]): Promise<Map<string, PlacementView[]>> {
  const out = new Map<string, PlacementView[]>(tenantIds.map((id) => [id, []]));
  if (tenantIds.length === 0) return out;
  const rows = await deps.store
    .select({ placement: tenantPlacements, clusterName: clusters.name })
    .from(tenantPlacements)
    .innerJoin(clusters, eq(clusters.id, tenantPlacements.clusterId))
    .where(inArray(tenantPlacements.tenantId, tenantIds))
    .orderBy(asc(clusters.name));
  const drift = await driftByClusterAndOwner(
    deps,
    rows.map((r) => r.placement.clusterId),
  );
  for (const row of rows) {
    out.get(row.placement.tenantId)?.push({
      ...row.placement,
      clusterName: row.clusterName,
      drift: drift.get(row.placement.clusterId),
    });
  }
  return out;
}

/** A placement whose last change is not applied yet shows WaitApplied, whatever it said before. */
export function placementState(p: PlacementRow): ClusterState {
  if (p.state === "ErrApplied") return "ErrApplied";
  if (p.appliedRevision < p.desiredRevision) return "WaitApplied";
  return (CLUSTER_STATES as readonly string[]).includes(p.state) ? (p.state as ClusterState) : "Pending";
}

/**
 * Status is derived when read from what the functions recorded per cluster, so it is never a
 * stale copy: `Ready` summarises ("3/4 clusters ready; prod-us-east-1: ErrApplied: …").
 */
export function tenantToWire(row: TenantRow, placements: PlacementView[]) {
  const clustersOut = placements.map((p) => {
    const state = placementState(p);
    const drift = p.drift?.get(row.id);
    // Applied and healthy, but changed on the cluster since: the drift is the news.
    return {
      cluster: p.clusterName,
      clusterId: p.clusterId,
      state: state === "Ready" && drift ? drift.state : state,
      desired: p.desired as "present" | "absent",
      message: state === "Ready" && drift ? `drifted: see GET /v1/clusters/${p.clusterName}/drift` : p.message,
    };
  });
  const drifted = placements.flatMap((p): [string, OwnerDrift][] => {
    const drift = p.drift?.get(row.id);
    return drift && p.desired === "present" ? [[p.clusterName, drift]] : [];
  });
  const present = clustersOut.filter((c) => c.desired === "present");
  const ready = present.filter((c) => c.state === "Ready" || c.state === "Modified" || c.state === "OutOfSync");
  const worst = [...present, ...clustersOut.filter((c) => c.desired === "absent")]
    .filter((c) => c.state !== "Ready" || c.desired === "absent")
    .sort((a, b) => CLUSTER_STATES.indexOf(b.state) - CLUSTER_STATES.indexOf(a.state));
  const deleting = row.deletionRequestedAt !== null;
  const allReady = ready.length === present.length && !deleting;
  const details = worst
    .slice(0, 3)
    .map((c) => `${c.cluster}: ${c.desired === "absent" ? "removing" : c.state}${c.message ? `: ${c.message}` : ""}`);
  const summary = deleting
    ? `offboarding: ${clustersOut.length} cluster(s) left to clean`
    : `${ready.length}/${present.length} clusters ready`;
  const message = [summary, ...details].join("; ");
  const since = (row.status as { conditions?: Condition[] }).conditions?.[0]?.lastTransitionTime;
  const readyCondition: Condition = {
    type: "Ready",
    status: allReady
      ? "True"
      : present.some((c) => c.state === "ErrApplied" || c.state === "NotReady")
        ? "False"
        : "Unknown",
    reason: deleting
      ? "Deleting"
      : allReady
        ? present.length === 0
          ? "NoMatchingClusters"
          : "AllClustersReady"
        : (worst[0]?.state ?? "Progressing"),
    message,
    lastTransitionTime: since ?? new Date(row.updatedAt).toISOString(),
  };
  const phase: TenantPhase = deleting
    ? "Deleting"
    : allReady
      ? "Ready"
      : readyCondition.status === "False"
        ? "NotReady"
        : "Pending";
  const wire = toWire(row);
  return {
    ...wire,
    namespace: row.namespace,
    status: {
      phase,
      conditions: [readyCondition, ownerDriftedCondition(drifted, new Date(row.updatedAt).toISOString())],
      observedGeneration: row.generation,
      clusters: clustersOut,
      summary: { desired: present.length, ready: ready.length },
    },
  };
}

export async function tenantWire(deps: Deps, row: TenantRow) {
  const placements = await placementsOf(deps, [row.id]);
  return tenantToWire(row, placements.get(row.id) ?? []);
}
