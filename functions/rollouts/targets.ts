import { and, eq, sql } from "drizzle-orm";
import { durationMs } from "../../core/applications/plan";
import type { RolloutRow } from "../../core/applications/read";
import type { StrategyInput } from "../../core/applications/spec";
import { type ClusterRow, findCluster } from "../../core/clusters/read";
import type { ErrorCode } from "../../core/errors";
import { recordEvent } from "../../core/events";
import type { Job } from "../../core/jobs/jobs";
import { ROLLOUT_KIND } from "../../core/kinds";
import { unavailableBecause } from "../../core/rollouts/strategy";
import { targetOfJobUpdated } from "../../core/rollouts/writes";
import { writeBatch } from "../../core/store";
import { rollouts, rolloutTargets } from "../../schema";
import type { FunctionDeps, FunctionResult } from "../types";

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
  return targetOfJobUpdated(deps.store, job, set, deps.now());
}

export function stillMine(job: Job) {
  return sql`EXISTS (SELECT 1 FROM ${rolloutTargets} WHERE rollout_id = ${job.resourceId} AND cluster_id = ${job.clusterId} AND job_id = ${job.id})`;
}

/** Per cluster: no verdict by then is `TimeOut`. */
export function progressDeadline(rollout: RolloutRow): number {
  return durationMs((rollout.strategy as StrategyInput).progressDeadline, DEFAULT_PROGRESS_DEADLINE_MS);
}

/**
 * What a rollout's per-cluster job starts from: its target (still assigned to it), the rollout
 * and the cluster. `done` when there is nothing left to do: the target was superseded or
 * aborted, or the cluster left the fleet (then the target is `Skip`).
 */
export async function openTarget(
  deps: FunctionDeps,
  job: Job,
): Promise<
  { done: FunctionResult } | { done?: undefined; target: TargetRow; rollout: RolloutRow; cluster: ClusterRow }
> {
  const target = await loadTarget(deps, job);
  if (!target || target.jobId !== job.id || target.state !== "Progressing") {
    return { done: { outcome: "done", message: "no longer this job's cluster (superseded or aborted)" } };
  }
  const [rollout] = await deps.store.select().from(rollouts).where(eq(rollouts.id, job.resourceId)).limit(1);
  const cluster = await findCluster(deps, target.clusterId);
  if (!rollout || !cluster || cluster.deletionRequestedAt !== null) {
    await skipTarget(deps, job, "the cluster left the fleet");
    return { done: { outcome: "done", message: "cluster left the fleet" } };
  }
  return { target, rollout, cluster };
}

/** Problems that say the cluster's agent is not there, rather than that the change failed. */
const AGENT_ABSENT = new Set<ErrorCode>(["AgentSilent", "WaitingForAgent"]);

/**
 * Why the cluster cannot take the change right now, or undefined: its phase is Unknown, or
 * the call just made found its agent absent.
 */
export function unavailability(cluster: ClusterRow, problem?: { code: ErrorCode; message: string }) {
  if (problem && AGENT_ABSENT.has(problem.code)) return problem.message;
  return unavailableBecause(cluster);
}

/**
 * A syncing cluster that became unavailable is not a failure: with `unavailableClusters: skip`
 * it leaves the rollout (Skip); otherwise it waits, and its progress deadline starts again
 * from when it is back (`startedAt` moves while it waits).
 */
export async function holdUnavailable(
  deps: FunctionDeps,
  job: Job,
  rollout: RolloutRow,
  why: string,
): Promise<FunctionResult> {
  if ((rollout.strategy as StrategyInput).unavailableClusters === "skip") {
    await skipTarget(deps, job, `skipped: ${why}`);
    return { outcome: "done", message: `skipped: ${why}` };
  }
  await writeBatch(deps.store, [targetUpdate(deps, job, { message: why, startedAt: deps.now() })]);
  return { outcome: "poll", afterMs: Math.max(deps.config.providerPollMs, 1_000), message: why };
}

/** The target has nothing left to do, and says why. */
export async function skipTarget(deps: FunctionDeps, job: Job, message: string) {
  await writeBatch(deps.store, [targetUpdate(deps, job, { state: "Skip", message, finishedAt: deps.now() })]);
}

/** The Warning a rollout records when one of its clusters fails or times out (while still this job's). */
export function clusterFailedEvent(
  deps: FunctionDeps,
  job: Job,
  at: { rolloutId: string; subject: string; cluster: string },
  state: "Failed" | "TimeOut",
  message: string,
) {
  return recordEvent(
    deps.store,
    {
      type: "Warning",
      reason: state === "TimeOut" ? "ClusterTimedOut" : "ClusterFailed",
      resourceType: ROLLOUT_KIND,
      resourceId: at.rolloutId,
      resourceName: at.subject,
      message: `${at.subject} on ${at.cluster}: ${state}: ${message}`,
      actor: "system",
      at: deps.now(),
    },
    stillMine(job),
  );
}
