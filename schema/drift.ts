import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { DriftState } from "../core/drift/spec";

/**
 * When each cluster's next scheduled reconcile is due. The scheduler moves `nextAt` forward
 * with a compare-and-set in the same batch as the job it enqueues (the job insert guarded on the
 * old value), so a crash or a second scheduler never loses nor duplicates a slot.
 */
export const reconcileSchedule = sqliteTable(
  "reconcile_schedule",
  {
    clusterId: text("cluster_id").primaryKey(),
    nextAt: integer("next_at").notNull(),
    /** The interval the slot was computed with (the cluster's own or the fleet's), for the metrics. */
    intervalMs: integer("interval_ms").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("reconcile_schedule_due").on(t.nextAt)],
);

/**
 * The latest drift report of each cluster (history is in events). Items never carry secret
 * values: Fleetplane only puts references to secrets on clusters, never their data.
 */
export const driftReports = sqliteTable("drift_reports", {
  clusterId: text("cluster_id").primaryKey(),
  /** `Ready`, `Modified` (fields changed by others), `OutOfSync` (objects missing or left behind) or `Unknown` (unreachable). */
  state: text("state").$type<DriftState>().notNull(),
  reason: text("reason").notNull(),
  message: text("message").notNull(),
  items: text("items", { mode: "json" }).$type<unknown[]>().notNull(),
  /** Objects Fleetplane wants on the cluster and the Flux verdicts it read, for the metrics. */
  objects: text("objects", { mode: "json" }).$type<unknown[]>().notNull(),
  narrative: text("narrative"),
  reconciledAt: integer("reconciled_at").notNull(),
  durationMs: integer("duration_ms").notNull(),
  /** Cumulative reconcile counts: by result and per duration bucket, so every host can render the histogram. */
  results: text("results", { mode: "json" }).$type<Record<string, number>>().notNull(),
  durationBuckets: text("duration_buckets", { mode: "json" }).$type<number[]>().notNull(),
  durationSum: integer("duration_sum_ms").notNull(),
});
