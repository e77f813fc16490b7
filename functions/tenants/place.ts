import { and, eq, isNull, sql } from "drizzle-orm";
import { ADDON_FOR } from "../../core/addons/catalog";
import { effectiveCluster, findClassOf } from "../../core/clusters/lifecycle";
import { findCluster } from "../../core/clusters/read";
import { StalledError } from "../../core/errors";
import { recordEvent } from "../../core/events";
import { enqueueJob, type Job } from "../../core/jobs/jobs";
import { TENANT_KIND } from "../../core/kinds";
import { type Statement, writeBatch } from "../../core/store";
import {
  FLEET_TENANT_LABEL,
  FLUX_NAMESPACE,
  fluxAccountOf,
  type KubeObject,
  renderExternalSecret,
  renderGuardrails,
  renderSecretStore,
  renderTenantObjects,
  SEALED_SECRET,
  secretMarker,
  TENANT_ROLE_BINDING,
} from "../../core/tenants/manifests";
import { FINALIZE_TENANT, PLACE_TENANT } from "../../core/tenants/placement";
import { findTenant, type PlacementRow, type TenantRow } from "../../core/tenants/read";
import type { ClusterState } from "../../core/tenants/spec";
import { tenantPlacements, tenantSecrets } from "../../schema";
import { addonsAvailable } from "../clusters/addons";
import { kubeTargetOf } from "../clusters/target";
import { classifyKubeError, type KubeAccess } from "../kube/access";
import type { ClusterFunction, FunctionDeps } from "../types";
import { apply } from "./apply";
import { sealingKeyOf, sealSecrets, unlessCurrent } from "./sealed";

/** How long a function keeps looking for Flux's verdict (or its pruning) before it reports what it saw. */
const FLUX_WAIT_MS = 10 * 60 * 1000;

