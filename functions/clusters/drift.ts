import { eq, inArray } from "drizzle-orm";
import { addonSource } from "../../core/addons/desired-objects";
import { applicationSource } from "../../core/applications/desired-objects";
import { clusterBootstrapSource } from "../../core/clusters/desired-objects";
import type { ClusterRow } from "../../core/clusters/read";
import { limiter } from "../../core/concurrency";
import type { Deps } from "../../core/context";
import { compareObject, type DriftItem, type LiveObject } from "../../core/drift/compare";
import { explainMissing, explainModified, explainPruneCandidate } from "../../core/drift/explain";
import { FLUX_KINDS, type ObservedObject } from "../../core/drift/report";
import {
  collectDesiredObjects,
  type DesiredObject,
  type DesiredObjectSource,
  objectKey,
} from "../../core/drift/sources";
import { secretSource } from "../../core/secrets/desired-objects";
import { tenantSource } from "../../core/tenants/desired-objects";
import { FLEET_TENANT_LABEL, type KubeObject, MANAGED_BY } from "../../core/tenants/manifests";
import { tenantPlacements, tenants } from "../../schema";
import type { KubeAccess } from "../kube/access";

/**
 * Everything Fleetplane wants on clusters, one source per feature, each declared by the feature
 * that owns the objects. A feature that places objects on clusters adds its source here. When two
 * sources name one object the first owns it: the platform before what stands on it.
 */
export const DESIRED_OBJECT_SOURCES: readonly DesiredObjectSource[] = [
  addonSource,
  clusterBootstrapSource,
  tenantSource,
  secretSource,
  applicationSource,
];

/** Kinds Fleetplane puts on clusters, listed by the managed-by label to find what it no longer wants. */
const MANAGED_KINDS: [apiVersion: string, kind: string][] = [
  ["v1", "Namespace"],
  ["v1", "ServiceAccount"],
  ["rbac.authorization.k8s.io/v1", "RoleBinding"],
  ["rbac.authorization.k8s.io/v1", "ClusterRole"],
  ["source.toolkit.fluxcd.io/v1", "GitRepository"],
  ["kustomize.toolkit.fluxcd.io/v1", "Kustomization"],
  ["external-secrets.io/v1", "ExternalSecret"],
  ["external-secrets.io/v1", "ClusterSecretStore"],
  ["bitnami.com/v1alpha1", "SealedSecret"],
  ["kyverno.io/v1", "ClusterPolicy"],
  ["argoproj.io/v1alpha1", "Application"],
];

/** A repair to make: the object as Fleetplane wants it, with the live values it replaces. */
export interface Repair {
  desired: DesiredObject;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

export interface Detection {
  items: DriftItem[];
  objects: ObservedObject[];
  /** Drifted or missing objects whose owner's policy is remediate. */
  repairs: Repair[];
  /** Objects that only differ by Fleetplane's own changes not applied yet: applying is not a repair. */
  pending: DesiredObject[];
}

interface FluxState {
  metadata?: { generation?: number; creationTimestamp?: string };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
}

function refOf(object: KubeObject) {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  };
}

/** Reads of one cluster in flight at once during a reconcile. */
const READS_AT_ONCE = 8;

/**
 * Reads every object Fleetplane wants on the cluster and compares the fields it owns with what is
 * live. Read-only: what to do about the differences is the caller's (the owner's policy).
 */
export async function detectDrift(
  deps: Deps,
  cluster: ClusterRow,
  kube: KubeAccess,
  seenBefore: Set<string>,
): Promise<Detection> {
  const desired = await collectDesiredObjects(deps, cluster, DESIRED_OBJECT_SOURCES);
  const detection: Detection = { items: [], objects: [], repairs: [], pending: [] };
  // The reads go out together, a few at a time per cluster (the job cap bounds the clusters):
  // a reconcile then costs about calls × latency ÷ READS_AT_ONCE instead of calls × latency.
  const read = limiter(READS_AT_ONCE);
  // Only kinds Fleetplane has put on this cluster can hold what it left behind; a cluster it
  // never put anything on costs no listing at all.
  const kinds = new Set([...desired.map((d) => d.object.kind), ...[...seenBefore].map((key) => key.split("/")[1])]);
  const [lives, leftBehind] = await Promise.all([
    Promise.all(desired.map((want) => read(() => kube.get(refOf(want.object))))),
    pruneCandidates(deps, cluster, kube, read, new Set(desired.map((d) => objectKey(d.object))), kinds),
  ]);
  for (const [index, want] of desired.entries()) {
    const { object, owner } = want;
    const subject = {
      kind: object.kind,
      namespace: object.metadata.namespace ?? null,
      name: object.metadata.name,
      owner: { type: owner.type, name: owner.name },
      policy: owner.policy,
    };
    const base = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: subject.namespace,
      name: subject.name,
      owner: { type: owner.type, id: owner.id, name: owner.name },
    };
    const live = lives[index] as (LiveObject & KubeObject) | undefined;
    const established = live !== undefined || want.applied || seenBefore.has(objectKey(object));
    const observed: ObservedObject = { ...base, drifted: false, established };
    detection.objects.push(observed);
    if (!established) {
      // Never seen on the cluster: Fleetplane has not applied it yet (a first bootstrap).
      detection.pending.push(want);
      continue;
    }
    if (!live) {
      observed.drifted = true;
      observed.missing = true;
      detection.items.push({
        ...base,
        type: "Missing",
        path: null,
        desired: null,
        live: null,
        manager: null,
        explanation: explainMissing(subject),
      });
      if (owner.policy === "remediate")
        detection.repairs.push({ desired: want, before: {}, after: { object: "created" } });
      continue;
    }
    if (FLUX_KINDS.has(object.kind)) observed.ready = fluxReady(live as FluxState);
    const differences = compareObject(object as unknown as Record<string, unknown>, live);
    const drifted = differences.filter((d) => d.manager);
    if (drifted.length === 0) {
      if (differences.length > 0) detection.pending.push(want);
      continue;
    }
    observed.drifted = true;
    for (const change of drifted) {
      detection.items.push({
        ...base,
        type: "Modified",
        path: change.path,
        desired: change.desired,
        live: change.live,
        manager: change.manager ?? null,
        explanation: explainModified(subject, { ...change, manager: change.manager ?? null }),
      });
    }
    if (owner.policy === "remediate") {
      detection.repairs.push({
        desired: want,
        before: Object.fromEntries(drifted.map((d) => [d.path, d.live])),
        after: Object.fromEntries(drifted.map((d) => [d.path, d.desired])),
      });
    }
  }
  detection.items.push(...leftBehind);
  return detection;
}

