import {
  type Cluster as AwsCluster,
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  type EKSClient,
  ListNodegroupsCommand,
  type Nodegroup,
  UpdateClusterVersionCommand,
  UpdateNodegroupConfigCommand,
  UpdateNodegroupVersionCommand,
} from "@aws-sdk/client-eks";
import {
  CONTROL_PLANE_UPGRADE_PENDING,
  type EffectiveCluster,
  eksVersionOf,
  MACHINE_DEPLOYMENTS_UPGRADE_PENDING,
} from "../../core/clusters/lifecycle";
import type { ClusterRow } from "../../core/clusters/read";
import type { ClusterStatusFields } from "../../core/clusters/spec";
import { type DomainError, external, StalledError, TransientError } from "../../core/errors";
import type { KubeTarget } from "../kube/access";
import type { FunctionDeps } from "../types";
import { recordProgress } from "./progress";

/** Tag on every EKS resource Fleetplane creates: whose it is, so a restart can tell ours from a stranger's. */
export const OWNER_TAG = "fleetplane.io/cluster-id";

/** Where a step of an EKS operation stands: done, or still waiting on AWS. */
export type Step = { done: true } | { done: false; why: string };
const waiting = (why: string): Step => ({ done: false, why });
const DONE: Step = { done: true };

/** The lifecycle operation in progress, as the cluster's status records it. */
type Operation = NonNullable<ClusterStatusFields["operation"]>;

export async function eksClient(deps: FunctionDeps, effective: EffectiveCluster): Promise<EKSClient> {
  return deps.aws.eks(effective.region);
}

/** The AWS answer "no such thing" as `undefined`; everything else classified. */
export async function describeEksCluster(eks: EKSClient, name: string): Promise<AwsCluster | undefined> {
  try {
    return (await eks.send(new DescribeClusterCommand({ name }))).cluster;
  } catch (error) {
    if (isAwsError(error, "ResourceNotFoundException")) return undefined;
    throw classifyAwsError(error);
  }
}

