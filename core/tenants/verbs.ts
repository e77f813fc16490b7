import { and, eq, ne } from "drizzle-orm";
import { tenants } from "../../schema";
import { requireAdmin } from "../access";
import type { Ctx } from "../context";
import { AlreadyExistsError, ConflictError, type FieldError, UnprocessableError } from "../errors";
import { recordEvent, updatedEvent } from "../events";
import { revisionIs } from "../guarded";
import { newId } from "../ids";
import { enqueueJob } from "../jobs/jobs";
import { TENANT_KIND } from "../kinds";
import { mergePatch } from "../resource";
import { casOutcome, casUpdate, LOST_RACE, writeWithRevision } from "../spec-write";
import { type Statement, writeBatch } from "../store";
import { mintToken, TokenCreate, type TokenCreateInput, tokenToWire } from "../tokens/verbs";
import { checkGitUrl } from "../url-policy";
import { parseOrThrow } from "../validate";
import { FINALIZE_TENANT, planTenantPlacements } from "./placement";
import { getTenant, type TenantRow } from "./read";
import {
  RESERVED_NAMESPACES,
  RESERVED_TENANT_NAMES,
  TenantCreate,
  type TenantCreateInput,
  type TenantPatchInput,
} from "./spec";

function splitSpec(input: TenantCreateInput) {
  const { name, labels, ...spec } = input;
  return { name, labels: labels ?? {}, spec };
}

/**
 * What schemas cannot say: the namespace is the tenant's alone (no system namespace, no other
 * tenant's), its name does not collide with the platform's objects in flux-system, and nothing
 * the tenant sets points outside its namespace.
 */
async function checkTenant(ctx: Ctx, input: TenantCreateInput, selfId?: string, currentUrl?: string) {
  // Only a new URL is judged: a tenant keeps the source it was accepted with.
  if (input.source.url !== currentUrl) {
    checkGitUrl(input.source.url, { allow: ctx.config.urlAllow, location: "body.source.url" });
  }
  if (RESERVED_TENANT_NAMES.has(input.name)) {
    throw new UnprocessableError("reserved_name", `"${input.name}" names the platform's own objects in flux-system`, [
      { location: "body.name", message: "reserved" },
    ]);
  }
  if (RESERVED_NAMESPACES.has(input.namespace) || input.namespace.startsWith("kube-")) {
    throw new UnprocessableError("reserved_namespace", `Namespace ${input.namespace} belongs to the platform`, [
      { location: "body.namespace", message: "a system namespace cannot be a tenant's" },
    ]);
  }
  const escapes: FieldError[] = [];
  input.healthChecks?.forEach((check, i) => {
    if (check.namespace !== undefined && check.namespace !== input.namespace) {
      escapes.push({ location: `body.healthChecks[${i}].namespace`, message: `must be ${input.namespace}` });
    }
  });
  if (escapes.length > 0) {
    throw new UnprocessableError("namespace_escape", "A tenant's health checks stay in its own namespace", escapes);
  }
  const owner = await ctx.store
    .select({ name: tenants.name })
    .from(tenants)
    .where(and(eq(tenants.namespace, input.namespace), selfId ? ne(tenants.id, selfId) : undefined))
    .limit(1);
  if (owner[0]) {
    throw new ConflictError(`Namespace ${input.namespace} already belongs to tenant ${owner[0].name}`);
  }
}

