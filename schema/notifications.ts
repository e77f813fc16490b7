import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type {
  AlertRuleSpecFields,
  AlertRuleStatusFields,
  ProviderSpecFields,
  ProviderStatusFields,
} from "../core/notifications/spec";
import { resourceColumns } from "./columns";

/** Where alerts go: a generic webhook (HMAC-signed) or a Slack incoming webhook. */
export const notificationProviders = sqliteTable(
  "notification_providers",
  {
    ...resourceColumns<ProviderSpecFields, ProviderStatusFields>(),
    type: text("type").notNull(),
    /** AES-GCM sealed `{signingSecret?, url?}`: the write-only parts; never leaves the store unsealed. */
    credentials: text("credentials"),
  },
  (t) => [uniqueIndex("notification_providers_name").on(t.name)],
);

/** Which events (reasons, resource types, severities) go to which providers. */
export const alertRules = sqliteTable(
  "alert_rules",
  { ...resourceColumns<AlertRuleSpecFields, AlertRuleStatusFields>() },
  (t) => [uniqueIndex("alert_rules_name").on(t.name)],
);

/**
 * One row per (event, provider) whose delivery job was queued: the fan-out inserts the job
 * guarded on this row's absence, in the same batch, so an event is delivered to a provider once.
 */
export const notificationDeliveries = sqliteTable(
  "notification_deliveries",
  {
    eventId: text("event_id").notNull(),
    providerId: text("provider_id").notNull(),
    jobId: text("job_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.providerId] }), index("notification_deliveries_created").on(t.createdAt)],
);
