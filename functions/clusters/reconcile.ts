import { RECONCILE_CLUSTER } from "../../core/clusters/lifecycle";
import { clusterManifests, FLEET_CONFIG, FLUX_NAMESPACE } from "../../core/clusters/manifests";
import { type ClusterRow, findCluster } from "../../core/clusters/read";
import { type ClusterStatusChange, clusterStatusStatement } from "../../core/clusters/status";
import type { ConditionChange } from "../../core/conditions";
import type { DriftItem } from "../../core/drift/compare";
import { explainUnreachable } from "../../core/drift/explain";
import {
  type DriftReport,
  type DriftReportRow,
  driftReportStatement,
  findDriftReport,
  type ObservedObject,
  stateOf,
} from "../../core/drift/report";
import { objectKey } from "../../core/drift/sources";
import type { DriftState } from "../../core/drift/spec";
import type { ErrorCode } from "../../core/errors";
import { recordEvent } from "../../core/events";
import { enqueueJob } from "../../core/jobs/jobs";
import { CLUSTER_KIND, SECRET_KIND } from "../../core/kinds";
import { type Statement, writeBatch } from "../../core/store";
import { classifyKubeError, type KubeAccess } from "../kube/access";
import { resealOnCluster } from "../tenants/sealed";
import type { ClusterFunction, FunctionDeps, FunctionResult } from "../types";
import { addonsAvailable } from "./addons";
import { type Detection, detectDrift } from "./drift";
import { type FluxReady, fluxReadyOf } from "./flux";
import { narrateDrift } from "./narrative";
import { isNoop } from "./progress";
import { kubeTargetOf } from "./target";

/** How long a reconcile that applied something keeps looking for Flux to report on it. */
const FLUX_WAIT_MS = 10 * 60 * 1000;
/** The longest pause between two looks at Flux while following it. */
const FLUX_POLL_MAX_MS = 30_000;
/** The job message of a reconcile that is following Flux to a verdict (its next run keeps following). */
const WAITING_FOR_FLUX = "waiting for Flux to reconcile";

const notYetProvisioned = (cluster: ClusterRow) => cluster.phase === "Pending" || cluster.phase === "Provisioning";

/**
 * reconcileCluster: reads every object Fleetplane wants on the cluster, compares the fields it
 * owns with what is live and stores the drift report. Fleetplane's own changes not yet on the
 * cluster are applied; drifted or missing objects are re-applied only when their owner's
 * policy is `remediate`, and a confirming reconcile follows. An unreachable cluster is
 * reported `Unknown` (alerting once, on the transition) rather than retried: the schedule
 * brings the next look.
 */
