import { and, eq, inArray, isNull } from "drizzle-orm";
import { applicationDeployments, applications, tenantPlacements, tenantSecrets, tenants } from "../../schema";
import { findBundle } from "../addons/bundles";
import { CATALOG } from "../addons/catalog";
import { addonReadyOn } from "../addons/desired";
import type { AddonStatusValue } from "../addons/spec";
import { renderArgoApplication } from "../applications/manifests";
import { APPLICATION_KIND } from "../applications/read";
import { effectiveCluster, findClassOf } from "../clusters/lifecycle";
import { clusterManifests, MANAGED_BY } from "../clusters/manifests";
import { CLUSTER_KIND, type ClusterRow } from "../clusters/read";
import type { Deps } from "../context";
import { SECRET_KIND } from "../secrets/verbs";
import {
  type KubeObject,
  renderExternalSecret,
  renderGuardrails,
  renderSecretStore,
  renderTenantObjects,
  secretMarker,
} from "../tenants/manifests";
import { TENANT_KIND } from "../tenants/read";
import { type DriftPolicyValue, policyOf } from "./spec";

/** The Fleetplane resource an object on a cluster exists for; its policy decides what drift does. */
export interface DriftOwner {
  type: string;
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
}

/**
 * One kind of thing Fleetplane puts on clusters. A source answers only what has been applied
 * already (a tenant whose placement is still being applied is not drift, it is work in
 * progress). Adding a feature that places objects on clusters is one more entry in
 * DESIRED_OBJECT_SOURCES.
 */
export interface DesiredObjectSource {
  name: string;
  collect(deps: Deps, cluster: ClusterRow): Promise<DesiredObject[]>;
}

const ownerOfCluster = (cluster: ClusterRow): DriftOwner => ({
  type: CLUSTER_KIND,
  id: cluster.id,
  name: cluster.name,
  policy: policyOf(cluster.spec),
});

/** Flux's fleet-config namespace, GitRepository and Kustomization (the cluster's bootstrap). */
export const clusterBootstrapSource: DesiredObjectSource = {
  name: "cluster-bootstrap",
  async collect(deps, cluster) {
    const manifests = await clusterManifests(deps, cluster);
    // Before Flux runs there, its kinds are not served: nothing of it can be drift yet.
    if (!addonReadyOn(cluster.status, manifests.addons, "flux")) return [];
    const owner = ownerOfCluster(cluster);
    return manifests.objects.map((object) => ({ object: object as unknown as KubeObject, owner, applied: false }));
  },
};

async function appliedTenants(deps: Deps, cluster: ClusterRow) {
  const placements = await deps.store
    .select()
    .from(tenantPlacements)
    .where(and(eq(tenantPlacements.clusterId, cluster.id), eq(tenantPlacements.desired, "present")));
  const applied = placements.filter((p) => p.appliedAt !== null && p.appliedRevision >= p.desiredRevision);
  if (applied.length === 0) return [];
  const rows = await deps.store
    .select()
    .from(tenants)
    .where(
      and(
        inArray(
          tenants.id,
          applied.map((p) => p.tenantId),
        ),
        isNull(tenants.deletionRequestedAt),
      ),
    );
  return rows.map((tenant) => ({ tenant, placement: applied.find((p) => p.tenantId === tenant.id)! }));
}

/** Each placed tenant's namespace, Flux account, binding, source and Kustomization, plus the shared guardrails. */
export const tenantSource: DesiredObjectSource = {
  name: "tenants",
  async collect(deps, cluster) {
    const placed = await appliedTenants(deps, cluster);
    if (placed.length === 0) return [];
    const clusterOwner = ownerOfCluster(cluster);
    const desired: DesiredObject[] = renderGuardrails().map((object) => ({
      object,
      owner: clusterOwner,
      applied: true,
    }));
    for (const { tenant } of placed) {
      const owner = { type: TENANT_KIND, id: tenant.id, name: tenant.name, policy: policyOf(tenant.spec) };
      for (const object of renderTenantObjects(tenant)) desired.push({ object, owner, applied: true });
    }
    return desired;
  },
};

