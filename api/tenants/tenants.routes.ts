import { createRoute, z } from "@hono/zod-openapi";
import { Tenant, TenantCreate, TenantPatch } from "../../core/tenants/spec";
import { TokenCreate, TokenWithSecret } from "../../core/tokens/verbs";
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

const tags = ["Tenants"];
const json = jsonResponse;

export const createTenantRoute = createRoute({
  operationId: "createTenant",
  method: "post",
  path: "/v1/tenants",
  tags,
  summary: "Onboard a tenant",
  description:
    "Answers 202: the tenant is placed on every cluster its `placement.labelSelector` matches (namespace, Flux account, role binding, GitRepository, Kustomization forced into its namespace) and follows the fleet as clusters join or change labels. Per-cluster progress is in `status.clusters`.",
  security: SECURITY,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: TenantCreate } } },
  },
  responses: { 202: json(Tenant, "Accepted; placement is queued"), ...errors(403, 409, 413, 415, 422) },
});

export const listTenantsRoute = createRoute({
  operationId: "listTenants",
  method: "get",
  path: "/v1/tenants",
  tags,
  summary: "List tenants",
  description: "A tenant-scoped token sees only its own tenant.",
  security: SECURITY,
  request: { query: z.object({ ...PageQuery, labelSelector: LabelSelectorQuery }) },
  responses: { 200: json(pageOf(Tenant, "TenantList"), "A page of tenants"), ...errors() },
});

export const getTenantRoute = createRoute({
  operationId: "getTenant",
  method: "get",
  path: "/v1/tenants/{ref}",
  tags,
  summary: "Get a tenant by id or name",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 200: json(Tenant, "The tenant with per-cluster state; ETag carries its revision"), ...errors(404) },
});

export const patchTenantRoute = createRoute({
  operationId: "patchTenant",
  method: "patch",
  path: "/v1/tenants/{ref}",
  tags,
  summary: "Change a tenant (JSON merge patch)",
  description:
    "A change of source, health checks or interval re-applies the tenant everywhere; a selector change moves it.",
  security: SECURITY,
  request: {
    params: RefParam,
    headers: IfMatchHeader,
    body: mergePatchBody(TenantPatch),
  },
  responses: { 200: json(Tenant, "The updated tenant"), ...errors(403, 404, 409, 412, 413, 415, 422) },
});

export const deleteTenantRoute = createRoute({
  operationId: "deleteTenant",
  method: "delete",
  path: "/v1/tenants/{ref}",
  tags,
  summary: "Offboard a tenant",
  description:
    "Answers 202 (phase `Deleting`): each cluster removes the Kustomization first (Flux prunes), then the source, secrets, binding, account and namespace. Once every cluster is clean, GET answers 404.",
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader },
  responses: { 202: json(Tenant, "Offboarding accepted"), ...errors(403, 404, 412) },
});

export const createTenantTokenRoute = createRoute({
  operationId: "createTenantToken",
  method: "post",
  path: "/v1/tenants/{ref}/tokens",
  tags,
  summary: "Mint a token scoped to this tenant",
  description:
    "The token reads its own tenant and manages its own secrets; every other tenant's resources answer 404 and platform writes 403. The secret `token` is in this response only.",
  security: SECURITY,
  request: {
    params: RefParam,
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: TokenCreate } } },
  },
  responses: { 201: json(TokenWithSecret, "Created"), ...errors(403, 404, 409, 413, 415, 422) },
});
