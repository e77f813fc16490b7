import { eq } from "drizzle-orm";
import { DELETE_CLUSTER } from "../../core/clusters/delete";
import { findCluster } from "../../core/clusters/read";
import { recordEvent } from "../../core/events";
import { writeBatch } from "../../core/store";
import { clusters } from "../../schema";
import type { ClusterFunction } from "../types";

/**
 * deleteCluster: for an imported cluster Fleetplane only forgets it (it never owned the
 * machines); provider-managed clusters will tear down workers, then the control plane,
 * before this point. Removing the row is what makes GET answer 404. Running it twice is
 * harmless: the second run finds nothing to delete.
 */
export const deleteCluster: ClusterFunction = {
  kind: DELETE_CLUSTER,
  async run(job, deps) {
    const cluster = await findCluster(deps, job.resourceId);
    if (!cluster) return { outcome: "done", message: "already gone" };
    const now = deps.now();
    await writeBatch(deps.store, [
      deps.store.delete(clusters).where(eq(clusters.id, cluster.id)),
      recordEvent(deps.store, {
        reason: "Deleted",
        resourceType: "Cluster",
        resourceId: cluster.id,
        resourceName: cluster.name,
        message: `cluster ${cluster.name} deleted`,
        actor: "system",
        at: now,
      }),
    ]);
    return { outcome: "done", message: "deleted" };
  },
};
