import { and, desc, eq, isNull, or, type SQL, sql } from "drizzle-orm";
import { addonHolds, clusterClasses, clusters, environments, rollouts } from "../../schema";
import { requireAdmin } from "../access";
import { type ClusterFacts, planWaves } from "../applications/plan";
import type { RolloutRow } from "../applications/read";
import type { StrategyInput } from "../applications/spec";
import type { Ctx, Deps } from "../context";
import { ConflictError } from "../errors";
import { releaseLabel } from "../rollouts/runtime";
import {
  nextRolloutNumber,
  pendingRollout,
  persistRollout,
  planFleetRollback,
  type RolloutStart,
  type RolloutSubject,
  supersedeStatements,
  type TargetRow,
  waveRuntime,
} from "../rollouts/start";
import type { Statement } from "../store";
import { writeBatch } from "../store";
import { type HeldRelease, holdsOf, resolveAddons, type WantedAddon } from "./desired";

import type { AddonRefInput } from "./spec";

export function addonSubject(name: string): RolloutSubject {
  return { kind: "Addon", id: name, name };
}

/** What identifies an add-on release: the same version from another bundle is another release. */
export function releaseKey(ref: { version: string; url?: string | undefined; sha256?: string | undefined }): string {
  return JSON.stringify([ref.version, ref.url ?? null, ref.sha256 ?? null]);
}

export function heldReleaseOf(addon: {
  name: string;
  version: string;
  url?: string | undefined;
  sha256?: string | undefined;
}): HeldRelease {
  return {
    name: addon.name,
    version: addon.version,
    ...(addon.url ? { url: addon.url } : {}),
    ...(addon.sha256 ? { sha256: addon.sha256 } : {}),
  };
}

/** A URL accepted once stays accepted: only a new metric source is judged against today's policy. */

type AddonLayer = { addons?: AddonRefInput[] } | undefined;

/** One layer of the class < environment < cluster layering changing its spec. */
export interface LayerChange {
  layer: "class" | "environment";
  /** The class's id, or the environment's name. */
  key: string;
  /** What people call it, for messages. */
  name: string;
  before: AddonLayer;
  after: AddonLayer & { addonStrategy?: StrategyInput };
}

/**
 * A class or an environment changed its add-ons: every cluster whose release of an add-on it
 * still runs would change (a new version or another bundle) is held at what it has, and an
 * add-on rollout per changed add-on moves those clusters in waves by the layer's
 * `addonStrategy`. A cluster that an older rollout still holds back joins the new rollout from
 * where it is held; a hold that the new spec agrees with is dropped. Add-ons added or removed
 * take effect at once, as before: there is no version to move between.
 * Returns the statements to commit with the spec write (all guarded by `guard`).
 */
