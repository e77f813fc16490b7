import { createRoute, z } from "@hono/zod-openapi";
import { DriftReportSchema } from "../../core/drift/spec";
import { errors, jsonResponse, RefParam, SECURITY } from "../platform/openapi";

export const getClusterDriftRoute = createRoute({
  operationId: "getClusterDrift",
  method: "get",
  path: "/v1/clusters/{ref}/drift",
  tags: ["Drift"],
  summary: "The cluster's latest drift report",
  description:
    "What the last reconcile found: every field of an object Fleetplane owns that differs on the cluster (with the field manager that changed it and an explanation), missing objects, objects no longer wanted, or `Unknown` when the cluster could not be read. History is in the events (`DriftDetected`, `DriftRepaired`, `DriftResolved`). A cluster never reconciled answers `NeverReconciled`.",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 200: jsonResponse(DriftReportSchema, "The latest drift report"), ...errors(403, 404) },
});

const PrometheusRuleSchema = z
  .object({
    apiVersion: z.literal("monitoring.coreos.com/v1"),
    kind: z.literal("PrometheusRule"),
    metadata: z.object({ name: z.string(), namespace: z.string(), labels: z.record(z.string(), z.string()) }),
    spec: z.object({
      groups: z.array(
        z.object({
          name: z.string(),
          rules: z.array(
            z.object({
              alert: z.string(),
              expr: z.string(),
              for: z.string(),
              labels: z.record(z.string(), z.string()),
              annotations: z.record(z.string(), z.string()),
            }),
          ),
        }),
      ),
    }),
  })
  .openapi("PrometheusRule");

export const getPrometheusRulesRoute = createRoute({
  operationId: "getPrometheusRules",
  method: "get",
  path: "/v1/monitoring/prometheus-rules",
  tags: ["Monitoring"],
  summary: "Fleetplane's alerts as a PrometheusRule",
  description:
    "Fleetplane's alerts over the series at `/metrics`, as a ready `PrometheusRule` (prometheus-operator); its `spec.groups` is also what a plain Prometheus loads as a rule file. Each alert names its object and links its section of the runbook at `/docs/runbook`: clusters unreachable, reconciles stuck, drift persisting, add-ons degraded, jobs dead-lettered, rollouts stopped by a gate or budget, waiting for approval or rolled back, and Flux objects out of sync or not reconciled for 15 minutes (Fleetplane exports Flux-compatible `gotk_*` series).",
  security: SECURITY,
  request: {
    query: z.object({
      namespace: z
        .string()
        .max(63)
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label")
        .optional()
        .openapi({ description: "Namespace of the rule object; default `monitoring`" }),
    }),
  },
  responses: { 200: jsonResponse(PrometheusRuleSchema, "The PrometheusRule object"), ...errors() },
});