/** One ExternalSecret per secret applied to the cluster, and the ClusterSecretStore they share. */
export const secretSource: DesiredObjectSource = {
  name: "secrets",
  async collect(deps, cluster) {
    const placed = await appliedTenants(deps, cluster);
    if (placed.length === 0) return [];
    const rows = await deps.store
      .select()
      .from(tenantSecrets)
      .where(
        and(
          inArray(
            tenantSecrets.tenantId,
            placed.map((p) => p.tenant.id),
          ),
          isNull(tenantSecrets.deletionRequestedAt),
        ),
      );
    const desired: DesiredObject[] = [];
    for (const secret of rows) {
      const { tenant, placement } = placed.find((p) => p.tenant.id === secret.tenantId)!;
      // Only the version this cluster was given; a rotation still being applied is not drift.
      if (placement.appliedSecrets[secret.id] !== secretMarker(secret)) continue;
      desired.push({
        object: renderExternalSecret(tenant, secret),
        owner: { type: SECRET_KIND, id: secret.id, name: secret.name, policy: policyOf(secret.spec) },
        applied: true,
      });
    }
    if (desired.length > 0) {
      const region =
        effectiveCluster(cluster, await findClassOf(deps, cluster)).region ?? (await deps.secretsManager.region());
      desired.unshift({ object: renderSecretStore(region), owner: ownerOfCluster(cluster), applied: true });
    }
    return desired;
  },
};

/**
 * Each application's Argo CD `Application` at the release a rollout last applied to the
 * cluster: a rollout still moving the cluster updates what is wanted as it applies.
 */
export const applicationSource: DesiredObjectSource = {
  name: "applications",
  async collect(deps, cluster) {
    const rows = await deps.store
      .select({ deployment: applicationDeployments, app: applications })
      .from(applicationDeployments)
      .innerJoin(applications, eq(applications.id, applicationDeployments.applicationId))
      .where(and(eq(applicationDeployments.clusterId, cluster.id), isNull(applications.deletionRequestedAt)));
    const facts = {
      id: cluster.id,
      name: cluster.name,
      labels: cluster.labels,
      environment: cluster.environment,
      region: cluster.region,
      waveHint: null,
    };
    return rows.map(({ deployment, app }) => ({
      object: renderArgoApplication(app.name, deployment.release, facts) as unknown as KubeObject,
      owner: { type: APPLICATION_KIND, id: app.id, name: app.name, policy: policyOf(app.spec) },
      applied: true,
    }));
  },
};

/**
 * The controllers of every add-on Fleetplane installed and saw Ready: a controller deleted or
 * edited on the cluster is drift like any other object, repaired under `remediate`.
 */
export const addonSource: DesiredObjectSource = {
  name: "addons",
  async collect(deps, cluster) {
    const installed = ((cluster.status.addons as AddonStatusValue[] | undefined) ?? []).filter(
      (a) => a.managed && a.phase === "Ready" && a.sha256,
    );
    const owner = ownerOfCluster(cluster);
    const desired: DesiredObject[] = [];
    for (const addon of installed) {
      const bundle = await findBundle(deps, addon.sha256 as string);
      const namespace = CATALOG[addon.name]?.namespace ?? addon.name;
      // The namespace Fleetplane created for a bundle that has none is Fleetplane's too.
      if (bundle && !bundle.objects.some((o) => o.kind === "Namespace" && o.metadata.name === namespace)) {
        desired.push({
          object: {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: namespace, labels: { ...MANAGED_BY } },
          } as never,
          owner,
          applied: true,
        });
      }
      for (const object of bundle?.objects ?? []) {
        if (object.apiVersion !== "apps/v1" || object.kind !== "Deployment") continue;
        const placed = {
          ...object,
          metadata: { ...object.metadata, namespace: object.metadata.namespace ?? namespace },
        };
        desired.push({ object: placed as unknown as KubeObject, owner, applied: true });
      }
    }
    return desired;
  },
};

/** Everything Fleetplane wants on clusters, by feature. */
export const DESIRED_OBJECT_SOURCES: DesiredObjectSource[] = [
  addonSource,
  clusterBootstrapSource,
  tenantSource,
  secretSource,
  applicationSource,
];

export async function collectDesiredObjects(deps: Deps, cluster: ClusterRow): Promise<DesiredObject[]> {
  const all: DesiredObject[] = [];
  for (const source of DESIRED_OBJECT_SOURCES) all.push(...(await source.collect(deps, cluster)));
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