export async function createTenant(ctx: Ctx, input: TenantCreateInput): Promise<TenantRow> {
  requireAdmin(ctx, "Onboarding a tenant");
  const { name, labels, spec } = splitSpec(input);
  const exists = await ctx.store.select({ id: tenants.id }).from(tenants).where(eq(tenants.name, name)).limit(1);
  if (exists[0]) throw new AlreadyExistsError(`A tenant named "${name}" already exists`);
  await checkTenant(ctx, input);
  const now = ctx.now();
  const row: TenantRow = {
    id: newId("tnt", now),
    name,
    labels,
    spec,
    status: { conditions: [], observedGeneration: 1 },
    namespace: input.namespace,
    generation: 1,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    deletionRequestedAt: null,
  };
  const plan = await planTenantPlacements(ctx, row, { reapply: false, now });
  try {
    await writeBatch(ctx.store, [
      ctx.store.insert(tenants).values(row),
      ...plan.statements,
      recordEvent(ctx.store, {
        reason: "Onboarded",
        resourceType: TENANT_KIND,
        resourceId: row.id,
        resourceName: name,
        message: `tenant ${name} onboarded into namespace ${input.namespace} on ${plan.jobIds.length} cluster(s)`,
        actor: ctx.principal,
        requestId: ctx.requestId,
        at: now,
      }),
    ]);
  } catch (error) {
    // Two creates racing past the checks: the unique indexes decide.
    const [clash] = await ctx.store
      .select({ name: tenants.name, namespace: tenants.namespace })
      .from(tenants)
      .where(eq(tenants.name, name))
      .limit(1);
    if (clash) throw new AlreadyExistsError(`A tenant named "${name}" already exists`);
    const [nsClash] = await ctx.store.select().from(tenants).where(eq(tenants.namespace, input.namespace)).limit(1);
    if (nsClash) throw new ConflictError(`Namespace ${input.namespace} already belongs to tenant ${nsClash.name}`);
    throw error;
  }
  await ctx.dispatcher.dispatch(plan.jobIds);
  return row;
}

/**
 * PATCH (JSON merge patch, validated as a whole against the create schema). A spec change
 * re-applies the tenant on every cluster it is on; a selector change also moves it.
 */
export async function patchTenant(
  ctx: Ctx,
  ref: string,
  patch: TenantPatchInput,
  ifMatch?: number,
): Promise<TenantRow> {
  const subject = { what: "tenant", doing: "updated", ifMatch };
  return writeWithRevision(
    subject,
    () => tenantForAdmin(ctx, ref, "Changing a tenant"),
    async (current) => {
      if (current.deletionRequestedAt !== null) throw new ConflictError(`Tenant ${current.name} is being offboarded`);
      const before = { name: current.name, labels: current.labels, ...current.spec };
      const input = parseOrThrow(TenantCreate, mergePatch(before, patch));
      if (input.namespace !== current.namespace) {
        throw new UnprocessableError("immutable_field", "namespace cannot be changed; onboard a new tenant instead", [
          { location: "body.namespace", message: "immutable" },
        ]);
      }
      await checkTenant(ctx, input, current.id, current.spec.source.url);
      const { labels, spec } = splitSpec(input);
      const specChanged = JSON.stringify(spec) !== JSON.stringify(current.spec);
      const labelsChanged = JSON.stringify(labels) !== JSON.stringify(current.labels);
      if (!specChanged && !labelsChanged) return current;
      const now = ctx.now();
      const generation = current.generation + (specChanged ? 1 : 0);
      const guard = revisionIs(tenants, current.id, current.revision);
      const next: TenantRow = { ...current, spec, labels, generation };
      const plan = specChanged
        ? await planTenantPlacements(ctx, next, { reapply: true, guard, now })
        : { statements: [], jobIds: [] };
      const results = await writeBatch(ctx.store, [
        ...plan.statements,
        updatedEvent(
          ctx,
          { kind: TENANT_KIND, current, next: { spec, labels }, message: `tenant ${current.name} updated`, at: now },
          guard,
        ),
        casUpdate(ctx.store, tenants, current, { spec, labels, generation, updatedAt: now }),
      ]);
      const updated = casOutcome<TenantRow>(results);
      if (updated === LOST_RACE) return LOST_RACE;
      await ctx.dispatcher.dispatch(plan.jobIds);
      return updated;
    },
  );
}

