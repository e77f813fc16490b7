import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import { createToken, getToken, listTokens, revokeToken, tokenToWire } from "../../core/tokens/verbs";
import type { AppEnv } from "../platform/env";
import { validationHook } from "../platform/validation";
import { pageResponse } from "../respond";
import { createTokenRoute, getTokenRoute, listTokensRoute, revokeTokenRoute } from "./tokens.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
type Handler<R extends Parameters<typeof routes.openapi>[0]> = RouteHandler<R, AppEnv>;

const create: Handler<typeof createTokenRoute> = async (c) => {
  const token = await createToken(c.get("ctx"), c.req.valid("json"));
  c.header("location", `/v1/tokens/${token.id}`);
  // A response carrying a secret must not be cached anywhere along the way.
  c.header("cache-control", "no-store");
  return c.json(token, 201);
};

const list: Handler<typeof listTokensRoute> = async (c) =>
  pageResponse(c, await listTokens(c.get("ctx"), c.req.valid("query")), tokenToWire);

const get: Handler<typeof getTokenRoute> = async (c) =>
  c.json(tokenToWire(await getToken(c.get("ctx"), c.req.valid("param").id)), 200);

const revoke: Handler<typeof revokeTokenRoute> = async (c) => {
  await revokeToken(c.get("ctx"), c.req.valid("param").id);
  return c.body(null, 204);
};

export const tokensRouter = routes
  .openapi(createTokenRoute, create)
  .openapi(listTokensRoute, list)
  .openapi(getTokenRoute, get)
  .openapi(revokeTokenRoute, revoke);
