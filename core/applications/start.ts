import { and, eq, notInArray, type SQL } from "drizzle-orm";
import { applicationDeployments, type Release, rolloutTargets } from "../../schema";
import type { Deps } from "../context";
import { newId } from "../ids";
import {
  markRolledBack,
  nextRolloutNumber,
  persistRollout,
  type RolloutStart,
  type RolloutSubject,
  releaseLabel,
  rollbackWaves,
  type TargetRow,
  waveRuntime,
} from "../rollouts/start";
import { planWaves, selectTargets } from "./plan";
import { type ApplicationRow, fleetFacts, type RolloutRow } from "./read";
import type { StrategyInput } from "./spec";

/** Job kinds of application rollouts; the functions that run them live in functions/rollouts. */
export const SYNC_APPLICATION = "syncApplication";
export const REMOVE_APPLICATION = "removeApplication";

export function releaseOf(app: ApplicationRow): Release {
  const spec = app.spec as { source: Record<string, unknown>; destination: Record<string, unknown> } & {
    syncPolicy?: Record<string, unknown>;
  };
  return {
    source: spec.source,
    destination: spec.destination,
    ...(spec.syncPolicy ? { syncPolicy: spec.syncPolicy } : {}),
    generation: app.generation,
  };
}

export function applicationSubject(app: Pick<ApplicationRow, "id" | "name">): RolloutSubject {
  return { kind: "Application", id: app.id, name: app.name };
}

/**
 * Plans a rollout of the application's current spec and returns the statements that persist
 * it: the rollout row (guarded), its targets, the superseding of older rollouts and the
 * engine's first tick. Clusters already running this exact release and healthy are `Skip`.
 */
export async function planRollout(
  deps: Deps,
  app: ApplicationRow,
  opts: { now: number; actor: string; reason: string; guard?: SQL },
): Promise<RolloutStart> {
  const { now } = opts;
  const spec = app.spec as { targets: { labelSelector?: string; clusters?: { name: string; wave?: number }[] } } & {
    strategy?: StrategyInput;
  };
  const release = releaseOf(app);
  const targets = selectTargets(await fleetFacts(deps), spec.targets);
  const waves = planWaves(targets, spec.strategy, spec.targets);
  const current = new Map(
    (
      await deps.store.select().from(applicationDeployments).where(eq(applicationDeployments.applicationId, app.id))
    ).map((d) => [d.clusterId, d]),
  );
  const releaseKey = JSON.stringify({ ...release, generation: 0 });
  const rows: TargetRow[] = [];
  waves.forEach((wave, index) => {
    for (const cluster of wave.clusters) {
      const have = current.get(cluster.id);
      const upToDate =
        have && have.health === "Healthy" && JSON.stringify({ ...have.release, generation: 0 }) === releaseKey;
      rows.push({
        clusterId: cluster.id,
        clusterName: cluster.name,
        wave: index,
        state: upToDate ? "Skip" : "ToApply",
        message: upToDate ? "already Synced and Healthy at this release" : "",
      });
    }
  });
  const row: RolloutRow = {
    id: newId("ro", now),
    subjectKind: "Application",
    subjectId: app.id,
    number: await nextRolloutNumber(deps, app.id),
    kind: "rollout",
    phase: "Pending",
    reason: "Created",
    message: opts.reason,
    release,
    strategy: (spec.strategy ?? {}) as Record<string, unknown>,
    waves: waves.map((w) => waveRuntime(w, w.clusters.length)),
    currentWave: 0,
    rollbackOf: null,
    rolledBackBy: null,
    supersededBy: null,
    createdBy: opts.actor,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  return persistRollout(deps, applicationSubject(app), row, rows, opts);
}

/**
 * Fleet-level rollback: every cluster the rollout moved goes back to what it had before (an
 * application it did not have is removed), in reverse wave order (see `rollbackWaves`). The
 * rollback is a rollout of its own, observable the same way.
 */
export async function planRollback(
  deps: Deps,
  app: Pick<ApplicationRow, "id" | "name">,
  original: RolloutRow,
  opts: { now: number; actor: string; reason: string; guard?: SQL },
): Promise<RolloutStart> {
  const { now } = opts;
  const moved = await deps.store
    .select()
    .from(rolloutTargets)
    .where(and(eq(rolloutTargets.rolloutId, original.id), notInArray(rolloutTargets.state, ["ToApply", "Skip"])));
  const touched = moved.filter((t) => t.previous !== null);
  const { waves, waveIndex } = rollbackWaves(original, touched);
  const previousRelease = touched.find((t) => t.previous?.release)?.previous?.release ?? null;
  const row: RolloutRow = {
    id: newId("ro", now),
    subjectKind: "Application",
    subjectId: app.id,
    number: await nextRolloutNumber(deps, app.id),
    kind: "rollback",
    phase: "Pending",
    reason: "Created",
    message: opts.reason,
    release: previousRelease ?? original.release,
    strategy: { progressDeadline: (original.strategy as StrategyInput).progressDeadline },
    waves,
    currentWave: 0,
    rollbackOf: original.id,
    rolledBackBy: null,
    supersededBy: null,
    createdBy: opts.actor,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  const targets: TargetRow[] = touched.map((t) => ({
    clusterId: t.clusterId,
    clusterName: t.clusterName,
    wave: waveIndex.get(t.wave) ?? 0,
    state: "ToApply",
    message: t.previous?.release
      ? `back to ${releaseLabel(t.previous.release)}`
      : "remove (the cluster did not have the application before)",
    release: { release: t.previous?.release ?? null },
  }));
  const start = persistRollout(deps, applicationSubject(app), row, targets, opts);
  start.statements.push(markRolledBack(deps, original, row.id, now));
  return start;
}
