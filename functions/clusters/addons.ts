import {
  type Bundle,
  type BundleObject,
  digestOf,
  findBundle,
  findPin,
  parseBundle,
  storeBundleStatements,
} from "../../core/addons/bundles";
import { bundleUrls, CLUSTER_NAMESPACES, catalogEntry } from "../../core/addons/catalog";
import type { WantedAddon } from "../../core/addons/desired";
import { addonInstallPending, enqueueAddonInstall, INSTALL_ADDONS, SYNC_ADDON } from "../../core/addons/jobs";
import type { AddonPhase, AddonStatusValue } from "../../core/addons/spec";
import { effectiveCluster, findClassOf, RECONCILE_CLUSTER } from "../../core/clusters/lifecycle";
import { clusterManifests, MANAGED_BY } from "../../core/clusters/manifests";
import { type ClusterRow, findCluster } from "../../core/clusters/read";
import { clusterStatusStatement } from "../../core/clusters/status";
import type { ConditionChange } from "../../core/conditions";
import { external } from "../../core/errors";
import { recordEvent } from "../../core/events";
import { enqueueJob, type Job, wakeQueuedJobs } from "../../core/jobs/jobs";
import { CLUSTER_KIND } from "../../core/kinds";
import type { AddonReason } from "../../core/reasons";
import { type Statement, writeBatch } from "../../core/store";
import { checkOutboundUrl } from "../../core/url-policy";
import { classifyKubeError, FIELD_MANAGER, type KubeAccess } from "../kube/access";
import type { ClusterFunction, FunctionDeps } from "../types";
import { capiObjects, FLUX_ADDON_API_VERSION, managementAccess } from "./capi";
import { isNoop } from "./progress";
import { kubeTargetOf } from "./target";

/** Largest release manifest accepted (Argo CD's install.yaml is ~1.5 MB, its CRDs included). */
const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;
/** How long one run waits for freshly applied CRDs to become Established. */
const CRD_SETTLE_MS = 3_000;
/** The longest pause between two runs of an install that waits for the cluster. */
const INSTALL_POLL_MAX_MS = 5_000;

interface Verdict {
  phase: AddonPhase;
  reason: AddonReason;
  message: string;
  versionFound?: string;
  managed: boolean;
  sha256?: string;
}

/** An add-on's status as this function writes it: its reason comes from the closed set. */
type AddonStatusWritten = Omit<AddonStatusValue, "reason"> & { reason: AddonReason };

