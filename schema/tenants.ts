import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { SecretSpecFields } from "../core/secrets/spec";
import type { TenantSpecFields } from "../core/tenants/spec";
import { resourceColumns } from "./columns";

/** Teams onboarded onto the fleet, Flux multi-tenancy style: a namespace, an identity and a Git source of their own. */
export const tenants = sqliteTable(
  "tenants",
  {
    ...resourceColumns<TenantSpecFields>(),
    /** The tenant's namespace on every cluster it is placed on; unique across tenants. */
    namespace: text("namespace").notNull(),
    /** Set when offboarding was requested; the row disappears once every cluster is clean. */
    deletionRequestedAt: integer("deletion_requested_at"),
  },
  (t) => [uniqueIndex("tenants_name").on(t.name), uniqueIndex("tenants_namespace").on(t.namespace)],
);

/**
 * One row per (tenant, cluster) the tenant is or was placed on. Verbs write `desired` and bump
 * `desiredRevision`; the placeTenant function converges the cluster to it and writes the rest
 * (state in Rancher Fleet's vocabulary). The row is removed once the tenant is gone from the
 * cluster.
 */
export const tenantPlacements = sqliteTable(
  "tenant_placements",
  {
    tenantId: text("tenant_id").notNull(),
    clusterId: text("cluster_id").notNull(),
    /** `present` or `absent`. */
    desired: text("desired").notNull(),
    desiredRevision: integer("desired_revision").notNull(),
    appliedRevision: integer("applied_revision").notNull(),
    state: text("state").notNull(),
    message: text("message").notNull(),
    /** Secret id → the version marker last applied as an ExternalSecret on this cluster. */
    appliedSecrets: text("applied_secrets", { mode: "json" }).$type<Record<string, string>>().notNull(),
    appliedAt: integer("applied_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.clusterId] }), index("tenant_placements_cluster").on(t.clusterId)],
);

/**
 * A tenant's secrets. Values live in AWS Secrets Manager only: this row holds metadata
 * (where the value is, its current version id, the key names), never a value.
 */
export const tenantSecrets = sqliteTable(
  "tenant_secrets",
  {
    ...resourceColumns<SecretSpecFields>(),
    tenantId: text("tenant_id").notNull(),
    /**
     * `managed` (Fleetplane wrote the value to Secrets Manager), `remote` (an existing key) or
     * `sealed` (delivered as SealedSecrets; the value is in `sealedValue`).
     */
    source: text("source").notNull(),
    /**
     * A `sealed` secret's value, encrypted with the store's key (SecretBox, the secret's id as
     * associated data) so it can be sealed for clusters placed later; never in plaintext.
     */
    sealedValue: text("sealed_value"),
    /** Secrets Manager name, ARN and current version id of a managed secret. */
    remoteName: text("remote_name"),
    arn: text("arn"),
    versionId: text("version_id"),
    keys: text("keys", { mode: "json" }).$type<string[]>().notNull(),
    deletionRequestedAt: integer("deletion_requested_at"),
  },
  (t) => [uniqueIndex("tenant_secrets_name").on(t.tenantId, t.name), index("tenant_secrets_tenant").on(t.tenantId)],
);
