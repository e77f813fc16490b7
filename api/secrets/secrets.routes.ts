import { createRoute, z } from "@hono/zod-openapi";
import { Secret, SecretInput } from "../../core/secrets/spec";
import {
  errors,
  IdempotencyHeader,
  IfMatchHeader,
  jsonResponse,
  LabelSelectorQuery,
  PageQuery,
  pageOf,
  RefParam,
  SECURITY,
} from "../platform/openapi";

const tags = ["Secrets"];
const json = jsonResponse;

const SecretParams = RefParam.extend({
  secretRef: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "secretRef", in: "path" }, description: "Secret id or name", example: "db-password" }),
});

export const createSecretRoute = createRoute({
  operationId: "createSecret",
  method: "post",
  path: "/v1/tenants/{ref}/secrets",
  tags,
  summary: "Add a secret to a tenant",
  description:
    "With `data` the value is stored in AWS Secrets Manager under `fleetplane/<tenant>/<secret>` (never in Fleetplane, never returned); with `remoteRef` an existing key is referenced. Every cluster the tenant is on gets an ExternalSecret in the tenant's namespace.",
  security: SECURITY,
  request: {
    params: RefParam,
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: SecretInput } } },
  },
  responses: { 202: json(Secret, "Accepted; the clusters are being wired"), ...errors(404, 409, 413, 415, 422, 503) },
});

export const listSecretsRoute = createRoute({
  operationId: "listSecrets",
  method: "get",
  path: "/v1/tenants/{ref}/secrets",
  tags,
  summary: "List a tenant's secrets (never their values)",
  security: SECURITY,
  request: { params: RefParam, query: z.object({ ...PageQuery, labelSelector: LabelSelectorQuery }) },
  responses: { 200: json(pageOf(Secret, "SecretList"), "A page of secrets"), ...errors(404) },
});

export const getSecretRoute = createRoute({
  operationId: "getSecret",
  method: "get",
  path: "/v1/tenants/{ref}/secrets/{secretRef}",
  tags,
  summary: "Get a secret's metadata",
  security: SECURITY,
  request: { params: SecretParams },
  responses: { 200: json(Secret, "The secret; ETag carries its revision"), ...errors(404) },
});

export const replaceSecretRoute = createRoute({
  operationId: "replaceSecret",
  method: "put",
  path: "/v1/tenants/{ref}/secrets/{secretRef}",
  tags,
  summary: "Replace a secret's settings; new `data` rotates it",
  description:
    "New `data` writes a new version to Secrets Manager and forces a refresh on every cluster (the ExternalSecret's `force-sync` annotation).",
  security: SECURITY,
  request: {
    params: SecretParams,
    headers: IfMatchHeader,
    body: { required: true, content: { "application/json": { schema: SecretInput } } },
  },
  responses: { 200: json(Secret, "The updated secret"), ...errors(404, 409, 412, 413, 415, 422, 503) },
});

export const deleteSecretRoute = createRoute({
  operationId: "deleteSecret",
  method: "delete",
  path: "/v1/tenants/{ref}/secrets/{secretRef}",
  tags,
  summary: "Delete a secret",
  description:
    "Answers 202: the ExternalSecrets are removed from every cluster, then the value is scheduled for deletion in Secrets Manager with a 7-day recovery window. Once done, GET answers 404.",
  security: SECURITY,
  request: { params: SecretParams, headers: IfMatchHeader },
  responses: { 202: json(Secret, "Deletion accepted"), ...errors(404, 412) },
});
