import { z } from "@hono/zod-openapi";
import { AddonRef, AddonRefs } from "../addons/spec";
import { Strategy } from "../applications/spec";
import { Labels, Name, ResourceMeta, type SpecOf } from "../resource";

export const PROVIDERS = ["eks", "capi", "imported"] as const;
export const Provider = z.enum(PROVIDERS).openapi({
  description: "`eks` (AWS EKS), `capi` (Cluster API on a management cluster) or `imported` (an existing cluster)",
});

export const KubernetesVersion = z
  .string()
  .regex(/^v?\d+\.\d+(\.\d+)?$/, "must look like 1.30 or 1.30.2")
  .openapi({ example: "1.30" });

export const WorkerPool = z
  .strictObject({
    name: Name,
    replicas: z.int().min(0).max(1000),
    instanceType: z.string().min(1).max(64).optional(),
    minReplicas: z.int().min(0).max(1000).optional(),
    maxReplicas: z.int().min(0).max(1000).optional(),
    labels: Labels.optional(),
  })
  .openapi("WorkerPool");

export const WorkerPools = z
  .array(WorkerPool)
  .max(32)
  .superRefine((pools, ctx) => {
    const seen = new Set<string>();
    pools.forEach((pool, i) => {
      if (seen.has(pool.name))
        ctx.addIssue({ code: "custom", message: `duplicate pool "${pool.name}"`, path: [i, "name"] });
      seen.add(pool.name);
      if (pool.minReplicas !== undefined && pool.maxReplicas !== undefined && pool.minReplicas > pool.maxReplicas) {
        ctx.addIssue({ code: "custom", message: "minReplicas must not exceed maxReplicas", path: [i, "minReplicas"] });
      }
    });
  });

const AwsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS-style region such as eu-west-1");

export const EksSettings = z
  .strictObject({
    roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "must be an IAM role ARN"),
    nodeRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "must be an IAM role ARN")
      .optional(),
    subnetIds: z
      .array(z.string().regex(/^subnet-[0-9a-f]+$/))
      .min(1)
      .max(16),
    securityGroupIds: z
      .array(z.string().regex(/^sg-[0-9a-f]+$/))
      .max(5)
      .optional(),
    endpointPublicAccess: z.boolean().optional(),
  })
  .openapi("EksSettings");

/** The fleet-config Git repository Flux on each cluster of the class follows. */
export const FleetConfigRepo = z
  .strictObject({
    url: z
      .string()
      .max(2048)
      .regex(/^(https|ssh):\/\/[^\s]+$/, "must be an https:// or ssh:// Git URL")
      .openapi({ example: "https://github.com/acme/fleet-config" }),
    branch: z.string().min(1).max(255).optional().openapi({ description: "Default `main`" }),
    interval: z
      .string()
      .regex(/^(\d+(ms|s|m|h))+$/, "must be a Go duration such as 1m or 1h30m")
      .optional()
      .openapi({ description: "How often Flux polls the repository; default `1m`" }),
    secretRef: Name.optional().openapi({ description: "Secret in flux-system with the Git credentials" }),
  })
  .openapi("FleetConfigRepo");

/** Where Cluster API clusters of the class are created. */
export const CapiSettings = z
  .strictObject({
    managementCluster: z
      .string()
      .min(1)
      .max(64)
      .openapi({ description: "Name or id of the fleet cluster that runs Cluster API", example: "mgmt" }),
    namespace: Name.optional().openapi({ description: "Namespace of the `Cluster` objects; default `clusters`" }),
    topologyClass: Name.openapi({ description: "The Cluster API ClusterClass", example: "eks-cluster-class" }),
  })
  .openapi("CapiSettings");

/**
 * Fleet-config values: substituted by Flux into the cluster's manifests (`${name}`). A cluster's
 * values override its class's.
 */
export const FleetValues = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a substitution variable name"), z.string().max(4096))
  .refine((values) => Object.keys(values).length <= 128, "at most 128 values")
  .openapi({ example: { logLevel: "info" } });

export const ClusterClassSpec = z
  .strictObject({
    name: Name,
    labels: Labels.optional(),
    description: z.string().max(1024).optional(),
    provider: Provider,
    region: AwsRegion.optional(),
    version: KubernetesVersion.optional().openapi({ description: "Default Kubernetes version of new clusters" }),
    workers: WorkerPools.optional().openapi({ description: "Default worker pools of new clusters" }),
    eks: EksSettings.optional(),
    capi: CapiSettings.optional(),
    fleetConfig: FleetConfigRepo.optional(),
    values: FleetValues.optional(),
    addons: AddonRefs.optional().openapi({
      description:
        "Platform add-ons of the class's clusters, with versions; default Flux, External Secrets and Kyverno (`[]`: none)",
    }),
    addonStrategy: Strategy.optional().openapi({
      description:
        "How a change of an add-on's version here rolls across the class's clusters: waves, budgets, bake time, approval, rollback (default: one wave per cluster `wave` hint, no failure tolerated)",
    }),
  })
  .openapi("ClusterClassInput");

export type ClusterClassInput = z.infer<typeof ClusterClassSpec>;

export const ClusterClassPatch = ClusterClassSpec.omit({ name: true, provider: true })
  .partial()
  .extend({
    // In a merge patch `null` removes an optional field.
    description: z.string().max(1024).nullable().optional(),
    region: AwsRegion.nullable().optional(),
    version: KubernetesVersion.nullable().optional(),
    workers: WorkerPools.nullable().optional(),
    eks: EksSettings.nullable().optional(),
    capi: CapiSettings.nullable().optional(),
    fleetConfig: FleetConfigRepo.nullable().optional(),
    values: FleetValues.nullable().optional(),
    addons: AddonRefs.nullable().optional(),
    addonStrategy: Strategy.nullable().optional(),
    labels: z.record(z.string(), z.string().nullable()).optional(),
  })
  .strict()
  .openapi("ClusterClassPatch");

export type ClusterClassPatchInput = z.infer<typeof ClusterClassPatch>;

export const ClusterClassStatus = z
  .object({
    conditions: z.array(z.any()),
    observedGeneration: z.int(),
  })
  .openapi("ClusterClassStatus");

export const ClusterClass = z
  .object({
    ...ResourceMeta,
    labels: Labels,
    description: z.string().optional(),
    provider: Provider,
    region: z.string().optional(),
    version: z.string().optional(),
    workers: z.array(WorkerPool).optional(),
    eks: EksSettings.optional(),
    capi: CapiSettings.optional(),
    fleetConfig: FleetConfigRepo.optional(),
    values: z.record(z.string(), z.string()).optional(),
    addons: z.array(AddonRef).optional(),
    addonStrategy: Strategy.optional(),
    status: ClusterClassStatus,
  })
  .openapi("ClusterClass");

export type ClusterClassSpecFields = SpecOf<z.infer<typeof ClusterClass>>;
export type ClusterClassStatusFields = z.infer<typeof ClusterClassStatus>;
