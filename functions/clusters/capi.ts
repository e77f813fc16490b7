import { KubeConfig } from "@kubernetes/client-node";
import { type EffectiveCluster, parseMinor } from "../../core/clusters/lifecycle";
import { clusterManifests, FLEET_CONFIG, MANAGED_BY } from "../../core/clusters/manifests";
import { type ClusterRow, findCluster } from "../../core/clusters/read";
import { external, StalledError, TransientError } from "../../core/errors";
import type { ConditionReason } from "../../core/reasons";
import { classifyKubeError, type KubeAccess, type KubeTarget, type ObjectRef } from "../kube/access";
import type { FunctionDeps } from "../types";
import type { Step } from "./eks";
import { kubeTargetOf } from "./target";

const CAPI_API_VERSION = "cluster.x-k8s.io/v1beta1";
export const FLUX_ADDON_API_VERSION = "addons.cluster.x-k8s.io/v1alpha1";
const DEFAULT_NAMESPACE = "clusters";
/** The MachineDeploymentClass every worker pool uses in the topology. */
const WORKER_CLASS = "default-worker";

interface CapiClusterState {
  metadata?: { generation?: number };
  status?: {
    phase?: string;
    failureMessage?: string;
    failureReason?: string;
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** Cluster API wants a full semantic version with a `v`: 1.30 → v1.30.0. */
export function topologyVersion(version: string): string {
  const full = /^v?(\d+\.\d+\.\d+)$/.exec(version);
  if (full) return `v${full[1]}`;
  const minor = parseMinor(version);
  return minor ? `v${minor.major}.${minor.minor}.0` : version;
}

/**
 * The objects a Cluster API cluster is made of on the management cluster: the `Cluster` with
 * its managed topology, and the FluxAddon that installs Flux pointed at the cluster's
 * fleet-config path.
 */
export function capiObjects(
  cluster: Pick<ClusterRow, "id" | "name">,
  effective: EffectiveCluster,
  fluxVersion?: string,
) {
  const capi = effective.capi;
  if (!capi) throw new StalledError("CapiSettingsMissing", `The class of cluster ${cluster.name} has no capi settings`);
  if (!effective.version)
    throw new StalledError("VersionRequired", `Cluster API cluster ${cluster.name} needs a version`);
  const namespace = capi.namespace ?? DEFAULT_NAMESPACE;
  const labels = { ...MANAGED_BY, "fleetplane.io/cluster-id": cluster.id };
  const capiCluster = {
    apiVersion: CAPI_API_VERSION,
    kind: "Cluster",
    metadata: { name: cluster.name, namespace, labels },
    spec: {
      topology: {
        class: capi.topologyClass,
        version: topologyVersion(effective.version),
        workers: {
          machineDeployments: effective.workers.map((pool) => ({
            class: WORKER_CLASS,
            name: pool.name,
            replicas: pool.replicas,
          })),
        },
      },
    },
  };
  const fluxAddon = {
    apiVersion: FLUX_ADDON_API_VERSION,
    kind: "FluxAddon",
    metadata: { name: `${cluster.name}-flux`, namespace, labels },
    spec: {
      clusterSelector: { matchLabels: { "fleetplane.io/cluster-id": cluster.id } },
      sourceRef: { kind: "GitRepository", name: FLEET_CONFIG },
      kustomize: { path: `./clusters/${effective.environment ?? "default"}/${cluster.name}` },
      // The Flux release the add-on layering chose for the cluster (class < environment < cluster).
      ...(fluxVersion ? { version: fluxVersion } : {}),
    },
  };
  return { capiCluster, fluxAddon, namespace };
}

export async function managementAccess(deps: FunctionDeps, effective: EffectiveCluster): Promise<KubeAccess> {
  const ref = effective.capi?.managementCluster ?? "";
  const management = await findCluster(deps, ref);
  if (!management || management.deletionRequestedAt !== null) {
    throw new StalledError("ManagementClusterMissing", `Management cluster ${ref} is not in the fleet`);
  }
  const target = await kubeTargetOf(deps, management);
  try {
    return await deps.kube(target);
  } catch (error) {
    throw classifyKubeError(error, target.server);
  }
}

function clusterRef(cluster: Pick<ClusterRow, "name">, namespace: string): ObjectRef {
  return { apiVersion: CAPI_API_VERSION, kind: "Cluster", name: cluster.name, namespace };
}

/**
 * Applies the desired `Cluster` (server-side apply: creating, upgrading and scaling are all
 * the same declaration with a different topology) and reads where Cluster API stands.
 */
export async function applyCapiCluster(
  deps: FunctionDeps,
  cluster: ClusterRow,
  effective: EffectiveCluster,
): Promise<{ phase: string; state: CapiClusterState }> {
  const fluxVersion = (await clusterManifests(deps, cluster)).addons.find((a) => a.name === "flux")?.version;
  const { capiCluster, fluxAddon, namespace } = capiObjects(cluster, effective, fluxVersion);
  const management = await managementAccess(deps, effective);
  const server = effective.capi?.managementCluster ?? "";
  try {
    await management.apply(capiCluster);
    await management.apply(fluxAddon);
    const state = (await management.get<CapiClusterState & { apiVersion: string; kind: string }>(
      clusterRef(cluster, namespace),
    )) as CapiClusterState | undefined;
    return { phase: state?.status?.phase ?? "Pending", state: state ?? {} };
  } catch (error) {
    throw classifyKubeError(error, server);
  }
}

/** Provisioned once Cluster API says so; Failed with its failure message. */
export function capiProvisionStep(phase: string, state: CapiClusterState): Step {
  if (phase === "Failed") {
    throw new StalledError(
      state.status?.failureReason ? external(state.status.failureReason) : "ClusterFailed",
      `Cluster API reports the cluster Failed${state.status?.failureMessage ? `: ${state.status.failureMessage}` : ""}`,
    );
  }
  return phase === "Provisioned" ? { done: true } : { done: false, why: `Cluster API phase ${phase}` };
}

/**
 * After a topology change: done once the topology controller has seen this generation and
 * reports TopologyReconciled; until then its reason (ControlPlaneUpgradePending,
 * MachineDeploymentsUpgradePending, …) is what the cluster is waiting for.
 */
export function capiTopologyStep(state: CapiClusterState): Step & { reason?: ConditionReason; message?: string } {
  const generation = state.metadata?.generation;
  const observed = state.status?.observedGeneration;
  const topology = state.status?.conditions?.find((c) => c.type === "TopologyReconciled");
  if (generation !== undefined && (observed === undefined || observed < generation)) {
    return { done: false, why: "Cluster API has not seen the change yet" };
  }
  if (topology && topology.status !== "True") {
    return {
      done: false,
      why: topology.message || topology.reason || "topology reconciling",
      ...(topology.reason ? { reason: external(topology.reason) } : {}),
      ...(topology.message ? { message: topology.message } : {}),
    };
  }
  return { done: true };
}

/** Deletes the `Cluster` (Cluster API tears down workers, then the control plane) and waits until it is gone. */
export async function capiDeleteStep(
  deps: FunctionDeps,
  cluster: ClusterRow,
  effective: EffectiveCluster,
): Promise<Step> {
  const { namespace } = capiObjects(cluster, { ...effective, version: effective.version ?? "1.0" });
  const management = await managementAccess(deps, effective).catch((error) => {
    // A management cluster that left the fleet cannot be asked; nothing of ours is reachable.
    if (error instanceof StalledError && error.code === "ManagementClusterMissing") return undefined;
    throw error;
  });
  if (!management) return { done: true };
  try {
    await management.delete({
      apiVersion: FLUX_ADDON_API_VERSION,
      kind: "FluxAddon",
      name: `${cluster.name}-flux`,
      namespace,
    });
    const existing = await management.get(clusterRef(cluster, namespace));
    if (!existing) return { done: true };
    await management.delete(clusterRef(cluster, namespace));
    return (await management.get(clusterRef(cluster, namespace)))
      ? { done: false, why: "Cluster API is deleting the cluster" }
      : { done: true };
  } catch (error) {
    throw classifyKubeError(error, effective.capi?.managementCluster ?? "");
  }
}

/** Cluster API writes `<name>-kubeconfig` (key `value`) next to the `Cluster` once the control plane is up. */
export async function capiKubeTarget(
  deps: FunctionDeps,
  cluster: ClusterRow,
  effective: EffectiveCluster,
): Promise<KubeTarget> {
  const { namespace } = capiObjects(cluster, { ...effective, version: effective.version ?? "1.0" });
  const management = await managementAccess(deps, effective);
  const secret = await management
    .get<{ apiVersion: string; kind: string; data?: Record<string, string> }>({
      apiVersion: "v1",
      kind: "Secret",
      name: `${cluster.name}-kubeconfig`,
      namespace,
    })
    .catch((error) => {
      throw classifyKubeError(error, effective.capi?.managementCluster ?? "");
    });
  const encoded = secret?.data?.value;
  if (!encoded)
    throw new TransientError("KubeconfigMissing", `Cluster API has not written ${cluster.name}-kubeconfig yet`);
  return kubeconfigTarget(atob(encoded), cluster.name);
}

export function kubeconfigTarget(text: string, name: string): KubeTarget {
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch {
    throw new StalledError("KubeconfigInvalid", `The kubeconfig Secret of ${name} cannot be parsed`);
  }
  const server = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  const certificate =
    user?.certData && user.keyData ? { clientCertData: user.certData, clientKeyData: user.keyData } : undefined;
  if (!server?.server || (!user?.token && !certificate)) {
    throw new StalledError(
      "KubeconfigUnsupported",
      `The kubeconfig of ${name} has no server, or neither a bearer token nor an embedded client certificate`,
    );
  }
  // Cluster API's own kubeconfigs authenticate with a client certificate; others may carry a token.
  return {
    server: server.server,
    ...(user?.token ? { token: user.token } : (certificate as object)),
    ...(server.caData ? { caData: server.caData } : {}),
  };
}
