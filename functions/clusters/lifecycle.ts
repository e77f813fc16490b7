import { enqueueAddonInstall } from "../../core/addons/jobs";
import {
  eksVersionOf,
  loadEffectiveCluster,
  PROVISION_CLUSTER,
  SCALE_CLUSTER,
  UPGRADE_CLUSTER,
} from "../../core/clusters/lifecycle";
import { type ClusterRow, findCluster } from "../../core/clusters/read";
import { clusterStatusStatement } from "../../core/clusters/status";
import { type ConditionChange, getCondition } from "../../core/conditions";
import type { ErrorCode } from "../../core/errors";
import { recordEvent } from "../../core/events";
import type { Job } from "../../core/jobs/jobs";
import { CLUSTER_KIND } from "../../core/kinds";
import type { ConditionReason } from "../../core/reasons";
import { type Statement, writeBatch } from "../../core/store";
import { classifyKubeError } from "../kube/access";
import type { ClusterFunction, FunctionDeps, FunctionResult } from "../types";
import { applyCapiCluster, capiProvisionStep, capiTopologyStep } from "./capi";
import type { Step } from "./eks";
import { recordProgress } from "./progress";
import { kubeTargetOf } from "./target";

/** The AWS SDK loads with the first EKS cluster a host works on, not with every function. */
const eksProvider = () => import("./eks");

const poll = (deps: FunctionDeps, message: string): FunctionResult => ({
  outcome: "poll",
  afterMs: deps.config.providerPollMs,
  message,
});

/** Loads the cluster for a lifecycle function; `undefined` when there is nothing left to do. */
async function liveCluster(deps: FunctionDeps, job: Job) {
  const cluster = await findCluster(deps, job.resourceId);
  if (!cluster || cluster.deletionRequestedAt !== null) return undefined;
  return { cluster, ...(await loadEffectiveCluster(deps, cluster)) };
}

const notYetProvisioned = (cluster: ClusterRow) => cluster.phase === "Pending" || cluster.phase === "Provisioning";

/**
 * provisionCluster: EKS (CreateCluster, wait for ACTIVE, one managed nodegroup per worker
 * pool, wait for ACTIVE) or Cluster API (the `Cluster` topology and FluxAddon on the management
 * cluster, wait for phase Provisioned); then reach the new cluster and bootstrap Flux. Each run
 * reads where the provider stands and takes the next step, so it resumes anywhere.
 */
export const provisionCluster: ClusterFunction = {
  kind: PROVISION_CLUSTER,
  async run(job, deps) {
    const live = await liveCluster(deps, job);
    if (!live) return { outcome: "done", message: "cluster is gone or being deleted" };
    const { cluster, effective } = live;
    if (cluster.phase === "Provisioned" || cluster.phase === "Upgrading")
      return { outcome: "done", message: "already provisioned" };
    const fields: Record<string, unknown> = {};
    if (cluster.provider === "eks") {
      const { controlPlaneStep, convergeNodegroups, eksClient, ensureControlPlane } = await eksProvider();
      const eks = await eksClient(deps, effective);
      const controlPlane = await ensureControlPlane(deps, eks, cluster, effective);
      const step = controlPlaneStep(controlPlane);
      const controlPlaneReady: ConditionChange = {
        type: "ControlPlaneReady",
        status: step.done ? "True" : "False",
        reason: controlPlane.status ?? "CREATING",
        message: `EKS cluster ${controlPlane.arn ?? cluster.name} is ${controlPlane.status}`,
      };
      if (!step.done) {
        await recordProgress(deps, cluster, {
          phase: "Provisioning",
          conditions: [controlPlaneReady],
          fields: { operation: { type: "provision", step: "ControlPlane" } },
        });
        return poll(deps, step.why);
      }
      const workers = await convergeNodegroups(eks, cluster, effective);
      fields.version = controlPlane.version;
      fields.endpoint = controlPlane.endpoint;
      fields.workers = workers.observed;
      if (!workers.step.done) {
        await recordProgress(deps, cluster, {
          phase: "Provisioning",
          conditions: [
            controlPlaneReady,
            { type: "Ready", status: "False", reason: "Provisioning", message: `Creating ${workers.step.why}` },
          ],
          fields: { ...fields, operation: { type: "provision", step: "Workers" } },
        });
        return poll(deps, workers.step.why);
      }
    } else {
      const { phase, state } = await applyCapiCluster(deps, cluster, effective);
      const step = capiProvisionStep(phase, state);
      if (!step.done) {
        await recordProgress(deps, cluster, {
          phase: "Provisioning",
          conditions: [{ type: "Ready", status: "False", reason: "Provisioning", message: step.why }],
          fields: { operation: { type: "provision", step: phase } },
        });
        return poll(deps, step.why);
      }
      if (effective.version) fields.version = effective.version;
    }
    return finish(deps, cluster, { fields, reason: "Provisioned", event: `cluster ${cluster.name} provisioned` });
  },
  async onFailed(job, problem, deps) {
    return failedStatements(deps, job, problem, "Failed");
  },
};

