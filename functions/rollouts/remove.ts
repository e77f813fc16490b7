import { and, eq, sql } from "drizzle-orm";
import { ARGOCD_NAMESPACE } from "../../core/applications/manifests";
import { findApplication } from "../../core/applications/read";
import { REMOVE_APPLICATION } from "../../core/applications/start";
import { deleteApplicationRows } from "../../core/applications/verbs";
import { findCluster } from "../../core/clusters/read";
import { recordEvent } from "../../core/events";
import { APPLICATION_KIND } from "../../core/kinds";
import { type Statement, writeBatch } from "../../core/store";
import { applicationDeployments, applications } from "../../schema";
import { kubeTargetOf } from "../clusters/target";
import { classifyKubeError } from "../kube/access";
import type { ClusterFunction } from "../types";

/**
 * removeApplication: takes an application off one cluster (its Argo CD Application is deleted;
 * Argo CD prunes what it deployed) when the cluster stops being targeted or the application is
 * deleted. The last removal of a deleted application removes the application itself. Running
 * it again finds nothing to delete.
 */
export const removeApplication: ClusterFunction = {
  kind: REMOVE_APPLICATION,
  async run(job, deps) {
    const app = await findApplication(deps, job.resourceId);
    if (!app) return { outcome: "done", message: "application already gone" };
    const clusterId = job.clusterId;
    if (clusterId) {
      const cluster = await findCluster(deps, clusterId);
      if (cluster && cluster.deletionRequestedAt === null) {
        const target = await kubeTargetOf(deps, cluster);
        try {
          const kube = await deps.kube(target);
          await kube.delete({
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            namespace: ARGOCD_NAMESPACE,
            name: app.name,
          });
        } catch (error) {
          throw classifyKubeError(error, target.server);
        }
      }
    }
    const statements: Statement[] = [];
    if (clusterId) {
      statements.push(
        deps.store
          .delete(applicationDeployments)
          .where(
            and(eq(applicationDeployments.applicationId, app.id), eq(applicationDeployments.clusterId, clusterId)),
          ),
      );
    }
    await writeBatch(deps.store, statements);
    // Removals on several clusters run in parallel: whichever finds nothing left finishes the
    // deletion (the statements are conditional, so two finishing at once delete once).
    const left = await deps.store
      .select({ clusterId: applicationDeployments.clusterId })
      .from(applicationDeployments)
      .where(eq(applicationDeployments.applicationId, app.id))
      .limit(1);
    if (app.deletionRequestedAt !== null && left.length === 0) {
      await writeBatch(deps.store, [
        recordEvent(
          deps.store,
          {
            reason: "Deleted",
            resourceType: APPLICATION_KIND,
            resourceId: app.id,
            resourceName: app.name,
            message: `application ${app.name} removed from every cluster and deleted`,
            actor: "system",
            at: deps.now(),
          },
          sql`EXISTS (SELECT 1 FROM ${applications} WHERE id = ${app.id})`,
        ),
        ...deleteApplicationRows(deps, app.id),
      ]);
    }
    return { outcome: "done", message: clusterId ? `removed from cluster ${clusterId}` : "deleted" };
  },
};
