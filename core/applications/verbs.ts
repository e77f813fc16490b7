import { eq } from "drizzle-orm";
import { applicationDeployments, applications } from "../../schema";
import type { Ctx } from "../context";
import { AlreadyExistsError, ConflictError, UnprocessableError } from "../errors";
import { recordEvent, updatedEvent } from "../events";
import { revisionIs } from "../guarded";
import { newId } from "../ids";
import { enqueueJob } from "../jobs/jobs";
import { APPLICATION_KIND } from "../kinds";
import { mergePatch } from "../resource";
import { supersedeStatements } from "../rollouts/start";
import { checkStrategy } from "../rollouts/strategy";
import { rolloutsOfSubjectDeleted } from "../rollouts/writes";
import { casOutcome, casUpdate, LOST_RACE, writeWithRevision } from "../spec-write";
import { type Statement, writeBatch } from "../store";
import { findTenant } from "../tenants/read";
import { checkOutboundUrl } from "../url-policy";
import { parseOrThrow } from "../validate";
import { selectTargets } from "./plan";
import { type ApplicationRow, findApplication, fleetFacts, getApplication } from "./read";
import { ApplicationCreate, type ApplicationCreateInput, type ApplicationSpecFields } from "./spec";
import { planRollout, REMOVE_APPLICATION } from "./start";

function splitSpec(input: ApplicationCreateInput) {
  const { name, labels, ...spec } = input;
  return { name, labels: labels ?? {}, spec };
}

/**
 * What schemas cannot say: the tenant exists and the caller may act for it, an application of
 * a tenant deploys into the tenant's namespace only, and the Prometheus URL passes the
 * outbound URL policy.
 */
async function checkApplication(
  ctx: Ctx,
  input: ApplicationCreateInput,
  previous?: ApplicationSpecFields,
): Promise<string | null> {
  // A URL accepted once stays accepted: only a new one is judged against today's policy.
  if (input.source.repoURL !== previous?.source.repoURL) {
    checkOutboundUrl(input.source.repoURL, {
      purpose: "Git repository",
      allow: ctx.config.urlAllow,
      location: "body.source.repoURL",
      schemes: ["https:", "ssh:", "oci:"],
      allowUsername: true,
    });
  }
  checkStrategy(ctx, input.strategy, previous?.strategy, "body.strategy");
  if (input.tenant === undefined) {
    if (ctx.principal.role !== "admin") {
      throw new UnprocessableError("tenant_required", "A tenant token creates applications of its own tenant", [
        { location: "body.tenant", message: "required for tenant tokens" },
      ]);
    }
    return null;
  }
  const tenant = await findTenant(ctx, input.tenant);
  if (!tenant || (ctx.principal.role !== "admin" && ctx.principal.tenantId !== tenant.id)) {
    throw new UnprocessableError("unknown_tenant", `Tenant ${input.tenant} does not exist`, [
      { location: "body.tenant", message: "no such tenant" },
    ]);
  }
  if (input.destination.namespace !== tenant.namespace) {
    throw new UnprocessableError(
      "namespace_escape",
      `Applications of tenant ${tenant.name} deploy into its namespace ${tenant.namespace}`,
      [{ location: "body.destination.namespace", message: `must be ${tenant.namespace}` }],
    );
  }
  return tenant.id;
}

/** Creating an application starts its first rollout, in the same batch. */
export async function createApplication(ctx: Ctx, input: ApplicationCreateInput): Promise<ApplicationRow> {
  const { name, labels, spec } = splitSpec(input);
  if (await findApplication(ctx, name)) throw new AlreadyExistsError(`An application named "${name}" already exists`);
  const tenantId = await checkApplication(ctx, input);
  const now = ctx.now();
  const row: ApplicationRow = {
    id: newId("app", now),
    name,
    labels,
    spec,
    status: {},
    generation: 1,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    tenantId,
    deletionRequestedAt: null,
  };
  const rollout = await planRollout(ctx, row, { now, actor: ctx.principal.tokenId, reason: "application created" });
  try {
    await writeBatch(ctx.store, [
      ctx.store.insert(applications).values(row),
      ...rollout.statements,
      recordEvent(ctx.store, {
        reason: "Created",
        resourceType: APPLICATION_KIND,
        resourceId: row.id,
        resourceName: name,
        message: `application ${name} created; rollout #${rollout.row.number} started`,
        actor: ctx.principal,
        requestId: ctx.requestId,
        at: now,
      }),
    ]);
  } catch (error) {
    if (await findApplication(ctx, name)) throw new AlreadyExistsError(`An application named "${name}" already exists`);
    throw error;
  }
  await ctx.dispatcher.dispatch(rollout.jobIds);
  return row;
}

/** The parts whose change moves clusters: a new rollout starts when one of them changes. */
const ROLLED_OUT = ["source", "destination", "syncPolicy", "targets"] as const;

/**
 * PATCH (JSON merge patch, validated as a whole). A change of revision, values, destination,
 * sync policy or targets starts a rollout that supersedes a running one; clusters that are no
 * longer targeted lose the application. Strategy or label changes apply to the next rollout.
 */
