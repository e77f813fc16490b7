import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { startAddonRollout } from "../../core/addons/rollouts";
import { applicationWire, getApplication, listApplications } from "../../core/applications/read";
import { listRollouts, startRollout } from "../../core/applications/rollouts";
import { createApplication, deleteApplication, patchApplication } from "../../core/applications/verbs";
import { getRollout, listAddonRollouts, rolloutVerb } from "../../core/rollouts/verbs";
import { rolloutWire } from "../../core/rollouts/wire";
import type { AppEnv } from "../platform/env";
import { parseIfMatch } from "../platform/middleware";
import { validationHook } from "../platform/validation";
import { pageResponseOf, resourceResponse } from "../respond";
import {
  createApplicationRoute,
  deleteApplicationRoute,
  getApplicationRoute,
  getRolloutRoute,
  listAddonRolloutsRoute,
  listApplicationsRoute,
  listRolloutsRoute,
  patchApplicationRoute,
  rolloutVerbRoutes,
  startAddonRolloutRoute,
  startRolloutRoute,
} from "./applications.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
type Handler<R extends Parameters<typeof routes.openapi>[0]> = RouteHandler<R, AppEnv>;

const create: Handler<typeof createApplicationRoute> = async (c) => {
  const ctx = c.get("ctx");
  const row = await createApplication(ctx, c.req.valid("json"));
  c.header("location", `/v1/applications/${row.id}`);
  return resourceResponse(c, await applicationWire(ctx, row), 201);
};

const list: Handler<typeof listApplicationsRoute> = async (c) => {
  const ctx = c.get("ctx");
  const page = await listApplications(ctx, c.req.valid("query"));
  return await pageResponseOf(c, page, (a) => applicationWire(ctx, a));
};

const get: Handler<typeof getApplicationRoute> = async (c) => {
  const ctx = c.get("ctx");
  return resourceResponse(c, await applicationWire(ctx, await getApplication(ctx, c.req.valid("param").ref)));
};

const patch: Handler<typeof patchApplicationRoute> = async (c) => {
  const ctx = c.get("ctx");
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await patchApplication(ctx, c.req.valid("param").ref, c.req.valid("json"), ifMatch);
  return resourceResponse(c, await applicationWire(ctx, row));
};

const remove: Handler<typeof deleteApplicationRoute> = async (c) => {
  const ctx = c.get("ctx");
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await deleteApplication(ctx, c.req.valid("param").ref, ifMatch);
  return resourceResponse(c, await applicationWire(ctx, row), 202);
};

const start: Handler<typeof startRolloutRoute> = async (c) => {
  const ctx = c.get("ctx");
  const body = c.req.valid("json") ?? {};
  const { rollout, app } = await startRollout(ctx, c.req.valid("param").ref, body);
  c.header("location", `/v1/rollouts/${rollout.id}`);
  return resourceResponse(c, await rolloutWire(ctx, rollout, app), 202);
};

const listOfApp: Handler<typeof listRolloutsRoute> = async (c) => {
  const ctx = c.get("ctx");
  const { app, page } = await listRollouts(ctx, c.req.valid("param").ref, c.req.valid("query"));
  return await pageResponseOf(c, page, (r) => rolloutWire(ctx, r, app));
};

const listOfAddon: Handler<typeof listAddonRolloutsRoute> = async (c) => {
  const ctx = c.get("ctx");
  const name = c.req.valid("param").ref;
  const page = await listAddonRollouts(ctx, name, c.req.valid("query"));
  return await pageResponseOf(c, page, (r) => rolloutWire(ctx, r, { name }));
};

const startOfAddon: Handler<typeof startAddonRolloutRoute> = async (c) => {
  const ctx = c.get("ctx");
  const name = c.req.valid("param").ref;
  const rollout = await startAddonRollout(ctx, name, c.req.valid("json") ?? {});
  c.header("location", `/v1/rollouts/${rollout.id}`);
  return resourceResponse(c, await rolloutWire(ctx, rollout, { name }), 202);
};

const getOne: Handler<typeof getRolloutRoute> = async (c) => {
  const ctx = c.get("ctx");
  const { rollout, subject } = await getRollout(ctx, c.req.valid("param").id);
  return resourceResponse(c, await rolloutWire(ctx, rollout, subject));
};

let router = routes
  .openapi(createApplicationRoute, create)
  .openapi(listApplicationsRoute, list)
  .openapi(getApplicationRoute, get)
  .openapi(patchApplicationRoute, patch)
  .openapi(deleteApplicationRoute, remove)
  .openapi(startRolloutRoute, start)
  .openapi(listRolloutsRoute, listOfApp)
  .openapi(listAddonRolloutsRoute, listOfAddon)
  .openapi(startAddonRolloutRoute, startOfAddon)
  .openapi(getRolloutRoute, getOne);

for (const { verb, route } of rolloutVerbRoutes) {
  router = router.openapi(route, async (c: Context<AppEnv>) => {
    const ctx = c.get("ctx");
    const id = c.req.param("id") as string;
    const row = await rolloutVerb(ctx, id, verb);
    const { subject } = await getRollout(ctx, row.id);
    return resourceResponse(c, await rolloutWire(ctx, row, subject));
  });
}

export const applicationsRouter = router;
