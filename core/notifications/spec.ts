import { z } from "@hono/zod-openapi";
import { ConditionSchema, Labels, Name, ResourceMeta, type SpecOf } from "../resource";

export const PROVIDER_TYPES = ["webhook", "slack"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];
export const SEVERITIES = ["info", "warning"] as const;

const Url = z.string().min(1).max(2048);
const SigningSecret = z.string().min(16).max(512).openapi({
  description:
    "Write-only. Every delivery carries `X-Fleetplane-Signature: sha256=<hex>`, the HMAC-SHA256 of the body under this secret",
});

export const ProviderCreate = z
  .strictObject({
    name: Name,
    labels: Labels.optional(),
    type: z.enum(PROVIDER_TYPES).openapi({ description: "`webhook` (JSON, signed) or `slack` (incoming webhook)" }),
    url: Url.openapi({
      description:
        "Receiver URL (https, or http for hosts in FLEET_URL_ALLOW). For `slack` it is write-only: Slack's webhook URL is itself a credential",
      example: "https://alerts.example.com/fleetplane",
    }),
    signingSecret: SigningSecret.optional(),
  })
  .openapi("NotificationProviderCreate");
export type ProviderCreateInput = z.infer<typeof ProviderCreate>;

export const ProviderPatch = z
  .strictObject({
    labels: z.record(z.string(), z.string().nullable()).optional(),
    url: Url.optional(),
    signingSecret: SigningSecret.nullable().optional(),
  })
  .openapi("NotificationProviderPatch");
export type ProviderPatchInput = z.infer<typeof ProviderPatch>;

export const Provider = z
  .object({
    ...ResourceMeta,
    type: z.enum(PROVIDER_TYPES),
    url: z.string().openapi({ description: "The receiver URL; for `slack` only its origin" }),
    signed: z.boolean().openapi({ description: "Whether deliveries are signed (a signing secret is set)" }),
    status: z.object({ conditions: z.array(ConditionSchema), observedGeneration: z.int() }),
  })
  .openapi("NotificationProvider");

const RuleFields = {
  providers: z.array(Name).min(1).max(16).openapi({ description: "Provider names the matching events go to" }),
  reasons: z
    .array(z.string().min(1).max(64))
    .max(64)
    .optional()
    .openapi({ description: "Event reasons to send (e.g. DriftDetected, ClusterUnreachable); all when absent" }),
  resourceTypes: z
    .array(z.string().min(1).max(64))
    .max(16)
    .optional()
    .openapi({ description: "Resource types to send (Cluster, Tenant, …); all when absent" }),
  severities: z
    .array(z.enum(SEVERITIES))
    .min(1)
    .optional()
    .openapi({ description: "`warning` (Warning events) and/or `info` (Normal events); all when absent" }),
};

export const AlertRuleCreate = z
  .strictObject({ name: Name, labels: Labels.optional(), ...RuleFields })
  .openapi("AlertRuleCreate");
export type AlertRuleCreateInput = z.infer<typeof AlertRuleCreate>;

export const AlertRulePatch = z
  .strictObject({
    labels: z.record(z.string(), z.string().nullable()).optional(),
    providers: RuleFields.providers.optional(),
    reasons: RuleFields.reasons.unwrap().nullable().optional(),
    resourceTypes: RuleFields.resourceTypes.unwrap().nullable().optional(),
    severities: RuleFields.severities.unwrap().nullable().optional(),
  })
  .openapi("AlertRulePatch");

export const AlertRule = z
  .object({
    ...ResourceMeta,
    ...RuleFields,
    status: z.object({ conditions: z.array(ConditionSchema), observedGeneration: z.int() }),
  })
  .openapi("AlertRule");

export type ProviderSpecFields = SpecOf<z.infer<typeof Provider>>;
export type ProviderStatusFields = z.infer<typeof Provider>["status"];
export type AlertRuleSpecFields = SpecOf<z.infer<typeof AlertRule>>;
export type AlertRuleStatusFields = z.infer<typeof AlertRule>["status"];
