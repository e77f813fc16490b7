import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import {
  alertRuleToWire,
  createAlertRule,
  createProvider,
  deleteAlertRule,
  deleteProvider,
  getAlertRule,
  getProvider,
  listAlertRules,
  listProviders,
  patchAlertRule,
  patchProvider,
  providerToWire,
} from "../../core/notifications/verbs";
import type { AppEnv } from "../platform/env";
import { parseIfMatch } from "../platform/middleware";
import { validationHook } from "../platform/validation";
import { pageResponse, resourceResponse } from "../respond";
import * as r from "./notifications.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
type Handler<R extends Parameters<typeof routes.openapi>[0]> = RouteHandler<R, AppEnv>;

const createProviderHandler: Handler<typeof r.createNotificationProviderRoute> = async (c) => {
  const row = await createProvider(c.get("ctx"), c.req.valid("json"));
  c.header("location", `/v1/notification-providers/${row.id}`);
  return resourceResponse(c, providerToWire(row), 201);
};
const listProvidersHandler: Handler<typeof r.listNotificationProvidersRoute> = async (c) =>
  pageResponse(c, await listProviders(c.get("ctx"), c.req.valid("query")), providerToWire);
const getProviderHandler: Handler<typeof r.getNotificationProviderRoute> = async (c) =>
  resourceResponse(c, providerToWire(await getProvider(c.get("ctx"), c.req.valid("param").ref)));
const patchProviderHandler: Handler<typeof r.patchNotificationProviderRoute> = async (c) => {
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await patchProvider(c.get("ctx"), c.req.valid("param").ref, c.req.valid("json"), ifMatch);
  return resourceResponse(c, providerToWire(row));
};
const deleteProviderHandler: Handler<typeof r.deleteNotificationProviderRoute> = async (c) => {
  await deleteProvider(c.get("ctx"), c.req.valid("param").ref, parseIfMatch(c.req.valid("header")["if-match"]));
  return c.body(null, 204);
};

const createRuleHandler: Handler<typeof r.createAlertRuleRoute> = async (c) => {
  const row = await createAlertRule(c.get("ctx"), c.req.valid("json"));
  c.header("location", `/v1/alert-rules/${row.id}`);
  return resourceResponse(c, alertRuleToWire(row), 201);
};
const listRulesHandler: Handler<typeof r.listAlertRulesRoute> = async (c) =>
  pageResponse(c, await listAlertRules(c.get("ctx"), c.req.valid("query")), alertRuleToWire);
const getRuleHandler: Handler<typeof r.getAlertRuleRoute> = async (c) =>
  resourceResponse(c, alertRuleToWire(await getAlertRule(c.get("ctx"), c.req.valid("param").ref)));
const patchRuleHandler: Handler<typeof r.patchAlertRuleRoute> = async (c) => {
  const ifMatch = parseIfMatch(c.req.valid("header")["if-match"]);
  const row = await patchAlertRule(c.get("ctx"), c.req.valid("param").ref, c.req.valid("json"), ifMatch);
  return resourceResponse(c, alertRuleToWire(row));
};
const deleteRuleHandler: Handler<typeof r.deleteAlertRuleRoute> = async (c) => {
  await deleteAlertRule(c.get("ctx"), c.req.valid("param").ref, parseIfMatch(c.req.valid("header")["if-match"]));
  return c.body(null, 204);
};

export const notificationsRouter = routes
  .openapi(r.createNotificationProviderRoute, createProviderHandler)
  .openapi(r.listNotificationProvidersRoute, listProvidersHandler)
  .openapi(r.getNotificationProviderRoute, getProviderHandler)
  .openapi(r.patchNotificationProviderRoute, patchProviderHandler)
  .openapi(r.deleteNotificationProviderRoute, deleteProviderHandler)
  .openapi(r.createAlertRuleRoute, createRuleHandler)
  .openapi(r.listAlertRulesRoute, listRulesHandler)
  .openapi(r.getAlertRuleRoute, getRuleHandler)
  .openapi(r.patchAlertRuleRoute, patchRuleHandler)
  .openapi(r.deleteAlertRuleRoute, deleteRuleHandler);
