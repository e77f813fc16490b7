import { and, eq, type SQL, sql } from "drizzle-orm";
import { rollouts, rolloutTargets } from "../../schema";
import type { RolloutRow } from "../applications/read";
import { TERMINAL_PHASES } from "../applications/spec";
import { casUpdate } from "../spec-write";
import type { Store } from "../store";

/**
 * The writes the rollout engine and the per-cluster sync functions make to `rollouts` and
 * `rollout_targets`. With start.ts and verbs.ts this wing is the only code that changes those
 * tables (a test holds it to that), so what a rollout's state may become is decided here.
 * Each write is one statement for the caller's batch and lands only under its guard.
 */

type TargetRow = typeof rolloutTargets.$inferSelect;
type RolloutSet = Parameters<typeof casUpdate<typeof rollouts>>[3];

/** A tick's decision: lands only if no verb or other tick moved the rollout since it was read. */
export function rolloutDecided(store: Store, rollout: RolloutRow, set: RolloutSet) {
  return casUpdate(store, rollouts, rollout, set);
}

/** The engine gave up on a rollout still running: Failed, whatever revision it is at. */
export function rolloutEngineFailed(store: Store, rolloutId: string, message: string, now: number) {
  const terminal = sql.join(
    TERMINAL_PHASES.map((phase) => sql`${phase}`),
    sql`, `,
  );
  return store
    .update(rollouts)
    .set({
      phase: "Failed",
      reason: "EngineError",
      message,
      revision: sql`${rollouts.revision} + 1`,
      updatedAt: now,
      finishedAt: now,
    })
    .where(and(eq(rollouts.id, rolloutId), sql`${rollouts.phase} NOT IN (${terminal})`));
}

/**
 * A halted rollout records why and where it stopped before its rollback marks it RolledBack;
 * it lands only with the rollback rollout (`created`).
 */
export function rolloutHaltedForRollback(
  store: Store,
  rolloutId: string,
  halt: Pick<RolloutRow, "reason" | "message" | "waves">,
  created: SQL,
) {
  return store.run(sql`UPDATE ${rollouts} SET reason = ${halt.reason}, message = ${halt.message},
        waves = ${JSON.stringify(halt.waves)} WHERE id = ${rolloutId} AND ${created}`);
}

/** A cluster the engine starts: Progressing under its sync job, if still waiting to be applied. */
export function targetStarted(
  store: Store,
  target: { rolloutId: string; clusterId: string },
  start: { jobId: string; at: number },
  guard: SQL,
) {
  return store
    .update(rolloutTargets)
    .set({ state: "Progressing", message: "syncing", jobId: start.jobId, startedAt: start.at, updatedAt: start.at })
    .where(
      and(
        eq(rolloutTargets.rolloutId, target.rolloutId),
        eq(rolloutTargets.clusterId, target.clusterId),
        eq(rolloutTargets.state, "ToApply"),
        guard,
      ),
    );
}

/**
 * A cluster not yet started that is unavailable: skipped (`skip`), or left waiting with the
 * reason as its message (`wait`), if still waiting to be applied.
 */
export function targetUnavailable(
  store: Store,
  target: { rolloutId: string; clusterId: string },
  outcome: { skip: boolean; message: string; at: number },
  guard: SQL,
) {
  return store
    .update(rolloutTargets)
    .set({
      message: outcome.message,
      updatedAt: outcome.at,
      ...(outcome.skip ? { state: "Skip" as const, finishedAt: outcome.at } : {}),
    })
    .where(
      and(
        eq(rolloutTargets.rolloutId, target.rolloutId),
        eq(rolloutTargets.clusterId, target.clusterId),
        eq(rolloutTargets.state, "ToApply"),
        guard,
      ),
    );
}

/** A sync job's write to its target, landing only while the target is still that job's (not superseded or aborted). */
export function targetOfJobUpdated(
  store: Store,
  job: { id: string; resourceId: string; clusterId: string | null },
  set: Partial<TargetRow>,
  now: number,
) {
  return store
    .update(rolloutTargets)
    .set({ ...set, updatedAt: now })
    .where(
      and(
        eq(rolloutTargets.rolloutId, job.resourceId),
        eq(rolloutTargets.clusterId, job.clusterId ?? ""),
        eq(rolloutTargets.jobId, job.id),
      ),
    );
}

/** The rollouts of a subject that is gone (its removal finished), with their targets. */
export function rolloutsOfSubjectDeleted(store: Store, subjectId: string) {
  return [
    store.run(
      sql`DELETE FROM ${rolloutTargets} WHERE rollout_id IN (SELECT id FROM ${rollouts} WHERE subject_id = ${subjectId})`,
    ),
    store.run(sql`DELETE FROM ${rollouts} WHERE subject_id = ${subjectId}`),
  ];
}
