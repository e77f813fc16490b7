import { createRoute, z } from "@hono/zod-openapi";
import { ClusterClass, ClusterClassPatch, ClusterClassSpec, Provider } from "../../core/cluster-classes/spec";
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

const tags = ["Cluster classes"];
const json = jsonResponse;

export const createClusterClassRoute = createRoute({
  operationId: "createClusterClass",
  method: "post",
  path: "/v1/cluster-classes",
  tags,
  summary: "Create a cluster class",
  security: SECURITY,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: ClusterClassSpec } } },
  },
  responses: { 201: json(ClusterClass, "Created"), ...errors(403, 409, 413, 415, 422) },
});

export const listClusterClassesRoute = createRoute({
  operationId: "listClusterClasses",
  method: "get",
  path: "/v1/cluster-classes",
  tags,
  summary: "List cluster classes",
  security: SECURITY,
  request: { query: z.object({ ...PageQuery, labelSelector: LabelSelectorQuery, provider: Provider.optional() }) },
  responses: { 200: json(pageOf(ClusterClass, "ClusterClassList"), "A page of cluster classes"), ...errors() },
});

export const getClusterClassRoute = createRoute({
  operationId: "getClusterClass",
  method: "get",
  path: "/v1/cluster-classes/{ref}",
  tags,
  summary: "Get a cluster class by id or name",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 200: json(ClusterClass, "The cluster class"), ...errors(404) },
});

export const replaceClusterClassRoute = createRoute({
  operationId: "replaceClusterClass",
  method: "put",
  path: "/v1/cluster-classes/{ref}",
  tags,
  summary: "Replace a cluster class",
  description: "`name` and `provider` are immutable.",
  security: SECURITY,
  request: {
    params: RefParam,
    headers: IfMatchHeader,
    body: { required: true, content: { "application/json": { schema: ClusterClassSpec } } },
  },
  responses: { 200: json(ClusterClass, "The replaced cluster class"), ...errors(403, 404, 409, 412, 413, 415, 422) },
});

export const patchClusterClassRoute = createRoute({
  operationId: "patchClusterClass",
  method: "patch",
  path: "/v1/cluster-classes/{ref}",
  tags,
  summary: "Change a cluster class (JSON merge patch)",
  security: SECURITY,
  request: {
    params: RefParam,
    headers: IfMatchHeader,
    body: mergePatchBody(ClusterClassPatch),
  },
  responses: { 200: json(ClusterClass, "The updated cluster class"), ...errors(403, 404, 409, 412, 413, 415, 422) },
});

export const deleteClusterClassRoute = createRoute({
  operationId: "deleteClusterClass",
  method: "delete",
  path: "/v1/cluster-classes/{ref}",
  tags,
  summary: "Delete a cluster class that no cluster uses",
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader },
  responses: { 204: { description: "Deleted" }, ...errors(403, 404, 409, 412) },
});