/**
 * upgradeCluster: one minor version, control plane first (EKS UpdateClusterVersion /
 * topology.version), then every worker pool. Waits while the cluster is still being
 * provisioned: jobs of one cluster only exclude each other while running, not while polling.
 */
export const upgradeCluster: ClusterFunction = {
  kind: UPGRADE_CLUSTER,
  async run(job, deps) {
    const live = await liveCluster(deps, job);
    if (!live) return { outcome: "done", message: "cluster is gone or being deleted" };
    const { cluster, effective } = live;
    if (notYetProvisioned(cluster)) return poll(deps, "waiting for provisioning to finish");
    if (cluster.phase === "Failed") return { outcome: "done", message: "the cluster failed; nothing to upgrade" };
    if (!effective.version) return { outcome: "done", message: "no version requested" };
    const target = cluster.provider === "eks" ? eksVersionOf(effective.version) : effective.version;
    let step: Step & { reason?: ConditionReason };
    const fields: Record<string, unknown> = { version: target };
    if (cluster.provider === "eks") {
      const { eksClient, observeNodegroups, upgradeStep } = await eksProvider();
      const eks = await eksClient(deps, effective);
      step = await upgradeStep(deps, eks, cluster, effective, target);
      if (step.done) fields.workers = await observeNodegroups(eks, cluster, effective);
    } else {
      const { state } = await applyCapiCluster(deps, cluster, effective);
      step = capiTopologyStep(state);
      if (!step.done) {
        await recordProgress(deps, cluster, {
          phase: "Upgrading",
          conditions: [
            {
              type: "Reconciling",
              status: "True",
              reason: step.reason ?? "ControlPlaneUpgradePending",
              message: `Upgrading to ${target}: ${step.why}`,
            },
          ],
          fields: { operation: { type: "upgrade", step: step.reason ?? "Topology", target } },
        });
      }
    }
    if (!step.done) return poll(deps, step.why);
    return finish(deps, cluster, {
      fields,
      reason: "UpgradeComplete",
      event: `cluster ${cluster.name} upgraded to ${target}`,
    });
  },
  async onFailed(job, problem, deps) {
    return failedStatements(deps, job, problem, "Provisioned");
  },
};

