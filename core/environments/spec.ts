import { z } from "@hono/zod-openapi";
import { AddonRef, AddonRefs } from "../addons/spec";
import { Strategy } from "../applications/spec";
import { FleetConfigRepo, FleetValues } from "../cluster-classes/spec";
import { Labels, Name, ResourceMeta, type SpecOf } from "../resource";

export const EnvironmentSpec = z
  .strictObject({
    name: Name.openapi({ description: "Matched against clusters' `environment`", example: "production" }),
    labels: Labels.optional(),
    description: z.string().max(1024).optional(),
    values: FleetValues.optional().openapi({
      description:
        "Fleet-config values for the environment's clusters; override the class's, overridden by the cluster's",
    }),
    fleetConfig: FleetConfigRepo.optional().openapi({
      description: "The fleet-config repository for the environment's clusters, instead of the class's",
    }),
    addons: AddonRefs.optional().openapi({
      description: "Add-on versions for the environment's clusters: override the class's, overridden by the cluster's",
    }),
    addonStrategy: Strategy.optional().openapi({
      description:
        "How a change of an add-on's version here rolls across the environment's clusters: waves, budgets, bake time, approval, rollback (default: one wave per cluster `wave` hint, no failure tolerated)",
    }),
  })
  .openapi("EnvironmentSpec");
export type EnvironmentInput = z.infer<typeof EnvironmentSpec>;

export const EnvironmentPatch = z
  .strictObject({
    labels: z.record(z.string(), z.string().nullable()).optional(),
    description: z.string().max(1024).nullable().optional(),
    values: z.record(z.string(), z.string().nullable()).nullable().optional(),
    fleetConfig: z.record(z.string(), z.unknown()).nullable().optional(),
    addons: AddonRefs.nullable().optional(),
    addonStrategy: Strategy.nullable().optional(),
  })
  .openapi("EnvironmentPatch");

export const Environment = z
  .object({
    ...ResourceMeta,
    labels: Labels,
    description: z.string().optional(),
    values: z.record(z.string(), z.string()).optional(),
    fleetConfig: FleetConfigRepo.optional(),
    addons: z.array(AddonRef).optional(),
    addonStrategy: Strategy.optional(),
    status: z
      .object({
        observedGeneration: z.int(),
        clusters: z.int().openapi({ description: "Clusters whose `environment` is this one" }),
      })
      .openapi("EnvironmentStatus"),
  })
  .openapi("Environment");

export type EnvironmentSpecFields = SpecOf<z.infer<typeof Environment>>;