interface CrdState {
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

interface DeploymentState {
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    labels?: Record<string, string>;
    managedFields?: { manager?: string }[];
  };
  spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/**
 * installAddons: brings each add-on the cluster should run to its version, the way
 * `flux install` does, one idempotent step per run: CRDs first (server-side applied with
 * Fleetplane's field manager) until the API server reports them `Established`; then the
 * namespace, RBAC, service accounts and configuration; then the controllers' Deployments until
 * they are `Available` at their new generation. Every run re-reads the cluster and applies what
 * is missing, so a crash or a redelivery resumes where the cluster is, and re-applying what is
 * there changes nothing. An add-on found running that Fleetplane did not install is reported
 * with the version found and left alone unless `adopt` says otherwise. When every add-on is
 * Ready the cluster's reconcile follows, which bootstraps Flux on it.
 */
export const installAddons: ClusterFunction = {
  kind: INSTALL_ADDONS,
  async run(job, deps) {
    const cluster = await findCluster(deps, job.resourceId);
    if (!cluster || cluster.deletionRequestedAt !== null) return { outcome: "done", message: "cluster is gone" };
    const { addons: wanted, removedAddons } = await clusterManifests(deps, cluster);
    const previous = addonStatuses(cluster);
    const crdsKept = keptCrdsOf(cluster);
    const keptBefore = JSON.stringify([...crdsKept.values()]);
    const crdsRemoved: KeptCrds[] = [];
    const target = await kubeTargetOf(deps, cluster);
    const statements: Statement[] = [];
    const verdicts = new Map<string, Verdict>();
    let kube: KubeAccess;
    try {
      kube = await deps.kube(target);
      for (const addon of wanted) {
        const verdict =
          cluster.provider === "capi" && addon.name === "flux"
            ? await viaFluxAddon(deps, job, cluster, kube, addon)
            : await converge(deps, job, kube, addon, previous.get(addon.name));
        verdicts.set(addon.name, verdict);
      }
      for (const gone of previous.values()) {
        if (wanted.some((w) => w.name === gone.name) || !gone.managed) continue;
        const removeCrds = removedAddons.some((r) => r.name === gone.name && r.removeCrds);
        await removeAddon(deps, kube, gone, { removeCrds });
        if (!removeCrds && gone.sha256)
          crdsKept.set(gone.name, { name: gone.name, version: gone.version, sha256: gone.sha256 });
      }
      // CRDs kept when their add-on went, asked for later (`removeCrds: true`), or taken back by
      // the add-on returning: either way the record goes.
      for (const kept of [...crdsKept.values()]) {
        if (wanted.some((w) => w.name === kept.name)) {
          crdsKept.delete(kept.name);
        } else if (removedAddons.some((r) => r.name === kept.name && r.removeCrds)) {
          await removeCrdsOf(deps, kube, kept.sha256);
          crdsKept.delete(kept.name);
          crdsRemoved.push(kept);
        }
      }
    } catch (error) {
      throw classifyKubeError(error, target.server);
    }

    const now = deps.now();
    const addons: AddonStatusWritten[] = wanted.map((addon) => {
      const verdict = verdicts.get(addon.name) as Verdict;
      const before = previous.get(addon.name);
      const since =
        before && before.phase === verdict.phase && before.version === addon.version ? before.since : iso(now);
      return {
        name: addon.name,
        version: addon.version,
        ...(verdict.versionFound ? { versionFound: verdict.versionFound } : {}),
        phase: verdict.phase,
        managed: verdict.managed,
        reason: verdict.reason,
        message: verdict.message,
        ...(verdict.sha256 ? { sha256: verdict.sha256 } : {}),
        since,
      };
    });
    const condition = addonsReady(addons);
    for (const status of addons) {
      const before = previous.get(status.name);
      if (before?.phase === status.phase && before.version === status.version) continue;
      if (status.phase !== "Ready" && status.phase !== "Degraded" && status.phase !== "Failed") continue;
      statements.push(
        recordEvent(deps.store, {
          type: status.phase === "Ready" ? "Normal" : "Warning",
          reason: status.phase === "Ready" ? "AddonReady" : status.phase === "Failed" ? "AddonFailed" : "AddonDegraded",
          resourceType: CLUSTER_KIND,
          resourceId: cluster.id,
          resourceName: cluster.name,
          message: `${status.name} ${status.version} on ${cluster.name}: ${status.message}`,
          actor: "system",
          at: now,
        }),
      );
    }
    const removed = [...previous.values()].filter((p) => !wanted.some((w) => w.name === p.name));
    for (const gone of removed) {
      statements.push(
        recordEvent(deps.store, {
          reason: "AddonRemoved",
          resourceType: CLUSTER_KIND,
          resourceId: cluster.id,
          resourceName: cluster.name,
          message: !gone.managed
            ? `${gone.name} is no longer tracked on ${cluster.name}; it was not installed by Fleetplane and is left running`
            : removedAddons.some((r) => r.name === gone.name && r.removeCrds)
              ? `${gone.name} removed from ${cluster.name}: its controllers and its CRDs (with every object of their kinds) are deleted`
              : `${gone.name} removed from ${cluster.name}: its controllers are deleted, its CRDs (and the objects of their kinds) kept`,
          actor: "system",
          at: now,
        }),
      );
    }
    for (const kept of crdsRemoved) {
      statements.push(
        recordEvent(deps.store, {
          reason: "AddonRemoved",
          resourceType: CLUSTER_KIND,
          resourceId: cluster.id,
          resourceName: cluster.name,
          message: `${kept.name}'s CRDs, kept on ${cluster.name} when it was removed, are deleted with every object of their kinds`,
          actor: "system",
          at: now,
        }),
      );
    }
    // The platform is ready for the first time (or again): the reconcile applies what stands on it.
    const becameReady =
      condition.status === "True" && cluster.status.conditions.find((c) => c.type === "AddonsReady")?.status !== "True";
    let follow: string | undefined;
    const waitingAny = addons.some((a) => a.phase === "Installing" || a.phase === "Upgrading");
    if (becameReady || (job.payload.thenReconcile === true && !waitingAny)) {
      const reconcile = enqueueJob(
        deps.store,
        deps.config,
        { kind: RECONCILE_CLUSTER, clusterId: cluster.id, resourceType: CLUSTER_KIND, resourceId: cluster.id },
        now,
      );
      statements.push(reconcile.insert);
      follow = reconcile.id;
    }
    const kept = [...crdsKept.values()];
    const change = {
      conditions: [condition],
      fields: { addons, ...(kept.length > 0 || keptBefore !== "[]" ? { addonCrdsKept: kept } : {}) },
    };
    // An add-on reached a verdict: the rollouts watching this cluster look now, not at their next poll.
    const verdictReached = statements.length > 0;
    const woken: string[] = [];
    if (statements.length > 0 || !isNoop(cluster, change)) {
      const results = await writeBatch(deps.store, [
        ...statements,
        clusterStatusStatement(deps, cluster, change),
        ...(verdictReached ? [wakeQueuedJobs(deps.store, cluster.id, SYNC_ADDON, now)] : []),
      ]);
      if (verdictReached) woken.push(...(results[results.length - 1] as { id: string }[]).map((r) => r.id));
    }
    if (follow || woken.length > 0) await deps.dispatcher.dispatch([...(follow ? [follow] : []), ...woken]);
    const waiting = addons.filter((a) => a.phase === "Installing" || a.phase === "Upgrading");
    if (waiting.length > 0) {
      // Controllers roll out in seconds, not the minutes a provider takes: look again soon.
      return {
        outcome: "poll",
        afterMs: Math.min(deps.config.providerPollMs, INSTALL_POLL_MAX_MS),
        message: waiting.map((w) => w.message).join("; "),
      };
    }
    return { outcome: "done", message: condition.message };
  },
};

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** An add-on removed with its CRDs kept: enough to find those CRDs again if asked to delete them. */
interface KeptCrds {
  name: string;
  version: string;
  sha256: string;
}

function keptCrdsOf(cluster: ClusterRow): Map<string, KeptCrds> {
  const list = cluster.status.addonCrdsKept ?? [];
  return new Map(list.map((k) => [k.name, k]));
}

export function addonStatuses(cluster: ClusterRow): Map<string, AddonStatusValue> {
  const list = cluster.status.addons ?? [];
  return new Map(list.map((a) => [a.name, a]));
}

function addonsReady(addons: AddonStatusWritten[]): ConditionChange {
  const failed = addons.filter((a) => a.phase === "Failed" || a.phase === "Degraded");
  const waiting = addons.filter((a) => a.phase === "Installing" || a.phase === "Upgrading");
  if (failed.length > 0) {
    const first = failed[0] as AddonStatusWritten;
    return {
      type: "AddonsReady",
      status: "False",
      reason: first.reason,
      message: failed.map((a) => `${a.name}: ${a.message}`).join("; "),
    };
  }
  if (waiting.length > 0) {
    return {
      type: "AddonsReady",
      status: "False",
      reason: waiting.some((a) => a.phase === "Upgrading") ? "Upgrading" : "Installing",
      message: waiting.map((a) => `${a.name}: ${a.message}`).join("; "),
    };
  }
  return {
    type: "AddonsReady",
    status: "True",
    reason: "AddonsReady",
    message:
      addons.length === 0
        ? "no add-ons wanted"
        : addons.map((a) => `${a.name} ${a.versionFound ?? a.version}`).join(", "),
  };
}

/** One add-on, one step further; answers where it stands. */
async function converge(
  deps: FunctionDeps,
  job: Job,
  kube: KubeAccess,
  addon: WantedAddon,
  before: AddonStatusValue | undefined,
): Promise<Verdict> {
  const upgrading = before?.managed && before.version !== addon.version;
  const waitingPhase: AddonPhase = upgrading ? "Upgrading" : "Installing";
  let bundle: Bundle;
  try {
    bundle = await loadBundle(deps, addon);
  } catch (error) {
    if (error instanceof BundleError) {
      return { phase: "Failed", reason: error.reason, message: error.message, managed: true };
    }
    throw error;
  }
  const deployments = bundle.objects.filter(isDeployment).map((d) => placed(d, addon));
  const crds = bundle.objects.filter((o) => o.kind === "CustomResourceDefinition");

  // Adoption: controllers already there that Fleetplane never applied are someone else's.
  const alreadyManaged = before?.managed === true;
  if (!alreadyManaged && !addon.adopt && deployments.length > 0) {
    const live = await Promise.all(deployments.map((d) => kube.get<DeploymentState & BundleObject>(refOf(d))));
    const present = live.filter((d): d is DeploymentState & BundleObject => d !== undefined);
    if (present.length > 0 && present.every((d) => !managedByUs(d))) {
      const found = versionOf(present[0] as DeploymentState);
      const health = deploymentHealth(present, deployments.length);
      return {
        phase: health.ok ? "Ready" : "Degraded",
        reason: health.ok ? "Adopted" : health.reason,
        message: `found running${found ? ` at ${found}` : ""}, not installed by Fleetplane: left alone (set adopt: true to let Fleetplane manage it)${health.ok ? "" : `; ${health.message}`}`,
        ...(found ? { versionFound: found } : {}),
        managed: false,
      };
    }
  }

  const deadline = job.createdAt + deps.config.addonTimeoutMs;
  const late = deps.now() > deadline;
  const applied = before?.sha256 === bundle.sha256 && before.managed;
  // Step 1: the CRDs, until the API server serves their kinds.
  if (!applied) for (const crd of crds) await kube.apply(crd as never);
  const lookedAt = deps.now();
  for (const crd of crds) {
    let live = await kube.get<CrdState & BundleObject>(refOf(crd));
    // A CRD is usually Established within a second of being applied (as `flux install` and
    // `kubectl wait` expect): look again briefly before handing the wait to the job's next run.
    while (live && !isEstablished(live) && deps.now() - lookedAt < CRD_SETTLE_MS) {
      await new Promise((r) => setTimeout(r, 100));
      live = await kube.get<CrdState & BundleObject>(refOf(crd));
    }
    const established = live?.status?.conditions?.find((c) => c.type === "Established");
    if (established?.status === "True") continue;
    if (!live) await kube.apply(crd as never); // deleted since: put it back
    if (late) {
      return {
        phase: "Failed",
        reason: "CRDNotEstablished",
        message: `CustomResourceDefinition ${crd.metadata.name} is not Established after ${Math.round(deps.config.addonTimeoutMs / 1000)}s${established?.message ? `: ${established.reason ?? ""} ${established.message}`.trimEnd() : ""}`,
        managed: true,
      };
    }
    return {
      phase: waitingPhase,
      reason: "WaitingForCRDs",
      message: `waiting for CustomResourceDefinition ${crd.metadata.name} to be Established`,
      managed: true,
    };
  }
  // Step 2: namespace, RBAC, service accounts, configuration; then the controllers.
  const rest = bundle.objects.filter((o) => o.kind !== "CustomResourceDefinition").map((o) => placed(o, addon));
  if (!applied) {
    // Argo CD's install.yaml and rendered charts carry no Namespace: Fleetplane creates it.
    const bundled = rest.some((o) => o.kind === "Namespace" && o.metadata.name === addon.namespace);
    if (!bundled && !CLUSTER_NAMESPACES.has(addon.namespace)) {
      await kube.apply({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: addon.namespace, labels: { ...MANAGED_BY } },
      } as never);
    }
    const ordered = [
      ...rest.filter((o) => o.kind === "Namespace"),
      ...rest.filter((o) => o.kind !== "Namespace" && !isDeployment(o)),
      ...rest.filter(isDeployment),
    ];
    for (const object of ordered) await kube.apply(object as never);
  }
  // Step 3: every controller Available at its current generation.
  const live = await Promise.all(deployments.map((d) => kube.get<DeploymentState & BundleObject>(refOf(d))));
  const missing = deployments.filter((_, i) => live[i] === undefined);
  // A controller deleted since the install is drift: it is put back.
  for (const deployment of missing) await kube.apply(deployment as never);
  const present = live.filter((d): d is DeploymentState & BundleObject => d !== undefined);
  const health = deploymentHealth(present, deployments.length);
  const versionFound = present[0] ? versionOf(present[0]) : undefined;
  const base = { managed: true, sha256: bundle.sha256, ...(versionFound ? { versionFound } : {}) };
  if (health.ok) {
    return {
      ...base,
      phase: "Ready",
      reason: "Available",
      message: `${deployments.length} controller(s) Available${deployments.length === 0 ? " (the bundle has none)" : ""}`,
    };
  }
  if (health.failed || late) {
    return { ...base, phase: "Degraded", reason: health.reason, message: health.message };
  }
  return { ...base, phase: waitingPhase, reason: "WaitingForControllers", message: health.message };
}

