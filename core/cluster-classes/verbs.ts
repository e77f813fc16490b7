import { eq, sql } from "drizzle-orm";
import { clusterClasses, clusters } from "../../schema";
import { requireAdmin } from "../access";
import { planAddonRollouts, upgradeNote } from "../addons/rollouts";
import { checkAddonRefs } from "../addons/validate";
import type { Ctx } from "../context";
import { AlreadyExistsError, ConflictError, NotFoundError, UnprocessableError } from "../errors";
import { recordEvent, updatedEvent } from "../events";
import { revisionIs } from "../guarded";
import { isId, newId } from "../ids";
import { CLUSTER_CLASS_KIND } from "../kinds";
import { listWirePage } from "../list";
import type { PageRequest } from "../pagination";
import { mergePatch, toWire } from "../resource";
import { checkStrategy } from "../rollouts/strategy";
import { atRevision, casOutcome, casUpdate, LOST_RACE, writeWithRevision } from "../spec-write";
import { prepared, type Store, writeBatch } from "../store";
import { checkGitUrl } from "../url-policy";
import { parseOrThrow } from "../validate";
import { type ClusterClassInput, ClusterClassSpec } from "./spec";

export type ClusterClassRow = typeof clusterClasses.$inferSelect;
const KIND = CLUSTER_CLASS_KIND;

export function clusterClassToWire(row: ClusterClassRow) {
  return toWire(row);
}

function splitSpec(input: ClusterClassInput) {
  const { name, labels, ...spec } = input;
  return { name, labels: labels ?? {}, spec };
}

/** Prepared lookups by id and by name: every cluster registration resolves its class. */
const classWhere = (column: typeof clusterClasses.id | typeof clusterClasses.name) => (store: Store) =>
  store
    .select()
    .from(clusterClasses)
    .where(eq(column, sql.placeholder("ref")))
    .limit(1)
    .prepare();
const classById = classWhere(clusterClasses.id);
const classByName = classWhere(clusterClasses.name);

export async function findClusterClass(ctx: Ctx, ref: string): Promise<ClusterClassRow | undefined> {
  return prepared(ctx.store, isId(ref) ? classById : classByName).get({ ref });
}

export async function getClusterClass(ctx: Ctx, ref: string): Promise<ClusterClassRow> {
  const row = await findClusterClass(ctx, ref);
  if (!row) throw new NotFoundError(KIND, ref);
  return row;
}

export async function createClusterClass(ctx: Ctx, input: ClusterClassInput): Promise<ClusterClassRow> {
  requireAdmin(ctx, "Creating a cluster class");
  checkFleetConfigUrl(ctx, input);
  checkAddonRefs(ctx, input.addons, { layer: "class" });
  checkStrategy(ctx, input.addonStrategy, undefined, "body.addonStrategy");
  const now = ctx.now();
  const { name, labels, spec } = splitSpec(input);
  if (await findClusterClass(ctx, name)) {
    throw new AlreadyExistsError(`A cluster class named "${name}" already exists`);
  }
  const row: ClusterClassRow = {
    id: newId("ccl", now),
    name,
    labels,
    spec,
    provider: input.provider,
    status: { conditions: [], observedGeneration: 1 },
    generation: 1,
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await writeBatch(ctx.store, [
      ctx.store.insert(clusterClasses).values(row),
      recordEvent(ctx.store, {
        reason: "Created",
        resourceType: KIND,
        resourceId: row.id,
        resourceName: name,
        message: `cluster class ${name} created`,
        actor: ctx.principal,
        requestId: ctx.requestId,
        at: now,
      }),
    ]);
  } catch (error) {
    // Two creates racing past the existence check: the unique index decides.
    if (await findClusterClass(ctx, name))
      throw new AlreadyExistsError(`A cluster class named "${name}" already exists`);
    throw error;
  }
  return row;
}

export interface ListClusterClasses extends PageRequest {
  labelSelector?: string | undefined;
  provider?: string | undefined;
}

/** A page of cluster classes, each item already the wire form's JSON text (`listWirePage`). */
export function listClusterClassesWire(ctx: Ctx, query: ListClusterClasses) {
  return listWirePage(ctx.store, clusterClasses, query, {
    filters: { provider: query.provider ?? "" },
    where: [query.provider ? eq(clusterClasses.provider, query.provider) : undefined],
  });
}

/**
 * Writes a new spec with compare-and-set on `revision`, so two writers never silently
 * overwrite each other: with `If-Match` the loser gets 412; without it the read-modify-write
 * is retried against the fresh row.
 */
