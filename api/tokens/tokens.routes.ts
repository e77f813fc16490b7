import { createRoute, z } from "@hono/zod-openapi";
import { Token, TokenCreate, TokenWithSecret } from "../../core/tokens/verbs";
import { errors, IdempotencyHeader, IdParam, jsonResponse, PageQuery, pageOf, SECURITY } from "../platform/openapi";

const tags = ["Tokens"];
const json = jsonResponse;

export const createTokenRoute = createRoute({
  operationId: "createToken",
  method: "post",
  path: "/v1/tokens",
  tags,
  summary: "Mint an admin token",
  description: "The secret `token` is in this response only; Fleetplane keeps its hash.",
  security: SECURITY,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: TokenCreate } } },
  },
  responses: { 201: json(TokenWithSecret, "Created"), ...errors(403, 413, 415, 422) },
});

export const listTokensRoute = createRoute({
  operationId: "listTokens",
  method: "get",
  path: "/v1/tokens",
  tags,
  summary: "List tokens (never their secrets)",
  security: SECURITY,
  request: { query: z.object(PageQuery) },
  responses: { 200: json(pageOf(Token, "TokenList"), "A page of tokens"), ...errors(403) },
});

export const getTokenRoute = createRoute({
  operationId: "getToken",
  method: "get",
  path: "/v1/tokens/{id}",
  tags,
  summary: "Get a token's metadata",
  security: SECURITY,
  request: { params: IdParam },
  responses: { 200: json(Token, "The token"), ...errors(403, 404) },
});

export const revokeTokenRoute = createRoute({
  operationId: "revokeToken",
  method: "delete",
  path: "/v1/tokens/{id}",
  tags,
  summary: "Revoke a token",
  security: SECURITY,
  request: { params: IdParam },
  responses: { 204: { description: "Revoked (also when it already was)" }, ...errors(403, 404, 409) },
});