/** scaleCluster: worker pools added, resized or removed (EKS nodegroups / topology machineDeployments). */
export const scaleCluster: ClusterFunction = {
  kind: SCALE_CLUSTER,
  async run(job, deps) {
    const live = await liveCluster(deps, job);
    if (!live) return { outcome: "done", message: "cluster is gone or being deleted" };
    const { cluster, effective } = live;
    if (notYetProvisioned(cluster)) return poll(deps, "waiting for provisioning to finish");
    if (cluster.status.operation?.type === "upgrade") {
      return poll(deps, "waiting for the upgrade to finish");
    }
    if (cluster.phase === "Failed") return { outcome: "done", message: "the cluster failed; nothing to scale" };
    const fields: Record<string, unknown> = {};
    let step: Step;
    if (cluster.provider === "eks") {
      const { convergeNodegroups, eksClient } = await eksProvider();
      const result = await convergeNodegroups(await eksClient(deps, effective), cluster, effective);
      step = result.step;
      fields.workers = result.observed;
    } else {
      step = capiTopologyStep((await applyCapiCluster(deps, cluster, effective)).state);
    }
    if (!step.done) {
      await recordProgress(deps, cluster, {
        conditions: [{ type: "Reconciling", status: "True", reason: "Scaling", message: step.why }],
        fields: { ...fields, operation: { type: "scale", step: "Workers" } },
      });
      return poll(deps, step.why);
    }
    return finish(deps, cluster, { fields, reason: "ScaleComplete", event: `cluster ${cluster.name} workers scaled` });
  },
  async onFailed(job, problem, deps) {
    return failedStatements(deps, job, problem, "Provisioned");
  },
};

/**
 * The end of every lifecycle operation: reach the cluster through its provider, bootstrap (or
 * re-apply) Flux, and report Provisioned. If Flux has not reported yet, a reconcile follows it.
 */
async function finish(
  deps: FunctionDeps,
  cluster: ClusterRow,
  done: { fields: Record<string, unknown>; reason: "Provisioned" | "UpgradeComplete" | "ScaleComplete"; event: string },
): Promise<FunctionResult> {
  const target = await kubeTargetOf(deps, cluster);
  let serverVersion: string;
  try {
    const kube = await deps.kube(target);
    serverVersion = (await kube.version()).gitVersion;
  } catch (error) {
    throw classifyKubeError(error, target.server);
  }
  const now = deps.now();
  // The platform comes next: the add-on install, then the reconcile that bootstraps Flux on it.
  const install = enqueueAddonInstall(deps, cluster.id, now, undefined, { thenReconcile: true });
  const statements: Statement[] = [install.insert];
  const jobIds: string[] = [install.id];
  const conditions: ConditionChange[] = [
    { type: "Ready", status: "True", reason: done.reason, message: `API server ${serverVersion} answered` },
    { type: "Reconciling", status: "False", reason: done.reason, message: "" },
    { type: "Stalled", status: "False", reason: done.reason, message: "" },
  ];
  if (cluster.provider === "eks") {
    conditions.push({
      type: "ControlPlaneReady",
      status: "True",
      reason: "ACTIVE",
      message: "Control plane is ACTIVE",
    });
  }
  const wasReady = getCondition(cluster.status.conditions, "Ready")?.reason === done.reason;
  await writeBatch(deps.store, [
    ...statements,
    clusterStatusStatement(deps, cluster, {
      phase: "Provisioned",
      conditions,
      fields: { ...done.fields, serverVersion, operation: undefined, lastConnectedAt: new Date(now).toISOString() },
    }),
    ...(wasReady
      ? []
      : [
          recordEvent(deps.store, {
            reason: done.reason,
            resourceType: CLUSTER_KIND,
            resourceId: cluster.id,
            resourceName: cluster.name,
            message: done.event,
            actor: "system",
            at: now,
          }),
        ]),
  ]);
  if (jobIds.length > 0) await deps.dispatcher.dispatch(jobIds);
  return { outcome: "done", message: done.event };
}

/** A lifecycle operation that gave up shows why on the cluster: the phase, Ready and Stalled. */
async function failedStatements(
  deps: FunctionDeps,
  job: Job,
  problem: { code: ErrorCode; message: string },
  phase: "Failed" | "Provisioned",
): Promise<Statement[]> {
  const cluster = await findCluster(deps, job.resourceId);
  if (!cluster || cluster.deletionRequestedAt !== null) return [];
  const conditions: ConditionChange[] = [
    { type: "Stalled", status: "True", reason: problem.code, message: `${job.kind}: ${problem.message}` },
    { type: "Reconciling", status: "False", reason: problem.code, message: problem.message },
  ];
  if (phase === "Failed")
    conditions.push({ type: "Ready", status: "False", reason: problem.code, message: problem.message });
  return [clusterStatusStatement(deps, cluster, { phase, conditions })];
}