export const reconcileCluster: ClusterFunction = {
  kind: RECONCILE_CLUSTER,
  async run(job, deps) {
    const cluster = await findCluster(deps, job.resourceId);
    if (!cluster || cluster.deletionRequestedAt !== null) return { outcome: "done", message: "cluster is gone" };
    if (cluster.provider !== "imported" && (notYetProvisioned(cluster) || cluster.phase === "Failed")) {
      return { outcome: "done", message: `nothing to reconcile while ${cluster.phase}` };
    }
    const started = deps.now();
    // Add-ons the cluster should run but does not (yet, or at another version) get their install queued.
    const { addons: wanted } = await clusterManifests(deps, cluster);
    await addonsAvailable(
      deps,
      cluster,
      wanted.map((w) => w.name),
    );
    const previous = await findDriftReport(deps, cluster.id);
    const target = await kubeTargetOf(deps, cluster);
    let detection: Detection;
    let flux: FluxReady | undefined;
    let applied = 0;
    let resealed: Awaited<ReturnType<typeof resealOnCluster>> = { renewed: [], repaired: [] };
    try {
      const kube = await deps.kube(target);
      detection = await detectDrift(deps, cluster, kube, seenOn(previous));
      // SealedSecrets are made again by sealing, never applied as compared (without ciphertext).
      const toApply = [...detection.pending, ...detection.repairs.map((r) => r.desired)];
      for (const want of toApply) if (!want.sealedSecret) await kube.apply(want.object as never);
      const resealing = new Set(toApply.flatMap((want) => (want.sealedSecret ? [want.sealedSecret.secretId] : [])));
      // A sealed-secrets controller that cannot answer now does not make the cluster unreachable.
      resealed = await resealOnCluster(deps, kube, cluster, resealing).catch((error: unknown) => {
        deps.log.warn("sealed secrets not sealed again this time", {
          cluster: cluster.name,
          reason: error instanceof Error ? error.message : String(error),
        });
        return { renewed: [], repaired: [] };
      });
      applied = toApply.length + resealed.renewed.length;
      flux = await readFluxReady(deps, cluster, kube);
    } catch (error) {
      const problem = classifyKubeError(error, target.server);
      return unreachable(deps, cluster, previous, problem, started);
    }
    const state = stateOf(detection.items);
    const report: DriftReport = {
      state,
      reason: state === "Ready" ? "NoDrift" : detection.repairs.length > 0 ? "Remediated" : "DriftDetected",
      message: summarize(detection.items, detection.repairs.length),
      items: detection.items,
      objects: detection.objects,
      narrative: null,
      durationMs: Math.max(0, deps.now() - started),
      reconciledAt: started,
    };
    if (state !== "Ready") {
      // The model is asked once per distinct drift, not on every reconcile that finds it again.
      const unchanged =
        previous && fingerprint(previous.state, previous.items as DriftItem[]) === fingerprint(state, report.items);
      report.narrative =
        unchanged && previous.narrative ? previous.narrative : await narrateDrift(deps, cluster, report);
    }
    const statements: Statement[] = [driftReportStatement(deps, cluster.id, previous, report, state)];
    statements.push(...driftEvents(deps, cluster, previous, report));
    for (const repair of detection.repairs) {
      const object = repair.desired.object;
      statements.push(
        recordEvent(deps.store, {
          reason: "DriftRepaired",
          resourceType: repair.desired.owner.type,
          resourceId: repair.desired.owner.id,
          resourceName: repair.desired.owner.name,
          message: `re-applied ${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name} on cluster ${cluster.name} (driftPolicy remediate)`,
          diff: {
            cluster: cluster.name,
            kind: object.kind,
            name: object.metadata.name,
            before: repair.before,
            after: repair.after,
          },
          actor: "system",
          at: started,
        }),
      );
    }
    for (const secret of resealed.renewed) {
      statements.push(
        recordEvent(deps.store, {
          reason: "SecretResealed",
          resourceType: SECRET_KIND,
          resourceId: secret.id,
          resourceName: secret.name,
          message: `sealed ${secret.name} again on cluster ${cluster.name} with its sealed-secrets controller's renewed certificate`,
          actor: "system",
          at: started,
        }),
      );
    }
    // A repair is confirmed by the next look, not assumed; a confirming run does not chain another.
    let confirm: string | undefined;
    if (detection.repairs.length > 0 && job.payload.confirm !== true) {
      const follow = enqueueJob(
        deps.store,
        deps.config,
        {
          kind: RECONCILE_CLUSTER,
          clusterId: cluster.id,
          resourceType: CLUSTER_KIND,
          resourceId: cluster.id,
          payload: { confirm: true },
        },
        deps.now(),
      );
      statements.push(follow.insert);
      confirm = follow.id;
    }
    const change: ClusterStatusChange = {
      conditions: [...(flux ? [flux] : []), driftedCondition(report)],
      fields: { drift: driftSummary(report) },
    };
    if (!isNoop(cluster, change)) statements.push(clusterStatusStatement(deps, cluster, change));
    await writeBatch(deps.store, statements);
    if (confirm) await deps.dispatcher.dispatch([confirm]);
    // Flux acts a moment after we apply (kustomize-controller's own queue): keep looking, more
    // rarely as time passes, until it has a verdict on what we applied or the wait is over.
    const waited = deps.now() - job.createdAt;
    const followingFlux = applied > 0 || job.message === WAITING_FOR_FLUX;
    if (followingFlux && flux?.status === "Unknown" && flux.reason === "Progressing" && waited < FLUX_WAIT_MS) {
      const afterMs = Math.min(FLUX_POLL_MAX_MS, Math.max(deps.config.providerPollMs, Math.round(waited / 4)));
      return { outcome: "poll", afterMs, message: WAITING_FOR_FLUX };
    }
    return { outcome: "done", message: `${state}${flux ? `, FluxReady=${flux.status}` : ""}` };
  },
};

/** Keys of the objects an earlier reconcile found on the cluster. */
function seenOn(previous: DriftReportRow | undefined): Set<string> {
  const objects = (previous?.objects ?? []) as ObservedObject[];
  return new Set(
    objects
      .filter((o) => o.established)
      .map((o) =>
        objectKey({
          apiVersion: o.apiVersion,
          kind: o.kind,
          metadata: { name: o.name, namespace: o.namespace ?? undefined },
        }),
      ),
  );
}

async function readFluxReady(
  deps: FunctionDeps,
  cluster: ClusterRow,
  kube: KubeAccess,
): Promise<FluxReady | undefined> {
  const manifests = await clusterManifests(deps, cluster);
  if (manifests.objects.length === 0) return undefined;
  const flux = await addonsAvailable(deps, cluster, ["flux"]);
  if (!flux.ready) return { type: "FluxReady", status: "Unknown", reason: "WaitingForAddon", message: flux.message };
  const live = await kube.get({
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    name: FLEET_CONFIG,
    namespace: FLUX_NAMESPACE,
  });
  return fluxReadyOf(live as never, manifests.path ?? "");
}

