import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { clusters, jobs, tenantPlacements, tenants } from "../../schema";
import type { Deps } from "../context";
import { enqueueJob } from "../jobs/jobs";
import type { JobKind } from "../jobs/kinds";
import { CLUSTER_KIND, TENANT_KIND } from "../kinds";
import { matchesSelector, parseLabelSelector, selectorToSql } from "../selector";
import { type Statement, writeBatch } from "../store";
import type { PlacementRow, TenantRow } from "./read";

/** Job kinds of tenants; the functions that run them live in functions/tenants. */
export const PLACE_TENANT = "placeTenant" satisfies JobKind;
export const FINALIZE_TENANT = "finalizeTenant" satisfies JobKind;

export interface PlacementPlan {
  statements: Statement[];
  jobIds: string[];
}

/**
 * Brings a tenant's placements in line with the fleet: clusters its selector matches get a
 * placement that wants the tenant `present`, placements on clusters that stopped matching (or
 * of a tenant being offboarded) want it `absent`. Every change queues one placeTenant job for
 * that (tenant, cluster) pair; the function reads `desired` when it runs, so jobs that pile up
 * or run late still converge to the latest wish. `reapply` also queues work where nothing
 * changed in placement (the tenant's spec or secrets did). With `guard` the statements only
 * land if the caller's compare-and-set does.
 */
export async function planTenantPlacements(
  deps: Deps,
  tenant: TenantRow,
  opts: { reapply: boolean; guard?: SQL; now: number },
): Promise<PlacementPlan> {
  const deleting = tenant.deletionRequestedAt !== null;
  const matching = deleting ? [] : await matchingClusters(deps, tenant);
  const existing = await deps.store.select().from(tenantPlacements).where(eq(tenantPlacements.tenantId, tenant.id));
  const byCluster = new Map(existing.map((p) => [p.clusterId, p]));
  const plan: PlacementPlan = { statements: [], jobIds: [] };
  const wanted = new Set(matching);
  for (const clusterId of matching) {
    const current = byCluster.get(clusterId);
    if (current?.desired !== "present" || opts.reapply) {
      addPlacementChange(deps, plan, tenant.id, clusterId, "present", opts);
    }
  }
  for (const current of existing) {
    if (wanted.has(current.clusterId)) continue;
    if (current.desired !== "absent" || opts.reapply) {
      addPlacementChange(deps, plan, tenant.id, current.clusterId, "absent", opts);
    }
  }
  return plan;
}

async function matchingClusters(deps: Deps, tenant: TenantRow): Promise<string[]> {
  const selector = tenant.spec.placement.labelSelector ?? "";
  const rows = await deps.store
    .select({ id: clusters.id })
    .from(clusters)
    .where(and(selectorToSql(clusters, parseLabelSelector(selector)), isNull(clusters.deletionRequestedAt)));
  return rows.map((r) => r.id);
}

/**
 * One upsert of the placement (a new wish bumps `desiredRevision`), the cancellation of queued
 * jobs for the same pair that the new one supersedes, and the new job.
 */
function addPlacementChange(
  deps: Deps,
  plan: PlacementPlan,
  tenantId: string,
  clusterId: string,
  desired: "present" | "absent",
  opts: { guard?: SQL; now: number },
) {
  const { now, guard } = opts;
  const message = desired === "present" ? "queued for apply" : "queued for removal";
  plan.statements.push(
    deps.store.run(sql`INSERT INTO ${tenantPlacements}
      (tenant_id, cluster_id, desired, desired_revision, applied_revision, state, message, applied_secrets, updated_at)
      SELECT ${tenantId}, ${clusterId}, ${desired}, 1, 0, 'WaitApplied', ${message}, '{}', ${now}
      WHERE ${guard ?? sql`1 = 1`}
      ON CONFLICT (tenant_id, cluster_id) DO UPDATE SET
        desired = excluded.desired, desired_revision = desired_revision + 1,
        message = excluded.message, updated_at = excluded.updated_at`),
    deps.store
      .update(jobs)
      .set({ state: "Cancelled", finishedAt: now, updatedAt: now, message: "superseded by a newer change" })
      .where(
        and(
          eq(jobs.resourceId, tenantId),
          eq(jobs.clusterId, clusterId),
          eq(jobs.kind, PLACE_TENANT),
          eq(jobs.state, "Queued"),
          guard,
        ),
      ),
  );
  const job = enqueueJob(
    deps.store,
    deps.config,
    { kind: PLACE_TENANT, clusterId, resourceType: TENANT_KIND, resourceId: tenantId },
    now,
    guard,
  );
  plan.statements.push(job.insert);
  plan.jobIds.push(job.id);
}

/**
 * Placement follows the fleet: called after a cluster is registered or its labels change, it
 * places every tenant whose selector now matches and removes those that stopped matching.
 * It runs after the cluster's own write has committed (it is the clusters verbs' one call into
 * tenants); should the host die in between, re-saving the cluster's labels places it again.
 */
/** Job kind that re-plans tenant placement on one cluster (after it registers or its labels change). */
export const PLACE_CLUSTER_TENANTS = "placeClusterTenants" satisfies JobKind;

/**
 * The placement re-plan is a job queued in the same batch as the cluster write (guarded like
 * the write's other side effects), so a host dying right after the commit cannot leave the
 * cluster without its tenants: the sweep runs the job.
 */
export function enqueueTenantPlacement(deps: Deps, clusterId: string, now: number, guard?: SQL) {
  return enqueueJob(
    deps.store,
    deps.config,
    { kind: PLACE_CLUSTER_TENANTS, clusterId, resourceType: CLUSTER_KIND, resourceId: clusterId },
    now,
    guard,
  );
}

export async function placeTenantsOnCluster(deps: Deps, clusterId: string): Promise<void> {
  const [cluster] = await deps.store.select().from(clusters).where(eq(clusters.id, clusterId)).limit(1);
  if (!cluster) return;
  const live = await deps.store.select().from(tenants).where(isNull(tenants.deletionRequestedAt));
  const placed = new Map(
    (await deps.store.select().from(tenantPlacements).where(eq(tenantPlacements.clusterId, clusterId))).map((p) => [
      p.tenantId,
      p,
    ]),
  );
  const now = deps.now();
  const plan: PlacementPlan = { statements: [], jobIds: [] };
  const gone = cluster.deletionRequestedAt !== null;
  for (const tenant of live) {
    const selector = tenant.spec.placement.labelSelector ?? "";
    const matches = !gone && matchesSelector(cluster.labels, parseLabelSelector(selector));
    const current: PlacementRow | undefined = placed.get(tenant.id);
    if (matches && current?.desired !== "present")
      addPlacementChange(deps, plan, tenant.id, clusterId, "present", { now });
    if (!matches && current?.desired === "present")
      addPlacementChange(deps, plan, tenant.id, clusterId, "absent", { now });
  }
  if (plan.statements.length === 0) return;
  await writeBatch(deps.store, plan.statements);
  await deps.dispatcher.dispatch(plan.jobIds);
}
