import { z } from "@hono/zod-openapi";
import { Labels, Name, ResourceMeta } from "../resource";

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
    status: ClusterClassStatus,
  })
  .openapi("ClusterClass");
