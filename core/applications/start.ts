import { and, desc, eq, inArray, notInArray, type SQL, sql } from "drizzle-orm";
import { applicationDeployments, jobs, type Release, rollouts, rolloutTargets } from "../../schema";
import type { Deps } from "../context";
import { recordEvent } from "../events";
import { newId } from "../ids";
import { enqueueJob } from "../jobs/jobs";
import type { Statement } from "../store";
import { type PlannedWave, planWaves, selectTargets } from "./plan";
import { type ApplicationRow, fleetFacts, ROLLOUT_KIND, type RolloutRow } from "./read";
import { type StrategyInput, TERMINAL_PHASES } from "./spec";

/** Job kinds of rollouts; the functions that run them live in functions/rollouts. */
export const ADVANCE_ROLLOUT = "advanceRollout";
export const SYNC_APPLICATION = "syncApplication";
export const REMOVE_APPLICATION = "removeApplication";

/** A wave's plan and progress, kept in the rollout row. */
export interface WaveRuntime {
  name: string;
  size: number;
  maxConcurrency: number;
  maxFailures: number;
  minSuccessMs: number;
  requireApproval: boolean;
  state: "Pending" | "WaitingApproval" | "Progressing" | "Baking" | "Succeeded" | "Failed" | "Skipped";
  startedAt: number | null;
  finishedAt: number | null;
  bakeStartedAt: number | null;
  approvedAt: number | null;
  approvedBy: string | null;
  analysis: AnalysisRuntime | null;
}

export interface AnalysisRuntime {
  checks: number;
  failedChecks: number;
  lastCheckAt: number | null;
  /** The latest check's results, one per metric. */
  results: { metric: string; value: number | null; passed: boolean; message: string; at: number }[];
}

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

type WaveLimits = Pick<PlannedWave, "name" | "maxConcurrency" | "maxFailures" | "minSuccessMs" | "requireApproval">;

function waveRuntime(wave: WaveLimits, size: number): WaveRuntime {
  return {
    name: wave.name,
    size,
    maxConcurrency: wave.maxConcurrency,
    maxFailures: wave.maxFailures,
    minSuccessMs: wave.minSuccessMs,
    requireApproval: wave.requireApproval,
    state: "Pending",
    startedAt: null,
    finishedAt: null,
    bakeStartedAt: null,
    approvedAt: null,
    approvedBy: null,
    analysis: null,
  };
}

interface TargetRow {
  clusterId: string;
  clusterName: string;
  wave: number;
  state: string;
  message: string;
  release?: { release: Release | null };
}

/**
 * Inserts many target rows with one bound parameter per chunk (a JSON array read back with
 * `json_each`): D1 caps bound parameters per statement at 100, and one statement per row would
 * make a 10,000-cluster rollout thousands of statements. Rows land only if the rollout row they
 * belong to does (it is inserted, guarded, earlier in the same batch).
 */
function insertTargets(deps: Deps, rolloutId: string, rows: TargetRow[], now: number): Statement[] {
  const statements: Statement[] = [];
  const CHUNK = 2000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = JSON.stringify(
      rows.slice(i, i + CHUNK).map((r) => [r.clusterId, r.clusterName, r.wave, r.state, r.message, r.release ?? null]),
    );
    statements.push(
      deps.store.run(sql`INSERT INTO ${rolloutTargets}
        (rollout_id, cluster_id, cluster_name, wave, state, message, release, previous, job_id, started_at, finished_at, updated_at)
        SELECT ${rolloutId}, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4,
               CASE WHEN json_type(value, '$[5]') = 'null' THEN NULL ELSE value -> 5 END,
               NULL, NULL, NULL, NULL, ${now}
        FROM json_each(${chunk})
        WHERE EXISTS (SELECT 1 FROM ${rollouts} WHERE id = ${rolloutId})`),
    );
  }
  return statements;
}

