import { clusterManifests, FLEET_CONFIG, FLUX_NAMESPACE } from "../../core/clusters/manifests";
import type { ClusterRow } from "../../core/clusters/read";
import type { Condition } from "../../core/conditions";
import type { KubeAccess } from "../kube/access";
import type { FunctionDeps } from "../types";

export type FluxReady = Omit<Condition, "lastTransitionTime">;

interface KustomizationState {
  metadata?: { generation?: number };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/**
 * Bootstraps Flux on a reachable cluster: server-side applies the fleet-config
 * `GitRepository` and the cluster's `Kustomization` (re-applying is a no-op, and repairs
 * drift), then reads the Kustomization's own Ready condition as `FluxReady`. Answers
 * `undefined` when the cluster's class names no fleet-config repository.
 */
export async function bootstrapFlux(
  deps: FunctionDeps,
  cluster: ClusterRow,
  kube: KubeAccess,
): Promise<FluxReady | undefined> {
  const manifests = await clusterManifests(deps, cluster);
  if (manifests.objects.length === 0) return undefined;
  for (const object of manifests.objects) await kube.apply(object as never);
  const live = await kube.get<KustomizationState & { apiVersion: string; kind: string }>({
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    name: FLEET_CONFIG,
    namespace: FLUX_NAMESPACE,
  });
  return fluxReadyOf(live, manifests.path ?? "");
}

export function fluxReadyOf(live: KustomizationState | undefined, path: string): FluxReady {
  const ready = live?.status?.conditions?.find((c) => c.type === "Ready");
  const observed = live?.status?.observedGeneration;
  const generation = live?.metadata?.generation;
  // A Ready condition about an older generation says nothing about what we just applied.
  if (!ready || (generation !== undefined && observed !== undefined && observed < generation)) {
    return {
      type: "FluxReady",
      status: "Unknown",
      reason: "Progressing",
      message: `Waiting for Flux to reconcile ${path}`,
    };
  }
  const status = ready.status === "True" ? "True" : ready.status === "False" ? "False" : "Unknown";
  return {
    type: "FluxReady",
    status,
    reason: ready.reason || (status === "True" ? "ReconciliationSucceeded" : "Progressing"),
    message: ready.message ?? "",
  };
}
