import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, gte, inArray, or, type SQL } from "drizzle-orm";
import { events } from "../schema";
import type { Ctx } from "./context";
import { ValidationError } from "./errors";
import { clampPageSize, decodePageToken, type PageRequest, toPage } from "./pagination";
import { EVENT_REASONS, reasonsDescription } from "./reasons";

export type EventRow = typeof events.$inferSelect;

export const EventSchema = z
  .object({
    id: z.string(),
    time: z.string(),
    type: z.enum(["Normal", "Warning"]),
    reason: z.string().openapi({ description: reasonsDescription(EVENT_REASONS) }),
    resource: z.object({ type: z.string(), id: z.string(), name: z.string().optional() }),
    actor: z.string().openapi({ description: "Token id, or `system` for functions and the scheduler" }),
    requestId: z.string().optional(),
    message: z.string(),
    diff: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("Event");

export function eventToWire(row: EventRow) {
  return {
    id: row.id,
    time: new Date(row.at).toISOString(),
    type: row.type as "Normal" | "Warning",
    reason: row.reason,
    resource: { type: row.resourceType, id: row.resourceId, ...(row.resourceName ? { name: row.resourceName } : {}) },
    actor: row.actor,
    ...(row.requestId ? { requestId: row.requestId } : {}),
    message: row.message,
    ...(row.diff ? { diff: row.diff } : {}),
  };
}

export interface ListEvents extends PageRequest {
  resource?: string | undefined;
  /** Comma-separated event reasons. */
  reason?: string | undefined;
  since?: string | undefined;
}

export async function listEvents(ctx: Ctx, query: ListEvents) {
  const pageSize = clampPageSize(query.pageSize);
  const filters = { resource: query.resource ?? "", reason: query.reason ?? "", since: query.since ?? "" };
  const after = decodePageToken(query.pageToken, filters);
  let since: number | undefined;
  if (query.since) {
    since = Date.parse(query.since);
    if (Number.isNaN(since)) {
      throw new ValidationError("since must be an RFC 3339 timestamp", [
        { location: "query.since", message: "not a timestamp" },
      ]);
    }
  }
  const where: (SQL | undefined)[] = [
    query.resource ? or(eq(events.resourceId, query.resource), eq(events.resourceName, query.resource)) : undefined,
    query.reason ? inArray(events.reason, query.reason.split(",")) : undefined,
    since !== undefined ? gte(events.at, since) : undefined,
    after ? gt(events.id, after) : undefined,
    // Tenant tokens see only what happened to their own resources (their tenant id is the scope).
    ctx.principal.role === "tenant" ? eq(events.resourceId, ctx.principal.tenantId ?? "") : undefined,
  ];
  const rows = await ctx.store
    .select()
    .from(events)
    .where(and(...where))
    .orderBy(asc(events.id))
    .limit(pageSize + 1);
  return toPage(rows, pageSize, filters);
}
