import { and, eq, isNull, lte, sql } from "drizzle-orm";
import { clusters, driftReports, jobs, reconcileSchedule } from "../../schema";
import { RECONCILE_CLUSTER } from "../clusters/lifecycle";
import type { Deps } from "../context";
import { enqueueJob } from "../jobs/jobs";
import { CLUSTER_KIND } from "../kinds";
import { type Statement, writeBatch } from "../store";
import { durationMs } from "./spec";

/** How many clusters one scheduler pass enqueues at most; the next pass takes the rest. */
const BATCH = 200;

/** FNV-1a: a stable, well-spread number per cluster id, the same on every host. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The cluster's next slot strictly after `now`. Every cluster has its own offset inside the
 * interval, so a fleet's reconciles spread evenly over it instead of all starting together.
 */
export function nextSlot(clusterId: string, intervalMs: number, now: number): number {
  const offset = hash(clusterId) % intervalMs;
  return offset + (Math.floor((now - offset) / intervalMs) + 1) * intervalMs;
}

export function intervalOf(deps: Deps, spec: Record<string, unknown>): number {
  return durationMs(spec.reconcileInterval) ?? deps.config.reconcileIntervalMs;
}

/**
 * One scheduler pass (the Node host's timer, the Workers cron): queues a reconcile for every
 * cluster whose slot is due and moves its slot on. The job insert is guarded on the slot the
 * pass read, and the slot moves with a compare-and-set in the same batch: a crash leaves both
 * or neither, and two schedulers racing queue one job. A cluster that still has a reconcile
 * waiting gets no second one. How many run at once is the job runner's cap, not this.
 */
export async function scheduleReconciles(deps: Deps, now = deps.now()): Promise<string[]> {
  await adoptNewClusters(deps, now);
  const due = await deps.store
    .select({ clusterId: reconcileSchedule.clusterId, nextAt: reconcileSchedule.nextAt, spec: clusters.spec })
    .from(reconcileSchedule)
    .innerJoin(clusters, eq(clusters.id, reconcileSchedule.clusterId))
    .where(and(lte(reconcileSchedule.nextAt, now), isNull(clusters.deletionRequestedAt)))
    .orderBy(reconcileSchedule.nextAt)
    .limit(BATCH);
  if (due.length === 0) return [];
  const statements: Statement[] = [];
  const jobIds: string[] = [];
  for (const slot of due) {
    const interval = intervalOf(deps, slot.spec);
    const slotHolds = sql`EXISTS (SELECT 1 FROM ${reconcileSchedule}
      WHERE ${reconcileSchedule.clusterId} = ${slot.clusterId} AND ${reconcileSchedule.nextAt} = ${slot.nextAt})`;
    const noneWaiting = sql`NOT EXISTS (SELECT 1 FROM ${jobs} WHERE ${jobs.clusterId} = ${slot.clusterId}
      AND ${jobs.kind} = ${RECONCILE_CLUSTER} AND ${jobs.state} = 'Queued')`;
    const job = enqueueJob(
      deps.store,
      deps.config,
      {
        kind: RECONCILE_CLUSTER,
        clusterId: slot.clusterId,
        resourceType: CLUSTER_KIND,
        resourceId: slot.clusterId,
        payload: { scheduled: true },
      },
      now,
      sql`${slotHolds} AND ${noneWaiting}`,
    );
    statements.push(
      job.insert,
      deps.store
        .update(reconcileSchedule)
        .set({ nextAt: nextSlot(slot.clusterId, interval, now), intervalMs: interval, updatedAt: now })
        .where(and(eq(reconcileSchedule.clusterId, slot.clusterId), eq(reconcileSchedule.nextAt, slot.nextAt))),
    );
    jobIds.push(job.id);
  }
  await writeBatch(deps.store, statements);
  // Ids whose guarded insert did not land are unknown to the runners, which ignore them.
  await deps.dispatcher.dispatch(jobIds);
  return jobIds;
}

/** Clusters get their first slot when a pass first sees them; rows of deleted clusters go. */
async function adoptNewClusters(deps: Deps, now: number) {
  const fresh = await deps.store
    .select({ id: clusters.id, spec: clusters.spec })
    .from(clusters)
    .leftJoin(reconcileSchedule, eq(reconcileSchedule.clusterId, clusters.id))
    .where(and(isNull(reconcileSchedule.clusterId), isNull(clusters.deletionRequestedAt)))
    .limit(1000);
  const statements: Statement[] = fresh.map((c) => {
    const intervalMs = intervalOf(deps, c.spec);
    return deps.store
      .insert(reconcileSchedule)
      .values({ clusterId: c.id, nextAt: nextSlot(c.id, intervalMs, now), intervalMs, updatedAt: now })
      .onConflictDoNothing();
  });
  statements.push(
    deps.store
      .delete(reconcileSchedule)
      .where(sql`${reconcileSchedule.clusterId} NOT IN (SELECT ${clusters.id} FROM ${clusters})`),
    deps.store
      .delete(driftReports)
      .where(sql`${driftReports.clusterId} NOT IN (SELECT ${clusters.id} FROM ${clusters})`),
  );
  await writeBatch(deps.store, statements);
}
