import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, gte, inArray, or, type SQL } from "drizzle-orm";
import { events } from "../schema";
import type { Ctx } from "./context";
import { ValidationError } from "./errors";
import { idFloor, timeOfId } from "./ids";
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

/** The filters a list and a stream share, and the tenant scope every read of the log gets. */
function eventWhere(
  ctx: Ctx,
  query: { resource?: string | undefined; reason?: string | undefined },
): (SQL | undefined)[] {
  return [
    query.resource ? or(eq(events.resourceId, query.resource), eq(events.resourceName, query.resource)) : undefined,
    query.reason ? inArray(events.reason, query.reason.split(",")) : undefined,
    // Tenant tokens see only what happened to their own resources (their tenant id is the scope).
    ctx.principal.role === "tenant" ? eq(events.resourceId, ctx.principal.tenantId ?? "") : undefined,
  ];
}

function parseSince(since: string | undefined): number | undefined {
  if (!since) return undefined;
  const at = Date.parse(since);
  if (Number.isNaN(at)) {
    throw new ValidationError("since must be an RFC 3339 timestamp", [
      { location: "query.since", message: "not a timestamp" },
    ]);
  }
  return at;
}

export async function listEvents(ctx: Ctx, query: ListEvents) {
  const pageSize = clampPageSize(query.pageSize);
  const filters = { resource: query.resource ?? "", reason: query.reason ?? "", since: query.since ?? "" };
  const after = decodePageToken(query.pageToken, filters);
  const since = parseSince(query.since);
  const where: (SQL | undefined)[] = [
    ...eventWhere(ctx, query),
    since !== undefined ? gte(events.at, since) : undefined,
    after ? gt(events.id, after) : undefined,
  ];
  const rows = await ctx.store
    .select()
    .from(events)
    .where(and(...where))
    .orderBy(asc(events.id))
    .limit(pageSize + 1);
  return toPage(rows, pageSize, filters);
}

/**
 * How far back each look at the log reaches behind the newest event already sent. An event's
 * id is minted before its batch commits, so an event can become visible after a later-minted
 * one was already sent; looking back this far (and skipping what was sent) delivers it anyway.
 */
export const STREAM_LOOK_BACK_MS = 5_000;
const STREAM_PAGE = 200;

export interface EventStreamQuery {
  resource?: string | undefined;
  reason?: string | undefined;
  /** Replay from this time; without it (and without `lastEventId`) the stream starts now. */
  since?: string | undefined;
  /** The last event the client got (`Last-Event-ID`): the stream resumes after it. */
  lastEventId?: string | undefined;
}

/**
 * A reader of the log for a stream: each `next()` returns the events that appeared since the
 * previous one, in id order, each once. The same filters and tenant scope as the list apply.
 */
export function eventCursor(ctx: Ctx, query: EventStreamQuery, now: number) {
  const base = eventWhere(ctx, query);
  const resumeAfter = query.lastEventId && /^evt_[0-9A-Z]{26}$/.test(query.lastEventId) ? query.lastEventId : undefined;
  const since = parseSince(query.since);
  // Where the stream starts: after the event the client last got, else at `since`, else now.
  let floor = resumeAfter ?? idFloor("evt", since ?? now);
  const sent = new Map<string, number>();
  let newest = resumeAfter ? timeOfId(resumeAfter) : (since ?? now);

  return async function next(): Promise<EventRow[]> {
    const found: EventRow[] = [];
    let after = floor;
    for (;;) {
      const rows = await ctx.store
        .select()
        .from(events)
        .where(and(...base, gt(events.id, after)))
        .orderBy(asc(events.id))
        .limit(STREAM_PAGE);
      for (const row of rows) {
        if (sent.has(row.id) || (resumeAfter !== undefined && row.id <= resumeAfter)) continue;
        sent.set(row.id, row.at);
        found.push(row);
        newest = Math.max(newest, timeOfId(row.id));
      }
      if (rows.length < STREAM_PAGE) break;
      after = (rows[rows.length - 1] as EventRow).id;
    }
    // Move the floor up to the look-back window behind the newest event sent, and forget the
    // sent ids below it (they cannot be returned again).
    const lowest = idFloor("evt", newest - STREAM_LOOK_BACK_MS);
    if (lowest > floor) floor = lowest;
    for (const id of sent.keys()) if (id <= floor) sent.delete(id);
    return found;
  };
}
