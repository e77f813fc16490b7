import type { IKustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1";
import type { IGitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1";
import {
  applicationsTarget,
  applyHolds,
  type Held,
  holdsOf,
  type RemovedAddon,
  resolveAddons,
  type WantedAddon,
} from "../addons/desired";
import type { ClusterClassSpecFields } from "../cluster-classes/spec";
import type { Deps } from "../context";
import { findEnvironmentByName } from "../environments/read";
import { effectiveCluster, findClassOf } from "./lifecycle";
import type { ClusterRow } from "./read";

export const FLUX_NAMESPACE = "flux-system";
/** Both Flux objects Fleetplane owns on a cluster carry this name. */
export const FLEET_CONFIG = "fleet-config";
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "fleetplane" } as const;

interface FluxNamespace {
  apiVersion: "v1";
  kind: "Namespace";
  metadata: { name: string; labels: Record<string, string> };
}

export type ValueSource = "class" | "environment" | "cluster" | "fleetplane";

export interface ClusterManifests {
  /** Every value substituted into the cluster's fleet-config, after inheritance. */
  values: Record<string, string>;
  /**
   * Where each value came from: Fleetplane's own facts win over the cluster's values, the
   * cluster's over its environment's, the environment's over the class's.
   */
  valueSources: Record<string, ValueSource>;
  path: string | undefined;
  /** The add-ons the cluster should run, with the layer that decided each. */
  addons: WantedAddon[];
  /** Add-ons a layer removed, and whether their CRDs go too. */
  removedAddons: RemovedAddon[];
  objects: (FluxNamespace | IGitRepository | IKustomization)[];
}

/**
 * Renders what Fleetplane wants on a cluster. Pure: the same cluster and class always render
 * the same objects, so the API can show them and the functions can apply them without either
 * depending on the other.
 */
export function renderClusterManifests(
  cluster: Pick<ClusterRow, "name" | "provider" | "spec">,
  clusterClass: { spec: ClusterClassSpecFields } | undefined,
  environment?: { spec: Record<string, unknown> },
  opts: { applicationsTarget: boolean; holds?: Map<string, Held> | undefined } = { applicationsTarget: false },
): ClusterManifests {
  const effective = effectiveCluster(cluster, clusterClass);
  const resolved = resolveAddons(clusterClass?.spec, environment?.spec, cluster.spec, opts);
  const addons = applyHolds(resolved.wanted, opts.holds);
  const removedAddons = resolved.removed;
  const shared = environment?.spec as
    | { values?: Record<string, string>; fleetConfig?: typeof effective.fleetConfig }
    | undefined;
  const layers: [ValueSource, Record<string, string> | undefined][] = [
    ["class", clusterClass?.spec.values],
    ["environment", shared?.values],
    ["cluster", cluster.spec.values],
    [
      "fleetplane",
      {
        cluster_name: cluster.name,
        cluster_environment: effective.environment ?? "default",
        ...(effective.region ? { cluster_region: effective.region } : {}),
        ...(effective.version ? { cluster_version: effective.version } : {}),
      },
    ],
  ];
  const values: Record<string, string> = {};
  const valueSources: Record<string, ValueSource> = {};
  for (const [source, layer] of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      values[key] = value;
      valueSources[key] = source;
    }
  }
  const repo = shared?.fleetConfig ?? effective.fleetConfig;
  if (!repo) return { values, valueSources, path: undefined, addons, removedAddons, objects: [] };

  const path = `./clusters/${effective.environment ?? "default"}/${cluster.name}`;
  const metadata = () => ({ name: FLEET_CONFIG, namespace: FLUX_NAMESPACE, labels: { ...MANAGED_BY } });
  const gitRepository: IGitRepository = {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: metadata(),
    spec: {
      url: repo.url,
      interval: repo.interval ?? "1m",
      ref: { branch: repo.branch ?? "main" },
      ...(repo.secretRef ? { secretRef: { name: repo.secretRef } } : {}),
    },
  };
  const kustomization: IKustomization = {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: metadata(),
    spec: {
      interval: "10m",
      path,
      prune: true,
      sourceRef: { kind: "GitRepository", name: FLEET_CONFIG },
      postBuild: { substitute: values },
    },
  };
  // Flux's own namespace, as `flux bootstrap` creates it; applying it where Flux already runs changes nothing.
  const namespace: FluxNamespace = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: FLUX_NAMESPACE, labels: { ...MANAGED_BY } },
  };
  return { values, valueSources, path, addons, removedAddons, objects: [namespace, gitRepository, kustomization] };
}

export async function clusterManifests(deps: Deps, cluster: ClusterRow): Promise<ClusterManifests> {
  const [clusterClass, environment, targeted, holds] = await Promise.all([
    findClassOf(deps, cluster),
    findEnvironmentByName(deps, cluster.environment),
    applicationsTarget(deps, cluster.id),
    holdsOf(deps, cluster.id),
  ]);
  return renderClusterManifests(cluster, clusterClass, environment, {
    applicationsTarget: targeted,
    holds: holds.get(cluster.id),
  });
}
