import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import { getDriftReport } from "../../core/drift/report";
import { RUNBOOK_PATH, renderPrometheusRule } from "../../core/monitoring/alerts";
import type { AppEnv } from "../platform/env";
import { validationHook } from "../platform/validation";
import { getClusterDriftRoute, getPrometheusRulesRoute } from "./drift.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const drift: RouteHandler<typeof getClusterDriftRoute, AppEnv> = async (c) =>
  c.json(await getDriftReport(c.get("ctx"), c.req.valid("param").ref), 200);

const prometheusRules: RouteHandler<typeof getPrometheusRulesRoute, AppEnv> = async (c) => {
  const { config } = c.get("ctx");
  const origin = config.publicUrl ?? new URL(c.req.url).origin;
  const runbookUrl = config.runbookUrl ?? `${origin.replace(/\/+$/, "")}${RUNBOOK_PATH}`;
  return c.json(renderPrometheusRule({ namespace: c.req.valid("query").namespace, runbookUrl }), 200);
};

export const driftRouter = routes
  .openapi(getClusterDriftRoute, drift)
  .openapi(getPrometheusRulesRoute, prometheusRules);