async function writeSpec(
  ctx: Ctx,
  ref: string,
  ifMatch: number | undefined,
  next: (current: ClusterClassRow) => ClusterClassInput,
): Promise<ClusterClassRow> {
  requireAdmin(ctx, "Changing a cluster class");
  const subject = { what: "cluster class", doing: "updated", ifMatch };
  return writeWithRevision(
    subject,
    () => getClusterClass(ctx, ref),
    async (current) => {
      const input = next(current);
      if (input.name !== current.name) {
        throw new UnprocessableError("immutable_field", "name cannot be changed", [
          { location: "body.name", message: "immutable" },
        ]);
      }
      if (input.provider !== current.provider) {
        throw new UnprocessableError("immutable_field", "provider cannot be changed", [
          { location: "body.provider", message: "immutable" },
        ]);
      }
      const { labels, spec } = splitSpec(input);
      // Only a new URL is judged: a class keeps the one it was accepted with.
      if (input.fleetConfig?.url !== current.spec.fleetConfig?.url) {
        checkFleetConfigUrl(ctx, input);
      }
      checkAddonRefs(ctx, input.addons, {
        layer: "class",
        previous: current.spec.addons,
      });
      checkStrategy(ctx, input.addonStrategy, current.spec.addonStrategy, "body.addonStrategy");
      const specChanged = JSON.stringify(spec) !== JSON.stringify(current.spec);
      const labelsChanged = JSON.stringify(labels) !== JSON.stringify(current.labels);
      if (!specChanged && !labelsChanged) return current;
      const now = ctx.now();
      const generation = current.generation + (specChanged ? 1 : 0);
      const status = { ...current.status, observedGeneration: generation };
      const guard = revisionIs(clusterClasses, current.id, current.revision);
      const upgrades = await planAddonRollouts(
        ctx,
        { layer: "class", key: current.id, name: current.name, before: current.spec, after: spec },
        { now, actor: ctx.principal.tokenId, guard },
      );
      const results = await writeBatch(ctx.store, [
        ...upgrades.statements,
        updatedEvent(
          ctx,
          {
            kind: KIND,
            current,
            next: { spec, labels },
            message: `cluster class ${current.name} updated${upgradeNote(upgrades.rollouts)}`,
            at: now,
          },
          guard,
        ),
        casUpdate(ctx.store, clusterClasses, current, { labels, spec, status, generation, updatedAt: now }),
      ]);
      const updated = casOutcome<ClusterClassRow>(results);
      if (updated === LOST_RACE) return LOST_RACE;
      await ctx.dispatcher.dispatch(upgrades.jobIds);
      return updated;
    },
  );
}

export function replaceClusterClass(ctx: Ctx, ref: string, input: ClusterClassInput, ifMatch?: number) {
  return writeSpec(ctx, ref, ifMatch, () => input);
}

export function patchClusterClass(ctx: Ctx, ref: string, patch: Record<string, unknown>, ifMatch?: number) {
  return writeSpec(ctx, ref, ifMatch, (current) => {
    const merged = mergePatch({ name: current.name, labels: current.labels, ...current.spec }, patch);
    return parseOrThrow(ClusterClassSpec, merged);
  });
}

export async function deleteClusterClass(ctx: Ctx, ref: string, ifMatch?: number): Promise<void> {
  requireAdmin(ctx, "Deleting a cluster class");
  const subject = { what: "cluster class", doing: "deleted", ifMatch };
  await writeWithRevision(
    subject,
    () => getClusterClass(ctx, ref),
    async (current) => {
      const users = await ctx.store
        .select({ name: clusters.name })
        .from(clusters)
        .where(eq(clusters.classId, current.id))
        .limit(5);
      if (users.length > 0) {
        throw new ConflictError(
          `Cluster class ${current.name} is used by ${users.map((u) => u.name).join(", ")}${users.length === 5 ? ", …" : ""}; delete or move those clusters first`,
        );
      }
      const now = ctx.now();
      const guard = revisionIs(clusterClasses, current.id, current.revision);
      const [, deleted] = (await writeBatch(ctx.store, [
        recordEvent(
          ctx.store,
          {
            reason: "Deleted",
            resourceType: KIND,
            resourceId: current.id,
            resourceName: current.name,
            message: `cluster class ${current.name} deleted`,
            actor: ctx.principal,
            requestId: ctx.requestId,
            at: now,
          },
          guard,
        ),
        ctx.store
          .delete(clusterClasses)
          .where(atRevision(clusterClasses, current))
          .returning({ id: clusterClasses.id }),
      ])) as [unknown, { id: string }[]];
      return deleted.length === 0 ? LOST_RACE : undefined;
    },
  );
}

function checkFleetConfigUrl(ctx: Ctx, input: ClusterClassInput): void {
  if (input.fleetConfig?.url === undefined) return;
  checkGitUrl(input.fleetConfig.url, { allow: ctx.config.urlAllow, location: "body.fleetConfig.url" });
}
