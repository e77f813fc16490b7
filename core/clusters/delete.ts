import { clusters } from "../../schema";
import { requireAdmin } from "../access";
import { setCondition } from "../conditions";
import type { Ctx } from "../context";
import { recordEvent } from "../events";
import { revisionIs } from "../guarded";
import { cancelPendingJobs, enqueueJob } from "../jobs/jobs";
import type { JobKind } from "../jobs/kinds";
import { CLUSTER_KIND } from "../kinds";
import { casOutcome, casUpdate, LOST_RACE, writeWithRevision } from "../spec-write";
import { writeBatch } from "../store";
import { type ClusterRow, getCluster } from "./read";

export const DELETE_CLUSTER = "deleteCluster" satisfies JobKind;

/**
 * Starts deletion: phase `Deleting`, queued work for the cluster cancelled, and the delete
 * function queued, in one guarded batch. Asking again while it is deleting is harmless and
 * answers the same; once the function has removed the row, the cluster is 404.
 */
export function deleteCluster(ctx: Ctx, ref: string, ifMatch?: number): Promise<ClusterRow> {
  requireAdmin(ctx, "Deleting a cluster");
  const subject = { what: "cluster", doing: "deleted", ifMatch };
  return writeWithRevision(
    subject,
    () => getCluster(ctx, ref),
    async (current) => {
      if (current.deletionRequestedAt !== null) return current;

      const now = ctx.now();
      const guard = revisionIs(clusters, current.id, current.revision);
      const conditions = setCondition(
        current.status.conditions,
        { type: "Ready", status: "False", reason: "Deleting", message: "Deletion requested" },
        now,
      );
      const job = enqueueJob(
        ctx.store,
        ctx.config,
        { kind: DELETE_CLUSTER, clusterId: current.id, resourceType: CLUSTER_KIND, resourceId: current.id },
        now,
        guard,
      );
      const results = await writeBatch(ctx.store, [
        cancelPendingJobs(ctx.store, current.id, now, guard),
        job.insert,
        recordEvent(
          ctx.store,
          {
            reason: "DeletionRequested",
            resourceType: CLUSTER_KIND,
            resourceId: current.id,
            resourceName: current.name,
            message: `deletion of cluster ${current.name} requested`,
            actor: ctx.principal,
            requestId: ctx.requestId,
            at: now,
          },
          guard,
        ),
        casUpdate(ctx.store, clusters, current, {
          phase: "Deleting",
          status: { ...current.status, phase: "Deleting", conditions },
          deletionRequestedAt: now,
          updatedAt: now,
        }),
      ]);
      const updated = casOutcome<ClusterRow>(results);
      if (updated === LOST_RACE) return LOST_RACE;
      await ctx.dispatcher.dispatch([job.id]);
      return updated;
    },
  );
}
