import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type {
  ApplicationSpecFields,
  RolloutKind,
  RolloutPhase,
  RolloutReason,
  StrategyInput,
  TargetState,
} from "../core/applications/spec";
import type { Release, RolloutRelease, WaveRuntime } from "../core/rollouts/runtime";
import { resourceColumns } from "./columns";

export type { AddonRelease, Release, RolloutRelease } from "../core/rollouts/runtime";

/** ApplicationSet-like applications: one Argo CD Application per target cluster, moved by rollouts. */
export const applications = sqliteTable(
  "applications",
  {
    ...resourceColumns<ApplicationSpecFields>(),
    /** The owning tenant, when the application belongs to one; its token may manage it. */
    tenantId: text("tenant_id"),
    deletionRequestedAt: integer("deletion_requested_at"),
  },
  (t) => [uniqueIndex("applications_name").on(t.name), index("applications_tenant").on(t.tenantId)],
);

/**
 * One change of an application, or of an add-on's version across the fleet, moving through waves. The engine's whole state lives here and
 * in `rollout_targets`, so a host that dies mid-wave loses nothing: the next tick reads it back.
 * `waves` holds each wave's plan and progress (state, timestamps, approval, analysis results).
 */
export const rollouts = sqliteTable(
  "rollouts",
  {
    id: text("id").primaryKey(),
    /** What moves: `Application` (subject id: the application's id) or `Addon` (the add-on's name). */
    subjectKind: text("subject_kind").$type<"Application" | "Addon">().notNull().default("Application"),
    subjectId: text("subject_id").notNull(),
    /** 1, 2, 3… per subject, for people. */
    number: integer("number").notNull(),
    /** `rollout`, or `rollback` (moves clusters back to what they had before `rollbackOf`). */
    kind: text("kind").$type<RolloutKind>().notNull(),
    phase: text("phase").$type<RolloutPhase>().notNull(),
    /** Why the phase is what it is (`BudgetExceeded`, `AnalysisFailed`, `Superseded`, …). */
    reason: text("reason").$type<RolloutReason>().notNull(),
    message: text("message").notNull(),
    release: text("release", { mode: "json" }).$type<RolloutRelease>().notNull(),
    strategy: text("strategy", { mode: "json" }).$type<StrategyInput>().notNull(),
    waves: text("waves", { mode: "json" }).$type<WaveRuntime[]>().notNull(),
    currentWave: integer("current_wave").notNull(),
    rollbackOf: text("rollback_of"),
    rolledBackBy: text("rolled_back_by"),
    supersededBy: text("superseded_by"),
    createdBy: text("created_by").notNull(),
    /** Bumped on every write: the engine and the verbs change a rollout by compare-and-set. */
    revision: integer("revision").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [uniqueIndex("rollouts_subject_number").on(t.subjectId, t.number), index("rollouts_phase").on(t.phase)],
);

/** One row per (rollout, cluster): the per-cluster state in OCM's vocabulary. */
export const rolloutTargets = sqliteTable(
  "rollout_targets",
  {
    rolloutId: text("rollout_id").notNull(),
    clusterId: text("cluster_id").notNull(),
    clusterName: text("cluster_name").notNull(),
    wave: integer("wave").notNull(),
    /** `ToApply, Progressing, Succeeded, Failed, TimeOut, Skip`. */
    state: text("state").$type<TargetState>().notNull(),
    message: text("message").notNull(),
    /** For rollbacks: what this cluster goes back to; `null` means the application is removed. */
    release: text("release", { mode: "json" }).$type<{ release: RolloutRelease | null }>(),
    /** What the cluster had before this rollout touched it, recorded once, for rollback. */
    previous: text("previous", { mode: "json" }).$type<{ release: RolloutRelease | null }>(),
    /** The sync job currently responsible; a stale job's late write is ignored. */
    jobId: text("job_id"),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.rolloutId, t.clusterId] }),
    index("rollout_targets_wave").on(t.rolloutId, t.wave, t.state),
  ],
);

/** What each cluster has of each application right now, whichever rollout put it there. */
export const applicationDeployments = sqliteTable(
  "application_deployments",
  {
    applicationId: text("application_id").notNull(),
    clusterId: text("cluster_id").notNull(),
    release: text("release", { mode: "json" }).$type<Release>().notNull(),
    rolloutId: text("rollout_id").notNull(),
    /** Argo CD's verdict last read: health (`Healthy`, `Degraded`, …) and sync status. */
    health: text("health").notNull(),
    sync: text("sync").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.applicationId, t.clusterId] }),
    index("application_deployments_cluster").on(t.clusterId),
  ],
);
