import { z } from "@hono/zod-openapi";
import { DriftPolicy } from "../drift/spec";
import { ConditionSchema, Labels, Name, ResourceMeta } from "../resource";
import { Duration } from "../tenants/spec";
import { SEALING_SCOPES } from "./sealing";

/** Keys of a Kubernetes Secret's `data`. */
const SecretKey = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[-._a-zA-Z0-9]+$/, "must be a valid Secret key: letters, digits, '-', '_' and '.'");

export const CREATION_POLICIES = ["Owner", "Orphan", "Merge", "None"] as const;

/** How a secret reaches its clusters: an ExternalSecret on AWS Secrets Manager, or a SealedSecret. */
export const DELIVERIES = ["external-secrets", "sealed-secrets"] as const;
export type Delivery = (typeof DELIVERIES)[number];
export const DELETION_POLICIES = ["Retain", "Delete", "Merge"] as const;

export const RemoteRef = z
  .strictObject({
    key: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[\w/+=.@-]+$/, "must be a Secrets Manager secret name")
      .openapi({ example: "prod/payments/db" }),
    property: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .openapi({ description: "JSON key inside the secret", example: "password" }),
    version: z.string().min(1).max(128).optional(),
  })
  .openapi("SecretRemoteRef");

const SecretFields = {
  name: Name.openapi({ example: "db-password" }),
  labels: Labels.optional(),
  namespace: Name.optional().openapi({ description: "Must be the tenant's namespace (the default)" }),
  delivery: z.enum(DELIVERIES).optional().openapi({
    description:
      "`external-secrets` (the default): the value goes to AWS Secrets Manager and reaches each cluster as an ExternalSecret. `sealed-secrets`: for fleets without a cloud secret store, the value is sealed for each cluster's sealed-secrets controller (its certificate, fetched from the cluster) and applied as a Bitnami SealedSecret; Fleetplane keeps it only encrypted with its own key, to seal it for clusters placed later. Cannot be changed.",
  }),
  scope: z.enum(SEALING_SCOPES).optional().openapi({
    description:
      "sealed-secrets only: where the controller may unseal it. `strict` (default): only as this Secret's name in the tenant's namespace; `namespace-wide`: any name in the namespace; `cluster-wide`: anywhere",
  }),
  data: z
    .record(SecretKey, z.string().max(65536))
    .refine((d) => Object.keys(d).length >= 1 && Object.keys(d).length <= 64, "between 1 and 64 keys")
    .refine((d) => JSON.stringify(d).length <= 65536, "at most 64 KiB in all (the Secrets Manager limit)")
    .optional()
    .openapi({
      description:
        "Write-only, never returned: stored in AWS Secrets Manager (external-secrets), or sealed for each cluster (sealed-secrets)",
      example: { password: "<write-only>" },
    }),
  remoteRef: RemoteRef.optional().openapi({ description: "An existing Secrets Manager key instead of `data`" }),
  refreshInterval: Duration.optional().openapi({
    description: "How often ESO re-reads the value; default `1h`",
    example: "1h",
  }),
  creationPolicy: z
    .enum(CREATION_POLICIES)
    .optional()
    .openapi({ description: "ExternalSecret target.creationPolicy; default `Owner`" }),
  deletionPolicy: z.enum(DELETION_POLICIES).optional().openapi({ description: "ExternalSecret target.deletionPolicy" }),
  driftPolicy: DriftPolicy.optional(),
};

export const SecretInput = z.strictObject(SecretFields).openapi("SecretInput");
export type SecretInputValue = z.infer<typeof SecretInput>;

export const SECRET_PHASES = ["Pending", "Ready", "NotReady", "Deleting"] as const;
export type SecretPhase = (typeof SECRET_PHASES)[number];

/** What the `spec` column holds: the input without name and labels (columns) and the write-only value. */
export type SecretSpecFields = Omit<SecretInputValue, "name" | "labels" | "data">;

export const Secret = z
  .object({
    ...ResourceMeta,
    labels: Labels,
    tenant: z.string().openapi({ description: "Tenant id" }),
    namespace: z.string().optional(),
    delivery: z.enum(DELIVERIES).optional().openapi({ description: "As written; absent means external-secrets" }),
    scope: z.enum(SEALING_SCOPES).optional().openapi({ description: "As written; absent means strict" }),
    remoteRef: RemoteRef.optional(),
    refreshInterval: z.string().optional(),
    creationPolicy: z.enum(CREATION_POLICIES).optional(),
    deletionPolicy: z.enum(DELETION_POLICIES).optional(),
    driftPolicy: DriftPolicy.optional(),
    keys: z.array(z.string()).openapi({ description: "Key names of the value (never the values)" }),
    secretsManager: z
      .object({ name: z.string(), arn: z.string(), versionId: z.string() })
      .optional()
      .openapi({ description: "Where a managed value lives; absent for remoteRef secrets" }),
    status: z
      .object({
        phase: z.enum(SECRET_PHASES),
        conditions: z.array(ConditionSchema),
        observedGeneration: z.int(),
        clusters: z.array(
          z.object({
            cluster: z.string(),
            clusterId: z.string(),
            state: z
              .string()
              .openapi({ description: "Fleet state of this secret's ExternalSecret or SealedSecret on the cluster" }),
          }),
        ),
      })
      .openapi("SecretStatus"),
  })
  .openapi("Secret");
