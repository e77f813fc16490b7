import { clusters } from "../../schema";
import { requireAdmin } from "../access";
import type { AddonRefInput } from "../addons/spec";
import { checkAddonRefs } from "../addons/validate";
import { setCondition } from "../conditions";
import type { Ctx } from "../context";
import { ConflictError, UnprocessableError } from "../errors";
import { recordEvent, specDiff } from "../events";
import { revisionIs } from "../guarded";
import { cancelPendingJobs, enqueueJob } from "../jobs/jobs";
import type { JobKind } from "../jobs/kinds";
import { CLUSTER_KIND } from "../kinds";
import { mergePatch } from "../resource";
import { casOutcome, casUpdate, LOST_RACE, writeWithRevision } from "../spec-write";
import { type Statement, writeBatch } from "../store";
import { enqueueTenantPlacement } from "../tenants/placement";
import { checkOutboundUrl } from "../url-policy";
import { parseOrThrow } from "../validate";
import {
  CONTROL_PLANE_UPGRADE_PENDING,
  checkVersionChange,
  effectiveCluster,
  findClassOf,
  RECONCILE_CLUSTER,
  SCALE_CLUSTER,
  UPGRADE_CLUSTER,
} from "./lifecycle";
import { type ClusterRow, getCluster } from "./read";
import { CONNECT_CLUSTER } from "./register";
import { ClusterCreate, type ClusterCredentials, type ClusterPatchInput, type ClusterSpecFields } from "./spec";

/**
 * PATCH a cluster (JSON merge patch). Changing the connection of an imported cluster seals the
 * new credentials and queues a fresh connect; changing `version` of a provisioned cluster
 * queues an upgrade (control plane, then workers) and `workers` a scale; label and environment
 * changes are recorded for placement. Writes compare-and-set on `revision` (see If-Match).
 */