export async function planAddonRollouts(
  deps: Deps,
  change: LayerChange,
  opts: { now: number; actor: string; guard: SQL },
): Promise<{ statements: Statement[]; jobIds: string[]; rollouts: RolloutRow[] }> {
  // A write that leaves the layer's add-ons alone (labels, values, the strategy) moves nothing:
  // clusters a rollback holds back go out again only when asked (`POST /v1/addons/{ref}/rollouts`).
  if (JSON.stringify(change.before?.addons ?? null) === JSON.stringify(change.after?.addons ?? null)) {
    return { statements: [], jobIds: [], rollouts: [] };
  }
  const inLayer = change.layer === "class" ? eq(clusters.classId, change.key) : eq(clusters.environment, change.key);
  // Clusters an older rollout still holds join too: this rollout supersedes it, and must not
  // leave them held where nothing would ever release them.
  const members = await deps.store
    .select()
    .from(clusters)
    .where(
      and(
        or(inLayer, sql`${clusters.id} IN (SELECT cluster_id FROM ${addonHolds})`),
        isNull(clusters.deletionRequestedAt),
      ),
    );
  const isMember = (cluster: (typeof members)[number]) =>
    change.layer === "class" ? cluster.classId === change.key : cluster.environment === change.key;
  if (members.length === 0) return { statements: [], jobIds: [], rollouts: [] };
  // Classes and environments are few; reading them whole avoids D1's cap on bound parameters.
  const [classRows, environmentRows, holds] = await Promise.all([
    deps.store.select({ id: clusterClasses.id, spec: clusterClasses.spec }).from(clusterClasses),
    deps.store.select({ name: environments.name, spec: environments.spec }).from(environments),
    holdsOf(deps),
  ]);
  const classSpecs = new Map(classRows.map((c) => [c.id, c.spec]));
  const environmentSpecs = new Map(environmentRows.map((e) => [e.name, e.spec]));
  const statements: Statement[] = [];
  const moves = new Map<string, Move[]>();
  const changed = new Set<string>();
  for (const cluster of members) {
    const classSpec = classSpecs.get(cluster.classId);
    const environmentSpec = cluster.environment ? environmentSpecs.get(cluster.environment) : undefined;
    const layers = (side: "before" | "after") => {
      if (!isMember(cluster)) {
        return resolveAddons(classSpec, environmentSpec, cluster.spec, { applicationsTarget: false });
      }
      const own = change[side];
      return change.layer === "class"
        ? resolveAddons(own, environmentSpec, cluster.spec, { applicationsTarget: false })
        : resolveAddons(classSpec, own, cluster.spec, { applicationsTarget: false });
    };
    const before = new Map(layers("before").wanted.map((w) => [w.name, w]));
    const held = holds.get(cluster.id);
    for (const to of layers("after").wanted) {
      const had = before.get(to.name);
      if (!had) continue;
      if (isMember(cluster) && releaseKey(had) !== releaseKey(to)) changed.add(to.name);
      const from = held?.get(to.name)?.release ?? heldReleaseOf(had);
      if (releaseKey(from) === releaseKey(to)) {
        if (held?.has(to.name)) {
          statements.push(
            deps.store
              .delete(addonHolds)
              .where(and(eq(addonHolds.clusterId, cluster.id), eq(addonHolds.addon, to.name), opts.guard)),
          );
        }
        continue;
      }
      const list = moves.get(to.name) ?? [];
      list.push({ cluster, from, to });
      moves.set(to.name, list);
    }
  }
  const jobIds: string[] = [];
  const planned: RolloutRow[] = [];
  for (const [name, list] of moves) {
    // Only an add-on whose release the change moves on the layer's own clusters starts a rollout;
    // the clusters an older rollout holds back join it from where they are held.
    if (!changed.has(name) || !list.some((m) => isMember(m.cluster))) continue;
    const started = await addonRollout(deps, name, list, change.after?.addonStrategy, {
      ...opts,
      reason: `${change.layer} ${change.name} changed ${name} to ${mostCommon(list.map((m) => m.to)).version}`,
    });
    statements.push(...started.statements);
    jobIds.push(...started.jobIds);
    planned.push(started.row);
  }
  // A change back to what every cluster is held at moves nothing: the upgrade it replaces stops.
  for (const name of changed) {
    if (planned.some((r) => r.subjectId === name)) continue;
    statements.push(
      ...supersedeStatements(
        deps,
        name,
        null,
        "Aborted",
        "Superseded",
        opts.now,
        opts.guard,
        `${change.layer} ${change.name} went back to the release its clusters run`,
      ),
    );
  }
  return { statements, jobIds, rollouts: planned };
}

type Move = { cluster: typeof clusters.$inferSelect; from: HeldRelease; to: WantedAddon };

/**
 * One add-on rollout moving `list` from the releases they are held at to their spec's, in the
 * strategy's waves; every moved cluster is held where it is until its wave comes.
 */
async function addonRollout(
  deps: Deps,
  name: string,
  list: Move[],
  strategy: StrategyInput | undefined,
  opts: { now: number; actor: string; reason: string; guard: SQL },
): Promise<RolloutStart> {
  const facts: ClusterFacts[] = list.map(({ cluster }) => ({
    id: cluster.id,
    name: cluster.name,
    labels: cluster.labels ?? {},
    environment: cluster.environment,
    region: cluster.region,
    waveHint: cluster.spec.wave ?? null,
  }));
  const waves = planWaves(facts, strategy);
  const waveOf = new Map(waves.flatMap((w, i) => w.clusters.map((c) => [c.id, i] as const)));
  const to = mostCommon(list.map((m) => m.to));
  const row = pendingRollout(
    addonSubject(name),
    await nextRolloutNumber(deps, name),
    {
      kind: "rollout",
      message: opts.reason,
      release: { addon: heldReleaseOf(to) },
      strategy: (strategy ?? {}) as Record<string, unknown>,
      waves: waves.map((w) => waveRuntime(w, w.clusters.length)),
      rollbackOf: null,
      createdBy: opts.actor,
    },
    opts.now,
  );
  const targets: TargetRow[] = list.map(({ cluster, from }) => ({
    clusterId: cluster.id,
    clusterName: cluster.name,
    wave: waveOf.get(cluster.id) ?? 0,
    state: "ToApply",
    message: `held at ${from.version} until its wave`,
  }));
  const start = persistRollout(deps, addonSubject(name), row, targets, opts);
  start.statements.push(...holdStatements(deps, row.id, list, opts.now));
  return start;
}

/**
 * `POST /v1/addons/{ref}/rollouts`: moves every cluster still held below its spec's release of
 * the add-on (after a rollback or an abort, once the cause is fixed) in a new rollout, with the
 * strategy of the add-on's latest rollout. Refused when no cluster is held back.
 */
