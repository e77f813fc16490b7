import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import { eventToWire, listEvents } from "../../core/events-log";
import type { AppEnv } from "../platform/env";
import { validationHook } from "../platform/validation";
import { pageResponse } from "../respond";
import { listEventsRoute } from "./events.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const list: RouteHandler<typeof listEventsRoute, AppEnv> = async (c) =>
  pageResponse(c, await listEvents(c.get("ctx"), c.req.valid("query")), eventToWire);

export const eventsRouter = routes.openapi(listEventsRoute, list);