export async function patchCluster(
  ctx: Ctx,
  ref: string,
  patch: ClusterPatchInput,
  ifMatch?: number,
): Promise<ClusterRow> {
  requireAdmin(ctx, "Changing a cluster");
  const subject = { what: "cluster", doing: "updated", ifMatch };
  return writeWithRevision(
    subject,
    () => getCluster(ctx, ref),
    async (current) => {
      if (current.deletionRequestedAt !== null) {
        throw new ConflictError(`Cluster ${current.name} is being deleted`);
      }
      if (current.provider === "imported") {
        for (const field of ["version", "workers"] as const) {
          if (patch[field] !== undefined && patch[field] !== null) {
            throw new UnprocessableError("not_applicable", `${field} of an imported cluster is managed by its owner`, [
              { location: `body.${field}`, message: "not applicable to imported clusters" },
            ]);
          }
        }
      }
      if (current.provider !== "imported" && patch.version === null) {
        throw new UnprocessableError("not_applicable", "The version of a provisioned cluster cannot be removed", [
          { location: "body.version", message: "set a newer version instead" },
        ]);
      }
      const { connection: connectionPatch, ...specPatch } = patch;
      // Validate the merged result with the create schema, so a patch can never produce a
      // cluster that could not have been created.
      const before = { name: current.name, labels: current.labels, ...current.spec };
      const merged = mergePatch(before, specPatch) as Record<string, unknown>;
      const { connection: _server, ...mergedForValidation } = merged;
      parseOrThrow(ClusterCreate.omit({ connection: true }), mergedForValidation);
      checkAddonRefs(ctx, merged.addons as AddonRefInput[] | undefined, {
        layer: "override",
        previous: current.spec.addons,
      });

      const now = ctx.now();
      const guard = revisionIs(clusters, current.id, current.revision);
      const statements: Statement[] = [];
      let credentials = current.credentials;
      let reconnectJob: string | undefined;
      const lifecycleJobIds: string[] = [];
      if (connectionPatch && Object.keys(connectionPatch).length > 0) {
        if (current.provider !== "imported") {
          throw new UnprocessableError("not_applicable", "connection is for imported clusters only", [
            { location: "body.connection", message: "not applicable" },
          ]);
        }
        const box = await ctx.secretBox();
        const old = JSON.parse(await box.open(current.credentials ?? "", current.id)) as ClusterCredentials;
        const next: ClusterCredentials = { ...old };
        if (connectionPatch.server !== undefined) {
          checkOutboundUrl(connectionPatch.server, {
            purpose: "cluster endpoint",
            allow: ctx.config.urlAllow,
            location: "body.connection.server",
          });
          next.server = connectionPatch.server.replace(/\/$/, "");
          merged.connection = { server: connectionPatch.server };
        }
        if (connectionPatch.token !== undefined) next.token = connectionPatch.token;
        if (connectionPatch.caData === null) delete next.caData;
        else if (connectionPatch.caData !== undefined) next.caData = connectionPatch.caData;
        credentials = await box.seal(JSON.stringify(next), current.id);
        const job = enqueueJob(
          ctx.store,
          ctx.config,
          { kind: CONNECT_CLUSTER, clusterId: current.id, resourceType: CLUSTER_KIND, resourceId: current.id },
          now,
          guard,
        );
        statements.push(cancelPendingJobs(ctx.store, current.id, now, guard), job.insert);
        reconnectJob = job.id;
      }

      // Validated above with the create schema.
      const {
        name: _name,
        labels,
        ...spec
      } = merged as ClusterSpecFields & {
        name: string;
        labels?: Record<string, string>;
      };
      let status = current.status;
      if (current.provider !== "imported") {
        const lifecycle = await lifecycleJobs(ctx, current, spec, now, guard);
        statements.push(...lifecycle.inserts);
        lifecycleJobIds.push(...lifecycle.jobIds);
        status = lifecycle.status;
      }
      const nextLabels = labels ?? {};
      const specChanged = JSON.stringify(spec) !== JSON.stringify(current.spec);
      const labelsChanged = JSON.stringify(nextLabels) !== JSON.stringify(current.labels);
      if (!specChanged && !labelsChanged && !reconnectJob) return current;
      let placementJob: string | undefined;
      if (labelsChanged) {
        // Placement follows label changes: re-planned by a job committed with this write.
        const placement = enqueueTenantPlacement(ctx, current.id, now, guard);
        statements.push(placement.insert);
        placementJob = placement.id;
      }

      // Values, environment and region feed the Flux objects rendered for the cluster: a reconcile
      // in the same batch re-applies them now rather than at the next scheduled one.
      let reconcileJob: string | undefined;
      const rendered = (["values", "environment", "region", "addons"] as const).some(
        (key) => JSON.stringify(spec[key]) !== JSON.stringify(current.spec[key]),
      );
      if (rendered && !reconnectJob && current.phase === "Provisioned") {
        const job = enqueueJob(
          ctx.store,
          ctx.config,
          { kind: RECONCILE_CLUSTER, clusterId: current.id, resourceType: CLUSTER_KIND, resourceId: current.id },
          now,
          guard,
        );
        statements.push(job.insert);
        reconcileJob = job.id;
      }

      const generation = current.generation + (specChanged || reconnectJob ? 1 : 0);
      // A spec change that queues no lifecycle function (wave, environment, region, values) is
      // observed by this write, else observedGeneration would trail generation for good and a
      // client waiting for the platform to catch up would never stop. (The reconcile such a
      // change queues re-applies the Flux objects; it does not own observedGeneration.)
      if (!reconnectJob && lifecycleJobIds.length === 0 && status.observedGeneration === current.generation) {
        status = { ...status, observedGeneration: generation };
      }
      const environment = spec.environment ?? null;
      const region = spec.region ?? null;
      const diff = specDiff({ ...current.spec, labels: current.labels }, { ...spec, labels: nextLabels });
      if (reconnectJob) diff.connection = { from: "[write-only]", to: "[write-only]" };
      const update = casUpdate(ctx.store, clusters, current, {
        spec,
        status,
        phase: String(status.phase ?? current.phase),
        labels: nextLabels,
        environment,
        region,
        credentials,
        generation,
        updatedAt: now,
      });
      const event = recordEvent(
        ctx.store,
        {
          reason: "Updated",
          resourceType: CLUSTER_KIND,
          resourceId: current.id,
          resourceName: current.name,
          message: `cluster ${current.name} updated`,
          diff,
          actor: ctx.principal,
          requestId: ctx.requestId,
          at: now,
        },
        guard,
      );
      // Guarded side effects first, the compare-and-set last: they land together or not at all.
      const results = await writeBatch(ctx.store, [...statements, event, update]);
      const updated = casOutcome<ClusterRow>(results);
      if (updated === LOST_RACE) return LOST_RACE;
      const dispatched = [
        ...(reconnectJob ? [reconnectJob] : []),
        ...lifecycleJobIds,
        ...(placementJob ? [placementJob] : []),
        ...(reconcileJob ? [reconcileJob] : []),
      ];
      if (dispatched.length > 0) await ctx.dispatcher.dispatch(dispatched);
      return updated;
    },
  );
}