export async function startAddonRollout(ctx: Ctx, name: string, input: { reason?: string | undefined }) {
  requireAdmin(ctx, "Starting an add-on rollout");
  const now = ctx.now();
  const [held, classRows, environmentRows, [latest]] = await Promise.all([
    ctx.store
      .select({ cluster: clusters, release: addonHolds.release })
      .from(addonHolds)
      .innerJoin(clusters, eq(clusters.id, addonHolds.clusterId))
      .where(and(eq(addonHolds.addon, name), isNull(clusters.deletionRequestedAt))),
    ctx.store.select({ id: clusterClasses.id, spec: clusterClasses.spec }).from(clusterClasses),
    ctx.store.select({ name: environments.name, spec: environments.spec }).from(environments),
    ctx.store
      .select()
      .from(rollouts)
      .where(and(eq(rollouts.subjectKind, "Addon"), eq(rollouts.subjectId, name), eq(rollouts.kind, "rollout")))
      .orderBy(desc(rollouts.number))
      .limit(1),
  ]);
  const classSpecs = new Map(classRows.map((c) => [c.id, c.spec]));
  const environmentSpecs = new Map(environmentRows.map((e) => [e.name, e.spec]));
  const list: Move[] = [];
  for (const { cluster, release } of held) {
    const environmentSpec = cluster.environment ? environmentSpecs.get(cluster.environment) : undefined;
    const to = resolveAddons(classSpecs.get(cluster.classId), environmentSpec, cluster.spec, {
      applicationsTarget: false,
    }).wanted.find((w) => w.name === name);
    if (to && releaseKey(to) !== releaseKey(release)) list.push({ cluster, from: release, to });
  }
  if (list.length === 0) {
    throw new ConflictError(
      `No cluster is held back from its spec's release of ${name}; change its version on a class or an environment to upgrade it`,
    );
  }
  const next = await nextRolloutNumber(ctx, name);
  // Two starts racing: the one that numbers the rollout first wins, the other is refused.
  const guard = sql`NOT EXISTS (SELECT 1 FROM ${rollouts} WHERE subject_id = ${name} AND number >= ${next})`;
  const start = await addonRollout(ctx, name, list, latest?.strategy as StrategyInput | undefined, {
    now,
    actor: ctx.principal.tokenId,
    reason: input.reason ?? "requested",
    guard,
  });
  await writeBatch(ctx.store, start.statements);
  const [created] = await ctx.store.select().from(rollouts).where(eq(rollouts.id, start.row.id)).limit(1);
  if (!created) throw new ConflictError(`Another rollout of ${name} started meanwhile; try again`);
  await ctx.dispatcher.dispatch(start.jobIds);
  return created;
}

function mostCommon(refs: WantedAddon[]): WantedAddon {
  const counts = new Map<string, { ref: WantedAddon; n: number }>();
  for (const ref of refs) {
    const key = releaseKey(ref);
    const entry = counts.get(key) ?? { ref, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.ref as WantedAddon;
}

/** Holds every moved cluster where it is (one statement per chunk: D1 caps bound parameters). */
function holdStatements(
  deps: Deps,
  rolloutId: string,
  list: { cluster: { id: string }; from: HeldRelease }[],
  now: number,
): Statement[] {
  const statements: Statement[] = [];
  const CHUNK = 2000;
  for (let i = 0; i < list.length; i += CHUNK) {
    const chunk = JSON.stringify(list.slice(i, i + CHUNK).map((m) => [m.cluster.id, m.from.name, m.from]));
    statements.push(
      deps.store.run(sql`INSERT INTO ${addonHolds} (cluster_id, addon, release, rollout_id, created_at)
        SELECT value ->> 0, value ->> 1, json(value -> 2), ${rolloutId}, ${now} FROM json_each(${chunk})
        WHERE EXISTS (SELECT 1 FROM rollouts WHERE id = ${rolloutId})
        ON CONFLICT (cluster_id, addon) DO UPDATE SET rollout_id = excluded.rollout_id`),
    );
  }
  return statements;
}

/**
 * Fleet-level rollback of an add-on rollout: every cluster it moved is held again at the
 * release it had before, in reverse wave order; clusters it never reached are still held
 * there. The holds stay after the rollback ends, until the spec changes again: what runs and
 * what is held back is what `/manifests` and the clusters' add-on status show.
 */
export function planAddonRollback(
  deps: Deps,
  name: string,
  original: RolloutRow,
  opts: { now: number; actor: string; reason: string; guard?: SQL },
): Promise<RolloutStart> {
  return planFleetRollback(deps, addonSubject(name), original, opts, (previous) => `back to ${releaseLabel(previous)}`);
}

/** For the layer's `Updated` event: which add-on rollouts its change started. */
export function upgradeNote(started: RolloutRow[]): string {
  if (started.length === 0) return "";
  return `; add-on rollout(s) started: ${started.map((r) => `${releaseLabel(r.release)} (#${r.number}, ${r.id})`).join(", ")}`;
}
