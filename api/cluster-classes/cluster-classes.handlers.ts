import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import {
  clusterClassToWire,
  createClusterClass,
  deleteClusterClass,
  getClusterClass,
  listClusterClassesWire,
  patchClusterClass,
  replaceClusterClass,
} from "../../core/cluster-classes/verbs";
import type { AppEnv } from "../platform/env";
import { parseIfMatch } from "../platform/middleware";
import { validationHook } from "../platform/validation";
import { resourceResponse, wirePageResponse } from "../respond";
import {
  createClusterClassRoute,
  deleteClusterClassRoute,
  getClusterClassRoute,
  listClusterClassesRoute,
  patchClusterClassRoute,
  replaceClusterClassRoute,
} from "./cluster-classes.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
type Handler<R extends Parameters<typeof routes.openapi>[0]> = RouteHandler<R, AppEnv>;

const create: Handler<typeof createClusterClassRoute> = async (c) => {
  const row = await createClusterClass(c.get("ctx"), c.req.valid("json"));
  c.header("location", `/v1/cluster-classes/${row.id}`);
  return resourceResponse(c, clusterClassToWire(row), 201);
};

// The page is the route's JSON, already rendered as text; its type is the schema's by construction.
const list: Handler<typeof listClusterClassesRoute> = async (c) =>
  wirePageResponse(c, await listClusterClassesWire(c.get("ctx"), c.req.valid("query"))) as never;

const get: Handler<typeof getClusterClassRoute> = async (c) =>
  resourceResponse(c, clusterClassToWire(await getClusterClass(c.get("ctx"), c.req.valid("param").ref)));

const replace: Handler<typeof replaceClusterClassRoute> = async (c) => {
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await replaceClusterClass(c.get("ctx"), c.req.valid("param").ref, c.req.valid("json"), ifMatch);
  return resourceResponse(c, clusterClassToWire(row));
};

const patch: Handler<typeof patchClusterClassRoute> = async (c) => {
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await patchClusterClass(c.get("ctx"), c.req.valid("param").ref, c.req.valid("json"), ifMatch);
  return resourceResponse(c, clusterClassToWire(row));
};

const remove: Handler<typeof deleteClusterClassRoute> = async (c) => {
  await deleteClusterClass(c.get("ctx"), c.req.valid("param").ref, parseIfMatch(c.req.valid("header")["if-match"]));
  return c.body(null, 204);
};

export const clusterClassesRouter = routes
  .openapi(createClusterClassRoute, create)
  .openapi(listClusterClassesRoute, list)
  .openapi(getClusterClassRoute, get)
  .openapi(replaceClusterClassRoute, replace)
  .openapi(patchClusterClassRoute, patch)
  .openapi(deleteClusterClassRoute, remove);
