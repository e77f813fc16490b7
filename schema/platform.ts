import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { JobKind } from "../core/jobs/kinds";
import type { ResourceKind } from "../core/kinds";

/**
 * The durable outbox of per-cluster function invocations: a job is written in the same batch as
 * the change that needs it, so nothing is lost between the store and the queue.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    kind: text("kind").$type<JobKind>().notNull(),
    clusterId: text("cluster_id"),
    resourceType: text("resource_type").$type<ResourceKind>().notNull(),
    resourceId: text("resource_id").notNull(),
    /** Never holds secret values: functions read those from the store or AWS when they run. */
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    state: text("state").notNull(),
    attempts: integer("attempts").notNull(),
    maxAttempts: integer("max_attempts").notNull(),
    runAfter: integer("run_after").notNull(),
    leaseUntil: integer("lease_until"),
    leaseOwner: text("lease_owner"),
    lastError: text("last_error"),
    message: text("message"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    index("jobs_due").on(t.state, t.runAfter),
    index("jobs_cluster_state").on(t.clusterId, t.state),
    index("jobs_resource").on(t.resourceId),
  ],
);

/** Append-only audit and event log. */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    at: integer("at").notNull(),
    type: text("type").notNull(),
    reason: text("reason").notNull(),
    resourceType: text("resource_type").$type<ResourceKind>().notNull(),
    resourceId: text("resource_id").notNull(),
    resourceName: text("resource_name"),
    actor: text("actor").notNull(),
    requestId: text("request_id"),
    message: text("message").notNull(),
    diff: text("diff", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index("events_resource").on(t.resourceId),
    index("events_at").on(t.at),
    // Counting transitions by kind of resource and reason (the rollout counters on /metrics)
    // reads this index alone, never the events themselves.
    index("events_type_reason").on(t.resourceType, t.reason),
  ],
);

export const tokens = sqliteTable(
  "tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    role: text("role").notNull(),
    tenantId: text("tenant_id"),
    /** SHA-256 of the secret; the secret itself is shown once and never stored. */
    hash: text("hash").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
    createdBy: text("created_by").notNull(),
  },
  (t) => [uniqueIndex("tokens_hash").on(t.hash)],
);

export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    principalId: text("principal_id").notNull(),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    requestHash: text("request_hash").notNull(),
    /** `InFlight` until the first response is recorded, then `Completed`. */
    state: text("state").notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: text("response_headers", { mode: "json" }).$type<Record<string, string>>(),
    responseBody: text("response_body"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.principalId, t.key] }), index("idempotency_expiry").on(t.expiresAt)],
);
