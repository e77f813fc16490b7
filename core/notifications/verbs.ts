import { eq, type SQL } from "drizzle-orm";
import { alertRules, notificationProviders } from "../../schema";
import { requireAdmin } from "../access";
import type { Ctx } from "../context";
import { AlreadyExistsError, ConflictError, NotFoundError, UnprocessableError } from "../errors";
import { recordEvent, specDiff } from "../events";
import { revisionIs } from "../guarded";
import { isId, newId } from "../ids";
import { ALERT_RULE_KIND, PROVIDER_KIND, type ResourceKind } from "../kinds";
import { type ListQuery, listPage } from "../list";
import { mergePatch, toWire } from "../resource";
import { atRevision, casUpdate, LOST_RACE, writeWithRevision } from "../spec-write";
import { type Statement, writeBatch } from "../store";
import { checkOutboundUrl } from "../url-policy";
import { parseOrThrow } from "../validate";
import {
  AlertRuleCreate,
  type AlertRuleCreateInput,
  ProviderCreate,
  type ProviderCreateInput,
  type ProviderPatchInput,
  type ProviderSpecFields,
  type ProviderType,
} from "./spec";

export type ProviderRow = typeof notificationProviders.$inferSelect;
export type AlertRuleRow = typeof alertRules.$inferSelect;

/** The write-only parts of a provider, sealed in `credentials`. */
export interface ProviderCredentials {
  signingSecret?: string;
  /** Slack's webhook URL (it carries Slack's token); generic webhooks keep theirs in spec. */
  url?: string;
}

export function providerToWire(row: ProviderRow) {
  return toWire(row);
}

export function alertRuleToWire(row: AlertRuleRow) {
  return toWire(row);
}

/** Receiver URLs pass the outbound URL policy; plain http only for hosts FLEET_URL_ALLOW names. */
export function checkReceiverUrl(ctx: Pick<Ctx, "config">, type: string, raw: string, location = "body.url"): URL {
  const url = checkOutboundUrl(raw, {
    purpose: "webhook",
    allow: ctx.config.urlAllow,
    location,
    schemes: type === "slack" ? ["https:"] : ["https:", "http:"],
  });
  if (url.protocol === "http:" && !ctx.config.urlAllow.includes(url.hostname.replace(/^\[|\]$/g, ""))) {
    throw new UnprocessableError("url_not_allowed", "The webhook URL is not allowed: use https", [
      { location, message: "http is only accepted for hosts listed in FLEET_URL_ALLOW" },
    ]);
  }
  return url;
}

async function sealCredentials(ctx: Ctx, id: string, credentials: ProviderCredentials): Promise<string | null> {
  if (!credentials.signingSecret && !credentials.url) return null;
  return (await ctx.secretBox()).seal(JSON.stringify(credentials), id);
}

/** Spec as the API shows it: a Slack URL only by its origin, and whether deliveries are signed. */
function providerSpec(type: ProviderType, url: string, signed: boolean): ProviderSpecFields {
  return { type, url: type === "slack" ? `${new URL(url).origin}/…` : url, signed };
}

export async function findProvider(ctx: Pick<Ctx, "store">, ref: string): Promise<ProviderRow | undefined> {
  const where = isId(ref) ? eq(notificationProviders.id, ref) : eq(notificationProviders.name, ref);
  const rows = await ctx.store.select().from(notificationProviders).where(where).limit(1);
  return rows[0];
}

export async function getProvider(ctx: Ctx, ref: string): Promise<ProviderRow> {
  requireAdmin(ctx, "Reading notification providers");
  const row = await findProvider(ctx, ref);
  if (!row) throw new NotFoundError(PROVIDER_KIND, ref);
  return row;
}

function auditEvent(
  ctx: Ctx,
  kind: ResourceKind,
  row: { id: string; name: string },
  reason: "Created" | "Updated" | "Deleted",
  diff?: object,
  guard?: SQL,
) {
  return recordEvent(
    ctx.store,
    {
      reason,
      resourceType: kind,
      resourceId: row.id,
      resourceName: row.name,
      message: `${kind === PROVIDER_KIND ? "notification provider" : "alert rule"} ${row.name} ${reason.toLowerCase()}`,
      ...(diff ? { diff: diff as Record<string, unknown> } : {}),
      actor: ctx.principal,
      requestId: ctx.requestId,
      at: ctx.now(),
    },
    guard,
  );
}