const REQUIRED_GROUPS = ["source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "kyverno.io"];
const SECRETS_GROUP = "external-secrets.io";
const SEALED_SECRETS_GROUP = "bitnami.com";
/** Which add-on serves each API group a tenant may need, for the message when one is missing. */
const ADDON_OF_GROUP: Record<string, string> = {
  "source.toolkit.fluxcd.io": "flux",
  "kustomize.toolkit.fluxcd.io": "flux",
  "kyverno.io": "kyverno",
  [SECRETS_GROUP]: "external-secrets",
  [SEALED_SECRETS_GROUP]: "sealed-secrets",
};

interface FluxStatus {
  metadata?: { generation?: number };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/**
 * placeTenant: converges one cluster to what the tenant's placement there wants. `present`
 * applies (server-side apply, field manager fleetplane) the guardrails, the tenant's objects,
 * the secret store and one ExternalSecret per secret, removes ExternalSecrets of deleted
 * secrets, then reads the Kustomization's Ready condition as the cluster's Fleet state.
 * `absent` removes in a safe order: the Kustomization first, waiting until Flux has pruned and
 * let go of it, then the source, the ExternalSecrets, the binding, the account and the
 * namespace. It reads the wish when it runs, so redelivered or late jobs are harmless.
 */
export const placeTenant: ClusterFunction = {
  kind: PLACE_TENANT,
  async run(job, deps) {
    const placement = await findPlacement(deps, job);
    if (!placement) return { outcome: "done", message: "not placed there (anymore)" };
    const tenant = await findTenant(deps, job.resourceId);
    const cluster = await findCluster(deps, placement.clusterId);
    if (!tenant || !cluster || cluster.deletionRequestedAt !== null) {
      // The cluster is leaving the fleet: its objects go with it, there is nothing to clean.
      await dropPlacement(deps, placement, tenant);
      return { outcome: "done", message: "cluster left the fleet" };
    }
    const target = await kubeTargetOf(deps, cluster);
    try {
      const kube = await deps.kube(target);
      if (placement.desired === "absent") {
        const removed = await removeTenant(kube, tenant);
        if (!removed) {
          if (deps.now() - job.createdAt > FLUX_WAIT_MS) {
            throw new StalledError("PruneStuck", `Flux has not let go of Kustomization ${tenant.name} in 10 minutes`);
          }
          await writeBatch(deps.store, [
            placementUpdate(deps, placement, { state: "WaitApplied", message: "waiting for Flux to prune" }),
          ]);
          return { outcome: "poll", afterMs: deps.config.providerPollMs, message: "waiting for Flux to prune" };
        }
        await dropPlacement(deps, placement, tenant, cluster.name);
        return { outcome: "done", message: `removed from ${cluster.name}` };
      }
      // Flux and Kyverno (and External Secrets for a tenant with secrets) come first: wait for them.
      const platform = await addonsAvailable(deps, cluster, await addonsNeeded(deps, tenant));
      if (!platform.ready) {
        await writeBatch(deps.store, [
          placementUpdate(deps, placement, { state: "Pending", message: platform.message }),
        ]);
        if (deps.now() - job.createdAt < FLUX_WAIT_MS) {
          return { outcome: "poll", afterMs: deps.config.providerPollMs, message: platform.message };
        }
        return { outcome: "done", message: platform.message };
      }
      const result = await applyTenant(deps, kube, tenant, cluster);
      const statements: Statement[] = [
        placementUpdate(deps, placement, {
          state: result.state,
          message: result.message,
          appliedRevision: placement.desiredRevision,
          appliedSecrets: result.appliedSecrets,
        }),
      ];
      const finalize = result.removedSecrets ? finalizeJob(deps, tenant.id) : undefined;
      if (finalize) statements.push(finalize.insert);
      if (placement.state !== result.state && result.state !== "Pending") {
        statements.push(
          recordEvent(deps.store, {
            type: result.state === "Ready" ? "Normal" : "Warning",
            reason: result.state,
            resourceType: TENANT_KIND,
            resourceId: tenant.id,
            resourceName: tenant.name,
            message: `tenant ${tenant.name} on ${cluster.name}: ${result.state}${result.message ? `: ${result.message}` : ""}`,
            actor: "system",
            at: deps.now(),
          }),
        );
      }
      await writeBatch(deps.store, statements);
      if (finalize) await deps.dispatcher.dispatch([finalize.id]);
      if (result.state !== "Ready" && deps.now() - job.createdAt < FLUX_WAIT_MS) {
        return { outcome: "poll", afterMs: deps.config.providerPollMs, message: `${result.state}: ${result.message}` };
      }
      return { outcome: "done", message: `${result.state} on ${cluster.name}` };
    } catch (error) {
      const problem = classifyKubeError(error, target.server);
      // Visible at once, whether or not a retry follows.
      await writeBatch(deps.store, [
        placementUpdate(deps, placement, { state: "ErrApplied", message: `${problem.code}: ${problem.message}` }),
      ]);
      throw problem;
    }
  },
  async onFailed(job, error, deps) {
    const placement = await findPlacement(deps, job);
    return placement
      ? [placementUpdate(deps, placement, { state: "ErrApplied", message: `${error.code}: ${error.message}` })]
      : [];
  },
};

async function addonsNeeded(deps: FunctionDeps, tenant: TenantRow): Promise<string[]> {
  const sources = await deps.store
    .selectDistinct({ source: tenantSecrets.source })
    .from(tenantSecrets)
    .where(and(eq(tenantSecrets.tenantId, tenant.id), isNull(tenantSecrets.deletionRequestedAt)));
  const sealed = sources.some((s) => s.source === "sealed");
  const external = sources.some((s) => s.source !== "sealed");
  return [
    ADDON_FOR.flux,
    ADDON_FOR.guardrails,
    ...(external ? [ADDON_FOR.secrets] : []),
    ...(sealed ? [ADDON_FOR.sealedSecrets] : []),
  ];
}

async function findPlacement(deps: FunctionDeps, job: Job): Promise<PlacementRow | undefined> {
  const rows = await deps.store
    .select()
    .from(tenantPlacements)
    .where(and(eq(tenantPlacements.tenantId, job.resourceId), eq(tenantPlacements.clusterId, job.clusterId ?? "")))
    .limit(1);
  return rows[0];
}

function placementUpdate(
  deps: FunctionDeps,
  placement: PlacementRow,
  change: { state: ClusterState; message: string; appliedRevision?: number; appliedSecrets?: Record<string, string> },
) {
  const now = deps.now();
  return deps.store
    .update(tenantPlacements)
    .set({
      state: change.state,
      message: change.message,
      updatedAt: now,
      ...(change.appliedRevision !== undefined
        ? {
            appliedRevision: sql`max(${tenantPlacements.appliedRevision}, ${change.appliedRevision})`,
            appliedAt: now,
          }
        : {}),
      ...(change.appliedSecrets ? { appliedSecrets: change.appliedSecrets } : {}),
    })
    .where(and(eq(tenantPlacements.tenantId, placement.tenantId), eq(tenantPlacements.clusterId, placement.clusterId)));
}

function finalizeJob(deps: FunctionDeps, tenantId: string) {
  return enqueueJob(
    deps.store,
    deps.config,
    { kind: FINALIZE_TENANT, clusterId: null, resourceType: TENANT_KIND, resourceId: tenantId },
    deps.now(),
  );
}

/**
 * The placement row goes once the tenant is off the cluster, unless a newer wish arrived
 * meanwhile (its own job will handle it). finalizeTenant then checks whether the tenant or
 * any deleted secret is now free to go.
 */
async function dropPlacement(
  deps: FunctionDeps,
  placement: PlacementRow,
  tenant: TenantRow | undefined,
  clusterName?: string,
) {
  const finalize = finalizeJob(deps, placement.tenantId);
  await writeBatch(deps.store, [
    deps.store
      .delete(tenantPlacements)
      .where(
        and(
          eq(tenantPlacements.tenantId, placement.tenantId),
          eq(tenantPlacements.clusterId, placement.clusterId),
          eq(tenantPlacements.desiredRevision, placement.desiredRevision),
        ),
      ),
    finalize.insert,
    ...(tenant && clusterName
      ? [
          recordEvent(deps.store, {
            reason: "Removed",
            resourceType: TENANT_KIND,
            resourceId: tenant.id,
            resourceName: tenant.name,
            message: `tenant ${tenant.name} removed from ${clusterName}`,
            actor: "system",
            at: deps.now(),
          }),
        ]
      : []),
  ]);
  await deps.dispatcher.dispatch([finalize.id]);
}

async function applyTenant(
  deps: FunctionDeps,
  kube: KubeAccess,
  tenant: TenantRow,
  cluster: NonNullable<Awaited<ReturnType<typeof findCluster>>>,
): Promise<{ state: ClusterState; message: string; appliedSecrets: Record<string, string>; removedSecrets: boolean }> {
  const secrets = await deps.store
    .select()
    .from(tenantSecrets)
    .where(and(eq(tenantSecrets.tenantId, tenant.id), isNull(tenantSecrets.deletionRequestedAt)));
  const external = secrets.filter((s) => s.source !== "sealed");
  const sealed = secrets.filter((s) => s.source === "sealed");
  const groups = new Set(await kube.apiGroups());
  const needed = [
    ...REQUIRED_GROUPS,
    ...(external.length > 0 ? [SECRETS_GROUP] : []),
    ...(sealed.length > 0 ? [SEALED_SECRETS_GROUP] : []),
  ];
  const missing = needed.filter((g) => !groups.has(g));
  if (missing.length > 0) {
    const addons = [...new Set(missing.map((g) => ADDON_OF_GROUP[g]))].join(", ");
    throw new StalledError(
      "MissingAPIs",
      `Cluster ${cluster.name} does not serve ${missing.join(", ")}; install the ${addons} add-on${addons.includes(",") ? "s" : ""} there`,
    );
  }
  const fluxNamespace = await kube.get({ apiVersion: "v1", kind: "Namespace", name: FLUX_NAMESPACE });
  if (!fluxNamespace) {
    throw new StalledError(
      "FluxNotInstalled",
      `Cluster ${cluster.name} has no ${FLUX_NAMESPACE} namespace; bootstrap Flux there`,
    );
  }
  for (const object of renderGuardrails()) await apply(kube, object);
  if (external.length > 0) {
    const clusterClass = await findClassOf(deps, cluster);
    const region = effectiveCluster(cluster, clusterClass).region ?? (await deps.secretsManager.region());
    await apply(kube, renderSecretStore(region));
  }
  for (const object of renderTenantObjects(tenant)) await apply(kube, object);
  const appliedSecrets: Record<string, string> = {};
  for (const secret of external) {
    await apply(kube, renderExternalSecret(tenant, secret));
    appliedSecrets[secret.id] = secretMarker(secret);
  }
  if (sealed.length > 0) {
    const sealing = await sealingKeyOf(deps, kube, cluster.name);
    const { applied } = await sealSecrets(deps, kube, sealing, tenant, sealed, unlessCurrent);
    Object.assign(appliedSecrets, applied);
  }
  // Secrets deleted (or renamed, or delivered the other way now): whatever carries the tenant's
  // label and is not wanted as that kind.
  let removedSecrets = await removeUnwanted(kube, tenant, EXTERNAL_SECRET, new Set(external.map((s) => s.name)));
  if (groups.has(SEALED_SECRETS_GROUP)) {
    removedSecrets =
      (await removeUnwanted(kube, tenant, SEALED_SECRET, new Set(sealed.map((s) => s.name)))) || removedSecrets;
  }
  const deleting = await deps.store
    .select({ id: tenantSecrets.id })
    .from(tenantSecrets)
    .where(and(eq(tenantSecrets.tenantId, tenant.id), sql`${tenantSecrets.deletionRequestedAt} IS NOT NULL`))
    .limit(1);
  if (deleting.length > 0) removedSecrets = true;

  const kustomization = await kube.get<FluxStatus & KubeObject>({
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    name: tenant.name,
    namespace: FLUX_NAMESPACE,
  });
  return { ...fleetStateOf(kustomization), appliedSecrets, removedSecrets };
}

const EXTERNAL_SECRET = { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret" } as const;

/** Deletes the tenant's objects of a kind that are not wanted; answers whether it deleted any. */
async function removeUnwanted(
  kube: KubeAccess,
  tenant: TenantRow,
  type: { apiVersion: string; kind: string },
  wanted: Set<string>,
): Promise<boolean> {
  const live = await kube.list<KubeObject>(type.apiVersion, type.kind, {
    namespace: tenant.namespace,
    labelSelector: `${FLEET_TENANT_LABEL}=${tenant.name}`,
  });
  let removed = false;
  for (const object of live) {
    if (wanted.has(object.metadata.name)) continue;
    await kube.delete({ ...type, name: object.metadata.name, namespace: tenant.namespace });
    removed = true;
  }
  return removed;
}

/** Flux's verdict on the tenant's Kustomization in Fleet's words; an old generation's verdict does not count. */
export function fleetStateOf(live: FluxStatus | undefined): { state: ClusterState; message: string } {
  const ready = live?.status?.conditions?.find((c) => c.type === "Ready");
  const observed = live?.status?.observedGeneration;
  const generation = live?.metadata?.generation;
  if (!ready || (generation !== undefined && observed !== undefined && observed < generation)) {
    return { state: "Pending", message: "applied; waiting for Flux to reconcile" };
  }
  if (ready.status === "True") return { state: "Ready", message: ready.message ?? "" };
  if (ready.status === "False")
    return { state: "NotReady", message: `${ready.reason ?? "NotReady"}: ${ready.message ?? ""}` };
  return { state: "Pending", message: ready.message ?? "Flux is reconciling" };
}

/** Removal in the safe order; answers false while Flux still holds the Kustomization (finalizer, pruning). */
async function removeTenant(kube: KubeAccess, tenant: TenantRow): Promise<boolean> {
  const kustomization = {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    name: tenant.name,
    namespace: FLUX_NAMESPACE,
  };
  await kube.delete(kustomization);
  if (await kube.get(kustomization)) return false;
  await kube.delete({
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    name: tenant.name,
    namespace: FLUX_NAMESPACE,
  });
  const groups = new Set(await kube.apiGroups());
  if (groups.has(SECRETS_GROUP)) await removeUnwanted(kube, tenant, EXTERNAL_SECRET, new Set());
  if (groups.has(SEALED_SECRETS_GROUP)) await removeUnwanted(kube, tenant, SEALED_SECRET, new Set());
  await kube.delete({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    name: TENANT_ROLE_BINDING,
    namespace: tenant.namespace,
  });
  await kube.delete({
    apiVersion: "v1",
    kind: "ServiceAccount",
    name: fluxAccountOf(tenant),
    namespace: FLUX_NAMESPACE,
  });
  await kube.delete({ apiVersion: "v1", kind: "Namespace", name: tenant.namespace });
  return true;
}