/**
 * On a Cluster API cluster Flux arrives through the FluxAddon Fleetplane applies next to the
 * `Cluster` on the management cluster (Cluster API's add-on provider installs it on the workload
 * cluster), so Fleetplane does not install it a second time: it reports what the provider did,
 * from the workload cluster's controllers and the FluxAddon's own Ready condition.
 */
async function viaFluxAddon(
  deps: FunctionDeps,
  job: Job,
  cluster: ClusterRow,
  kube: KubeAccess,
  addon: WantedAddon,
): Promise<Verdict> {
  const effective = effectiveCluster(cluster, await findClassOf(deps, cluster));
  const { namespace } = capiObjects(cluster, { ...effective, version: effective.version ?? "1.0" });
  const name = `${cluster.name}-flux`;
  const where = `FluxAddon ${namespace}/${name} on ${effective.capi?.managementCluster ?? "the management cluster"}`;
  const management = await managementAccess(deps, effective);
  const fluxAddon = await management.get<CrdState & BundleObject>({
    apiVersion: FLUX_ADDON_API_VERSION,
    kind: "FluxAddon",
    name,
    namespace,
  });
  const ready = fluxAddon?.status?.conditions?.find((c) => c.type === "Ready");
  let bundle: Bundle;
  try {
    // The release names the controllers to look for (and is the one the FluxAddon installs).
    bundle = await loadBundle(deps, addon);
  } catch (error) {
    if (error instanceof BundleError)
      return { phase: "Failed", reason: error.reason, message: error.message, managed: false };
    throw error;
  }
  const deployments = bundle.objects.filter(isDeployment).map((d) => placed(d, addon));
  const live = await Promise.all(deployments.map((d) => kube.get<DeploymentState & BundleObject>(refOf(d))));
  const present = live.filter((d): d is DeploymentState & BundleObject => d !== undefined);
  const health = deploymentHealth(present, deployments.length);
  const versionFound = present[0] ? versionOf(present[0]) : undefined;
  const base = { managed: false, ...(versionFound ? { versionFound } : {}) };
  if (present.length > 0 && health.ok) {
    return { ...base, phase: "Ready", reason: "InstalledByFluxAddon", message: `installed by ${where}` };
  }
  if (ready?.status === "False") {
    return {
      ...base,
      phase: "Degraded",
      reason: ready.reason ? external(ready.reason) : "FluxAddonNotReady",
      message: `${where}: ${ready.message ?? ready.reason ?? "not Ready"}`,
    };
  }
  const waiting = `waiting for ${where} to install Flux${present.length > 0 ? `: ${health.message}` : ""}`;
  if (deps.now() > job.createdAt + deps.config.addonTimeoutMs) {
    return {
      ...base,
      phase: "Degraded",
      reason: health.failed ? health.reason : "FluxAddonNotReady",
      message: waiting,
    };
  }
  return { ...base, phase: "Installing", reason: "WaitingForFluxAddon", message: waiting };
}

