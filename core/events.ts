import type { SQL } from "drizzle-orm";
import { events } from "../schema";
import type { Ctx, Principal } from "./context";
import { insertIf } from "./guarded";
import { newId } from "./ids";
import type { ResourceKind } from "./kinds";
import type { EventReason } from "./reasons";
import { insertRow, type Store } from "./store";

export type EventType = "Normal" | "Warning";

export interface EventInput {
  type?: EventType;
  reason: EventReason;
  resourceType: ResourceKind;
  resourceId: string;
  resourceName?: string | null;
  message: string;
  diff?: Record<string, unknown>;
  actor: Principal | "system";
  requestId?: string;
  at: number;
}

/**
 * Builds the insert so callers put it in the same batch as the change it records; with a
 * guard it only lands if that change's compare-and-set matches (see insertIf).
 */
export function recordEvent(store: Store, input: EventInput, guard?: SQL) {
  const values: typeof events.$inferInsert = {
    id: newId("evt", input.at),
    at: input.at,
    type: input.type ?? "Normal",
    reason: input.reason,
    resourceType: input.resourceType,
    resourceId: input.resourceId,
    resourceName: input.resourceName ?? null,
    actor: input.actor === "system" ? "system" : input.actor.tokenId,
    requestId: input.requestId ?? null,
    message: input.message,
    diff: input.diff ?? null,
  };
  return guard ? insertIf(store, events, values, guard) : insertRow(store, events, values);
}

/** A shallow diff of two spec objects for the audit log: only keys whose JSON changed. */
export function specDiff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changed[key] = { from: before[key], to: after[key] };
    }
  }
  return changed;
}

/**
 * The audit event of a verb that changed a resource's spec or labels: who did it, and what
 * changed (the diff over spec fields and labels), landing only with the change (`guard`).
 */
export function updatedEvent(
  ctx: Pick<Ctx, "store" | "principal" | "requestId">,
  change: {
    kind: ResourceKind;
    current: { id: string; name: string; spec: object; labels: Record<string, string> };
    next: { spec: object; labels: Record<string, string> };
    message: string;
    at: number;
  },
  guard: SQL,
) {
  const { kind, current, next } = change;
  return recordEvent(
    ctx.store,
    {
      reason: "Updated",
      resourceType: kind,
      resourceId: current.id,
      resourceName: current.name,
      message: change.message,
      diff: specDiff({ ...current.spec, labels: current.labels }, { ...next.spec, labels: next.labels }),
      actor: ctx.principal,
      requestId: ctx.requestId,
      at: change.at,
    },
    guard,
  );
}
