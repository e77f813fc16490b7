import { z } from "@hono/zod-openapi";
import { DriftPolicy } from "../drift/spec";
import { ConditionSchema, Labels, Name, ResourceMeta, type SpecOf } from "../resource";
import { parseLabelSelector } from "../selector";

/** Flux's duration format (Go `time.ParseDuration` without fractions). */
export const Duration = z
  .string()
  .max(32)
  .regex(/^(\d+(ms|s|m|h))+$/, "must be a Go duration such as 1m or 1h30m")
  .openapi({ example: "5m" });

export const TenantSource = z
  .strictObject({
    url: z
      .string()
      .max(2048)
      .regex(/^(https|ssh):\/\/[^\s]+$/, "must be an https:// or ssh:// Git URL")
      .openapi({ example: "https://github.com/acme/payments-k8s" }),
    branch: z.string().min(1).max(255).optional().openapi({ description: "Default `main`", example: "main" }),
    path: z
      .string()
      .max(1024)
      .regex(/^(\.\/)?[A-Za-z0-9._\-/]*$/, "must be a path inside the repository")
      .refine((p) => !p.split("/").includes(".."), "must not leave the repository (`..`)")
      .optional()
      .openapi({ description: "Directory in the repository Flux builds; default the root", example: "./k8s" }),
    secretRef: Name.optional().openapi({
      description: "Secret in flux-system holding the Git credentials",
      example: "team-payments-github-token",
    }),
  })
  .openapi("TenantSource");

export const Placement = z
  .strictObject({
    labelSelector: z
      .string()
      .max(4096)
      .superRefine((selector, ctx) => {
        try {
          parseLabelSelector(selector);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : "invalid selector" });
        }
      })
      .openapi({
        description: 'Clusters whose labels match get the tenant; `""` matches every cluster',
        example: "tier=prod",
      }),
  })
  .openapi("TenantPlacement");

export const HealthCheck = z
  .strictObject({
    apiVersion: z.string().min(1).max(253).openapi({ example: "apps/v1" }),
    kind: z.string().min(1).max(63).openapi({ example: "Deployment" }),
    name: z.string().min(1).max(253).openapi({ example: "payments-api" }),
    namespace: Name.optional().openapi({ description: "Must be the tenant's namespace (the default)" }),
  })
  .openapi("TenantHealthCheck");

export const TenantCreate = z
  .strictObject({
    name: Name.openapi({ example: "team-payments" }),
    labels: Labels.optional(),
    namespace: Name.openapi({ description: "The tenant's namespace on every cluster", example: "team-payments" }),
    source: TenantSource,
    placement: Placement,
    healthChecks: z.array(HealthCheck).max(64).optional(),
    interval: Duration.optional().openapi({ description: "How often Flux reconciles the tenant; default `5m`" }),
    driftPolicy: DriftPolicy.optional(),
  })
  .openapi("TenantCreate");
export type TenantCreateInput = z.infer<typeof TenantCreate>;

/** JSON merge patch; `name` and `namespace` cannot change (they name objects on every cluster). */
export const TenantPatch = z
  .strictObject({
    labels: z.record(z.string(), z.string().nullable()).optional(),
    source: z
      .strictObject({
        url: z.string().optional(),
        branch: z.string().nullable().optional(),
        path: z.string().nullable().optional(),
        secretRef: z.string().nullable().optional(),
      })
      .optional(),
    placement: Placement.optional(),
    healthChecks: z.array(HealthCheck).max(64).nullable().optional(),
    interval: Duration.nullable().optional(),
    driftPolicy: DriftPolicy.nullable().optional(),
  })
  .openapi("TenantPatch");
export type TenantPatchInput = z.infer<typeof TenantPatch>;

/** Rancher Fleet's per-cluster deployment states, best first. */
export const CLUSTER_STATES = [
  "Ready",
  "NotReady",
  "Pending",
  "OutOfSync",
  "Modified",
  "WaitApplied",
  "ErrApplied",
] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];

export const TenantClusterStatus = z
  .object({
    cluster: z.string().openapi({ description: "Cluster name", example: "prod-eu-west-1" }),
    clusterId: z.string(),
    state: z.enum(CLUSTER_STATES),
    desired: z.enum(["present", "absent"]).openapi({ description: "`absent` while the tenant is removed from it" }),
    message: z.string(),
  })
  .openapi("TenantClusterStatus");

export const TENANT_PHASES = ["Pending", "Ready", "NotReady", "Deleting"] as const;
export type TenantPhase = (typeof TENANT_PHASES)[number];

export const Tenant = z
  .object({
    ...ResourceMeta,
    labels: Labels,
    namespace: z.string(),
    source: TenantSource,
    placement: Placement,
    healthChecks: z.array(HealthCheck).optional(),
    interval: z.string().optional(),
    driftPolicy: DriftPolicy.optional(),
    status: z
      .object({
        phase: z.enum(TENANT_PHASES),
        conditions: z.array(ConditionSchema),
        observedGeneration: z.int(),
        clusters: z.array(TenantClusterStatus),
        summary: z.object({ desired: z.int(), ready: z.int() }),
      })
      .openapi("TenantStatus"),
  })
  .openapi("Tenant");

/**
 * Namespaces no tenant may take: the ones every cluster has, and the ones the platform's own
 * controllers (Flux, External Secrets, Kyverno) live in.
 */
export const RESERVED_NAMESPACES = new Set([
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
  "flux-system",
  "external-secrets",
  "kyverno",
  "cert-manager",
  "fleetplane-system",
]);

/** Tenant names that would collide with the platform's own objects in flux-system. */
export const RESERVED_TENANT_NAMES = new Set(["fleet-config", "flux-system"]);

export type TenantSpecFields = SpecOf<z.infer<typeof Tenant>>;
