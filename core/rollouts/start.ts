import { and, desc, eq, inArray, notInArray, type SQL, sql } from "drizzle-orm";
import { jobs, type RolloutRelease, rollouts, rolloutTargets } from "../../schema";
import type { PlannedWave } from "../applications/plan";
import type { RolloutRow } from "../applications/read";
import { type RolloutReason, TERMINAL_PHASES } from "../applications/spec";
import type { Deps } from "../context";
import { recordEvent } from "../events";
import { newId } from "../ids";
import { enqueueJob } from "../jobs/jobs";
import type { JobKind } from "../jobs/kinds";
import { ROLLOUT_KIND } from "../kinds";
import type { Statement } from "../store";
import { releaseLabel, type WaveRuntime } from "./runtime";

/** The job that drives every rollout, whatever moves; functions/rollouts/advance.ts runs it. */
export const ADVANCE_ROLLOUT = "advanceRollout" satisfies JobKind;

/** What a rollout moves: an application, or one add-on's version across the fleet. */
export interface RolloutSubject {
  kind: RolloutRow["subjectKind"];
  /** The application's id, or the add-on's name. */
  id: string;
  /** For people: the application's or the add-on's name. */
  name: string;
}

/** A wave's plan and progress, kept in the rollout row. */
export type WaveLimits = Pick<
  PlannedWave,
  "name" | "maxConcurrency" | "maxFailures" | "minSuccessMs" | "requireApproval"
>;