/**
 * Everything still running for an application stops when a newer rollout takes over: the old
 * rollout ends `Aborted` (reason `Superseded`, pointing at its successor), its clusters that
 * had not finished are `Skip`, and its queued jobs are cancelled. A sync job already running
 * finds its target no longer assigned to it and writes nothing.
 */
export function supersedeStatements(
  deps: Deps,
  applicationId: string,
  successor: { id: string; number: number } | null,
  phase: "Aborted" | "RolledBack",
  reason: string,
  now: number,
  guard?: SQL,
): Statement[] {
  const active = sql`SELECT id FROM ${rollouts} WHERE application_id = ${applicationId} AND id != ${successor?.id ?? ""} AND phase NOT IN ${sql`(${sql.join(
    TERMINAL_PHASES.map((p) => sql`${p}`),
    sql`, `,
  )})`}`;
  const guarded = guard ?? sql`1 = 1`;
  const why = successor ? `superseded by rollout #${successor.number}` : "the application is being deleted";
  return [
    deps.store.run(sql`UPDATE ${rolloutTargets}
      SET state = 'Skip', message = ${why}, job_id = NULL, updated_at = ${now}
      WHERE rollout_id IN (${active}) AND state IN ('ToApply', 'Progressing') AND ${guarded}`),
    deps.store.run(sql`UPDATE ${jobs}
      SET state = 'Cancelled', finished_at = ${now}, updated_at = ${now}, message = ${why}
      WHERE resource_id IN (${active}) AND state = 'Queued' AND ${guarded}`),
    deps.store.run(sql`UPDATE ${rollouts}
      SET phase = ${phase}, reason = ${reason}, message = ${why},
          superseded_by = ${successor?.id ?? null}, revision = revision + 1, updated_at = ${now}, finished_at = ${now}
      WHERE id IN (${active}) AND ${guarded}`),
  ];
}

export interface RolloutStart {
  row: RolloutRow;
  statements: Statement[];
  jobIds: string[];
}

