import { createRoute, z } from "@hono/zod-openapi";
import { EventSchema } from "../../core/events-log";
import { errors, PageQuery, pageOf, SECURITY } from "../platform/openapi";

/** The filters the list and the stream share. */
const EventFilters = {
  resource: z.string().max(128).optional().openapi({ description: "Resource id or name" }),
  reason: z
    .string()
    .max(512)
    .regex(/^[A-Za-z]+(,[A-Za-z]+)*$/, "must be event reasons separated by commas")
    .optional()
    .openapi({
      description: "Only events with one of these reasons (comma-separated)",
      example: "AddonReady,AddonDegraded",
    }),
};

export const listEventsRoute = createRoute({
  operationId: "listEvents",
  method: "get",
  path: "/v1/events",
  tags: ["Events"],
  summary: "The audit and event log, oldest first",
  security: SECURITY,
  request: {
    query: z.object({
      ...PageQuery,
      ...EventFilters,
      since: z
        .string()
        .max(64)
        .optional()
        .openapi({ description: "RFC 3339 timestamp", example: "2026-11-26T00:00:00Z" }),
    }),
  },
  responses: {
    200: {
      description: "A page of events",
      content: { "application/json": { schema: pageOf(EventSchema, "EventList") } },
    },
    ...errors(),
  },
});

export const streamEventsRoute = createRoute({
  operationId: "streamEvents",
  method: "get",
  path: "/v1/events/stream",
  tags: ["Events"],
  summary: "The event log as it happens (server-sent events)",
  description:
    "A `text/event-stream` of new events, each as `id: <event id>` and `data: <Event JSON>`, with the list's filters and tenant scope. It starts now, or at `since`; sent again with `Last-Event-ID` (as `EventSource` does on reconnect) it resumes after that event. A comment line keeps it alive every 15 s, and it ends after `FLEET_STREAM_MAX_SECONDS` (the client reconnects).",
  security: SECURITY,
  request: {
    query: z.object({
      ...EventFilters,
      since: z
        .string()
        .max(64)
        .optional()
        .openapi({ description: "Replay from this RFC 3339 timestamp", example: "2026-11-26T00:00:00Z" }),
    }),
    headers: z.object({
      "last-event-id": z
        .string()
        .max(64)
        .regex(/^evt_[0-9A-Z]{26}$/, "must be an event id")
        .optional()
        .openapi({ description: "The last event received: the stream resumes after it" }),
    }),
  },
  responses: {
    200: {
      description: "The stream of events",
      content: { "text/event-stream": { schema: z.string() } },
    },
    ...errors(),
  },
});
