import type { ClusterRow } from "../clusters/read";
import type { Deps } from "../context";
import type { ResourceKind } from "../kinds";
import { CLUSTER_KIND } from "../kinds";
import type { KubeObject } from "../tenants/manifests";
import { type DriftPolicyValue, policyOf } from "./spec";

/** The Fleetplane resource an object on a cluster exists for; its policy decides what drift does. */
export interface DriftOwner {
  type: ResourceKind;
  id: string;
  name: string;
  policy: DriftPolicyValue;
}

export interface DesiredObject {
  object: KubeObject;
  owner: DriftOwner;
  /**
   * Whether the source knows the object was applied (a tenant's placement recorded it). When it
   * does not, a missing object only counts as drift once a reconcile has seen it on the cluster;
   * before that it is Fleetplane's own work to do (the first bootstrap).
   */
  applied: boolean;
  /**
   * Set for a SealedSecret: it is compared without its ciphertext (new at every sealing, so no
   * one rendering of it exists), and made again by sealing the secret for the cluster, never by
   * applying `object` as it is.
   */
  sealedSecret?: { tenantId: string; secretId: string };
}

/**
 * One kind of thing Fleetplane puts on clusters. A source answers only what has been applied
 * already (a tenant whose placement is still being applied is not drift, it is work in
 * progress). Each feature that places objects on clusters declares its source next to its own
 * code; the reconcile lists them (drift knows no feature, so no feature's import comes back here).
 */
export interface DesiredObjectSource {
  name: string;
  collect(deps: Deps, cluster: ClusterRow): Promise<DesiredObject[]>;
}

/** The cluster itself owns what exists on it for the platform (bootstrap, add-ons, shared guardrails). */
export const ownerOfCluster = (cluster: ClusterRow): DriftOwner => ({
  type: CLUSTER_KIND,
  id: cluster.id,
  name: cluster.name,
  policy: policyOf(cluster.spec),
});

export async function collectDesiredObjects(
  deps: Deps,
  cluster: ClusterRow,
  sources: readonly DesiredObjectSource[],
): Promise<DesiredObject[]> {
  const all: DesiredObject[] = [];
  for (const source of sources) all.push(...(await source.collect(deps, cluster)));
  // One entry per object: the first source to claim it owns it (the flux-system namespace is both
  // Flux's bootstrap and where tenants' sources live).
  const seen = new Set<string>();
  return all.filter(({ object }) => {
    const key = objectKey(object);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function objectKey(object: {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}) {
  const group = (object.apiVersion ?? "").includes("/") ? (object.apiVersion ?? "").split("/")[0] : "";
  return `${group}/${object.kind}/${object.metadata?.namespace ?? ""}/${object.metadata?.name}`;
}
