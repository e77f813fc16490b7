import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import {
  createEnvironment,
  deleteEnvironment,
  environmentWire,
  getEnvironment,
  listEnvironments,
  patchEnvironment,
  replaceEnvironment,
} from "../../core/environments/verbs";
import type { AppEnv } from "../platform/env";
import { parseIfMatch } from "../platform/middleware";
import { validationHook } from "../platform/validation";
import { pageResponseOf, resourceResponse } from "../respond";
import {
  createEnvironmentRoute,
  deleteEnvironmentRoute,
  getEnvironmentRoute,
  listEnvironmentsRoute,
  patchEnvironmentRoute,
  replaceEnvironmentRoute,
} from "./environments.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
type Handler<R extends Parameters<typeof routes.openapi>[0]> = RouteHandler<R, AppEnv>;

const create: Handler<typeof createEnvironmentRoute> = async (c) => {
  const ctx = c.get("ctx");
  const row = await createEnvironment(ctx, c.req.valid("json"));
  c.header("location", `/v1/environments/${row.id}`);
  return resourceResponse(c, await environmentWire(ctx, row), 201);
};

const list: Handler<typeof listEnvironmentsRoute> = async (c) => {
  const ctx = c.get("ctx");
  const page = await listEnvironments(ctx, c.req.valid("query"));
  return await pageResponseOf(c, page, (row) => environmentWire(ctx, row));
};

const get: Handler<typeof getEnvironmentRoute> = async (c) => {
  const ctx = c.get("ctx");
  return resourceResponse(c, await environmentWire(ctx, await getEnvironment(ctx, c.req.valid("param").ref)));
};

const replace: Handler<typeof replaceEnvironmentRoute> = async (c) => {
  const ctx = c.get("ctx");
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await replaceEnvironment(ctx, c.req.valid("param").ref, c.req.valid("json"), ifMatch);
  return resourceResponse(c, await environmentWire(ctx, row));
};

const patch: Handler<typeof patchEnvironmentRoute> = async (c) => {
  const ctx = c.get("ctx");
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await patchEnvironment(ctx, c.req.valid("param").ref, c.req.valid("json"), ifMatch);
  return resourceResponse(c, await environmentWire(ctx, row));
};

const remove: Handler<typeof deleteEnvironmentRoute> = async (c) => {
  await deleteEnvironment(c.get("ctx"), c.req.valid("param").ref, parseIfMatch(c.req.valid("header")["if-match"]));
  return c.body(null, 204);
};

export const environmentsRouter = routes
  .openapi(createEnvironmentRoute, create)
  .openapi(listEnvironmentsRoute, list)
  .openapi(getEnvironmentRoute, get)
  .openapi(replaceEnvironmentRoute, replace)
  .openapi(patchEnvironmentRoute, patch)
  .openapi(deleteEnvironmentRoute, remove);
