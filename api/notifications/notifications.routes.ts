import { createRoute, z } from "@hono/zod-openapi";
import {
  AlertRule,
  AlertRuleCreate,
  AlertRulePatch,
  Provider,
  ProviderCreate,
  ProviderPatch,
} from "../../core/notifications/spec";
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

const tags = ["Notifications"];
const json = jsonResponse;

export const createNotificationProviderRoute = createRoute({
  operationId: "createNotificationProvider",
  method: "post",
  path: "/v1/notification-providers",
  tags,
  summary: "Create a notification provider",
  security: SECURITY,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: ProviderCreate } } },
  },
  responses: { 201: json(Provider, "Created"), ...errors(403, 409, 413, 415, 422) },
});

export const listNotificationProvidersRoute = createRoute({
  operationId: "listNotificationProviders",
  method: "get",
  path: "/v1/notification-providers",
  tags,
  summary: "List notification providers",
  security: SECURITY,
  request: { query: z.object({ ...PageQuery, labelSelector: LabelSelectorQuery }) },
  responses: {
    200: json(pageOf(Provider, "NotificationProviderList"), "A page of notification providers"),
    ...errors(403),
  },
});

export const getNotificationProviderRoute = createRoute({
  operationId: "getNotificationProvider",
  method: "get",
  path: "/v1/notification-providers/{ref}",
  tags,
  summary: "Get a notification provider by id or name",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 200: json(Provider, "The notification provider"), ...errors(403, 404) },
});

export const patchNotificationProviderRoute = createRoute({
  operationId: "patchNotificationProvider",
  method: "patch",
  path: "/v1/notification-providers/{ref}",
  tags,
  summary: "Change a notification provider (JSON merge patch)",
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader, body: mergePatchBody(ProviderPatch) },
  responses: { 200: json(Provider, "The updated notification provider"), ...errors(403, 404, 409, 412, 413, 415, 422) },
});

export const deleteNotificationProviderRoute = createRoute({
  operationId: "deleteNotificationProvider",
  method: "delete",
  path: "/v1/notification-providers/{ref}",
  tags,
  summary: "Delete a notification provider",
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader },
  responses: { 204: { description: "Deleted" }, ...errors(403, 404, 409, 412) },
});

export const createAlertRuleRoute = createRoute({
  operationId: "createAlertRule",
  method: "post",
  path: "/v1/alert-rules",
  tags,
  summary: "Create an alert rule",
  security: SECURITY,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: AlertRuleCreate } } },
  },
  responses: { 201: json(AlertRule, "Created"), ...errors(403, 409, 413, 415, 422) },
});

export const listAlertRulesRoute = createRoute({
  operationId: "listAlertRules",
  method: "get",
  path: "/v1/alert-rules",
  tags,
  summary: "List alert rules",
  security: SECURITY,
  request: { query: z.object({ ...PageQuery, labelSelector: LabelSelectorQuery }) },
  responses: { 200: json(pageOf(AlertRule, "AlertRuleList"), "A page of alert rules"), ...errors(403) },
});

export const getAlertRuleRoute = createRoute({
  operationId: "getAlertRule",
  method: "get",
  path: "/v1/alert-rules/{ref}",
  tags,
  summary: "Get an alert rule by id or name",
  security: SECURITY,
  request: { params: RefParam },
  responses: { 200: json(AlertRule, "The alert rule"), ...errors(403, 404) },
});

export const patchAlertRuleRoute = createRoute({
  operationId: "patchAlertRule",
  method: "patch",
  path: "/v1/alert-rules/{ref}",
  tags,
  summary: "Change an alert rule (JSON merge patch)",
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader, body: mergePatchBody(AlertRulePatch) },
  responses: { 200: json(AlertRule, "The updated alert rule"), ...errors(403, 404, 409, 412, 413, 415, 422) },
});

export const deleteAlertRuleRoute = createRoute({
  operationId: "deleteAlertRule",
  method: "delete",
  path: "/v1/alert-rules/{ref}",
  tags,
  summary: "Delete an alert rule",
  security: SECURITY,
  request: { params: RefParam, headers: IfMatchHeader },
  responses: { 204: { description: "Deleted" }, ...errors(403, 404, 409, 412) },
});
