import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import {
  createSecret,
  deleteSecret,
  getSecret,
  listSecrets,
  replaceSecret,
  secretToWire,
  secretWire,
} from "../../core/secrets/verbs";
import { placementsOf } from "../../core/tenants/read";
import type { AppEnv } from "../platform/env";
import { parseIfMatch } from "../platform/middleware";
import { validationHook } from "../platform/validation";
import { resourceResponse } from "../respond";
import {
  createSecretRoute,
  deleteSecretRoute,
  getSecretRoute,
  listSecretsRoute,
  replaceSecretRoute,
} from "./secrets.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
type Handler<R extends Parameters<typeof routes.openapi>[0]> = RouteHandler<R, AppEnv>;

const create: Handler<typeof createSecretRoute> = async (c) => {
  const ctx = c.get("ctx");
  const { ref } = c.req.valid("param");
  const row = await createSecret(ctx, ref, c.req.valid("json"));
  c.header("location", `/v1/tenants/${row.tenantId}/secrets/${row.id}`);
  return resourceResponse(c, await secretWire(ctx, row), 202);
};

const list: Handler<typeof listSecretsRoute> = async (c) => {
  const ctx = c.get("ctx");
  const page = await listSecrets(ctx, c.req.valid("param").ref, c.req.valid("query"));
  const tenantId = page.items[0]?.tenantId;
  const placements = tenantId ? ((await placementsOf(ctx, [tenantId])).get(tenantId) ?? []) : [];
  return c.json(
    {
      items: page.items.map((s) => secretToWire(s, placements)),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    },
    200,
  );
};

const get: Handler<typeof getSecretRoute> = async (c) => {
  const ctx = c.get("ctx");
  const { ref, secretRef } = c.req.valid("param");
  const { row } = await getSecret(ctx, ref, secretRef);
  return resourceResponse(c, await secretWire(ctx, row));
};

const replace: Handler<typeof replaceSecretRoute> = async (c) => {
  const ctx = c.get("ctx");
  const { ref, secretRef } = c.req.valid("param");
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await replaceSecret(ctx, ref, secretRef, c.req.valid("json"), ifMatch);
  return resourceResponse(c, await secretWire(ctx, row));
};

const remove: Handler<typeof deleteSecretRoute> = async (c) => {
  const ctx = c.get("ctx");
  const { ref, secretRef } = c.req.valid("param");
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await deleteSecret(ctx, ref, secretRef, ifMatch);
  return resourceResponse(c, await secretWire(ctx, row), 202);
};

export const secretsRouter = routes
  .openapi(createSecretRoute, create)
  .openapi(listSecretsRoute, list)
  .openapi(getSecretRoute, get)
  .openapi(replaceSecretRoute, replace)
  .openapi(deleteSecretRoute, remove);
