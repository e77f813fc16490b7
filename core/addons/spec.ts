import { z } from "@hono/zod-openapi";
import { ADDON_REASONS, reasonsDescription } from "../reasons";

export const AddonName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a lowercase RFC 1123 label")
  .openapi({ example: "flux" });

const AddonVersion = z
  .string()
  .min(1)
  .max(64)
  .regex(/^v?\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.-]+)?$/, "must be a release version such as 2.7.3")
  .openapi({ example: "2.7.3" });

/**
 * One add-on a cluster should run. On a class it declares the add-on; on an environment or a
 * cluster it overrides the version (or the bundle) of the class's, adds one, or removes one
 * with `enabled: false`.
 */
export const AddonRef = z
  .strictObject({
    name: AddonName,
    version: AddonVersion.optional().openapi({ description: "Default: the catalog's version for a known add-on" }),
    url: z.string().max(2048).optional().openapi({
      description:
        "The release manifest to install (https); required for add-ons the catalog does not know (flux, external-secrets, kyverno, argo-cd)",
      example: "https://github.com/cert-manager/cert-manager/releases/download/v1.19.1/cert-manager.yaml",
    }),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be a hex sha256 digest")
      .optional()
      .openapi({ description: "Digest the bundle must have; without it the first fetch pins it" }),
    namespace: z.string().min(1).max(63).optional().openapi({ description: "Where the add-on's controllers run" }),
    enabled: z.boolean().optional().openapi({
      description:
        "`false` removes an add-on the class declares: its controllers are deleted, its CRDs (and the objects of their kinds) kept",
    }),
    removeCrds: z.boolean().optional().openapi({
      description:
        "With `enabled: false`, also delete the add-on's CustomResourceDefinitions, and with them every object of their kinds on the cluster",
    }),
    adopt: z
      .boolean()
      .optional()
      .openapi({ description: "Take over an installation Fleetplane did not make (default: leave it alone)" }),
  })
  .openapi("AddonRef");
export type AddonRefInput = z.infer<typeof AddonRef>;

export const AddonRefs = z
  .array(AddonRef)
  .max(32)
  .superRefine((refs, ctx) => {
    const seen = new Set<string>();
    refs.forEach((ref, i) => {
      if (seen.has(ref.name))
        ctx.addIssue({ code: "custom", message: `duplicate add-on "${ref.name}"`, path: [i, "name"] });
      seen.add(ref.name);
    });
  });

export const ADDON_PHASES = ["Installing", "Upgrading", "Ready", "Degraded", "Failed"] as const;
export type AddonPhase = (typeof ADDON_PHASES)[number];

/** What the cluster runs of one add-on, as the install function last saw it. */
export const AddonStatus = z
  .object({
    name: z.string(),
    version: z.string().openapi({ description: "The version wanted" }),
    versionFound: z.string().optional().openapi({ description: "The version the controllers run" }),
    phase: z.enum(ADDON_PHASES),
    managed: z.boolean().openapi({ description: "Fleetplane installed it (false: found installed and left alone)" }),
    reason: z.string().openapi({ description: reasonsDescription(ADDON_REASONS) }),
    message: z.string(),
    sha256: z.string().optional().openapi({ description: "Digest of the bundle installed" }),
    since: z.string().openapi({ description: "When the phase last changed" }),
  })
  .openapi("AddonStatus");
export type AddonStatusValue = z.infer<typeof AddonStatus>;