/**
 * Flux's Ready on its own object; a verdict about an older generation counts as Unknown. `since`
 * is when it last stopped being Ready: the Ready condition's transition when Flux says False or
 * Unknown, the object's creation when Flux has never reconciled it (a controller that is not
 * running), and nothing while it is Ready or while Flux works on a newer generation.
 */
function fluxReady(live: FluxState): ObservedObject["ready"] {
  const ready = live.status?.conditions?.find((c) => c.type === "Ready");
  const stale =
    live.metadata?.generation !== undefined &&
    live.status?.observedGeneration !== undefined &&
    live.status.observedGeneration < live.metadata.generation;
  if (!ready) {
    const since = live.metadata?.creationTimestamp;
    return {
      status: "Unknown",
      reason: "Progressing",
      message: "Flux has not reconciled it yet",
      ...(since ? { since } : {}),
    };
  }
  if (stale) return { status: "Unknown", reason: "Progressing", message: "Flux has not reconciled it yet" };
  const since = ready.status !== "True" ? ready.lastTransitionTime : undefined;
  return {
    status: ready.status,
    reason: ready.reason ?? "",
    message: ready.message ?? "",
    ...(since ? { since } : {}),
  };
}

/**
 * Objects labelled managed-by fleetplane that nothing wants any more. Tenants still placed on (or
 * being removed from) the cluster are left to their own function, which converges them.
 */
async function pruneCandidates(
  deps: Deps,
  cluster: ClusterRow,
  kube: KubeAccess,
  read: ReturnType<typeof limiter>,
  wanted: Set<string>,
  kinds: Set<string | undefined>,
) {
  const listed = MANAGED_KINDS.filter(([, kind]) => kinds.has(kind));
  if (listed.length === 0) return [];
  const placements = await deps.store
    .select({ tenantId: tenantPlacements.tenantId })
    .from(tenantPlacements)
    .where(eq(tenantPlacements.clusterId, cluster.id));
  const busyTenants = new Set(
    placements.length === 0
      ? []
      : (
          await deps.store
            .select({ name: tenants.name })
            .from(tenants)
            .where(
              inArray(
                tenants.id,
                placements.map((p) => p.tenantId),
              ),
            )
        ).map((t) => t.name),
  );
  const groups = new Set(await read(() => kube.apiGroups()));
  const selector = Object.entries(MANAGED_BY)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const served = listed.filter(([apiVersion]) => groups.has(apiVersion.includes("/") ? apiVersion.split("/")[0]! : ""));
  const lists = await Promise.all(
    served.map(([apiVersion, kind]) =>
      read(() => kube.list<KubeObject>(apiVersion, kind, { labelSelector: selector })),
    ),
  );
  const items: DriftItem[] = [];
  for (const [index, [apiVersion, kind]] of served.entries()) {
    for (const live of lists[index]!) {
      const object = { ...live, apiVersion, kind };
      if (wanted.has(objectKey(object))) continue;
      const tenant = live.metadata.labels?.[FLEET_TENANT_LABEL];
      if (tenant && busyTenants.has(tenant)) continue;
      const subject = { kind, namespace: live.metadata.namespace ?? null, name: live.metadata.name, owner: null };
      items.push({
        type: "PruneCandidate",
        apiVersion,
        kind,
        namespace: subject.namespace,
        name: subject.name,
        owner: null,
        path: null,
        desired: null,
        live: null,
        manager: null,
        explanation: explainPruneCandidate(subject),
      });
    }
  }
  return items;
}
