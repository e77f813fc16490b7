import { z } from "@hono/zod-openapi";
import { AddonRef, AddonRefs, AddonStatus } from "../addons/spec";
import { AgentStatus } from "../agents/spec";
import {
  EksSettings,
  FleetValues,
  KubernetesVersion,
  Provider,
  WorkerPool,
  WorkerPools,
} from "../cluster-classes/spec";
import { DriftPolicy, ReconcileInterval } from "../drift/spec";
import { ConditionSchema, Labels, Name, ResourceMeta, type SpecOf } from "../resource";

/** The lifecycle operations a cluster can be in the middle of (`status.operation.type`). */
export const OPERATION_TYPES = ["provision", "upgrade", "scale", "delete"] as const;

export const CLUSTER_PHASES = [
  "Pending",
  "Provisioning",
  "Provisioned",
  "Upgrading",
  "Deleting",
  "Failed",
  "Unknown",
] as const;
export type ClusterPhase = (typeof CLUSTER_PHASES)[number];

const Base64 = z.string().regex(/^[A-Za-z0-9+/=\s]+$/, "must be base64");

/**
 * How Fleetplane reaches a cluster: `direct` dials its API server; `agent` waits for the agent
 * installed in the cluster to dial out (private endpoints, and every cluster seen from Workers).
 */
export const CONNECTION_MODES = ["direct", "agent"] as const;

export const ConnectionInput = z
  .strictObject({
    mode: z.enum(CONNECTION_MODES).optional().openapi({ description: "`direct` (the default) or `agent`" }),
    server: z.string().max(2048).optional().openapi({ example: "https://api.prod-eu.example.com:6443" }),
    caData: Base64.max(64 * 1024)
      .optional()
      .openapi({ description: "Base64 of the PEM CA bundle that signs the API server's certificate. Write-only." }),
    token: z
      .string()
      .min(1)
      .max(16 * 1024)
      .optional()
      .openapi({ description: "Bearer token for the API server. Write-only: stored encrypted, never returned." }),
  })
  .superRefine((connection, ctx) => {
    const fields = ["server", "caData", "token"] as const;
    if (connection.mode === "agent") {
      for (const field of fields.filter((f) => connection[f] !== undefined)) {
        ctx.addIssue({ code: "custom", path: [field], message: "not used in agent mode: the agent dials out" });
      }
      return;
    }
    for (const field of ["server", "token"] as const) {
      if (connection[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: "required" });
    }
  })
  .openapi("ClusterConnectionInput");

/** Per-cluster overrides of the class's EKS settings; each field replaces the class's. */
export const EksOverrides = EksSettings.partial().openapi("EksOverrides");

export const ClusterCreate = z
  .strictObject({
    name: Name,
    class: z.string().min(1).max(64).optional().openapi({
      description:
        "Cluster class name or id. Optional for an existing cluster (provider `imported`): without it the cluster joins the built-in `imported` class, created on first use",
      example: "eks-cluster-class",
    }),
    provider: Provider.optional().openapi({ description: "Taken from the class when omitted" }),
    environment: Name.optional().openapi({ example: "production" }),
    region: z.string().min(1).max(64).optional().openapi({ example: "eu-west-1" }),
    version: KubernetesVersion.optional(),
    workers: WorkerPools.optional(),
    labels: Labels.optional(),
    wave: z.int().min(0).max(1000).optional().openapi({ description: "Rollout wave hint" }),
    connection: ConnectionInput.optional().openapi({ description: "For imported clusters only" }),
    eks: EksOverrides.optional().openapi({ description: "Overrides of the class's `eks` settings (provider eks)" }),
    values: FleetValues.optional().openapi({ description: "Fleet-config values; override the class's" }),
    addons: AddonRefs.optional().openapi({ description: "Add-on versions; override the class's and environment's" }),
    driftPolicy: DriftPolicy.optional(),
    reconcileInterval: ReconcileInterval.optional(),
  })
  .openapi("ClusterCreate");
export type ClusterCreateInput = z.infer<typeof ClusterCreate>;

