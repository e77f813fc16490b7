import { enqueueAddonInstall } from "../../core/addons/jobs";
import { findCluster } from "../../core/clusters/read";
import { CONNECT_CLUSTER } from "../../core/clusters/register";
import { clusterStatusStatement } from "../../core/clusters/status";
import { getCondition } from "../../core/conditions";
import { recordEvent } from "../../core/events";
import { leaseStillHeld } from "../../core/jobs/jobs";
import { CLUSTER_KIND } from "../../core/kinds";
import { writeBatch } from "../../core/store";
import { classifyKubeError } from "../kube/access";
import type { ClusterFunction } from "../types";
import { kubeTargetOf } from "./target";

/**
 * connectCluster: reach an imported cluster's API server with its stored credentials, read
 * `/version` and discovery, and record the result on the cluster. Safe to run any number of
 * times: it only reads the cluster and writes status.
 */
export const connectCluster: ClusterFunction = {
  kind: CONNECT_CLUSTER,
  async run(job, deps) {
    const cluster = await findCluster(deps, job.resourceId);
    if (!cluster || cluster.deletionRequestedAt !== null) {
      return { outcome: "done", message: "cluster is gone or being deleted" };
    }
    const target = await kubeTargetOf(deps, cluster);
    let version: Awaited<ReturnType<Awaited<ReturnType<typeof deps.kube>>["version"]>>;
    let groups: string[];
    try {
      const kube = await deps.kube(target);
      version = await kube.version();
      groups = await kube.apiGroups();
    } catch (error) {
      const problem = classifyKubeError(error, target.server);
      // Whether or not a retry follows, the user sees why right now.
      const wasConnected = cluster.status.lastConnectedAt !== undefined;
      await writeBatch(deps.store, [
        clusterStatusStatement(deps, cluster, {
          phase: wasConnected ? "Unknown" : "Pending",
          conditions: [
            { type: "Ready", status: "False", reason: problem.code, message: problem.message },
            problem.retryable
              ? { type: "Stalled", status: "False", reason: "Retrying", message: "Fleetplane will retry with backoff" }
              : { type: "Stalled", status: "True", reason: problem.code, message: problem.message },
          ],
        }),
      ]);
      throw problem;
    }
    const now = deps.now();
    // Only a transition is news: a repeated run (redelivery, a crash before the job was marked
    // done) finds the cluster already Ready and adds no second event.
    const wasReady = getCondition(cluster.status.conditions, "Ready")?.status === "True";
    const handOver = enqueueAddonInstall(deps, cluster.id, now, leaseStillHeld(job));
    await writeBatch(deps.store, [
      clusterStatusStatement(deps, cluster, {
        phase: "Provisioned",
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "Connected",
            message: `API server ${version.gitVersion} answered; ${groups.length} API groups discovered`,
          },
          { type: "Stalled", status: "False", reason: "Connected", message: "" },
        ],
        fields: {
          serverVersion: version.gitVersion,
          apiGroups: groups.length,
          lastConnectedAt: new Date(now).toISOString(),
        },
      }),
      // The first connection hands the cluster to the add-on install, which installs the platform
      // (Flux, External Secrets, Kyverno...) and then hands it to the reconcile that bootstraps Flux.
      ...(wasReady ? [] : [handOver.insert]),
      ...(wasReady
        ? []
        : [
            recordEvent(
              deps.store,
              {
                reason: "Connected",
                resourceType: CLUSTER_KIND,
                resourceId: cluster.id,
                resourceName: cluster.name,
                message: `connected to ${cluster.name}: Kubernetes ${version.gitVersion}`,
                actor: "system",
                at: now,
              },
              leaseStillHeld(job),
            ),
          ]),
    ]);
    if (!wasReady) await deps.dispatcher.dispatch([handOver.id]);
    return { outcome: "done", message: `connected: ${version.gitVersion}` };
  },
};
