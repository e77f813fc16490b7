import { createRoute, z } from "@hono/zod-openapi";
import { CLUSTER_PHASES, Cluster, ClusterCreate, ClusterPatch } from "../../core/clusters/spec";
import {
  errors,
  IdempotencyHeader,
  IfMatchHeader,
  jsonResponse,
  LabelSelectorQuery,
  mergePatchBody,
  PageQuery,
  pageOf,
  RefParam,
  SECURITY,
} from "../platform/openapi";

const tags = ["Clusters"];
const json = jsonResponse;

export const createClusterRoute = createRoute({
  operationId: "createCluster",
  method: "post",
  path: "/v1/clusters",
  tags,
  summary: "Register or provision a cluster",
  description:
    "Answers 202 with the cluster (its id readable at once); progress shows in `status`. Provider `imported` registers an existing cluster from `connection`.",
  security: SECURITY,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: ClusterCreate } } },
  },
  responses: {
    202: json(Cluster, "Accepted; the cluster's functions are queued"),
    ...errors(403, 409, 413, 415, 422),
  },
});

export const listClustersRoute = createRoute({
  operationId: "listClusters",
  method: "get",
  path: "/v1/clusters",
  tags,
  summary: "List clusters",
  security: SECURITY,
  request: {
    query: z.object({
      ...PageQuery,
      labelSelector: LabelSelectorQuery,
      environment: z.string().max(63).optional(),
      phase: z.enum(CLUSTER_PHASES).optional(),
    }),
  },
  responses: { 200: json(pageOf(Cluster, "ClusterList"), "A page of clusters"), ...errors() },
});

export const getClusterRoute = createRoute({
  operationId: "getCluster",
  method: "get",
  path: "/v1/clusters/{ref}",
  tags,
  summary: "Get a cluster by id or name",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 200: json(Cluster, "The cluster; ETag carries its revision"), ...errors(404) },
});

export const patchClusterRoute = createRoute({
  operationId: "patchCluster",
  method: "patch",
  path: "/v1/clusters/{ref}",
  tags,
  summary: "Change a cluster (JSON merge patch)",
  description: "`null` removes a field or label. Changing `connection` of an imported cluster reconnects it.",
  security: SECURITY,
  request: {
    params: RefParam,
    headers: IfMatchHeader,
    body: mergePatchBody(ClusterPatch),
  },
  responses: { 200: json(Cluster, "The updated cluster"), ...errors(403, 404, 409, 412, 413, 415, 422) },
});

export const deleteClusterRoute = createRoute({
  operationId: "deleteCluster",
  method: "delete",
  path: "/v1/clusters/{ref}",
  tags,
  summary: "Delete a cluster",
  description: "Answers 202 while deletion runs (phase `Deleting`); once gone, GET answers 404.",
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader },
  responses: { 202: json(Cluster, "Deletion accepted"), ...errors(403, 404, 412) },
});

export const ClusterManifests = z
  .object({
    cluster: z.string().openapi({ description: "Cluster id" }),
    path: z.string().optional().openapi({
      description: "Path of the cluster in the fleet-config repository",
      example: "./clusters/production/prod-eu-west-1",
    }),
    values: z.record(z.string(), z.string()).openapi({
      description:
        "Values substituted into the cluster's manifests after inheritance (class < environment < cluster < Fleetplane's own)",
    }),
    valueSources: z
      .record(z.string(), z.enum(["class", "environment", "cluster", "fleetplane"]))
      .openapi({ description: "Which layer each value came from" }),
    addons: z
      .array(
        z.object({
          name: z.string(),
          version: z.string(),
          namespace: z.string(),
          url: z.string().optional().openapi({ description: "The bundle named by a layer, when not the catalog's" }),
          source: z.enum(["default", "class", "environment", "cluster", "fleetplane", "hold"]).openapi({
            description:
              "The layer that decided it: `default` (the catalog's defaults), `class`, `environment`, `cluster`, `fleetplane` (Argo CD, because applications target the cluster), or `hold` (an add-on rollout keeps the cluster at this release until its wave, or after a rollback)",
          }),
          heldBy: z.string().optional().openapi({ description: "With `source: hold`: the rollout that holds it" }),
        }),
      )
      .openapi({ description: "The platform add-ons the cluster should run, after inheritance" }),
    removedAddons: z.array(z.object({ name: z.string(), removeCrds: z.boolean() })).openapi({
      description:
        "Add-ons a layer removed (`enabled: false`): their controllers are deleted; their CRDs only with `removeCrds`",
    }),
    objects: z.array(z.record(z.string(), z.unknown())).openapi({ description: "Kubernetes objects, rendered" }),
  })
  .openapi("ClusterManifests");

export const getClusterManifestsRoute = createRoute({
  operationId: "getClusterManifests",
  method: "get",
  path: "/v1/clusters/{ref}/manifests",
  tags,
  summary: "What Fleetplane wants on a cluster",
  description:
    "Every object Fleetplane applies to the cluster (Flux's fleet-config `GitRepository` and the cluster's `Kustomization`), rendered, with the values that produced them.",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 200: json(ClusterManifests, "The rendered objects and their values"), ...errors(404) },
});

export const reconcileClusterRoute = createRoute({
  operationId: "reconcileCluster",
  method: "post",
  path: "/v1/clusters/{ref}/reconcile",
  tags,
  summary: "Reconcile a cluster now",
  description: "Queues a re-apply of what Fleetplane wants on the cluster; `FluxReady` follows in status. Answers 202.",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 202: json(Cluster, "Reconcile queued"), ...errors(403, 404, 409) },
});
