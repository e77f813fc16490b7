import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { ClusterClassSpecFields, ClusterClassStatusFields } from "../core/cluster-classes/spec";
import type { ClusterSpecFields, ClusterStatusFields } from "../core/clusters/spec";
import { resourceColumns } from "./columns";

export const clusterClasses = sqliteTable(
  "cluster_classes",
  {
    ...resourceColumns<ClusterClassSpecFields, ClusterClassStatusFields>(),
    provider: text("provider").notNull(),
  },
  (t) => [uniqueIndex("cluster_classes_name").on(t.name)],
);

export const clusters = sqliteTable(
  "clusters",
  {
    ...resourceColumns<ClusterSpecFields, ClusterStatusFields>(),
    classId: text("class_id").notNull(),
    provider: text("provider").notNull(),
    environment: text("environment"),
    region: text("region"),
    /** Mirrors status.phase so lists can filter on it without parsing JSON. */
    phase: text("phase").notNull(),
    /** AES-GCM sealed connection secrets (imported clusters); never leaves the store unsealed. */
    credentials: text("credentials"),
    /** Set when deletion was requested; the row disappears once the delete function finishes. */
    deletionRequestedAt: integer("deletion_requested_at"),
  },
  (t) => [
    uniqueIndex("clusters_name").on(t.name),
    index("clusters_class").on(t.classId),
    index("clusters_environment").on(t.environment),
    index("clusters_phase").on(t.phase),
  ],
);

/**
 * The agent of a cluster reached through one (connection mode `agent`): the join token until
 * the agent uses it, then the agent's credential (its hash only) and what the agent reports of
 * itself. One row per agent-mode cluster, gone with the cluster.
 */
export const clusterAgents = sqliteTable("cluster_agents", {
  clusterId: text("cluster_id").primaryKey(),
  /** AES-GCM sealed, so the install manifest can carry it until the agent joins; then null. */
  joinToken: text("join_token"),
  joinExpiresAt: integer("join_expires_at"),
  /** SHA-256 of the agent's credential; the credential itself is shown to the agent once. */
  credentialHash: text("credential_hash"),
  joinedAt: integer("joined_at"),
  lastSeenAt: integer("last_seen_at"),
  version: text("version"),
  /** The agent's clock minus ours at its last heartbeat, in milliseconds. */
  clockSkewMs: integer("clock_skew_ms"),
  /** The number of the agent's last accepted report: a report must carry a higher one. */
  lastReport: integer("last_report").notNull().default(0),
  /** When the agent was found silent (its cluster turned Unknown); cleared when it is heard again. */
  silentSince: integer("silent_since"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Work for an agent-mode cluster, in the order the agent must do it (`seq`, per cluster): one
 * call of the cluster channel (apply, delete, get or list objects, read the version or the API
 * groups). Delivery is at least once (an agent asks again from the last `seq` it finished); an
 * item is done once its report arrives, with what the cluster answered.
 */
export const agentWork = sqliteTable(
  "agent_work",
  {
    id: text("id").primaryKey(),
    clusterId: text("cluster_id").notNull(),
    seq: integer("seq").notNull(),
    op: text("op").$type<"apply" | "delete" | "get" | "list" | "version" | "apiGroups" | "proxyGet">().notNull(),
    /** apiVersion/kind/namespace/name of the object. */
    objectKey: text("object_key").notNull(),
    /** The object to apply (or, to delete, its reference). Never a secret value: see core/agents/work.ts. */
    object: text("object", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** SHA-256 of op and object: the same work asked twice while pending is queued once. */
    digest: text("digest").notNull(),
    state: text("state").$type<"Pending" | "Done" | "Failed">().notNull(),
    message: text("message"),
    /** What the cluster answered (the object read, the list, the version); never a Secret. */
    result: text("result", { mode: "json" }).$type<unknown>(),
    /** The API server's HTTP status when it refused the call. */
    status: integer("status"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("agent_work_seq").on(t.clusterId, t.seq),
    index("agent_work_state").on(t.clusterId, t.state),
    index("agent_work_digest").on(t.clusterId, t.digest),
  ],
);
