import { PLACE_CLUSTER_TENANTS, placeTenantsOnCluster } from "../../core/tenants/placement";
import type { ClusterFunction } from "../types";

/**
 * placeClusterTenants: compares every live tenant's placement selector with one cluster's
 * labels and queues placement or removal where they disagree. Running it twice is harmless:
 * the second run finds the plan already recorded.
 */
export const placeClusterTenants: ClusterFunction = {
  kind: PLACE_CLUSTER_TENANTS,
  async run(job, deps) {
    await placeTenantsOnCluster(deps, job.resourceId);
    return { outcome: "done" };
  },
};