function isEstablished(crd: CrdState): boolean {
  return crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
}

function isDeployment(object: BundleObject): boolean {
  return object.apiVersion === "apps/v1" && object.kind === "Deployment";
}

/** Namespaced objects of a bundle without a namespace go to the add-on's (as `kubectl apply -n` would). */
function placed(object: BundleObject, addon: WantedAddon): BundleObject {
  if (object.metadata.namespace || CLUSTER_SCOPED.has(object.kind)) return object;
  return { ...object, metadata: { ...object.metadata, namespace: addon.namespace } };
}

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "PriorityClass",
  "StorageClass",
  "IngressClass",
  "APIService",
]);

function refOf(object: BundleObject) {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  };
}

function managedByUs(object: { metadata: { managedFields?: { manager?: string }[] } }): boolean {
  return (object.metadata.managedFields ?? []).some((m) => m.manager === FIELD_MANAGER);
}

/** The version the controllers run: their `app.kubernetes.io/version` label, else the image tag. */
function versionOf(deployment: DeploymentState): string | undefined {
  const label = deployment.metadata.labels?.["app.kubernetes.io/version"];
  if (label) return label.replace(/^v/, "");
  const image = deployment.spec?.template?.spec?.containers?.[0]?.image ?? "";
  const tag = /:([^:/@]+)(@.*)?$/.exec(image)?.[1];
  return tag?.replace(/^v/, "");
}

