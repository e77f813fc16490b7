import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, inArray, type SQL } from "drizzle-orm";
import { clusters, jobs } from "../../schema";
import { requireAdmin } from "../access";
import { findCluster } from "../clusters/read";
import type { Ctx } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { recordEvent } from "../events";
import { JOB_KIND } from "../kinds";
import { clampPageSize, decodePageToken, type PageRequest, toPage } from "../pagination";
import { writeBatch } from "../store";
import { getJobRow, JOB_STATES, type Job } from "./jobs";
import { JOB_KINDS, type JobKind } from "./kinds";

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

export const JobSchema = z
  .object({
    id: z.string(),
    kind: z.enum(JOB_KINDS).openapi({ example: "connectCluster" }),
    cluster: z.string().optional().openapi({ description: "Id of the cluster the function acts on" }),
    clusterName: z.string().optional().openapi({ description: "Its name, while the cluster exists" }),
    resource: z.object({ type: z.string(), id: z.string() }),
    state: z.enum(JOB_STATES as [string, ...string[]]),
    attempts: z.int(),
    maxAttempts: z.int(),
    runAfter: z.string(),
    leaseUntil: z.string().optional(),
    lastError: z.string().optional(),
    message: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().optional(),
  })
  .openapi("Job");

/** A job with the name of its cluster, when it has one that still exists. */
export type JobView = Job & { clusterName?: string | null };

export function jobToWire(job: JobView) {
  return {
    id: job.id,
    kind: job.kind,
    ...(job.clusterId ? { cluster: job.clusterId } : {}),
    ...(job.clusterName ? { clusterName: job.clusterName } : {}),
    resource: { type: job.resourceType, id: job.resourceId },
    state: job.state,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAfter: new Date(job.runAfter).toISOString(),
    ...(job.leaseUntil !== null && job.state === "Running" ? { leaseUntil: iso(job.leaseUntil) } : {}),
    ...(job.lastError ? { lastError: job.lastError } : {}),
    ...(job.message ? { message: job.message } : {}),
    createdAt: new Date(job.createdAt).toISOString(),
    updatedAt: new Date(job.updatedAt).toISOString(),
    ...(job.finishedAt !== null ? { finishedAt: iso(job.finishedAt) } : {}),
  };
}

export interface ListJobs extends PageRequest {
  cluster?: string | undefined;
  state?: string | undefined;
  kind?: JobKind | undefined;
}

export async function listJobs(ctx: Ctx, query: ListJobs) {
  requireAdmin(ctx, "Listing jobs");
  const pageSize = clampPageSize(query.pageSize);
  const filters = { cluster: query.cluster ?? "", state: query.state ?? "", kind: query.kind ?? "" };
  const after = decodePageToken(query.pageToken, filters);
  let clusterId: string | undefined;
  if (query.cluster) {
    // A deleted cluster's jobs stay listable by id even though its name no longer resolves.
    clusterId = (await findCluster(ctx, query.cluster))?.id ?? query.cluster;
  }
  const where: (SQL | undefined)[] = [
    clusterId ? eq(jobs.clusterId, clusterId) : undefined,
    query.state ? inArray(jobs.state, query.state.split(",")) : undefined,
    query.kind ? eq(jobs.kind, query.kind) : undefined,
    after ? gt(jobs.id, after) : undefined,
  ];
  const rows = await ctx.store
    .select({ job: jobs, clusterName: clusters.name })
    .from(jobs)
    .leftJoin(clusters, eq(clusters.id, jobs.clusterId))
    .where(and(...where))
    .orderBy(asc(jobs.id))
    .limit(pageSize + 1);
  return toPage<JobView>(
    rows.map((r) => ({ ...r.job, clusterName: r.clusterName })),
    pageSize,
    filters,
  );
}

export async function getJob(ctx: Ctx, id: string): Promise<JobView> {
  requireAdmin(ctx, "Reading jobs");
  const job = await getJobRow(ctx.store, id);
  if (!job) throw new NotFoundError(JOB_KIND, id);
  const cluster = job.clusterId ? await findCluster(ctx, job.clusterId) : undefined;
  return { ...job, clusterName: cluster?.name ?? null };
}

/** Gives a Failed or Cancelled job a fresh attempt budget and dispatches it now. */
export async function retryJob(ctx: Ctx, id: string): Promise<Job> {
  const job = await getJob(ctx, id);
  if (job.state !== "Failed" && job.state !== "Cancelled") {
    throw new ConflictError(`Job ${id} is ${job.state}; only Failed or Cancelled jobs can be retried`);
  }
  const now = ctx.now();
  const [, updated] = (await writeBatch(ctx.store, [
    recordEvent(ctx.store, {
      reason: "JobRetried",
      resourceType: job.resourceType,
      resourceId: job.resourceId,
      message: `job ${job.kind} (${job.id}) retried by hand`,
      actor: ctx.principal,
      requestId: ctx.requestId,
      at: now,
    }),
    ctx.store
      .update(jobs)
      .set({ state: "Queued", attempts: 0, runAfter: now, finishedAt: null, updatedAt: now, message: "retried" })
      .where(and(eq(jobs.id, id), eq(jobs.state, job.state)))
      .returning(),
  ])) as [unknown, Job[]];
  const row = updated[0];
  if (!row) throw new ConflictError(`Job ${id} changed state while being retried`);
  await ctx.dispatcher.dispatch([id]);
  return row;
}