export async function createProvider(ctx: Ctx, input: ProviderCreateInput): Promise<ProviderRow> {
  requireAdmin(ctx, "Creating a notification provider");
  checkReceiverUrl(ctx, input.type, input.url);
  if (await findProvider(ctx, input.name)) {
    throw new AlreadyExistsError(`A notification provider named "${input.name}" already exists`);
  }
  const now = ctx.now();
  const id = newId("ntp", now);
  const credentials = await sealCredentials(ctx, id, {
    ...(input.signingSecret ? { signingSecret: input.signingSecret } : {}),
    ...(input.type === "slack" ? { url: input.url } : {}),
  });
  const row: ProviderRow = {
    id,
    name: input.name,
    labels: input.labels ?? {},
    spec: providerSpec(input.type, input.url, Boolean(input.signingSecret)),
    status: { conditions: [], observedGeneration: 1 },
    generation: 1,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    type: input.type,
    credentials,
  };
  try {
    await writeBatch(ctx.store, [
      ctx.store.insert(notificationProviders).values(row),
      auditEvent(ctx, PROVIDER_KIND, row, "Created"),
    ]);
  } catch (error) {
    if (await findProvider(ctx, input.name)) {
      throw new AlreadyExistsError(`A notification provider named "${input.name}" already exists`);
    }
    throw error;
  }
  return row;
}

export function patchProvider(ctx: Ctx, ref: string, patch: ProviderPatchInput, ifMatch?: number) {
  requireAdmin(ctx, "Changing a notification provider");
  const subject = { what: "notification provider", doing: "updated", ifMatch };
  return writeWithRevision(
    subject,
    () => getProvider(ctx, ref),
    async (current) => {
      const box = await ctx.secretBox();
      const old: ProviderCredentials = current.credentials
        ? JSON.parse(await box.open(current.credentials, current.id))
        : {};
      const next: ProviderCredentials = { ...old };
      let url = current.spec.type === "slack" ? (old.url ?? "") : current.spec.url;
      if (patch.url !== undefined) {
        checkReceiverUrl(ctx, current.type, patch.url);
        url = patch.url;
        if (current.type === "slack") next.url = patch.url;
      }
      if (patch.signingSecret === null) delete next.signingSecret;
      else if (patch.signingSecret !== undefined) next.signingSecret = patch.signingSecret;
      const labels = mergePatch(current.labels, patch.labels ?? {}) as Record<string, string>;
      parseOrThrow(ProviderCreate.shape.labels, labels);
      const spec = providerSpec(current.spec.type, url, Boolean(next.signingSecret));
      const credentialsChanged = patch.url !== undefined || patch.signingSecret !== undefined;
      const specChanged = JSON.stringify(spec) !== JSON.stringify(current.spec) || credentialsChanged;
      if (!specChanged && JSON.stringify(labels) === JSON.stringify(current.labels)) return current;
      const now = ctx.now();
      const guard = revisionIs(notificationProviders, current.id, current.revision);
      const [, updated] = (await writeBatch(ctx.store, [
        auditEvent(
          ctx,
          PROVIDER_KIND,
          current,
          "Updated",
          {
            ...specDiff({ ...current.spec, labels: current.labels }, { ...spec, labels }),
            ...(patch.signingSecret !== undefined ? { signingSecret: "changed (write-only)" } : {}),
          },
          guard,
        ),
        casUpdate(ctx.store, notificationProviders, current, {
          spec,
          labels,
          credentials: credentialsChanged ? await sealCredentials(ctx, current.id, next) : current.credentials,
          generation: current.generation + (specChanged ? 1 : 0),
          // Nothing runs elsewhere for a provider: the write itself is the change observed.
          status: { ...current.status, observedGeneration: current.generation + (specChanged ? 1 : 0) },
          updatedAt: now,
        }),
      ])) as [unknown, ProviderRow[]];
      return updated[0] ?? LOST_RACE;
    },
  );
}

export async function deleteProvider(ctx: Ctx, ref: string, ifMatch?: number) {
  requireAdmin(ctx, "Deleting a notification provider");
  const subject = { what: "notification provider", doing: "deleted", ifMatch };
  await writeWithRevision(
    subject,
    () => getProvider(ctx, ref),
    async (current) => {
      const users = (await ctx.store.select().from(alertRules)).filter((r) => r.spec.providers.includes(current.name));
      if (users.length > 0) {
        throw new ConflictError(
          `Notification provider ${current.name} is used by alert rule(s) ${users.map((u) => u.name).join(", ")}; change those first`,
        );
      }
      const guard = revisionIs(notificationProviders, current.id, current.revision);
      const [, deleted] = (await writeBatch(ctx.store, [
        auditEvent(ctx, PROVIDER_KIND, current, "Deleted", undefined, guard),
        ctx.store
          .delete(notificationProviders)
          .where(atRevision(notificationProviders, current))
          .returning({ id: notificationProviders.id }),
      ])) as [unknown, { id: string }[]];
      return deleted.length === 0 ? LOST_RACE : undefined;
    },
  );
}

export function listProviders(ctx: Ctx, query: ListQuery) {
  requireAdmin(ctx, "Listing notification providers");
  return listPage(ctx.store, notificationProviders, query);
}

