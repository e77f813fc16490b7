import { and, asc, eq, gte, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { jobs } from "../../schema";
import type { Config } from "../config";
import { insertIf } from "../guarded";
import { newId } from "../ids";
import type { ResourceKind } from "../kinds";
import { insertRow, prepared, type Store } from "../store";
import type { JobKind } from "./kinds";

export type JobState = "Queued" | "Running" | "Succeeded" | "Failed" | "Cancelled";
export const JOB_STATES: JobState[] = ["Queued", "Running", "Succeeded", "Failed", "Cancelled"];
export type Job = typeof jobs.$inferSelect;

export interface NewJob {
  kind: JobKind;
  clusterId: string | null;
  resourceType: ResourceKind;
  resourceId: string;
  payload?: Record<string, unknown>;
  runAfter?: number;
}

/**
 * The outbox half of a write: the caller puts the returned insert in the same batch as the
 * rows that need the work, then dispatches `id` after the batch commits. If the host dies in
 * between, the sweep finds the job by its due `runAfter` and dispatches it.
 */
export function enqueueJob(store: Store, config: Config, job: NewJob, now: number, guard?: SQL) {
  const id = newId("job", now);
  const values: typeof jobs.$inferInsert = {
    id,
    kind: job.kind,
    clusterId: job.clusterId,
    resourceType: job.resourceType,
    resourceId: job.resourceId,
    payload: job.payload ?? {},
    state: "Queued",
    attempts: 0,
    maxAttempts: config.jobMaxAttempts,
    runAfter: job.runAfter ?? now,
    createdAt: now,
    updatedAt: now,
  };
  const insert = guard ? insertIf(store, jobs, values, guard) : insertRow(store, jobs, values);
  return { id, insert };
}

/** Cancels what is still waiting for a resource, e.g. a pending connect when it is deleted. */
export function cancelPendingJobs(store: Store, resourceId: string, now: number, guard?: SQL) {
  return store
    .update(jobs)
    .set({ state: "Cancelled", finishedAt: now, updatedAt: now, message: "superseded" })
    .where(and(eq(jobs.resourceId, resourceId), eq(jobs.state, "Queued"), guard));
}

/**
 * Makes a cluster's queued jobs of one kind due now (e.g. jobs that watch what another job
 * just finished), returning their ids to dispatch after the batch commits.
 */
export function wakeQueuedJobs(store: Store, clusterId: string, kind: JobKind, now: number) {
  return store
    .update(jobs)
    .set({ runAfter: now, updatedAt: now })
    .where(and(eq(jobs.clusterId, clusterId), eq(jobs.kind, kind), eq(jobs.state, "Queued")))
    .returning({ id: jobs.id });
}

/**
 * Claims one job with a compare-and-set. It succeeds only if the job is due (or its previous
 * lease expired: the host that held it died), no other job of the same cluster is running
 * (per-cluster serialisation), and fewer than `jobConcurrency` jobs are running anywhere
 * (global cap shared by every host that talks to this store).
 */
export async function leaseJob(
  store: Store,
  config: Config,
  jobId: string,
  owner: string,
  now: number,
): Promise<Job | undefined> {
  const rows = await prepared(store, leaseStatement).execute({
    jobId,
    owner,
    now,
    leaseUntil: now + config.jobLeaseMs,
    concurrency: config.jobConcurrency,
  });
  return rows[0];
}

// Every host's runner tries this on every poll: built once per store.
const leaseStatement = (store: Store) => {
  const now = sql.placeholder("now");
  return store
    .update(jobs)
    .set({
      state: "Running",
      leaseOwner: sql`${sql.placeholder("owner")}`,
      leaseUntil: sql`${sql.placeholder("leaseUntil")}`,
      attempts: sql`${jobs.attempts} + 1`,
      updatedAt: sql`${now}`,
    })
    .where(
      and(
        eq(jobs.id, sql.placeholder("jobId")),
        or(
          and(eq(jobs.state, "Queued"), lte(jobs.runAfter, now)),
          and(eq(jobs.state, "Running"), lt(jobs.leaseUntil, now)),
        ),
        sql`(${jobs.clusterId} IS NULL OR NOT EXISTS (
          SELECT 1 FROM jobs AS other
          WHERE other.cluster_id = ${jobs.clusterId} AND other.id != ${jobs.id}
            AND other.state = 'Running' AND other.lease_until >= ${now}))`,
        sql`(SELECT count(*) FROM jobs AS running
          WHERE running.state = 'Running' AND running.lease_until >= ${now}) < ${sql.placeholder("concurrency")}`,
      ),
    )
    .returning()
    .prepare();
};

/** Extends a lease while a long function is still working, so no other host steals it. */
export async function renewLease(store: Store, config: Config, job: Job, now: number): Promise<boolean> {
  const rows = await store
    .update(jobs)
    .set({ leaseUntil: now + config.jobLeaseMs, updatedAt: now })
    .where(and(eq(jobs.id, job.id), eq(jobs.state, "Running"), eq(jobs.leaseOwner, job.leaseOwner ?? "")))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/**
 * Guard for a function's own one-time writes (a transition's event, a follow-up job): they
 * count only while this run still holds the job's lease. A run whose lease lapsed and was
 * taken over then leaves them to the run that holds it, which reads state after the lapse.
 */
export function leaseStillHeld(job: Job): SQL {
  return sql`EXISTS (SELECT 1 FROM jobs WHERE id = ${job.id} AND state = 'Running' AND lease_owner = ${job.leaseOwner ?? ""})`;
}

/** Guards every transition out of Running: only the current lease holder may make it. */
function heldBy(job: Job) {
  return and(eq(jobs.id, job.id), eq(jobs.state, "Running"), eq(jobs.leaseOwner, job.leaseOwner ?? ""));
}

export function completeJobStatement(store: Store, job: Job, now: number, message?: string) {
  return store
    .update(jobs)
    .set({
      state: "Succeeded",
      finishedAt: now,
      updatedAt: now,
      leaseOwner: null,
      leaseUntil: null,
      message: message ?? null,
    })
    .where(heldBy(job))
    .returning({ id: jobs.id });
}

export function rescheduleJobStatement(
  store: Store,
  job: Job,
  now: number,
  runAfter: number,
  opts: { lastError?: string; message?: string; countAttempt: boolean },
) {
  return store
    .update(jobs)
    .set({
      state: "Queued",
      runAfter,
      updatedAt: now,
      leaseOwner: null,
      leaseUntil: null,
      // A poll ("not ready yet") is not a failure, so it gives the attempt back.
      attempts: opts.countAttempt ? job.attempts : Math.max(0, job.attempts - 1),
      lastError: opts.lastError ?? job.lastError,
      message: opts.message ?? null,
    })
    .where(heldBy(job))
    .returning({ id: jobs.id });
}

export function failJobStatement(store: Store, job: Job, now: number, lastError: string) {
  return store
    .update(jobs)
    .set({ state: "Failed", finishedAt: now, updatedAt: now, leaseOwner: null, leaseUntil: null, lastError })
    .where(heldBy(job))
    .returning({ id: jobs.id });
}

/** Exponential backoff with full jitter: spreads retries of many clusters failing together. */
export function backoffDelay(config: Config, attempts: number, random = Math.random): number {
  const ceiling = Math.min(config.jobBackoffMaxMs, config.jobBackoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * What the sweep re-dispatches: queued jobs that are due, and running jobs whose lease ran out
 * because their host died. Oldest first, so nothing starves.
 */
export async function findDueJobs(store: Store, now: number, limit: number): Promise<Job[]> {
  return prepared(store, dueStatement).execute({ now, limit });
}

// The runner's poll and the sweep: built once per store.
const dueStatement = (store: Store) => {
  const now = sql.placeholder("now");
  return store
    .select()
    .from(jobs)
    .where(
      or(
        and(eq(jobs.state, "Queued"), lte(jobs.runAfter, now)),
        and(eq(jobs.state, "Running"), lt(jobs.leaseUntil, now)),
      ),
    )
    .orderBy(asc(jobs.runAfter), asc(jobs.id))
    .limit(sql.placeholder("limit"))
    .prepare();
};

export async function countJobsByState(store: Store): Promise<Record<JobState, number>> {
  const rows = await store.select({ state: jobs.state, count: sql<number>`count(*)` }).from(jobs).groupBy(jobs.state);
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  for (const row of rows) counts[row.state as JobState] = Number(row.count);
  return counts;
}

/** Jobs that ended Failed (out of attempts, or refused for good) since `since`, by kind. */
export async function countDeadLettered(store: Store, since: number): Promise<{ kind: string; count: number }[]> {
  const rows = await store
    .select({ kind: jobs.kind, count: sql<number>`count(*)` })
    .from(jobs)
    .where(and(eq(jobs.state, "Failed"), gte(jobs.finishedAt, since)))
    .groupBy(jobs.kind)
    .orderBy(jobs.kind);
  return rows.map((r) => ({ kind: r.kind, count: Number(r.count) }));
}

export async function getJobRow(store: Store, id: string): Promise<Job | undefined> {
  const rows = await store.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  return rows[0];
}