function deploymentHealth(
  live: DeploymentState[],
  expected: number,
): { ok: boolean; failed: boolean; reason: AddonReason; message: string } {
  if (live.length < expected) {
    return {
      ok: false,
      failed: false,
      reason: "WaitingForControllers",
      message: "re-creating missing controller Deployments",
    };
  }
  for (const d of live) {
    const name = `${d.metadata.namespace}/${d.metadata.name}`;
    const conditions = d.status?.conditions ?? [];
    const progressing = conditions.find((c) => c.type === "Progressing");
    const generation = d.metadata.generation ?? 0;
    const observed = d.status?.observedGeneration ?? 0;
    // A verdict about an older generation says nothing of the one just applied (a failed
    // rollout that a new release replaces reads `ProgressDeadlineExceeded` until the
    // controller has seen the change).
    if (progressing?.status === "False" && observed >= generation) {
      return {
        ok: false,
        failed: true,
        reason: external(progressing.reason ?? "ProgressDeadlineExceeded"),
        message: `Deployment ${name}: ${progressing.message ?? progressing.reason}`,
      };
    }
    const available = conditions.find((c) => c.type === "Available");
    if (observed < generation || available?.status !== "True") {
      return {
        ok: false,
        failed: false,
        reason: available?.reason ? external(available.reason) : "WaitingForControllers",
        message:
          observed < generation || !available
            ? `waiting for Deployment ${name} to roll out`
            : `Deployment ${name}: ${available.reason ?? "Unavailable"}: ${available.message ?? ""}`.trimEnd(),
      };
    }
  }
  return { ok: true, failed: false, reason: "Available", message: "" };
}

