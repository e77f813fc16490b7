import { and, eq, inArray } from "drizzle-orm";
import { jobs } from "../../schema";
import type { Deps } from "../context";
import { enqueueJob } from "../jobs/jobs";
import type { JobKind } from "../jobs/kinds";
import { CLUSTER_KIND } from "../kinds";

/** The per-cluster function that installs, checks and upgrades a cluster's add-ons. */
export const INSTALL_ADDONS = "installAddons" satisfies JobKind;

/** The per-cluster job of an add-on rollout: moves one cluster's hold and watches its install. */
export const SYNC_ADDON = "syncAddon" satisfies JobKind;

/** Whether an add-on install is already queued or running for the cluster (so a second is not). */
export async function addonInstallPending(deps: Deps, clusterId: string): Promise<boolean> {
  const [row] = await deps.store
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(eq(jobs.clusterId, clusterId), eq(jobs.kind, INSTALL_ADDONS), inArray(jobs.state, ["Queued", "Running"])),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Queues an add-on install for the cluster. `thenReconcile` makes the install hand the cluster
 * to a reconcile when it is done even if the platform was ready before (a lifecycle operation
 * ended and Flux's objects should be re-applied).
 */
export function enqueueAddonInstall(
  deps: Deps,
  clusterId: string,
  now: number,
  guard?: Parameters<typeof enqueueJob>[4],
  opts: { thenReconcile?: boolean } = {},
) {
  return enqueueJob(
    deps.store,
    deps.config,
    {
      kind: INSTALL_ADDONS,
      clusterId,
      resourceType: CLUSTER_KIND,
      resourceId: clusterId,
      ...(opts.thenReconcile ? { payload: { thenReconcile: true } } : {}),
    },
    now,
    guard,
  );
}
