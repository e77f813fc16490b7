import { createRoute, z } from "@hono/zod-openapi";
import { Environment, EnvironmentPatch, EnvironmentSpec } from "../../core/environments/spec";
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

const tags = ["Environments"];
const json = jsonResponse;
const RECONCILES =
  "Every cluster whose `environment` is this one re-applies its fleet-config objects (a reconcile job each).";

export const createEnvironmentRoute = createRoute({
  operationId: "createEnvironment",
  method: "post",
  path: "/v1/environments",
  tags,
  summary: "Declare an environment",
  description: `Shared fleet-config values (class < environment < cluster) and optionally the repository for the clusters of one environment. ${RECONCILES}`,
  security: SECURITY,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: EnvironmentSpec } } },
  },
  responses: { 201: json(Environment, "Created"), ...errors(403, 409, 413, 415, 422) },
});

export const listEnvironmentsRoute = createRoute({
  operationId: "listEnvironments",
  method: "get",
  path: "/v1/environments",
  tags,
  summary: "List environments",
  security: SECURITY,
  request: { query: z.object({ ...PageQuery, labelSelector: LabelSelectorQuery }) },
  responses: { 200: json(pageOf(Environment, "EnvironmentList"), "A page of environments"), ...errors() },
});

export const getEnvironmentRoute = createRoute({
  operationId: "getEnvironment",
  method: "get",
  path: "/v1/environments/{ref}",
  tags,
  summary: "Get an environment by id or name",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 200: json(Environment, "The environment; ETag carries its revision"), ...errors(404) },
});

export const replaceEnvironmentRoute = createRoute({
  operationId: "replaceEnvironment",
  method: "put",
  path: "/v1/environments/{ref}",
  tags,
  summary: "Replace an environment",
  description: `\`name\` is immutable. ${RECONCILES}`,
  security: SECURITY,
  request: {
    params: RefParam,
    headers: IfMatchHeader,
    body: { required: true, content: { "application/json": { schema: EnvironmentSpec } } },
  },
  responses: { 200: json(Environment, "The replaced environment"), ...errors(403, 404, 409, 412, 413, 415, 422) },
});

export const patchEnvironmentRoute = createRoute({
  operationId: "patchEnvironment",
  method: "patch",
  path: "/v1/environments/{ref}",
  tags,
  summary: "Change an environment (JSON merge patch)",
  description: RECONCILES,
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader, body: mergePatchBody(EnvironmentPatch) },
  responses: { 200: json(Environment, "The updated environment"), ...errors(403, 404, 409, 412, 413, 415, 422) },
});

export const deleteEnvironmentRoute = createRoute({
  operationId: "deleteEnvironment",
  method: "delete",
  path: "/v1/environments/{ref}",
  tags,
  summary: "Delete an environment",
  description: "Its clusters keep their `environment` and fall back to their class's values; each re-applies.",
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader },
  responses: { 204: { description: "Deleted" }, ...errors(403, 404, 412) },
});