/**
 * Removing an add-on deletes its controllers. Its CRDs stay unless the user asked for them to go
 * (deleting a CRD deletes every object of its kind: users' Kustomizations, ExternalSecrets,
 * policies), and even then only the CRDs Fleetplane applied.
 */
async function removeAddon(
  deps: FunctionDeps,
  kube: KubeAccess,
  gone: AddonStatusValue,
  opts: { removeCrds: boolean },
): Promise<void> {
  if (!gone.sha256) return;
  const bundle = await findBundle(deps, gone.sha256);
  for (const object of bundle?.objects.filter(isDeployment) ?? []) {
    const namespace = object.metadata.namespace ?? catalogEntry(gone.name)?.namespace ?? gone.name;
    await kube.delete({ apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace });
  }
  if (opts.removeCrds) await removeCrdsOf(deps, kube, gone.sha256);
}

/** Deletes the CRDs of a release bundle that Fleetplane's field manager applied (not someone else's). */
async function removeCrdsOf(deps: FunctionDeps, kube: KubeAccess, sha256: string): Promise<void> {
  const bundle = await findBundle(deps, sha256);
  for (const crd of bundle?.objects.filter((o) => o.kind === "CustomResourceDefinition") ?? []) {
    const live = await kube.get<CrdState & BundleObject & { metadata: { managedFields?: { manager?: string }[] } }>(
      refOf(crd),
    );
    if (live && managedByUs(live)) await kube.delete(refOf(crd));
  }
}