/** A tenant token may read its own tenant, so the 403 comes after the lookup (else 404). */
async function tenantForAdmin(ctx: Ctx, ref: string, action: string): Promise<TenantRow> {
  const current = await getTenant(ctx, ref);
  requireAdmin(ctx, action);
  return current;
}

/**
 * Offboarding: every placement wants the tenant `absent`; each cluster's function removes it
 * in a safe order, and once no cluster holds it finalizeTenant removes the tenant, schedules
 * its secrets' deletion and revokes its tokens. Asking again while it runs answers the same.
 */
export function deleteTenant(ctx: Ctx, ref: string, ifMatch?: number): Promise<TenantRow> {
  const subject = { what: "tenant", doing: "offboarded", ifMatch };
  return writeWithRevision(
    subject,
    () => tenantForAdmin(ctx, ref, "Offboarding a tenant"),
    async (current) => {
      if (current.deletionRequestedAt !== null) return current;
      const now = ctx.now();
      const guard = revisionIs(tenants, current.id, current.revision);
      const plan = await planTenantPlacements(
        ctx,
        { ...current, deletionRequestedAt: now },
        { reapply: true, guard, now },
      );
      const statements: Statement[] = [...plan.statements];
      // With nothing placed anywhere there is no cluster function to finish the job.
      const finalize = enqueueJob(
        ctx.store,
        ctx.config,
        { kind: FINALIZE_TENANT, clusterId: null, resourceType: TENANT_KIND, resourceId: current.id },
        now,
        guard,
      );
      if (plan.jobIds.length === 0) statements.push(finalize.insert);
      const results = await writeBatch(ctx.store, [
        ...statements,
        recordEvent(
          ctx.store,
          {
            reason: "OffboardingRequested",
            resourceType: TENANT_KIND,
            resourceId: current.id,
            resourceName: current.name,
            message: `offboarding of tenant ${current.name} requested (${plan.jobIds.length} cluster(s) to clean)`,
            actor: ctx.principal,
            requestId: ctx.requestId,
            at: now,
          },
          guard,
        ),
        casUpdate(ctx.store, tenants, current, { deletionRequestedAt: now, updatedAt: now }),
      ]);
      const updated = casOutcome<TenantRow>(results);
      if (updated === LOST_RACE) return LOST_RACE;
      await ctx.dispatcher.dispatch(plan.jobIds.length === 0 ? [finalize.id] : plan.jobIds);
      return updated;
    },
  );
}

/** `POST /v1/tenants/{ref}/tokens`: a token that acts for this tenant only. */
export async function createTenantToken(ctx: Ctx, ref: string, input: TokenCreateInput) {
  const tenant = await getTenant(ctx, ref);
  requireAdmin(ctx, "Minting a tenant token");
  parseOrThrow(TokenCreate, input);
  if (tenant.deletionRequestedAt !== null) throw new ConflictError(`Tenant ${tenant.name} is being offboarded`);
  const expiresAt = input.expiresAt ? Date.parse(input.expiresAt) : undefined;
  if (expiresAt !== undefined && expiresAt <= ctx.now()) {
    throw new UnprocessableError("invalid_expiry", "expiresAt must be in the future", [
      { location: "body.expiresAt", message: "must be in the future" },
    ]);
  }
  const minted = await mintToken(ctx, {
    name: input.name,
    role: "tenant",
    tenantId: tenant.id,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    createdBy: ctx.principal.tokenId,
  });
  await writeBatch(ctx.store, [
    minted.insert,
    recordEvent(ctx.store, {
      reason: "TokenCreated",
      resourceType: TENANT_KIND,
      resourceId: tenant.id,
      resourceName: tenant.name,
      message: `token ${input.name} (${minted.row.id}) minted for tenant ${tenant.name}`,
      actor: ctx.principal,
      requestId: ctx.requestId,
      at: ctx.now(),
    }),
  ]);
  return { ...tokenToWire(minted.row), token: minted.secret };
}
