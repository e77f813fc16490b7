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
