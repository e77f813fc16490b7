import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import { getTenant, listTenants, placementsOf, tenantToWire, tenantWire } from "../../core/tenants/read";
import { createTenant, createTenantToken, deleteTenant, patchTenant } from "../../core/tenants/verbs";
import type { AppEnv } from "../platform/env";
import { parseIfMatch } from "../platform/middleware";
import { validationHook } from "../platform/validation";
import { resourceResponse } from "../respond";
import {
  createTenantRoute,
  createTenantTokenRoute,
  deleteTenantRoute,
  getTenantRoute,
  listTenantsRoute,
  patchTenantRoute,
} from "./tenants.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
type Handler<R extends Parameters<typeof routes.openapi>[0]> = RouteHandler<R, AppEnv>;

const create: Handler<typeof createTenantRoute> = async (c) => {
  const ctx = c.get("ctx");
  const row = await createTenant(ctx, c.req.valid("json"));
  c.header("location", `/v1/tenants/${row.id}`);
  return resourceResponse(c, await tenantWire(ctx, row), 202);
};

const list: Handler<typeof listTenantsRoute> = async (c) => {
  const ctx = c.get("ctx");
  const page = await listTenants(ctx, c.req.valid("query"));
  const placements = await placementsOf(
    ctx,
    page.items.map((t) => t.id),
  );
  return c.json(
    {
      items: page.items.map((t) => tenantToWire(t, placements.get(t.id) ?? [])),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    },
    200,
  );
};

const get: Handler<typeof getTenantRoute> = async (c) => {
  const ctx = c.get("ctx");
  return resourceResponse(c, await tenantWire(ctx, await getTenant(ctx, c.req.valid("param").ref)));
};

const patch: Handler<typeof patchTenantRoute> = async (c) => {
  const ctx = c.get("ctx");
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await patchTenant(ctx, c.req.valid("param").ref, c.req.valid("json"), ifMatch);
  return resourceResponse(c, await tenantWire(ctx, row));
};

const remove: Handler<typeof deleteTenantRoute> = async (c) => {
  const ctx = c.get("ctx");
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await deleteTenant(ctx, c.req.valid("param").ref, ifMatch);
  return resourceResponse(c, await tenantWire(ctx, row), 202);
};

const mintToken: Handler<typeof createTenantTokenRoute> = async (c) => {
  const token = await createTenantToken(c.get("ctx"), c.req.valid("param").ref, c.req.valid("json"));
  c.header("cache-control", "no-store");
  return c.json(token, 201);
};

export const tenantsRouter = routes
  .openapi(createTenantRoute, create)
  .openapi(listTenantsRoute, list)
  .openapi(getTenantRoute, get)
  .openapi(patchTenantRoute, patch)
  .openapi(deleteTenantRoute, remove)
  .openapi(createTenantTokenRoute, mintToken);