export function waveRuntime(wave: WaveLimits, size: number): WaveRuntime {
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

export interface TargetRow {
  clusterId: string;
  clusterName: string;
  wave: number;
  state: string;
  message: string;
  release?: { release: RolloutRelease | null };
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
 * Everything still running for a subject stops when a newer rollout takes over: the old
 * rollout ends `Aborted` (reason `Superseded`, pointing at its successor), its clusters that
 * had not finished are `Skip`, and its queued jobs are cancelled. A sync job already running
 * finds its target no longer assigned to it and writes nothing.
 */
export function supersedeStatements(
  deps: Deps,
  subjectId: string,
  successor: { id: string; number: number } | null,
  phase: "Aborted" | "RolledBack",
  reason: RolloutReason,
  now: number,
  guard?: SQL,
  why = successor ? `superseded by rollout #${successor.number}` : "the application is being deleted",
): Statement[] {
  const active = sql`SELECT id FROM ${rollouts} WHERE subject_id = ${subjectId} AND id != ${successor?.id ?? ""} AND phase NOT IN ${sql`(${sql.join(
    TERMINAL_PHASES.map((p) => sql`${p}`),
    sql`, `,
  )})`}`;
  const guarded = guard ?? sql`1 = 1`;
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

export async function nextRolloutNumber(deps: Deps, subjectId: string): Promise<number> {
  const [last] = await deps.store
    .select({ number: rollouts.number })
    .from(rollouts)
    .where(eq(rollouts.subjectId, subjectId))
    .orderBy(desc(rollouts.number))
    .limit(1);
  return (last?.number ?? 0) + 1;
}

/**
 * The statements that persist a planned rollout: its row (guarded by the caller's guard), the
 * superseding of the subject's older rollouts, its targets, the engine's first tick and an event.
 */
export function persistRollout(
  deps: Deps,
  subject: RolloutSubject,
  row: RolloutRow,
  targets: TargetRow[],
  opts: { now: number; guard?: SQL | undefined },
): RolloutStart {
  const { now, guard } = opts;
  const driver = enqueueJob(
    deps.store,
    deps.config,
    { kind: ADVANCE_ROLLOUT, clusterId: null, resourceType: ROLLOUT_KIND, resourceId: row.id },
    now,
    rolloutExists(row.id),
  );
  const insertRollout = guard
    ? deps.store.run(sql`INSERT INTO ${rollouts}
        (id, subject_kind, subject_id, number, kind, phase, reason, message, release, strategy, waves, current_wave,
         rollback_of, rolled_back_by, superseded_by, created_by, revision, created_at, updated_at, finished_at)
        SELECT ${row.id}, ${row.subjectKind}, ${row.subjectId}, ${row.number}, ${row.kind}, ${row.phase}, ${row.reason}, ${row.message},
               ${JSON.stringify(row.release)}, ${JSON.stringify(row.strategy)}, ${JSON.stringify(row.waves)}, 0,
               ${row.rollbackOf}, NULL, NULL, ${row.createdBy}, 1, ${now}, ${now}, NULL
        WHERE ${guard}`)
    : deps.store.insert(rollouts).values(row);
  // Everything after the (guarded) rollout insert hangs on that row existing: unlike the
  // caller's guard, it cannot change while the batch runs (superseding bumps other revisions).
  const created = rolloutExists(row.id);
  const statements: Statement[] = [
    insertRollout,
    ...supersedeStatements(deps, subject.id, row, "Aborted", "Superseded", now, created),
    ...insertTargets(deps, row.id, targets, now),
    driver.insert,
    recordEvent(
      deps.store,
      {
        reason: row.kind === "rollback" ? "RollbackStarted" : "RolloutStarted",
        resourceType: ROLLOUT_KIND,
        resourceId: row.id,
        resourceName: subject.name,
        message: `${row.kind} #${row.number} of ${subject.name} to ${releaseLabel(row.release)}: ${targets.length} cluster(s) in ${row.waves.length} wave(s)${row.message ? ` (${row.message})` : ""}`,
        actor: "system",
        at: now,
      },
      created,
    ),
  ];
  return { row, statements, jobIds: [driver.id] };
}

/**
 * The waves of a fleet-level rollback: the waves the original rollout moved clusters in, in
 * reverse order, under the same concurrency limits but without approvals, bake times or
 * analysis (getting back is urgent), and without a failure budget (it takes back everything it
 * can and reports the rest). Returns the waves and where each original wave went.
 */
export function rollbackWaves(
  original: RolloutRow,
  touched: { wave: number }[],
): { waves: WaveRuntime[]; waveIndex: Map<number, number> } {
  const originalWaves = original.waves as WaveRuntime[];
  const used = [...new Set(touched.map((t) => t.wave))].sort((a, b) => b - a);
  const waveIndex = new Map(used.map((w, i) => [w, i]));
  const waves = used.map((w) => {
    const size = touched.filter((t) => t.wave === w).length;
    return waveRuntime(
      {
        name: originalWaves[w]?.name ?? `wave-${w}`,
        maxConcurrency: originalWaves[w]?.maxConcurrency ?? 1,
        maxFailures: size,
        minSuccessMs: 0,
        requireApproval: false,
      },
      size,
    );
  });
  return { waves, waveIndex };
}

/** A new rollout row, `Pending`, as every planner writes it; the engine's first tick starts it. */
export function pendingRollout(
  subject: RolloutSubject,
  number: number,
  fields: Pick<RolloutRow, "kind" | "message" | "release" | "strategy" | "waves" | "rollbackOf" | "createdBy">,
  now: number,
): RolloutRow {
  return {
    id: newId("ro", now),
    subjectKind: subject.kind,
    subjectId: subject.id,
    number,
    phase: "Pending",
    reason: "Created",
    currentWave: 0,
    rolledBackBy: null,
    supersededBy: null,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    ...fields,
  };
}

/**
 * Fleet-level rollback: every cluster the original rollout moved goes back to what it had
 * before, in `rollbackWaves`. The rollback is a rollout of its own, observable the same way;
 * `describe` says where one cluster goes (its target's message).
 */
export async function planFleetRollback(
  deps: Deps,
  subject: RolloutSubject,
  original: RolloutRow,
  opts: { now: number; actor: string; reason: string; guard?: SQL | undefined },
  describe: (previous: RolloutRelease | null) => string,
): Promise<RolloutStart> {
  const { now } = opts;
  const moved = await deps.store
    .select()
    .from(rolloutTargets)
    .where(and(eq(rolloutTargets.rolloutId, original.id), notInArray(rolloutTargets.state, ["ToApply", "Skip"])));
  const touched = moved.filter((t) => t.previous !== null);
  const { waves, waveIndex } = rollbackWaves(original, touched);
  const previousRelease = touched.find((t) => t.previous?.release)?.previous?.release ?? null;
  const row = pendingRollout(
    subject,
    await nextRolloutNumber(deps, subject.id),
    {
      kind: "rollback",
      message: opts.reason,
      release: previousRelease ?? original.release,
      strategy: { progressDeadline: (original.strategy as { progressDeadline?: string }).progressDeadline },
      waves,
      rollbackOf: original.id,
      createdBy: opts.actor,
    },
    now,
  );
  const targets: TargetRow[] = touched.map((t) => ({
    clusterId: t.clusterId,
    clusterName: t.clusterName,
    wave: waveIndex.get(t.wave) ?? 0,
    state: "ToApply",
    message: describe(t.previous?.release ?? null),
    release: { release: t.previous?.release ?? null },
  }));
  const start = persistRollout(deps, subject, row, targets, opts);
  start.statements.push(markRolledBack(deps, original, row.id, now));
  return start;
}

/** The original rollout points at its rollback, whatever phase it ended in. */
function markRolledBack(deps: Deps, original: RolloutRow, rollbackId: string, now: number): Statement {
  return deps.store.run(sql`UPDATE ${rollouts}
      SET phase = 'RolledBack', rolled_back_by = ${rollbackId}, revision = revision + 1, updated_at = ${now},
          finished_at = COALESCE(finished_at, ${now})
      WHERE id = ${original.id} AND ${rolloutExists(rollbackId)}`);
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
