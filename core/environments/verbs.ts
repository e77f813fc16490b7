import { and, count, eq, isNull, type SQL } from "drizzle-orm";
import { clusters, environments } from "../../schema";
import { requireAdmin } from "../access";
import { planAddonRollouts, upgradeNote } from "../addons/rollouts";
import { checkAddonRefs } from "../addons/validate";
import { RECONCILE_CLUSTER } from "../clusters/lifecycle";
import type { Ctx, Deps } from "../context";
import { AlreadyExistsError, NotFoundError, UnprocessableError } from "../errors";
import { recordEvent, updatedEvent } from "../events";
import { revisionIs } from "../guarded";
import { isId, newId } from "../ids";
import { enqueueJob } from "../jobs/jobs";
import { CLUSTER_KIND, ENVIRONMENT_KIND } from "../kinds";
import { listPage } from "../list";
import type { PageRequest } from "../pagination";
import { mergePatch, toWire } from "../resource";
import { checkStrategy } from "../rollouts/strategy";
import { atRevision, casOutcome, casUpdate, LOST_RACE, writeWithRevision } from "../spec-write";
import { type Statement, writeBatch } from "../store";
import { checkGitUrl } from "../url-policy";
import { parseOrThrow } from "../validate";
import { type EnvironmentInput, EnvironmentSpec, type EnvironmentSpecFields } from "./spec";

export type EnvironmentRow = typeof environments.$inferSelect;
const KIND = ENVIRONMENT_KIND;

function splitSpec(input: EnvironmentInput) {
  const { name, labels, ...spec } = input;
  return { name, labels: labels ?? {}, spec };
}

async function findEnvironment(ctx: Ctx, ref: string): Promise<EnvironmentRow | undefined> {
  const where = isId(ref) ? eq(environments.id, ref) : eq(environments.name, ref);
  const [row] = await ctx.store.select().from(environments).where(where).limit(1);
  return row;
}

export async function getEnvironment(ctx: Ctx, ref: string): Promise<EnvironmentRow> {
  const row = await findEnvironment(ctx, ref);
  if (!row) throw new NotFoundError(KIND, ref);
  return row;
}

export async function environmentWire(deps: Deps, row: EnvironmentRow) {
  const [members] = await deps.store
    .select({ n: count() })
    .from(clusters)
    .where(and(eq(clusters.environment, row.name), isNull(clusters.deletionRequestedAt)));
  return { ...toWire(row), status: { observedGeneration: row.generation, clusters: members?.n ?? 0 } };
}

/**
 * A change of an environment's values or repository changes what its clusters' Flux objects
 * say: each of them gets a reconcile in the same batch, which re-applies them.
 */
async function reconcileMembers(
  ctx: Ctx,
  name: string,
  now: number,
  guard: SQL,
): Promise<{ statements: Statement[]; ids: string[] }> {
  const members = await ctx.store
    .select({ id: clusters.id })
    .from(clusters)
    .where(and(eq(clusters.environment, name), isNull(clusters.deletionRequestedAt)));
  const jobs = members.map((m) =>
    enqueueJob(
      ctx.store,
      ctx.config,
      { kind: RECONCILE_CLUSTER, clusterId: m.id, resourceType: CLUSTER_KIND, resourceId: m.id },
      now,
      guard,
    ),
  );
  return { statements: jobs.map((j) => j.insert), ids: jobs.map((j) => j.id) };
}

/** The repository Flux will fetch passes the outbound URL policy (once; an accepted URL stays accepted). */
function checkRepository(ctx: Ctx, input: EnvironmentInput, previous?: EnvironmentSpecFields) {
  const url = input.fleetConfig?.url;
  if (url && url !== previous?.fleetConfig?.url) {
    checkGitUrl(url, { allow: ctx.config.urlAllow, location: "body.fleetConfig.url" });
  }
  checkAddonRefs(ctx, input.addons, { layer: "override", previous: previous?.addons });
  checkStrategy(ctx, input.addonStrategy, previous?.addonStrategy, "body.addonStrategy");
}

