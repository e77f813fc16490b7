import { and, eq, sql } from "drizzle-orm";
import { durationMs } from "../../core/applications/plan";
import type { RolloutRow } from "../../core/applications/read";
import type { StrategyInput } from "../../core/applications/spec";
import type { Job } from "../../core/jobs/jobs";
import { rolloutTargets } from "../../schema";
import type { FunctionDeps } from "../types";

/** What the per-cluster jobs of every rollout share: their target row, and writes that stay theirs. */

type TargetRow = typeof rolloutTargets.$inferSelect;

/** Default per-cluster progress deadline, as Argo CD Rollouts and Flagger default to 10 minutes. */
const DEFAULT_PROGRESS_DEADLINE_MS = 10 * 60 * 1000;

export async function loadTarget(deps: FunctionDeps, job: Job) {
  const [target] = await deps.store
    .select()
    .from(rolloutTargets)
    .where(and(eq(rolloutTargets.rolloutId, job.resourceId), eq(rolloutTargets.clusterId, job.clusterId ?? "")))
    .limit(1);
  return target;
}

/** A target write that only lands while the target is still this job's (not superseded or aborted). */
export function targetUpdate(deps: FunctionDeps, job: Job, set: Partial<TargetRow>) {
  return deps.store
    .update(rolloutTargets)
    .set({ ...set, updatedAt: deps.now() })
    .where(
      and(
        eq(rolloutTargets.rolloutId, job.resourceId),
        eq(rolloutTargets.clusterId, job.clusterId ?? ""),
        eq(rolloutTargets.jobId, job.id),
      ),
    );
}

export function stillMine(job: Job) {
  return sql`EXISTS (SELECT 1 FROM ${rolloutTargets} WHERE rollout_id = ${job.resourceId} AND cluster_id = ${job.clusterId} AND job_id = ${job.id})`;
}

/** Per cluster: no verdict by then is `TimeOut`. */
export function progressDeadline(rollout: RolloutRow): number {
  return durationMs((rollout.strategy as StrategyInput).progressDeadline, DEFAULT_PROGRESS_DEADLINE_MS);
}
