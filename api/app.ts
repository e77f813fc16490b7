import { OpenAPIHono } from "@hono/zod-openapi";
import { agentRouter } from "./agents/agents.handlers";
import { applicationsRouter } from "./applications/applications.handlers";
import { clusterClassesRouter } from "./cluster-classes/cluster-classes.handlers";
import { clustersRouter } from "./clusters/clusters.handlers";
import { driftRouter } from "./drift/drift.handlers";
import { environmentsRouter } from "./environments/environments.handlers";
import { eventsRouter } from "./events/events.handlers";
import { jobsRouter } from "./jobs/jobs.handlers";
import { notificationsRouter } from "./notifications/notifications.handlers";
import { mountDashboard, mountReference } from "./platform/dashboard";
import type { AppDeps, AppEnv } from "./platform/env";
import { idempotency } from "./platform/idempotency";
import { jsonBody, observeRequests, rateLimit, requestId, requireBearer } from "./platform/middleware";
import { handleError, problemResponse } from "./platform/problem";
import { validationHook } from "./platform/validation";
import { secretsRouter } from "./secrets/secrets.handlers";
import { tenantsRouter } from "./tenants/tenants.handlers";
import { tokensRouter } from "./tokens/tokens.handlers";

export const API_VERSION = "0.1.0";

export const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "Fleetplane API",
    version: API_VERSION,
    license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    description:
      "A control plane for fleets of Kubernetes clusters: cluster lifecycle, tenant onboarding, secrets wiring, wave rollouts and drift detection behind one REST API.\n\nErrors are RFC 9457 `application/problem+json` with a stable `code`. Writes honour `Idempotency-Key` (POST) and `If-Match` (PUT/PATCH/DELETE).",
  },
  servers: [{ url: "/" }],
};

/**
 * The one app both hosts serve. Hosts build the dependencies (store, dispatcher, secrets);
 * everything HTTP — auth, limits, idempotency, errors, docs — is decided here once.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use("*", requestId());
  app.use("*", async (c, next) => {
    c.set("log", deps.log);
    await next();
  });
  app.use("*", observeRequests(deps));
  app.onError(handleError);
  app.notFound((c) =>
    problemResponse(c, 404, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  );

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const ready = await deps.ready().catch(() => false);
    return ready
      ? c.json({ status: "ready" })
      : problemResponse(c, 503, "unavailable", "The store is not reachable or not migrated");
  });
  app.get("/metrics", async (c) =>
    c.text(await deps.metrics.render(deps.store, deps.now()), 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    }),
  );

  app.use("/agent/v1/*", jsonBody(deps));
  app.route("/", agentRouter(deps));
  app.use("/v1/*", requireBearer(deps), rateLimit(deps), jsonBody(deps), idempotency(deps));
  app.route("/", clusterClassesRouter);
  app.route("/", clustersRouter);
  app.route("/", environmentsRouter);
  app.route("/", tokensRouter);
  app.route("/", jobsRouter);
  app.route("/", eventsRouter);
  app.route("/", tenantsRouter);
  app.route("/", secretsRouter);
  app.route("/", applicationsRouter);
  app.route("/", driftRouter);
  app.route("/", notificationsRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An admin token, or a token scoped to one tenant",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "agentAuth", {
    type: "http",
    scheme: "bearer",
    description: "A cluster agent's credential, from `POST /agent/v1/join`",
  });
  app.doc31("/openapi.json", OPENAPI_INFO);
  mountReference(app, deps);
  mountDashboard(app, deps);
  return app;
}

export type App = ReturnType<typeof createApp>;
