import { findCluster } from "../core/clusters/read";
import { clusterStatusStatement } from "../core/clusters/status";
import { crashPoint } from "../core/crash-points";
import { DomainError, type ErrorCode } from "../core/errors";
import { recordEvent } from "../core/events";
import {
  backoffDelay,
  completeJobStatement,
  failJobStatement,
  type Job,
  leaseJob,
  renewLease,
  rescheduleJobStatement,
} from "../core/jobs/jobs";
import type { JobKind } from "../core/jobs/kinds";
import { CLUSTER_KIND } from "../core/kinds";
import { type Statement, writeBatch } from "../core/store";
import { installAddons } from "./clusters/addons";
import { connectCluster } from "./clusters/connect";
import { deleteCluster } from "./clusters/delete";
import { provisionCluster, scaleCluster, upgradeCluster } from "./clusters/lifecycle";
import { reconcileCluster } from "./clusters/reconcile";
import { deliverNotification } from "./notifications/deliver";
import { advanceRollout } from "./rollouts/advance";
import { removeApplication } from "./rollouts/remove";
import { syncApplication } from "./rollouts/sync";
import { syncAddon } from "./rollouts/sync-addon";
import { finalizeTenant } from "./tenants/finalize";
import { placeTenant } from "./tenants/place";
import { placeClusterTenants } from "./tenants/place-cluster";
import type { ClusterFunction, FunctionDeps } from "./types";

/** Every per-cluster function, by the job kind that invokes it: each kind has exactly one. */
export const FUNCTIONS: Record<JobKind, ClusterFunction> = {
  connectCluster,
  installAddons,
  deleteCluster,
  provisionCluster,
  upgradeCluster,
  scaleCluster,
  reconcileCluster,
  placeTenant,
  placeClusterTenants,
  finalizeTenant,
  advanceRollout,
  syncApplication,
  syncAddon,
  removeApplication,
  deliverNotification,
};

/** The function a stored job's kind names; `undefined` for a kind this build does not know. */
export function functionFor(kind: string): ClusterFunction | undefined {
  return Object.hasOwn(FUNCTIONS, kind) ? FUNCTIONS[kind as JobKind] : undefined;
}

export type JobOutcome =
  | { state: "Succeeded" }
  | { state: "Queued"; runAfter: number }
  | { state: "Failed"; error: string }
  | { state: "LeaseLost" };

/**
 * Runs one leased job to its next state. The function does its work (idempotently), then
 * the job moves on with a compare-and-set on the lease: if this host lost the lease while
 * working (it was too slow and another host took over), its transition is dropped and the
 * other host's run stands.
 */
export async function runLeasedJob(job: Job, deps: FunctionDeps): Promise<JobOutcome> {
  const fn = functionFor(job.kind);
  const now = () => deps.now();
  // Three renewals per lease, whatever its length: a floor above a third of the lease (it
  // was 1 s) let short leases lapse while their function was still working, and another
  // host then ran the same job at the same time.
  const renewEvery = Math.max(50, Math.floor(deps.config.jobLeaseMs / 3));
  const renewal = setInterval(() => {
    renewLease(deps.store, deps.config, job, now()).catch(() => undefined);
  }, renewEvery);
  try {
    if (!fn) throw new DomainErrorForUnknownKind(job.kind);
    const result = await fn.run(job, deps);
    crashPoint("function-applied");
    if (result.outcome === "done") {
      const [rows] = (await writeBatch(deps.store, [completeJobStatement(deps.store, job, now(), result.message)])) as [
        unknown[],
      ];
      return rows.length ? { state: "Succeeded" } : { state: "LeaseLost" };
    }
    const runAfter = now() + result.afterMs;
    const [rows] = (await writeBatch(deps.store, [
      rescheduleJobStatement(deps.store, job, now(), runAfter, {
        countAttempt: false,
        message: result.message ?? "waiting",
      }),
    ])) as [unknown[]];
    return rows.length ? { state: "Queued", runAfter } : { state: "LeaseLost" };
  } catch (error) {
    const problem = describe(error);
    const retryable = error instanceof DomainError ? error.retryable : true;
    if (retryable && job.attempts < job.maxAttempts) {
      const runAfter = now() + backoffDelay(deps.config, job.attempts);
      deps.log.warn("job failed; will retry", {
        jobId: job.id,
        kind: job.kind,
        attempt: job.attempts,
        error: problem.message,
      });
      const [rows] = (await writeBatch(deps.store, [
        rescheduleJobStatement(deps.store, job, now(), runAfter, {
          countAttempt: true,
          lastError: `${problem.code}: ${problem.message}`,
          message: `retrying after attempt ${job.attempts}`,
        }),
      ])) as [unknown[]];
      return rows.length ? { state: "Queued", runAfter } : { state: "LeaseLost" };
    }
    deps.log.error("job failed", { jobId: job.id, kind: job.kind, attempts: job.attempts, error: problem.message });
    const visible = await failureStatements(job, problem, deps, fn);
    const [rows] = (await writeBatch(deps.store, [
      failJobStatement(deps.store, job, now(), `${problem.code}: ${problem.message}`),
      ...visible,
    ])) as [unknown[]];
    return rows.length ? { state: "Failed", error: problem.message } : { state: "LeaseLost" };
  } finally {
    clearInterval(renewal);
  }
}

class DomainErrorForUnknownKind extends DomainError {
  readonly code = "UnknownFunction";
  constructor(kind: string) {
    super(`No function handles jobs of kind "${kind}"`);
  }
}

function describe(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof DomainError) return { code: error.code, message: error.message };
  // Unexpected errors are logged in full by the host but summarised on the resource.
  return { code: "InternalError", message: error instanceof Error ? error.message : String(error) };
}

/** A final failure shows on the owner's conditions and in events, not only on the job. */
async function failureStatements(
  job: Job,
  problem: { code: ErrorCode; message: string },
  deps: FunctionDeps,
  fn: ClusterFunction | undefined,
): Promise<Statement[]> {
  const statements: Statement[] = [];
  let resourceName: string | undefined;
  if (fn?.onFailed) statements.push(...(await fn.onFailed(job, problem, deps)));
  else if (job.resourceType === CLUSTER_KIND) {
    const cluster = await findCluster(deps, job.resourceId);
    resourceName = cluster?.name;
    if (cluster) {
      statements.push(
        clusterStatusStatement(deps, cluster, {
          conditions: [
            {
              type: "Stalled",
              status: "True",
              reason: problem.code,
              message: `${job.kind} failed after ${job.attempts} attempt(s): ${problem.message}`,
            },
          ],
          whileDeleting: job.kind === "deleteCluster",
        }),
      );
    }
  }
  statements.push(
    recordEvent(deps.store, {
      type: "Warning",
      reason: "JobFailed",
      resourceType: job.resourceType,
      resourceId: job.resourceId,
      resourceName: resourceName ?? null,
      message: `${job.kind} failed after ${job.attempts} attempt(s): ${problem.code}: ${problem.message}`,
      actor: "system",
      at: deps.now(),
    }),
  );
  return statements;
}

/** Leases then runs: the one entry point both hosts use for a job they were handed. */
export async function leaseAndRun(jobId: string, owner: string, deps: FunctionDeps) {
  const job = await leaseJob(deps.store, deps.config, jobId, owner, deps.now());
  if (!job) return undefined;
  return { job, outcome: await runLeasedJob(job, deps) };
}
