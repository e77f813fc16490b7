import { eq } from "drizzle-orm";
import { forgetAgent } from "../../core/agents/verbs";
import { DELETE_CLUSTER } from "../../core/clusters/delete";
import { loadEffectiveCluster } from "../../core/clusters/lifecycle";
import { findCluster } from "../../core/clusters/read";
import { recordEvent } from "../../core/events";
import { CLUSTER_KIND } from "../../core/kinds";
import { writeBatch } from "../../core/store";
import { clusters } from "../../schema";
import type { ClusterFunction } from "../types";
import { capiDeleteStep } from "./capi";
import type { Step } from "./eks";
import { recordProgress } from "./progress";

/**
 * deleteCluster: provider-managed clusters are torn down first (EKS: nodegroups, then the
 * control plane; Cluster API: the `Cluster`, whose controllers remove workers first), polling
 * until the provider no longer knows them. Imported clusters are only forgotten (Fleetplane
 * never owned their machines). Removing the row is what makes GET answer 404. Running it
 * twice is harmless: the second run finds nothing to delete.
 */
export const deleteCluster: ClusterFunction = {
  kind: DELETE_CLUSTER,
  async run(job, deps) {
    const cluster = await findCluster(deps, job.resourceId);
    if (!cluster) return { outcome: "done", message: "already gone" };
    if (cluster.provider !== "imported") {
      const { effective } = await loadEffectiveCluster(deps, cluster);
      const step: Step =
        cluster.provider === "eks"
          ? await import("./eks").then(async ({ deleteStep, eksClient }) =>
              deleteStep(await eksClient(deps, effective), cluster),
            )
          : await capiDeleteStep(deps, cluster, effective);
      if (!step.done) {
        await recordProgress(deps, cluster, {
          conditions: [{ type: "Ready", status: "False", reason: "Deleting", message: step.why }],
          fields: { operation: { type: "delete", step: step.why } },
          whileDeleting: true,
        });
        return { outcome: "poll", afterMs: deps.config.providerPollMs, message: step.why };
      }
    }
    const now = deps.now();
    await writeBatch(deps.store, [
      deps.store.delete(clusters).where(eq(clusters.id, cluster.id)),
      // Its agent's join token and credential go with it (the credential already stopped
      // working when deletion was requested).
      ...forgetAgent(deps, cluster.id),
      recordEvent(deps.store, {
        reason: "Deleted",
        resourceType: CLUSTER_KIND,
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
