import { createRoute, z } from "@hono/zod-openapi";
import { EventSchema } from "../../core/events-log";
import { errors, PageQuery, pageOf, SECURITY } from "../platform/openapi";

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
