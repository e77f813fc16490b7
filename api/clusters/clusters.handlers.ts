import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import { agentManifest } from "../../core/agents/manifest";
import { grantAgentJoin, pendingJoinToken } from "../../core/agents/verbs";
import { deleteCluster } from "../../core/clusters/delete";
import { clusterManifests } from "../../core/clusters/manifests";
import { clusterToWire, getCluster, getClusterWire, listClustersWire } from "../../core/clusters/read";
import { requestReconcile } from "../../core/clusters/reconcile";
import { registerCluster } from "../../core/clusters/register";
import { patchCluster } from "../../core/clusters/update";
import type { AppEnv } from "../platform/env";
import { parseIfMatch } from "../platform/middleware";
import { validationHook } from "../platform/validation";
import { resourceResponse, wirePageResponse, wireResponse } from "../respond";
import {
  createClusterRoute,
  deleteClusterRoute,
  getAgentManifestRoute,
  getClusterManifestsRoute,
  getClusterRoute,
  grantAgentJoinRoute,
  listClustersRoute,
  patchClusterRoute,
  reconcileClusterRoute,
} from "./clusters.routes";

type Handler<R extends Parameters<typeof routes.openapi>[0]> = RouteHandler<R, AppEnv>;
const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const create: Handler<typeof createClusterRoute> = async (c) => {
  const { row, join } = await registerCluster(c.get("ctx"), c.req.valid("json"));
  c.header("location", `/v1/clusters/${row.id}`);
  // A join token is shown once: never cached, and never kept for an idempotent replay.
  if (join) c.header("cache-control", "no-store");
  return resourceResponse(c, { ...clusterToWire(row), ...(join ? { agentJoin: join } : {}) }, 202);
};

// The page is the route's JSON, already rendered as text; its type is the schema's by construction.
const list: Handler<typeof listClustersRoute> = async (c) =>
  wirePageResponse(c, await listClustersWire(c.get("ctx"), c.req.valid("query"))) as never;

const get: Handler<typeof getClusterRoute> = async (c) => {
  const { json, revision } = await getClusterWire(c.get("ctx"), c.req.valid("param").ref);
  // The body is the route's JSON, already rendered as text.
  return wireResponse(c, json, revision) as never;
};

const patch: Handler<typeof patchClusterRoute> = async (c) => {
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await patchCluster(c.get("ctx"), c.req.valid("param").ref, c.req.valid("json"), ifMatch);
  return resourceResponse(c, clusterToWire(row));
};

const remove: Handler<typeof deleteClusterRoute> = async (c) => {
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await deleteCluster(c.get("ctx"), c.req.valid("param").ref, ifMatch);
  return resourceResponse(c, clusterToWire(row), 202);
};

const manifests: Handler<typeof getClusterManifestsRoute> = async (c) => {
  const ctx = c.get("ctx");
  const cluster = await getCluster(ctx, c.req.valid("param").ref);
  const rendered = await clusterManifests(ctx, cluster);
  return c.json({ cluster: cluster.id, ...rendered }, 200);
};

const reconcile: Handler<typeof reconcileClusterRoute> = async (c) => {
  const row = await requestReconcile(c.get("ctx"), c.req.valid("param").ref);
  return resourceResponse(c, clusterToWire(row), 202);
};

const agentManifestYaml: Handler<typeof getAgentManifestRoute> = async (c) => {
  const ctx = c.get("ctx");
  const { cluster, token } = await pendingJoinToken(ctx, c.req.valid("param").ref);
  const url = ctx.config.publicUrl ?? new URL(c.req.url).origin;
  const image = c.req.valid("query").image ?? ctx.config.agentImage;
  c.header("cache-control", "no-store");
  return c.body(agentManifest({ clusterName: cluster.name, url, joinToken: token, image }), 200, {
    "content-type": "application/yaml; charset=utf-8",
  });
};

const agentJoin: Handler<typeof grantAgentJoinRoute> = async (c) => {
  const grant = await grantAgentJoin(c.get("ctx"), c.req.valid("param").ref);
  c.header("cache-control", "no-store");
  return c.json(grant, 201);
};

export const clustersRouter = routes
  .openapi(createClusterRoute, create)
  .openapi(listClustersRoute, list)
  .openapi(getClusterRoute, get)
  .openapi(patchClusterRoute, patch)
  .openapi(deleteClusterRoute, remove)
  .openapi(getClusterManifestsRoute, manifests)
  .openapi(reconcileClusterRoute, reconcile)
  .openapi(getAgentManifestRoute, agentManifestYaml)
  .openapi(grantAgentJoinRoute, agentJoin);