export async function createEnvironment(ctx: Ctx, input: EnvironmentInput): Promise<EnvironmentRow> {
  requireAdmin(ctx, "Creating an environment");
  checkRepository(ctx, input);
  const { name, labels, spec } = splitSpec(input);
  if (await findEnvironment(ctx, name)) throw new AlreadyExistsError(`An environment named "${name}" already exists`);
  const now = ctx.now();
  const row: EnvironmentRow = {
    id: newId("env", now),
    name,
    labels,
    spec,
    status: {},
    generation: 1,
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  const guard = revisionIs(environments, row.id, 1);
  const members = await reconcileMembers(ctx, name, now, guard);
  // Clusters may name the environment before it exists: its add-on versions reach them in waves too.
  const upgrades = await planAddonRollouts(
    ctx,
    { layer: "environment", key: name, name, before: undefined, after: spec },
    { now, actor: ctx.principal.tokenId, guard },
  );
  try {
    await writeBatch(ctx.store, [
      ctx.store.insert(environments).values(row),
      ...upgrades.statements,
      ...members.statements,
      recordEvent(ctx.store, {
        reason: "Created",
        resourceType: KIND,
        resourceId: row.id,
        resourceName: name,
        message: `environment ${name} created; ${members.ids.length} cluster(s) re-apply their fleet-config${upgradeNote(upgrades.rollouts)}`,
        actor: ctx.principal,
        requestId: ctx.requestId,
        at: now,
      }),
    ]);
  } catch (error) {
    if (await findEnvironment(ctx, name)) throw new AlreadyExistsError(`An environment named "${name}" already exists`);
    throw error;
  }
  await ctx.dispatcher.dispatch([...upgrades.jobIds, ...members.ids]);
  return row;
}

export interface ListEnvironments extends PageRequest {
  labelSelector?: string | undefined;
}

export function listEnvironments(ctx: Ctx, query: ListEnvironments) {
  return listPage(ctx.store, environments, query);
}

async function writeSpec(
  ctx: Ctx,
  ref: string,
  ifMatch: number | undefined,
  next: (current: EnvironmentRow) => EnvironmentInput,
): Promise<EnvironmentRow> {
  requireAdmin(ctx, "Changing an environment");
  const subject = { what: "environment", doing: "updated", ifMatch };
  return writeWithRevision(
    subject,
    () => getEnvironment(ctx, ref),
    async (current) => {
      const input = next(current);
      checkRepository(ctx, input, current.spec);
      if (input.name !== current.name) {
        throw new UnprocessableError("immutable_field", "name cannot be changed (clusters refer to it)", [
          { location: "body.name", message: "immutable" },
        ]);
      }
      const { labels, spec } = splitSpec(input);
      const specChanged = JSON.stringify(spec) !== JSON.stringify(current.spec);
      const labelsChanged = JSON.stringify(labels) !== JSON.stringify(current.labels);
      if (!specChanged && !labelsChanged) return current;
      const now = ctx.now();
      const generation = current.generation + (specChanged ? 1 : 0);
      const guard = revisionIs(environments, current.id, current.revision);
      const upgrades = await planAddonRollouts(
        ctx,
        { layer: "environment", key: current.name, name: current.name, before: current.spec, after: spec },
        { now, actor: ctx.principal.tokenId, guard },
      );
      const members = specChanged ? await reconcileMembers(ctx, current.name, now, guard) : { statements: [], ids: [] };
      const results = await writeBatch(ctx.store, [
        ...upgrades.statements,
        ...members.statements,
        updatedEvent(
          ctx,
          {
            kind: KIND,
            current,
            next: { spec, labels },
            message: `environment ${current.name} updated${specChanged ? `; ${members.ids.length} cluster(s) re-apply their fleet-config` : ""}${upgradeNote(upgrades.rollouts)}`,
            at: now,
          },
          guard,
        ),
        casUpdate(ctx.store, environments, current, { labels, spec, generation, updatedAt: now }),
      ]);
      const updated = casOutcome<EnvironmentRow>(results);
      if (updated === LOST_RACE) return LOST_RACE;
      await ctx.dispatcher.dispatch([...upgrades.jobIds, ...members.ids]);
      return updated;
    },
  );
}

export function replaceEnvironment(ctx: Ctx, ref: string, input: EnvironmentInput, ifMatch?: number) {
  return writeSpec(ctx, ref, ifMatch, () => input);
}

export function patchEnvironment(ctx: Ctx, ref: string, patch: Record<string, unknown>, ifMatch?: number) {
  return writeSpec(ctx, ref, ifMatch, (current) =>
    parseOrThrow(EnvironmentSpec, mergePatch({ name: current.name, labels: current.labels, ...current.spec }, patch)),
  );
}

/** Clusters of a deleted environment keep their `environment` and fall back to their class's values. */
export async function deleteEnvironment(ctx: Ctx, ref: string, ifMatch?: number): Promise<void> {
  requireAdmin(ctx, "Deleting an environment");
  const subject = { what: "environment", doing: "deleted", ifMatch };
  await writeWithRevision(
    subject,
    () => getEnvironment(ctx, ref),
    async (current) => {
      const now = ctx.now();
      const guard = revisionIs(environments, current.id, current.revision);
      const members = await reconcileMembers(ctx, current.name, now, guard);
      // Its clusters fall back to their class's add-on versions, in the environment's waves.
      const upgrades = await planAddonRollouts(
        ctx,
        {
          layer: "environment",
          key: current.name,
          name: current.name,
          before: current.spec,
          after: { addonStrategy: current.spec.addonStrategy },
        },
        { now, actor: ctx.principal.tokenId, guard },
      );
      const results = await writeBatch(ctx.store, [
        ...upgrades.statements,
        ...members.statements,
        recordEvent(
          ctx.store,
          {
            reason: "Deleted",
            resourceType: KIND,
            resourceId: current.id,
            resourceName: current.name,
            message: `environment ${current.name} deleted; ${members.ids.length} cluster(s) fall back to their class's values${upgradeNote(upgrades.rollouts)}`,
            actor: ctx.principal,
            requestId: ctx.requestId,
            at: now,
          },
          guard,
        ),
        ctx.store.delete(environments).where(atRevision(environments, current)).returning({ id: environments.id }),
      ]);
      if ((results[results.length - 1] as unknown[]).length === 0) return LOST_RACE;
      await ctx.dispatcher.dispatch([...upgrades.jobIds, ...members.ids]);
    },
  );
}