type WorkerPools = NonNullable<ClusterPatchInput["workers"]>;

/**
 * For eks and capi clusters a changed `version` queues an upgrade and changed `workers` a
 * scale, as guarded inserts of the same batch. The upgrade shows at once (phase `Upgrading`,
 * `ControlPlaneUpgradePending`) so a client polling status never sees a stale `Provisioned`.
 */
async function lifecycleJobs(
  ctx: Ctx,
  current: ClusterRow,
  nextSpec: ClusterSpecFields,
  now: number,
  guard: ReturnType<typeof revisionIs>,
) {
  const clusterClass = await findClassOf(ctx, current);
  const before = effectiveCluster(current, clusterClass);
  const after = effectiveCluster({ provider: current.provider, spec: nextSpec }, clusterClass);
  const inserts: Statement[] = [];
  const jobIds: string[] = [];
  let status = current.status;
  const running = current.status.operation?.type;
  const job = (kind: JobKind, runAfter: number) => {
    const queued = enqueueJob(
      ctx.store,
      ctx.config,
      { kind, clusterId: current.id, resourceType: CLUSTER_KIND, resourceId: current.id, runAfter },
      now,
      guard,
    );
    inserts.push(queued.insert);
    jobIds.push(queued.id);
  };

  if (after.version !== undefined && after.version !== before.version) {
    const from = before.version ?? current.status.version;
    if (running === "upgrade") {
      throw new ConflictError(`Cluster ${current.name} is being upgraded to ${before.version}; wait for it to finish`);
    }
    if (from !== undefined) checkVersionChange(from, after.version);
    job(UPGRADE_CLUSTER, now);
    if (current.phase === "Provisioned") {
      const conditions = setCondition(
        current.status.conditions,
        {
          type: "Reconciling",
          status: "True",
          reason: CONTROL_PLANE_UPGRADE_PENDING,
          message: `Control plane upgrade to ${after.version} is queued`,
        },
        now,
      );
      status = { ...status, phase: "Upgrading", conditions };
    }
  }
  if (JSON.stringify(after.workers) !== JSON.stringify(before.workers)) {
    checkWorkerChange(current.provider, before.workers, after.workers);
    // After the upgrade, if both changed: new pools are created at the new version.
    job(SCALE_CLUSTER, now + 1);
  }
  return { inserts, jobIds, status };
}

function checkWorkerChange(provider: string, before: WorkerPools, after: WorkerPools) {
  if (provider !== "eks") return;
  after.forEach((pool, index) => {
    const old = before.find((p) => p.name === pool.name);
    // A managed nodegroup's instance types are fixed at creation.
    if (old && (old.instanceType ?? null) !== (pool.instanceType ?? null)) {
      throw new UnprocessableError(
        "immutable_field",
        `The instance type of pool ${pool.name} cannot change; add a new pool and remove this one`,
        [{ location: `body.workers[${index}].instanceType`, message: "immutable on EKS" }],
      );
    }
  });
}
