import { OpenAPIHono, type RouteHandler } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { eventCursor, eventToWire, listEvents } from "../../core/events-log";
import type { AppEnv } from "../platform/env";
import { validationHook } from "../platform/validation";
import { pageResponse } from "../respond";
import { listEventsRoute, streamEventsRoute } from "./events.routes";

const routes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const list: RouteHandler<typeof listEventsRoute, AppEnv> = async (c) =>
  pageResponse(c, await listEvents(c.get("ctx"), c.req.valid("query")), eventToWire);

/** A comment line this often keeps proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

const stream: RouteHandler<typeof streamEventsRoute, AppEnv> = async (c) => {
  const ctx = c.get("ctx");
  const { config } = ctx;
  const started = ctx.now();
  // Built before the stream opens, so a bad `since` is a 400 problem, not a broken stream.
  const next = eventCursor(
    ctx,
    { ...c.req.valid("query"), lastEventId: c.req.valid("header")["last-event-id"] },
    started,
  );
  return streamSSE(c, async (sse) => {
    let open = true;
    sse.onAbort(() => {
      open = false;
    });
    await sse.write(`retry: ${Math.max(1000, config.streamPollMs)}\n\n`);
    let quietSince = ctx.now();
    while (open && ctx.now() - started < config.streamMaxMs) {
      const found = await next();
      for (const row of found) {
        await sse.writeSSE({ id: row.id, data: JSON.stringify(eventToWire(row)) });
      }
      if (found.length > 0) quietSince = ctx.now();
      else if (ctx.now() - quietSince >= KEEP_ALIVE_MS) {
        await sse.write(": keep-alive\n\n");
        quietSince = ctx.now();
      }
      await sse.sleep(config.streamPollMs);
    }
  }) as never;
};

export const eventsRouter = routes.openapi(listEventsRoute, list).openapi(streamEventsRoute, stream);