class BundleError extends Error {
  constructor(
    readonly reason: AddonReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The add-on's release bundle: from the store when its pinned digest is there, else fetched
 * (through the outbound URL policy), checked against the digest it must have, parsed, stored.
 */
async function loadBundle(deps: FunctionDeps, addon: WantedAddon): Promise<Bundle> {
  const urls = bundleUrls(addon.name, addon.version, addon.url, deps.config.addonMirror);
  if (urls.length === 0) {
    throw new BundleError(
      "NoBundleSource",
      catalogEntry(addon.name)
        ? `${addon.name} publishes no release manifest Fleetplane can fetch; serve a rendered one from FLEET_ADDON_MIRROR or give the add-on a url`
        : `add-on ${addon.name} names no bundle url`,
    );
  }
  const pinned = await findPin(deps, urls);
  const expected = addon.sha256 ?? pinned;
  if (addon.sha256 && pinned && addon.sha256 !== pinned) {
    throw new BundleError(
      "BundleDigestMismatch",
      `${urls.join(", ")} is pinned to sha256 ${pinned}, not ${addon.sha256}`,
    );
  }
  if (expected) {
    const stored = await findBundle(deps, expected);
    if (stored) return stored;
  }
  const texts: string[] = [];
  for (const url of urls) texts.push(await fetchText(deps, url));
  const sha256 = await digestOf(texts);
  if (expected && sha256 !== expected) {
    throw new BundleError(
      "BundleDigestMismatch",
      `${urls.join(", ")} now has sha256 ${sha256}, but it is ${addon.sha256 ? "declared" : "pinned"} as ${expected}; refusing to install a changed release`,
    );
  }
  let objects: BundleObject[];
  try {
    objects = parseBundle(texts);
  } catch (error) {
    throw new BundleError(
      "InvalidBundle",
      `${urls.join(", ")}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const bundle = { sha256, objects };
  // Stored right away (not with the status): a crash later in this run does not fetch it again.
  await writeBatch(deps.store, storeBundleStatements(deps, urls, bundle, deps.now()));
  return bundle;
}

async function fetchText(deps: FunctionDeps, url: string): Promise<string> {
  try {
    // The mirror is the operator's (http is fine there: the digest is what is trusted);
    // a class's own URL passed the policy when it was written, with https.
    checkOutboundUrl(url, {
      purpose: "add-on bundle",
      allow: deps.config.urlAllow,
      location: "addons.url",
      schemes: ["https:", "http:"],
    });
    await deps.outbound?.(url);
  } catch (error) {
    throw new BundleError("BundleURLNotAllowed", error instanceof Error ? error.message : String(error));
  }
  let response: Response;
  try {
    response = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw new BundleError("BundleUnreachable", `${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new BundleError("BundleUnavailable", `${url} answered ${response.status}`);
  }
  const text = await response.text();
  if (text.length > MAX_BUNDLE_BYTES)
    throw new BundleError("BundleTooLarge", `${url} is over ${MAX_BUNDLE_BYTES} bytes`);
  return text;
}

/**
 * What a feature that stands on add-ons asks before it acts on a cluster: are they Ready there?
 * Add-ons the cluster is not meant to run (its class opted out) count as someone else's and
 * ready. When one is missing from the cluster's add-on status an install is queued, once.
 */
export async function addonsAvailable(
  deps: FunctionDeps,
  cluster: ClusterRow,
  names: string[],
): Promise<{ ready: true } | { ready: false; message: string }> {
  const { addons: wanted, removedAddons } = await clusterManifests(deps, cluster);
  const statuses = addonStatuses(cluster);
  const waiting: string[] = [];
  let unknown = false;
  for (const name of names) {
    const want = wanted.find((w) => w.name === name);
    if (!want) continue;
    const status = statuses.get(name);
    // Not installed, at another version, or unhealthy: the install (re)runs and watches it.
    if (!status || status.version !== want.version || status.phase === "Degraded" || (want.adopt && !status.managed)) {
      unknown = true;
    }
    if (status?.phase !== "Ready" || status.version !== want.version || (want.adopt && !status.managed)) {
      waiting.push(`${name} ${want.version} (${status ? `${status.phase}: ${status.message}` : "not installed yet"})`);
    }
  }
  // An add-on the cluster runs but should not any more: the install job removes it.
  const removalPending =
    [...statuses.keys()].some((name) => !wanted.some((w) => w.name === name)) ||
    [...keptCrdsOf(cluster).keys()].some((name) => removedAddons.some((r) => r.name === name && r.removeCrds));
  if ((unknown || removalPending) && !(await addonInstallPending(deps, cluster.id))) {
    const install = enqueueAddonInstall(deps, cluster.id, deps.now());
    await writeBatch(deps.store, [install.insert]);
    await deps.dispatcher.dispatch([install.id]);
  }
  if (waiting.length === 0) return { ready: true };
  return { ready: false, message: `waiting for add-on ${waiting.join(", ")} on cluster ${cluster.name}` };
}