export async function patchApplication(
  ctx: Ctx,
  ref: string,
  patch: Record<string, unknown>,
  ifMatch?: number,
): Promise<ApplicationRow> {
  const subject = { what: "application", doing: "updated", ifMatch };
  return writeWithRevision(
    subject,
    () => getApplication(ctx, ref),
    async (current) => {
      if (current.deletionRequestedAt !== null) throw new ConflictError(`Application ${current.name} is being deleted`);
      const before = { name: current.name, labels: current.labels, ...current.spec };
      const input = parseOrThrow(ApplicationCreate, mergePatch(before, patch));
      await checkApplication(ctx, input, current.spec);
      const { labels, spec } = splitSpec(input);
      const specChanged = JSON.stringify(spec) !== JSON.stringify(current.spec);
      const labelsChanged = JSON.stringify(labels) !== JSON.stringify(current.labels);
      if (!specChanged && !labelsChanged) return current;
      const now = ctx.now();
      const generation = current.generation + (specChanged ? 1 : 0);
      const guard = revisionIs(applications, current.id, current.revision);
      const next: ApplicationRow = { ...current, spec, labels, generation };
      const movesClusters = ROLLED_OUT.some((key) => JSON.stringify(spec[key]) !== JSON.stringify(current.spec[key]));
      const statements: Statement[] = [];
      const jobIds: string[] = [];
      let started: number | undefined;
      if (movesClusters) {
        const rollout = await planRollout(ctx, next, {
          now,
          actor: ctx.principal.tokenId,
          reason: "application changed",
          guard,
        });
        statements.push(...rollout.statements, ...(await untargetStatements(ctx, next, rollout.row.id, now, jobIds)));
        jobIds.push(...rollout.jobIds);
        started = rollout.row.number;
      }
      const results = await writeBatch(ctx.store, [
        ...statements,
        updatedEvent(
          ctx,
          {
            kind: APPLICATION_KIND,
            current,
            next: { spec, labels },
            message: `application ${current.name} updated${started ? `; rollout #${started} started` : ""}`,
            at: now,
          },
          guard,
        ),
        casUpdate(ctx.store, applications, current, { spec, labels, generation, updatedAt: now }),
      ]);
      const updated = casOutcome<ApplicationRow>(results);
      if (updated === LOST_RACE) return LOST_RACE;
      await ctx.dispatcher.dispatch(jobIds);
      return updated;
    },
  );
}

/** Clusters that have the application but are no longer targeted by the new rollout lose it. */
async function untargetStatements(
  ctx: Ctx,
  app: ApplicationRow,
  rolloutId: string,
  now: number,
  jobIds: string[],
): Promise<Statement[]> {
  const targeted = new Set(selectTargets(await fleetFacts(ctx), app.spec.targets).map((c) => c.id));
  const deployed = await ctx.store
    .select({ clusterId: applicationDeployments.clusterId })
    .from(applicationDeployments)
    .where(eq(applicationDeployments.applicationId, app.id));
  const guard = revisionIs(applications, app.id, app.revision);
  return deployed
    .filter((d) => !targeted.has(d.clusterId))
    .map((d) => {
      const job = enqueueJob(
        ctx.store,
        ctx.config,
        {
          kind: REMOVE_APPLICATION,
          clusterId: d.clusterId,
          resourceType: APPLICATION_KIND,
          resourceId: app.id,
          payload: { rolloutId },
        },
        now,
        guard,
      );
      jobIds.push(job.id);
      return job.insert;
    });
}

/**
 * DELETE answers 202: running rollouts are aborted, every cluster's Argo CD Application is
 * removed (Argo CD prunes what it deployed), and the application disappears once no cluster
 * has it.
 */
export function deleteApplication(ctx: Ctx, ref: string, ifMatch?: number): Promise<ApplicationRow> {
  const subject = { what: "application", doing: "deleted", ifMatch };
  return writeWithRevision(
    subject,
    () => getApplication(ctx, ref),
    async (current) => {
      if (current.deletionRequestedAt !== null) return current;
      const now = ctx.now();
      const guard = revisionIs(applications, current.id, current.revision);
      const deployed = await ctx.store
        .select({ clusterId: applicationDeployments.clusterId })
        .from(applicationDeployments)
        .where(eq(applicationDeployments.applicationId, current.id));
      // With nothing deployed, one job without a cluster finishes the deletion.
      const owners = deployed.length > 0 ? deployed.map((d) => d.clusterId) : [null];
      const removals = owners.map((clusterId) =>
        enqueueJob(
          ctx.store,
          ctx.config,
          { kind: REMOVE_APPLICATION, clusterId, resourceType: APPLICATION_KIND, resourceId: current.id },
          now,
          guard,
        ),
      );
      const results = await writeBatch(ctx.store, [
        ...supersedeStatements(ctx, current.id, null, "Aborted", "ApplicationDeleted", now, guard),
        ...removals.map((r) => r.insert),
        recordEvent(
          ctx.store,
          {
            reason: "DeletionRequested",
            resourceType: APPLICATION_KIND,
            resourceId: current.id,
            resourceName: current.name,
            message: `deletion of application ${current.name} requested (${deployed.length} cluster(s) to clean)`,
            actor: ctx.principal,
            requestId: ctx.requestId,
            at: now,
          },
          guard,
        ),
        casUpdate(ctx.store, applications, current, { deletionRequestedAt: now, updatedAt: now }),
      ]);
      const updated = casOutcome<ApplicationRow>(results);
      if (updated === LOST_RACE) return LOST_RACE;
      await ctx.dispatcher.dispatch(removals.map((r) => r.id));
      return updated;
    },
  );
}

/** Used by the removal function when the last cluster is clean. */
export function deleteApplicationRows(ctx: Pick<Ctx, "store">, applicationId: string) {
  return [
    ...rolloutsOfSubjectDeleted(ctx.store, applicationId),
    ctx.store.delete(applications).where(eq(applications.id, applicationId)),
  ];
}