/** JSON merge patch (RFC 7386): `null` removes an optional field or a label. */
export const ClusterPatch = z
  .strictObject({
    environment: Name.nullable().optional(),
    region: z.string().min(1).max(64).nullable().optional(),
    version: KubernetesVersion.nullable().optional(),
    workers: WorkerPools.nullable().optional(),
    labels: z.record(z.string(), z.string().nullable()).optional(),
    wave: z.int().min(0).max(1000).nullable().optional(),
    values: z.record(z.string(), z.string().nullable()).nullable().optional(),
    addons: AddonRefs.nullable().optional(),
    driftPolicy: DriftPolicy.nullable().optional(),
    reconcileInterval: ReconcileInterval.nullable().optional(),
    connection: z
      .strictObject({
        server: z.string().max(2048).optional(),
        caData: Base64.max(64 * 1024)
          .nullable()
          .optional(),
        token: z
          .string()
          .min(1)
          .max(16 * 1024)
          .optional(),
      })
      .optional(),
  })
  .openapi("ClusterPatch");
export type ClusterPatchInput = z.infer<typeof ClusterPatch>;

export const ClusterStatus = z
  .object({
    phase: z.enum(CLUSTER_PHASES),
    conditions: z.array(ConditionSchema),
    observedGeneration: z.int(),
    agent: AgentStatus.optional().openapi({ description: "What the agent of an agent-mode cluster last reported" }),
    serverVersion: z.string().optional().openapi({ description: "gitVersion reported by the API server" }),
    apiGroups: z.int().optional().openapi({ description: "API groups discovered on the cluster" }),
    lastConnectedAt: z.string().optional(),
    version: z.string().optional().openapi({ description: "Kubernetes version the control plane runs" }),
    endpoint: z.string().optional().openapi({ description: "API server URL of a provisioned cluster" }),
    operation: z
      .object({
        type: z.enum(OPERATION_TYPES),
        step: z.string(),
        target: z.string().optional(),
        updateId: z.string().optional(),
      })
      .optional()
      .openapi({ description: "The lifecycle operation in progress and its current step" }),
    workers: z
      .array(
        z.object({
          name: z.string(),
          status: z.string(),
          version: z.string().optional(),
          replicas: z.int().optional(),
        }),
      )
      .optional()
      .openapi({ description: "Worker pools as the provider reports them" }),
    drift: z
      .object({
        state: z.enum(["Ready", "OutOfSync", "Modified", "Unknown"]),
        modified: z.int(),
        missing: z.int(),
        pruneCandidates: z.int(),
      })
      .optional()
      .openapi({ description: "The latest reconcile's drift in the per-cluster deployment states; details at /drift" }),
    addons: z
      .array(AddonStatus)
      .optional()
      .openapi({ description: "Each platform add-on: the version wanted and found, and its phase" }),
    addonCrdsKept: z
      .array(z.object({ name: z.string(), version: z.string(), sha256: z.string() }))
      .optional()
      .openapi({
        description:
          "Add-ons removed whose CRDs (and the objects of their kinds) were kept; `removeCrds: true` on the removed add-on deletes them",
      }),
  })
  .openapi("ClusterStatus");

export const Cluster = z
  .object({
    ...ResourceMeta,
    class: z.string(),
    provider: Provider,
    environment: z.string().optional(),
    region: z.string().optional(),
    version: z.string().optional(),
    workers: z.array(WorkerPool).optional(),
    wave: z.int().optional(),
    connection: z
      .object({ mode: z.enum(CONNECTION_MODES).optional(), server: z.string().optional() })
      .optional()
      .openapi({ description: "The mode, and for `direct` the server URL: credentials are never returned" }),
    eks: EksOverrides.optional(),
    values: z.record(z.string(), z.string()).optional(),
    addons: z.array(AddonRef).optional(),
    driftPolicy: DriftPolicy.optional(),
    reconcileInterval: z.string().optional(),
    status: ClusterStatus,
  })
  .openapi("Cluster");

export type ClusterSpecFields = SpecOf<z.infer<typeof Cluster>>;
export type ClusterStatusFields = z.infer<typeof ClusterStatus>;

/** What is sealed in `clusters.credentials`: everything needed to reach an imported cluster. */
export interface ClusterCredentials {
  server: string;
  caData?: string;
  token: string;
}
