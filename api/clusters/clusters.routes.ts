import { createRoute, z } from "@hono/zod-openapi";
import { AgentJoinGrant } from "../../core/agents/spec";
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

/** The create answer: the cluster, and for `connection.mode: agent` its join token, this once. */
export const ClusterCreated = Cluster.extend({
  agentJoin: AgentJoinGrant.optional().openapi({
    description: "Only for `connection.mode: agent`, only in this response: the agent's one-time join token",
  }),
}).openapi("ClusterCreated");

export const createClusterRoute = createRoute({
  operationId: "createCluster",
  method: "post",
  path: "/v1/clusters",
  tags,
  summary: "Register or provision a cluster",
  description:
    "Answers 202 with the cluster (its id readable at once); progress shows in `status`. Provider `imported` registers an existing cluster from `connection`; with `connection.mode: agent` it joins through an agent installed in it, and the answer carries the agent's join token once.",
  security: SECURITY,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: ClusterCreate } } },
  },
  responses: {
    202: json(ClusterCreated, "Accepted; the cluster's functions are queued"),
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

export const getAgentManifestRoute = createRoute({
  operationId: "getClusterAgentManifest",
  method: "get",
  path: "/v1/clusters/{ref}/agent-manifest",
  tags,
  summary: "The manifest that installs a cluster's agent",
  description:
    "For `connection.mode: agent`: a namespace, service account, RBAC, a Secret with the join token and the agent Deployment, as YAML for `kubectl apply -f`. Admin only (it carries the join token); 409 once the agent has joined or the token expired.",
  security: SECURITY,
  request: {
    params: RefParam,
    query: z.object({
      image: z
        .string()
        .regex(/^[\w./:@-]+$/, "must be an image reference")
        .max(512)
        .optional()
        .openapi({ description: "The agent image to run (default: the host's FLEET_AGENT_IMAGE)" }),
    }),
  },
  responses: {
    200: { description: "The install manifest", content: { "application/yaml": { schema: z.string() } } },
    ...errors(403, 404, 409, 422),
  },
});

export const grantAgentJoinRoute = createRoute({
  operationId: "grantClusterAgentJoin",
  method: "post",
  path: "/v1/clusters/{ref}/agent-join",
  tags,
  summary: "A new join token for a cluster's agent",
  description:
    "Replaces an unused join token; when used, the new agent's credential replaces the old one (re-joining, or rotating the agent's credential). Shown once.",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 201: json(AgentJoinGrant, "The join token and where its manifest is"), ...errors(403, 404, 409, 422) },
});