async function describeNodegroup(eks: EKSClient, clusterName: string, nodegroupName: string) {
  try {
    return (await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup;
  } catch (error) {
    if (isAwsError(error, "ResourceNotFoundException")) return undefined;
    throw classifyAwsError(error);
  }
}

async function listNodegroups(eks: EKSClient, clusterName: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await eks
      .send(new ListNodegroupsCommand({ clusterName, ...(nextToken ? { nextToken } : {}) }))
      .catch((error) => {
        if (isAwsError(error, "ResourceNotFoundException")) return { nodegroups: [], nextToken: undefined };
        throw classifyAwsError(error);
      });
    names.push(...(page.nodegroups ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

/**
 * The control plane: found by name (a restart after CreateCluster was sent but before we
 * recorded anything finds it here), created otherwise. A cluster of that name that does not
 * carry our tag belongs to someone else and is never adopted.
 */
export async function ensureControlPlane(
  deps: FunctionDeps,
  eks: EKSClient,
  cluster: ClusterRow,
  effective: EffectiveCluster,
): Promise<AwsCluster> {
  let found = await describeEksCluster(eks, cluster.name);
  if (!found) {
    await recordProgress(deps, cluster, {
      phase: "Provisioning",
      conditions: [
        { type: "Ready", status: "False", reason: "Provisioning", message: "Creating the EKS control plane" },
        { type: "ControlPlaneReady", status: "False", reason: "CREATING", message: "CreateCluster sent" },
      ],
      fields: { operation: { type: "provision", step: "ControlPlane" } satisfies Operation },
    });
    const settings = effective.eks;
    try {
      found = (
        await eks.send(
          new CreateClusterCommand({
            name: cluster.name,
            roleArn: settings.roleArn,
            ...(effective.version ? { version: eksVersionOf(effective.version) } : {}),
            resourcesVpcConfig: {
              subnetIds: settings.subnetIds,
              ...(settings.securityGroupIds ? { securityGroupIds: settings.securityGroupIds } : {}),
              ...(settings.endpointPublicAccess !== undefined
                ? { endpointPublicAccess: settings.endpointPublicAccess }
                : {}),
            },
            tags: { [OWNER_TAG]: cluster.id },
            // The same token on a retried call returns the cluster the first call created.
            clientRequestToken: cluster.id,
          }),
        )
      ).cluster;
    } catch (error) {
      // Created between our look and our call (another attempt of this job): look again.
      if (!isAwsError(error, "ResourceInUseException")) throw classifyAwsError(error);
      found = await describeEksCluster(eks, cluster.name);
    }
    if (!found) throw new TransientError("NotYetVisible", `EKS cluster ${cluster.name} is not visible yet`);
  }
  if (found.tags?.[OWNER_TAG] !== cluster.id) {
    throw new StalledError(
      "NameTaken",
      `An EKS cluster named ${cluster.name} already exists and was not created by Fleetplane for this cluster; choose another name`,
    );
  }
  return found;
}

/** CREATING → wait; FAILED → the reason AWS gives; ACTIVE (or updating) → on. */
export function controlPlaneStep(found: AwsCluster): Step {
  switch (found.status) {
    case "ACTIVE":
    case "UPDATING":
      return DONE;
    case "FAILED": {
      const issue = found.health?.issues?.[0];
      throw new StalledError(
        issue?.code ? external(issue.code) : "ClusterFailed",
        `EKS reports cluster ${found.name} FAILED${issue?.message ? `: ${issue.message}` : ""}`,
      );
    }
    case "DELETING":
      throw new StalledError("ClusterDeleting", `EKS cluster ${found.name} is being deleted outside Fleetplane`);
    default:
      return waiting(`control plane ${found.status ?? "PENDING"}`);
  }
}

/**
 * Brings the managed nodegroups in line with the worker pools: creates missing ones, resizes
 * changed ones, deletes ones no longer wanted. Each call makes at most the calls the current
 * AWS state needs, so it is safe to repeat after any crash.
 */
export async function convergeNodegroups(
  eks: EKSClient,
  cluster: ClusterRow,
  effective: EffectiveCluster,
): Promise<{ step: Step; observed: WorkerObservation[] }> {
  const busy: string[] = [];
  const observed: WorkerObservation[] = [];
  const wanted = new Set(effective.workers.map((pool) => pool.name));
  for (const pool of effective.workers) {
    const scaling = {
      desiredSize: pool.replicas,
      minSize: pool.minReplicas ?? pool.replicas,
      maxSize: Math.max(1, pool.maxReplicas ?? pool.replicas),
    };
    const ng = await describeNodegroup(eks, cluster.name, pool.name);
    if (!ng) {
      await eks
        .send(
          new CreateNodegroupCommand({
            clusterName: cluster.name,
            nodegroupName: pool.name,
            nodeRole: effective.eks.nodeRoleArn,
            subnets: effective.eks.subnetIds,
            scalingConfig: scaling,
            ...(pool.instanceType ? { instanceTypes: [pool.instanceType] } : {}),
            ...(pool.labels ? { labels: pool.labels } : {}),
            tags: { [OWNER_TAG]: cluster.id },
          }),
        )
        .catch((error) => {
          if (!isAwsError(error, "ResourceInUseException")) throw classifyAwsError(error);
        });
      busy.push(`${pool.name} CREATING`);
      observed.push({ name: pool.name, status: "CREATING" });
      continue;
    }
    observed.push(observe(ng));
    if (ng.status === "CREATE_FAILED" || ng.status === "DEGRADED") {
      const issue = ng.health?.issues?.[0];
      throw new StalledError(
        issue?.code ? external(issue.code) : "NodegroupFailed",
        `Nodegroup ${pool.name} is ${ng.status}${issue?.message ? `: ${issue.message}` : ""}`,
      );
    }
    if (ng.status !== "ACTIVE") {
      busy.push(`${pool.name} ${ng.status}`);
      continue;
    }
    const current = ng.scalingConfig ?? {};
    if (
      current.desiredSize !== scaling.desiredSize ||
      current.minSize !== scaling.minSize ||
      current.maxSize !== scaling.maxSize
    ) {
      await eks
        .send(
          new UpdateNodegroupConfigCommand({
            clusterName: cluster.name,
            nodegroupName: pool.name,
            scalingConfig: scaling,
          }),
        )
        .catch((error) => {
          if (!isAwsError(error, "ResourceInUseException")) throw classifyAwsError(error);
        });
      busy.push(`${pool.name} scaling to ${pool.replicas}`);
    }
  }
  for (const name of await listNodegroups(eks, cluster.name)) {
    if (wanted.has(name)) continue;
    const ng = await describeNodegroup(eks, cluster.name, name);
    if (!ng) continue;
    if (ng.tags?.[OWNER_TAG] !== cluster.id) continue; // not ours to remove
    if (ng.status !== "DELETING") await deleteNodegroup(eks, cluster.name, name);
    busy.push(`${name} DELETING`);
  }
  return { step: busy.length > 0 ? waiting(`workers: ${busy.join(", ")}`) : DONE, observed };
}

export interface WorkerObservation {
  name: string;
  status: string;
  version?: string;
  replicas?: number;
}

/** The worker pools as AWS reports them now. */
export async function observeNodegroups(eks: EKSClient, cluster: ClusterRow, effective: EffectiveCluster) {
  const observed: WorkerObservation[] = [];
  for (const pool of effective.workers) {
    const ng = await describeNodegroup(eks, cluster.name, pool.name);
    if (ng) observed.push(observe(ng));
  }
  return observed;
}

function observe(ng: Nodegroup): WorkerObservation {
  return {
    name: ng.nodegroupName ?? "",
    status: ng.status ?? "UNKNOWN",
    ...(ng.version ? { version: ng.version } : {}),
    ...(ng.scalingConfig?.desiredSize !== undefined ? { replicas: ng.scalingConfig.desiredSize } : {}),
  };
}

async function deleteNodegroup(eks: EKSClient, clusterName: string, nodegroupName: string) {
  await eks.send(new DeleteNodegroupCommand({ clusterName, nodegroupName })).catch((error) => {
    // Not found: already gone. In use: still creating or updating; the next look retries.
    if (isAwsError(error, "ResourceNotFoundException") || isAwsError(error, "ResourceInUseException")) return;
    throw classifyAwsError(error);
  });
}

/**
 * One step of an upgrade: the control plane first, then each worker pool, one minor version.
 * Where it stands is read from AWS every time (and the update id is kept in status), so an
 * upgrade interrupted half-way resumes at the right step.
 */
export async function upgradeStep(
  deps: FunctionDeps,
  eks: EKSClient,
  cluster: ClusterRow,
  effective: EffectiveCluster,
  target: string,
): Promise<Step> {
  const operation = cluster.status.operation;
  const found = await describeEksCluster(eks, cluster.name);
  if (!found) throw new StalledError("ClusterMissing", `EKS cluster ${cluster.name} does not exist`);
  const pending = await pendingUpdate(eks, cluster.name, operation);
  if (pending) return waiting(`update ${pending} in progress`);

  if (found.version !== target) {
    if (found.status !== "ACTIVE") return waiting(`control plane ${found.status}`);
    const update = await eks
      .send(
        new UpdateClusterVersionCommand({
          name: cluster.name,
          version: target,
          clientRequestToken: `${cluster.id}-${target}`,
        }),
      )
      .catch((error) => {
        throw classifyAwsError(error);
      });
    await recordProgress(deps, cluster, {
      phase: "Upgrading",
      conditions: [
        {
          type: "Reconciling",
          status: "True",
          reason: CONTROL_PLANE_UPGRADE_PENDING,
          message: `Control plane upgrading from ${found.version} to ${target}`,
        },
        { type: "ControlPlaneReady", status: "True", reason: "UPDATING", message: "UpdateClusterVersion in progress" },
      ],
      fields: {
        operation: {
          type: "upgrade",
          step: "ControlPlane",
          target,
          updateId: update.update?.id ?? "",
        } satisfies Operation,
      },
    });
    return waiting("control plane upgrade started");
  }

  for (const pool of effective.workers) {
    const ng = await describeNodegroup(eks, cluster.name, pool.name);
    if (!ng || ng.version === target) continue;
    if (ng.status !== "ACTIVE") return waiting(`nodegroup ${pool.name} ${ng.status}`);
    const update = await eks
      .send(
        new UpdateNodegroupVersionCommand({
          clusterName: cluster.name,
          nodegroupName: pool.name,
          version: target,
          clientRequestToken: `${cluster.id}-${pool.name}-${target}`.slice(0, 64),
        }),
      )
      .catch((error) => {
        throw classifyAwsError(error);
      });
    await recordProgress(deps, cluster, {
      phase: "Upgrading",
      conditions: [
        {
          type: "Reconciling",
          status: "True",
          reason: MACHINE_DEPLOYMENTS_UPGRADE_PENDING,
          message: `Worker pool ${pool.name} upgrading to ${target}`,
        },
        { type: "ControlPlaneReady", status: "True", reason: "ACTIVE", message: `Control plane runs ${target}` },
      ],
      fields: {
        version: target,
        operation: {
          type: "upgrade",
          step: `Workers/${pool.name}`,
          target,
          updateId: update.update?.id ?? "",
        } satisfies Operation,
      },
    });
    return waiting(`nodegroup ${pool.name} upgrade started`);
  }
  return DONE;
}

/** The recorded update, while AWS still runs it; a failed one stops the upgrade with AWS's reason. */
async function pendingUpdate(eks: EKSClient, name: string, operation: Operation | undefined) {
  if (!operation?.updateId) return undefined;
  const nodegroupName = operation.step.startsWith("Workers/") ? operation.step.slice("Workers/".length) : undefined;
  const update = await eks
    .send(
      new DescribeUpdateCommand({ name, updateId: operation.updateId, ...(nodegroupName ? { nodegroupName } : {}) }),
    )
    .then((out) => out.update)
    .catch((error) => {
      if (isAwsError(error, "ResourceNotFoundException")) return undefined;
      throw classifyAwsError(error);
    });
  if (update?.status === "InProgress") return operation.updateId;
  if (update?.status === "Failed") {
    const issue = update.errors?.[0];
    throw new StalledError(
      issue?.errorCode ? external(issue.errorCode) : "UpdateFailed",
      `EKS update ${operation.updateId} (${operation.step}) failed${issue?.errorMessage ? `: ${issue.errorMessage}` : ""}`,
    );
  }
  return undefined;
}

/**
 * Tears a cluster down the way EKS allows: nodegroups first, then the control plane (which
 * refuses while nodegroups exist or while it is still creating). Done when AWS no longer
 * knows the cluster.
 */
export async function deleteStep(eks: EKSClient, cluster: ClusterRow): Promise<Step> {
  const found = await describeEksCluster(eks, cluster.name);
  if (!found) return DONE;
  // A same-named cluster that is not ours (the create was refused with NameTaken) is left alone.
  if (found.tags?.[OWNER_TAG] !== cluster.id) return DONE;
  const nodegroups = await listNodegroups(eks, cluster.name);
  if (nodegroups.length > 0) {
    for (const name of nodegroups) {
      const ng = await describeNodegroup(eks, cluster.name, name);
      if (ng && ng.status !== "DELETING") await deleteNodegroup(eks, cluster.name, name);
    }
    return waiting(`deleting nodegroups ${nodegroups.join(", ")}`);
  }
  if (found.status === "DELETING") return waiting("control plane DELETING");
  if (found.status === "CREATING" || found.status === "UPDATING") return waiting(`control plane ${found.status}`);
  await eks.send(new DeleteClusterCommand({ name: cluster.name })).catch((error) => {
    if (isAwsError(error, "ResourceNotFoundException") || isAwsError(error, "ResourceInUseException")) return;
    throw classifyAwsError(error);
  });
  return waiting("control plane deletion started");
}

/** Endpoint and CA from DescribeCluster, and a fresh STS-signed token: no stored credentials. */
export async function eksKubeTarget(
  deps: FunctionDeps,
  cluster: ClusterRow,
  effective: EffectiveCluster,
): Promise<KubeTarget> {
  const eks = await eksClient(deps, effective);
  const found = await describeEksCluster(eks, cluster.name);
  if (!found?.endpoint) {
    throw new TransientError("NoEndpoint", `EKS cluster ${cluster.name} has no API server endpoint yet`);
  }
  return {
    server: found.endpoint,
    token: await deps.aws.eksToken(cluster.name, effective.region),
    ...(found.certificateAuthority?.data ? { caData: found.certificateAuthority.data } : {}),
  };
}

function isAwsError(error: unknown, name: string): boolean {
  return (error as { name?: string } | undefined)?.name === name;
}

const TRANSIENT_AWS = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "ServerException",
  "ServiceUnavailableException",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/**
 * The SDK already retried throttling and 5xx a few times; what still fails here is either
 * worth retrying later with the job's backoff (throttling, outages, network) or needs a person
 * (quota, bad subnet, bad role): that is a stalled error whose code is AWS's.
 */
export function classifyAwsError(error: unknown): DomainError {
  if (error instanceof StalledError || error instanceof TransientError) return error;
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? "Error";
  const message = e.message ?? String(error);
  if (TRANSIENT_AWS.has(name) || status === undefined || status >= 500 || status === 429) {
    return new TransientError(external(name), `AWS: ${message}`);
  }
  return new StalledError(external(name), `AWS: ${message}`);
}
