import { z } from "@hono/zod-openapi";

/** A cluster's drift verdict: clean, objects missing or unwanted, fields changed, or not reachable. */
export type DriftState = "Ready" | "OutOfSync" | "Modified" | "Unknown";

export const DRIFT_POLICIES = ["report", "remediate"] as const;
export type DriftPolicyValue = (typeof DRIFT_POLICIES)[number];

export const DriftPolicy = z.enum(DRIFT_POLICIES).openapi({
  description:
    "What a reconcile does when objects this resource owns drifted on a cluster: `report` (the default) records and alerts; `remediate` also re-applies them (server-side apply, forced) and the next reconcile confirms",
  example: "report",
});

export const ReconcileInterval = z
  .string()
  .max(32)
  .regex(/^(\d+(s|m|h))+$/, "must be a Go duration of at least 1s, such as 5m or 1h30m")
  .refine((v) => (durationMs(v) ?? 0) >= 1000, "must be at least 1s")
  .openapi({
    description: "How often this cluster is reconciled; default the fleet's (FLEET_RECONCILE_INTERVAL_SECONDS, 5m)",
    example: "5m",
  });

export function policyOf(spec: Record<string, unknown> | undefined): DriftPolicyValue {
  return spec?.driftPolicy === "remediate" ? "remediate" : "report";
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style duration (`1h30m`, `90s`) in milliseconds; `undefined` for anything else. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^(\d+(ms|s|m|h))+$/.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(amount) * (UNIT_MS[unit!] ?? 0);
  return total;
}

export const DriftItemSchema = z
  .object({
    type: z.enum(["Modified", "Missing", "PruneCandidate"]),
    apiVersion: z.string(),
    kind: z.string(),
    namespace: z.string().nullable(),
    name: z.string(),
    owner: z
      .object({ type: z.string(), id: z.string(), name: z.string() })
      .nullable()
      .openapi({ description: "The Fleetplane resource the object exists for; null for prune candidates" }),
    path: z.string().nullable().openapi({ description: "Field path of a Modified item", example: ".spec.prune" }),
    desired: z.unknown().openapi({ description: "What Fleetplane applies at the path" }),
    live: z.unknown().openapi({ description: "What the cluster has at the path" }),
    manager: z
      .object({ name: z.string(), operation: z.string(), time: z.string().nullable() })
      .nullable()
      .openapi({ description: "The field manager that owns the path now, from metadata.managedFields" }),
    explanation: z.object({
      cause: z.enum(["ManualEdit", "OwnerConflict", "AdmissionMutation", "Deleted", "NoLongerWanted", "Unreachable"]),
      summary: z.string(),
      meaning: z.string(),
      remediation: z.string(),
    }),
  })
  .openapi("DriftItem");

export const DriftReportSchema = z
  .object({
    cluster: z.object({ id: z.string(), name: z.string() }),
    state: z.enum(["NeverReconciled", "Ready", "OutOfSync", "Modified", "Unknown"]).openapi({
      description:
        "Per-cluster deployment state: `Modified` (fields changed by someone else), `OutOfSync` (objects missing or no longer wanted), `Unknown` (the cluster could not be read; `reason` says why)",
    }),
    reason: z.string(),
    message: z.string(),
    reconciledAt: z.string().nullable(),
    durationSeconds: z.number().nullable(),
    items: z.array(DriftItemSchema),
    narrative: z
      .string()
      .nullable()
      .openapi({ description: "An LLM's narrative of the drift, when one is configured (FLEET_LLM_URL)" }),
  })
  .openapi("DriftReport");