async function unreachable(
  deps: FunctionDeps,
  cluster: ClusterRow,
  previous: DriftReportRow | undefined,
  problem: { code: ErrorCode; message: string },
  started: number,
): Promise<FunctionResult> {
  const report: DriftReport = {
    state: "Unknown",
    reason: problem.code,
    message: problem.message,
    items: [],
    objects: (previous?.objects as DriftReport["objects"] | undefined) ?? [],
    narrative: null,
    durationMs: Math.max(0, deps.now() - started),
    reconciledAt: started,
  };
  const statements: Statement[] = [driftReportStatement(deps, cluster.id, previous, report, "Unknown")];
  // Alert on the transition only: a cluster that stays down is one incident, not one per reconcile.
  if (previous?.state !== "Unknown") {
    const explanation = explainUnreachable(cluster.name, problem.code, problem.message);
    statements.push(
      recordEvent(deps.store, {
        type: "Warning",
        reason: "ClusterUnreachable",
        resourceType: CLUSTER_KIND,
        resourceId: cluster.id,
        resourceName: cluster.name,
        message: `${explanation.summary} ${explanation.remediation}`,
        actor: "system",
        at: started,
      }),
    );
  }
  const change: ClusterStatusChange = {
    conditions: [{ type: "Drifted", status: "Unknown", reason: problem.code, message: problem.message }],
    fields: { drift: driftSummary(report) },
  };
  if (!isNoop(cluster, change)) statements.push(clusterStatusStatement(deps, cluster, change));
  await writeBatch(deps.store, statements);
  return { outcome: "done", message: `Unknown: ${problem.code}` };
}

function count(items: DriftItem[], type: DriftItem["type"]) {
  return items.filter((i) => i.type === type).length;
}

function summarize(items: DriftItem[], repairs: number): string {
  if (items.length === 0) return "every object Fleetplane owns matches the cluster";
  const modified = items.filter((i) => i.type === "Modified");
  const managers = [...new Set(modified.map((i) => i.manager?.name ?? "unknown"))];
  const parts: string[] = [];
  if (modified.length > 0) parts.push(`${modified.length} field(s) changed by ${managers.join(", ")}`);
  const missing = count(items, "Missing");
  if (missing > 0) parts.push(`${missing} object(s) missing`);
  const prune = count(items, "PruneCandidate");
  if (prune > 0) parts.push(`${prune} object(s) no longer wanted`);
  if (repairs > 0) parts.push(`${repairs} object(s) re-applied`);
  return parts.join("; ");
}

function driftedCondition(report: DriftReport): ConditionChange {
  const drifted = report.items.some((i) => i.type !== "PruneCandidate");
  return {
    type: "Drifted",
    status: drifted ? "True" : "False",
    reason: drifted ? report.state : report.state === "OutOfSync" ? "PruneCandidates" : "NoDrift",
    message: report.message,
  };
}

function driftSummary(report: DriftReport) {
  return {
    state: report.state,
    modified: count(report.items, "Modified"),
    missing: count(report.items, "Missing"),
    pruneCandidates: count(report.items, "PruneCandidate"),
  };
}

/** What makes two reports the same drift: the objects, fields and values, not when they were seen. */
function fingerprint(state: string, items: DriftItem[]): string {
  return JSON.stringify([
    state,
    items.map((i) => [i.type, i.kind, i.namespace, i.name, i.path, i.live, i.manager?.name ?? null]),
  ]);
}

/** History: one event each time the drift changes (not each reconcile), and one when it clears. */
function driftEvents(
  deps: FunctionDeps,
  cluster: ClusterRow,
  previous: DriftReportRow | undefined,
  report: DriftReport,
) {
  const statements: Statement[] = [];
  const before = previous ? fingerprint(previous.state, previous.items as DriftItem[]) : fingerprint("Ready", []);
  const after = fingerprint(report.state, report.items);
  if (previous?.state === "Unknown") {
    statements.push(
      recordEvent(deps.store, {
        reason: "ClusterReachable",
        resourceType: CLUSTER_KIND,
        resourceId: cluster.id,
        resourceName: cluster.name,
        message: `cluster ${cluster.name} answers again`,
        actor: "system",
        at: report.reconciledAt,
      }),
    );
  }
  if (before === after || (previous?.state === "Unknown" && report.state === "Ready")) return statements;
  const state: DriftState = report.state;
  statements.push(
    recordEvent(deps.store, {
      type: state === "Ready" ? "Normal" : "Warning",
      reason: state === "Ready" ? "DriftResolved" : "DriftDetected",
      resourceType: CLUSTER_KIND,
      resourceId: cluster.id,
      resourceName: cluster.name,
      message: `cluster ${cluster.name}: ${report.message}`,
      diff: {
        state,
        items: report.items.map((i) => ({
          type: i.type,
          kind: i.kind,
          namespace: i.namespace,
          name: i.name,
          owner: i.owner,
          path: i.path,
          desired: i.desired,
          live: i.live,
          manager: i.manager,
          explanation: i.explanation.summary,
        })),
      },
      actor: "system",
      at: report.reconciledAt,
    }),
  );
  return statements;
}
