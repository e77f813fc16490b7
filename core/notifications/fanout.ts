import { asc, gte, sql } from "drizzle-orm";
import { alertRules, events, notificationDeliveries, notificationProviders } from "../../schema";
import type { Deps } from "../context";
import { enqueueJob } from "../jobs/jobs";
import type { JobKind } from "../jobs/kinds";
import { PROVIDER_KIND } from "../kinds";
import { type Statement, writeBatch } from "../store";

export const DELIVER_NOTIFICATION = "deliverNotification" satisfies JobKind;

/** How far back a pass looks: events are written with the time their work started, not when they commit. */
const LOOKBACK_MS = 15 * 60 * 1000;
const MAX_EVENTS = 1000;

type EventRow = typeof events.$inferSelect;

export const severityOf = (event: Pick<EventRow, "type">) => (event.type === "Warning" ? "warning" : "info");

interface RuleSpec {
  providers: string[];
  reasons?: string[];
  resourceTypes?: string[];
  severities?: string[];
}

function matches(rule: RuleSpec, event: EventRow): boolean {
  if (rule.reasons && !rule.reasons.includes(event.reason)) return false;
  if (rule.resourceTypes && !rule.resourceTypes.includes(event.resourceType)) return false;
  if (rule.severities && !rule.severities.includes(severityOf(event))) return false;
  return true;
}

/**
 * One fan-out pass (run with the reconcile scheduler): every recent event an alert rule matches
 * becomes one delivery job per provider. The job insert is guarded on the (event, provider)
 * marker being absent and the marker is written in the same batch, so passes that overlap,
 * repeat or crash halfway deliver each event to each provider once. Rules only see events
 * from after they were created.
 */
export async function routeNotifications(deps: Deps, now = deps.now()): Promise<string[]> {
  const rules = await deps.store.select().from(alertRules);
  if (rules.length === 0) return [];
  const providers = new Map((await deps.store.select().from(notificationProviders)).map((p) => [p.name, p]));
  const since = Math.max(now - LOOKBACK_MS, Math.min(...rules.map((r) => r.createdAt)));
  const recent = await deps.store
    .select()
    .from(events)
    .where(gte(events.at, since))
    .orderBy(asc(events.at), asc(events.id))
    .limit(MAX_EVENTS);
  const known = await deps.store
    .select({ eventId: notificationDeliveries.eventId, providerId: notificationDeliveries.providerId })
    .from(notificationDeliveries)
    .where(gte(notificationDeliveries.createdAt, since - LOOKBACK_MS));
  const statements: Statement[] = [];
  const jobIds: string[] = [];
  // Pairs already queued are skipped here; the guarded insert settles races with other passes.
  const planned = new Set<string>(known.map((k) => `${k.eventId}/${k.providerId}`));
  for (const event of recent) {
    // Deliveries are about the fleet, not about the alerting machinery itself.
    if (event.resourceType === PROVIDER_KIND) continue;
    for (const rule of rules) {
      if (event.at < rule.createdAt || !matches(rule.spec, event)) continue;
      for (const name of rule.spec.providers) {
        const provider = providers.get(name);
        if (!provider || provider.createdAt > event.at + LOOKBACK_MS) continue;
        const key = `${event.id}/${provider.id}`;
        if (planned.has(key)) continue;
        planned.add(key);
        const marker = sql`NOT EXISTS (SELECT 1 FROM ${notificationDeliveries}
          WHERE ${notificationDeliveries.eventId} = ${event.id} AND ${notificationDeliveries.providerId} = ${provider.id})`;
        const job = enqueueJob(
          deps.store,
          deps.config,
          {
            kind: DELIVER_NOTIFICATION,
            clusterId: null,
            resourceType: PROVIDER_KIND,
            resourceId: provider.id,
            payload: { eventId: event.id, rule: rule.name },
          },
          now,
          marker,
        );
        statements.push(
          job.insert,
          deps.store
            .insert(notificationDeliveries)
            .values({ eventId: event.id, providerId: provider.id, jobId: job.id, createdAt: now })
            .onConflictDoNothing(),
        );
        jobIds.push(job.id);
      }
    }
  }
  if (statements.length === 0) return [];
  await writeBatch(deps.store, statements);
  // An id whose guarded insert lost a race is unknown to the runners, which ignore it.
  await deps.dispatcher.dispatch(jobIds);
  // Markers outlive the lookback only as long as they can matter.
  await deps.store
    .delete(notificationDeliveries)
    .where(sql`${notificationDeliveries.createdAt} < ${now - 2 * LOOKBACK_MS}`);
  return jobIds;
}