async function findRule(ctx: Pick<Ctx, "store">, ref: string): Promise<AlertRuleRow | undefined> {
  const where = isId(ref) ? eq(alertRules.id, ref) : eq(alertRules.name, ref);
  const rows = await ctx.store.select().from(alertRules).where(where).limit(1);
  return rows[0];
}

export async function getAlertRule(ctx: Ctx, ref: string): Promise<AlertRuleRow> {
  requireAdmin(ctx, "Reading alert rules");
  const row = await findRule(ctx, ref);
  if (!row) throw new NotFoundError(ALERT_RULE_KIND, ref);
  return row;
}

async function checkProvidersExist(ctx: Ctx, names: string[]) {
  const errors: { location: string; message: string }[] = [];
  for (const [index, name] of names.entries()) {
    if (!(await findProvider(ctx, name))) {
      errors.push({ location: `body.providers[${index}]`, message: `no notification provider named ${name}` });
    }
  }
  if (errors.length > 0) {
    throw new UnprocessableError("invalid_reference", errors[0]?.message ?? "unknown provider", errors);
  }
}

function splitRule(input: AlertRuleCreateInput) {
  const { name, labels, ...spec } = input;
  return { name, labels: labels ?? {}, spec };
}

export async function createAlertRule(ctx: Ctx, input: AlertRuleCreateInput): Promise<AlertRuleRow> {
  requireAdmin(ctx, "Creating an alert rule");
  await checkProvidersExist(ctx, input.providers);
  if (await findRule(ctx, input.name))
    throw new AlreadyExistsError(`An alert rule named "${input.name}" already exists`);
  const now = ctx.now();
  const { name, labels, spec } = splitRule(input);
  const row: AlertRuleRow = {
    id: newId("alr", now),
    name,
    labels,
    spec,
    status: { conditions: [], observedGeneration: 1 },
    generation: 1,
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await writeBatch(ctx.store, [
      ctx.store.insert(alertRules).values(row),
      auditEvent(ctx, ALERT_RULE_KIND, row, "Created"),
    ]);
  } catch (error) {
    if (await findRule(ctx, input.name))
      throw new AlreadyExistsError(`An alert rule named "${input.name}" already exists`);
    throw error;
  }
  return row;
}

export function patchAlertRule(ctx: Ctx, ref: string, patch: Record<string, unknown>, ifMatch?: number) {
  requireAdmin(ctx, "Changing an alert rule");
  const subject = { what: "alert rule", doing: "updated", ifMatch };
  return writeWithRevision(
    subject,
    () => getAlertRule(ctx, ref),
    async (current) => {
      const merged = mergePatch({ name: current.name, labels: current.labels, ...current.spec }, patch);
      const input = parseOrThrow(AlertRuleCreate, merged);
      await checkProvidersExist(ctx, input.providers);
      const { labels, spec } = splitRule(input);
      const specChanged = JSON.stringify(spec) !== JSON.stringify(current.spec);
      if (!specChanged && JSON.stringify(labels) === JSON.stringify(current.labels)) return current;
      const guard = revisionIs(alertRules, current.id, current.revision);
      const statements: Statement[] = [
        auditEvent(
          ctx,
          ALERT_RULE_KIND,
          current,
          "Updated",
          specDiff({ ...current.spec, labels: current.labels }, { ...spec, labels }),
          guard,
        ),
        casUpdate(ctx.store, alertRules, current, {
          spec,
          labels,
          generation: current.generation + (specChanged ? 1 : 0),
          // Rules take effect at the next fan-out: the write itself is the change observed.
          status: { ...current.status, observedGeneration: current.generation + (specChanged ? 1 : 0) },
          updatedAt: ctx.now(),
        }),
      ];
      const [, updated] = (await writeBatch(ctx.store, statements)) as [unknown, AlertRuleRow[]];
      return updated[0] ?? LOST_RACE;
    },
  );
}

export async function deleteAlertRule(ctx: Ctx, ref: string, ifMatch?: number) {
  requireAdmin(ctx, "Deleting an alert rule");
  const subject = { what: "alert rule", doing: "deleted", ifMatch };
  await writeWithRevision(
    subject,
    () => getAlertRule(ctx, ref),
    async (current) => {
      const guard = revisionIs(alertRules, current.id, current.revision);
      const [, deleted] = (await writeBatch(ctx.store, [
        auditEvent(ctx, ALERT_RULE_KIND, current, "Deleted", undefined, guard),
        ctx.store.delete(alertRules).where(atRevision(alertRules, current)).returning({ id: alertRules.id }),
      ])) as [unknown, { id: string }[]];
      return deleted.length === 0 ? LOST_RACE : undefined;
    },
  );
}

export function listAlertRules(ctx: Ctx, query: ListQuery) {
  requireAdmin(ctx, "Listing alert rules");
  return listPage(ctx.store, alertRules, query);
}