async function nextNumber(deps: Deps, applicationId: string): Promise<number> {
  const [last] = await deps.store
    .select({ number: rollouts.number })
    .from(rollouts)
    .where(eq(rollouts.applicationId, applicationId))
    .orderBy(desc(rollouts.number))
    .limit(1);
  return (last?.number ?? 0) + 1;
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
  const number = await nextNumber(deps, app.id);
  const row: RolloutRow = {
    id: newId("ro", now),
    applicationId: app.id,
    number,
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
  return persistRollout(deps, app, row, rows, opts);
}

function persistRollout(
  deps: Deps,
  app: ApplicationRow,
  row: RolloutRow,
  targets: TargetRow[],
  opts: { now: number; guard?: SQL },
): RolloutStart {
  const { now, guard } = opts;
  const driver = enqueueJob(
    deps.store,
    deps.config,
    { kind: ADVANCE_ROLLOUT, clusterId: null, resourceType: ROLLOUT_KIND, resourceId: row.id },
    now,
    rolloutExists(row.id),
  );
  const driverInsert = driver.insert;
  const insertRollout = guard
    ? deps.store.run(sql`INSERT INTO ${rollouts}
        (id, application_id, number, kind, phase, reason, message, release, strategy, waves, current_wave,
         rollback_of, rolled_back_by, superseded_by, created_by, revision, created_at, updated_at, finished_at)
        SELECT ${row.id}, ${row.applicationId}, ${row.number}, ${row.kind}, ${row.phase}, ${row.reason}, ${row.message},
               ${JSON.stringify(row.release)}, ${JSON.stringify(row.strategy)}, ${JSON.stringify(row.waves)}, 0,
               ${row.rollbackOf}, NULL, NULL, ${row.createdBy}, 1, ${now}, ${now}, NULL
        WHERE ${guard}`)
    : deps.store.insert(rollouts).values(row);
  // Everything after the (guarded) rollout insert hangs on that row existing: unlike the
  // caller's guard, it cannot change while the batch runs (superseding bumps other revisions).
  const created = rolloutExists(row.id);
  const statements: Statement[] = [
    insertRollout,
    ...supersedeStatements(deps, app.id, row, "Aborted", "Superseded", now, created),
    ...insertTargets(deps, row.id, targets, now),
    driverInsert,
    recordEvent(
      deps.store,
      {
        reason: row.kind === "rollback" ? "RollbackStarted" : "RolloutStarted",
        resourceType: ROLLOUT_KIND,
        resourceId: row.id,
        resourceName: app.name,
        message: `${row.kind} #${row.number} of ${app.name} to ${String(row.release.source.targetRevision)}: ${targets.length} cluster(s) in ${row.waves.length} wave(s)${row.message ? ` (${row.message})` : ""}`,
        actor: "system",
        at: now,
      },
      created,
    ),
  ];
  return { row, statements, jobIds: [driver.id] };
}

/**
 * Fleet-level rollback: every cluster the rollout moved goes back to what it had before (an
 * application it did not have is removed), in reverse wave order, under the same concurrency
 * limits but without approvals, bake times or analysis: getting back is urgent. The rollback
 * is a rollout of its own, observable the same way.
 */
export async function planRollback(
  deps: Deps,
  app: ApplicationRow,
  original: RolloutRow,
  opts: { now: number; actor: string; reason: string; guard?: SQL },
): Promise<RolloutStart> {
  const { now } = opts;
  const moved = await deps.store
    .select()
    .from(rolloutTargets)
    .where(and(eq(rolloutTargets.rolloutId, original.id), notInArray(rolloutTargets.state, ["ToApply", "Skip"])));
  const touched = moved.filter((t) => t.previous !== null);
  const originalWaves = original.waves as WaveRuntime[];
  const used = [...new Set(touched.map((t) => t.wave))].sort((a, b) => b - a);
  const waveIndex = new Map(used.map((w, i) => [w, i]));
  const waves: WaveRuntime[] = used.map((w) => {
    const size = touched.filter((t) => t.wave === w).length;
    return waveRuntime(
      {
        name: originalWaves[w]?.name ?? `wave-${w}`,
        maxConcurrency: originalWaves[w]?.maxConcurrency ?? 1,
        // A rollback does not stop at failures: it takes back everything it can and reports the rest.
        maxFailures: size,
        minSuccessMs: 0,
        requireApproval: false,
      },
      size,
    );
  });
  const previousRelease = touched.find((t) => t.previous?.release)?.previous?.release ?? null;
  const number = await nextNumber(deps, app.id);
  const row: RolloutRow = {
    id: newId("ro", now),
    applicationId: app.id,
    number,
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
      ? `back to ${String(t.previous.release.source.targetRevision)}`
      : "remove (the cluster did not have the application before)",
    release: { release: t.previous?.release ?? null },
  }));
  const start = persistRollout(deps, app, row, targets, opts);
  const guard = rolloutExists(row.id);
  // The original points at its rollback, whatever phase it ended in.
  start.statements.push(
    deps.store.run(sql`UPDATE ${rollouts}
      SET phase = 'RolledBack', rolled_back_by = ${row.id}, revision = revision + 1, updated_at = ${now},
          finished_at = COALESCE(finished_at, ${now})
      WHERE id = ${original.id} AND ${guard}`),
  );
  return start;
}

/** Guard that a rollout row exists (it was inserted earlier in the same batch). */
export function rolloutExists(rolloutId: string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${rollouts} WHERE id = ${rolloutId})`;
}

/** Queued jobs of a rollout that stop mattering once it is over. */
export function cancelRolloutJobs(deps: Deps, rolloutIds: string[], now: number, guard?: SQL) {
  return deps.store
    .update(jobs)
    .set({ state: "Cancelled", finishedAt: now, updatedAt: now, message: "rollout ended" })
    .where(and(inArray(jobs.resourceId, rolloutIds), eq(jobs.state, "Queued"), guard));
}
