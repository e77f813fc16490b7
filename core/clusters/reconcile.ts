import { and, eq } from "drizzle-orm";
import { jobs } from "../../schema";
import { requireAdmin } from "../access";
import type { Ctx } from "../context";
import { ConflictError } from "../errors";
import { recordEvent } from "../events";
import { enqueueJob } from "../jobs/jobs";
import { CLUSTER_KIND } from "../kinds";
import { writeBatch } from "../store";
import { RECONCILE_CLUSTER } from "./lifecycle";
import { type ClusterRow, getCluster } from "./read";

/**
 * Asks for a reconcile now: Fleetplane re-applies what it wants on the cluster (Flux's
 * fleet-config source and Kustomization) and reads back their health. A reconcile already
 * waiting to run is enough, so asking repeatedly queues one.
 */
export async function requestReconcile(ctx: Ctx, ref: string): Promise<ClusterRow> {
  requireAdmin(ctx, "Reconciling a cluster");
  const cluster = await getCluster(ctx, ref);
  if (cluster.deletionRequestedAt !== null) throw new ConflictError(`Cluster ${cluster.name} is being deleted`);
  const waiting = await ctx.store
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.resourceId, cluster.id), eq(jobs.kind, RECONCILE_CLUSTER), eq(jobs.state, "Queued")))
    .limit(1);
  if (waiting.length > 0) return cluster;
  const now = ctx.now();
  const job = enqueueJob(
    ctx.store,
    ctx.config,
    { kind: RECONCILE_CLUSTER, clusterId: cluster.id, resourceType: CLUSTER_KIND, resourceId: cluster.id },
    now,
  );
  await writeBatch(ctx.store, [
    job.insert,
    recordEvent(ctx.store, {
      reason: "ReconcileRequested",
      resourceType: CLUSTER_KIND,
      resourceId: cluster.id,
      resourceName: cluster.name,
      message: `reconcile of cluster ${cluster.name} requested`,
      actor: ctx.principal,
      requestId: ctx.requestId,
      at: now,
    }),
  ]);
  await ctx.dispatcher.dispatch([job.id]);
  return cluster;
}
