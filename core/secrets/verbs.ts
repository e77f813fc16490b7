import { and, eq } from "drizzle-orm";
import { tenantSecrets } from "../../schema";
import type { Condition } from "../conditions";
import type { Ctx, Deps } from "../context";
import { AlreadyExistsError, ConflictError, type FieldError, NotFoundError, UnprocessableError } from "../errors";
import { recordEvent, specDiff } from "../events";
import { revisionIs } from "../guarded";
import { isId, newId } from "../ids";
import { enqueueJob } from "../jobs/jobs";
import { SECRET_KIND, TENANT_KIND } from "../kinds";
import { listPage } from "../list";
import { type OwnerDrift, ownerDriftedCondition } from "../owner-drift";
import type { PageRequest } from "../pagination";
import { toWire } from "../resource";
import { casOutcome, casUpdate, LOST_RACE, writeWithRevision } from "../spec-write";
import { writeBatch } from "../store";
import { remoteNameOf, secretMarker } from "../tenants/manifests";
import { FINALIZE_TENANT, planTenantPlacements } from "../tenants/placement";
import { getTenant, type PlacementView, placementState, placementsOf, type TenantRow } from "../tenants/read";
import type { SecretInputValue, SecretPhase, SecretSpecFields } from "./spec";

export type SecretRow = typeof tenantSecrets.$inferSelect;

/**
 * Combinations the External Secrets webhook refuses: deleting a Secret ESO does not own
 * (creationPolicy Merge or None) and merging into one it never creates.
 */
function checkPolicies(input: SecretInputValue): FieldError[] {
  const { creationPolicy = "Owner", deletionPolicy } = input;
  const refused =
    (deletionPolicy === "Delete" && (creationPolicy === "Merge" || creationPolicy === "None")) ||
    (deletionPolicy === "Merge" && creationPolicy === "None");
  return refused
    ? [
        {
          location: "body.deletionPolicy",
          message: `deletionPolicy ${deletionPolicy} cannot be combined with creationPolicy ${creationPolicy}`,
        },
      ]
    : [];
}

/** External Secrets' settings: a SealedSecret has its value in itself and nothing to refresh. */
const EXTERNAL_SECRETS_ONLY = ["remoteRef", "refreshInterval", "creationPolicy", "deletionPolicy"] as const;

/** What each delivery accepts: a sealed secret is a value and a scope, nothing of External Secrets'. */
function checkDelivery(input: SecretInputValue) {
  if (input.delivery !== "sealed-secrets") {
    if (input.scope !== undefined) {
      throw new UnprocessableError("not_applicable", "scope is for secrets delivered as SealedSecrets", [
        { location: "body.scope", message: "only with delivery sealed-secrets" },
      ]);
    }
    return;
  }
  const given = EXTERNAL_SECRETS_ONLY.filter((field) => input[field] !== undefined);
  if (given.length > 0) {
    throw new UnprocessableError(
      "not_applicable",
      `${given.join(", ")} ${given.length > 1 ? "are" : "is"} for External Secrets; a SealedSecret carries its value itself`,
      given.map((field) => ({ location: `body.${field}`, message: "not with delivery sealed-secrets" })),
    );
  }
  if (input.data === undefined) {
    throw new UnprocessableError(
      "value_or_reference",
      "A secret delivered as SealedSecrets needs data: the value to seal",
      [{ location: "body.data", message: "required with delivery sealed-secrets" }],
    );
  }
}

/** Everything a secret may say must stay inside its tenant: its namespace and its Secrets Manager keys. */
function checkSecret(tenant: TenantRow, input: SecretInputValue) {
  checkDelivery(input);
  if ((input.data === undefined) === (input.remoteRef === undefined)) {
    throw new UnprocessableError(
      "value_or_reference",
      "Give exactly one of data (a value) or remoteRef (an existing key)",
      [{ location: "body.data", message: "exactly one of data and remoteRef" }],
    );
  }
  const policies = checkPolicies(input);
  if (policies.length > 0) {
    throw new UnprocessableError("invalid_policy_combination", policies[0]?.message ?? "invalid policies", policies);
  }
  if (input.namespace !== undefined && input.namespace !== tenant.namespace) {
    throw new UnprocessableError("namespace_escape", `Secrets of tenant ${tenant.name} live in ${tenant.namespace}`, [
      { location: "body.namespace", message: `must be ${tenant.namespace}` },
    ]);
  }
  const key = input.remoteRef?.key;
  if (key?.startsWith("fleetplane/") && !key.startsWith(`fleetplane/${tenant.name}/`)) {
    throw new UnprocessableError("namespace_escape", "Keys under fleetplane/ belong to the tenant they are named for", [
      { location: "body.remoteRef.key", message: `must not point into another tenant's fleetplane/ keys` },
    ]);
  }
}

function specOf(input: SecretInputValue): SecretSpecFields {
  // `data` is write-only: only its key names are kept (in their own column).
  const { name: _name, labels: _labels, data: _data, ...spec } = input;
  return spec;
}

export function secretToWire(row: SecretRow, placements: PlacementView[]) {
  const rest = toWire(row);
  const marker = secretMarker(row);
  const present = placements.filter((p) => p.desired === "present");
  const clusters = present.map((p) => {
    const state = placementState(p);
    const applied = p.appliedSecrets[row.id] === marker;
    const drift = p.drift?.get(row.id);
    return {
      cluster: p.clusterName,
      clusterId: p.clusterId,
      state: state === "ErrApplied" ? state : applied ? (drift?.state ?? "Ready") : "WaitApplied",
    };
  });
  const drifted = present.flatMap((p): [string, OwnerDrift][] => {
    const drift = p.drift?.get(row.id);
    return drift ? [[p.clusterName, drift]] : [];
  });
  const deleting = row.deletionRequestedAt !== null;
  // Drift is reported by Drifted; the secret was still delivered there.
  const ready = clusters.filter((c) => c.state === "Ready" || c.state === "Modified" || c.state === "OutOfSync").length;
  const failed = clusters.find((c) => c.state === "ErrApplied");
  const phase: SecretPhase = deleting
    ? "Deleting"
    : ready === clusters.length
      ? "Ready"
      : failed
        ? "NotReady"
        : "Pending";
  const sealed = row.source === "sealed";
  return {
    ...rest,
    tenant: row.tenantId,
    keys: row.keys,
    ...(row.source === "managed" && row.arn && row.versionId && row.remoteName
      ? { secretsManager: { name: row.remoteName, arn: row.arn, versionId: row.versionId } }
      : {}),
    status: {
      phase,
      conditions: [
        {
          type: "Ready",
          status: phase === "Ready" ? "True" : failed ? "False" : "Unknown",
          reason: deleting ? "Deleting" : phase === "Ready" ? "Synced" : failed ? "ErrApplied" : "WaitApplied",
          message: deleting
            ? `removing its ${sealed ? "SealedSecrets" : "ExternalSecrets"}`
            : `${ready}/${clusters.length} clusters have the current version${failed ? `; ${failed.cluster}: ErrApplied` : ""}`,
          lastTransitionTime: new Date(row.updatedAt).toISOString(),
        } satisfies Condition,
        ownerDriftedCondition(drifted, new Date(row.updatedAt).toISOString()),
      ],
      observedGeneration: row.generation,
      clusters,
    },
  };
}

export async function secretWire(deps: Deps, row: SecretRow) {
  const placements = await placementsOf(deps, [row.tenantId]);
  return secretToWire(row, placements.get(row.tenantId) ?? []);
}

async function findSecret(deps: Deps, tenantId: string, ref: string): Promise<SecretRow | undefined> {
  const where = isId(ref) ? eq(tenantSecrets.id, ref) : eq(tenantSecrets.name, ref);
  const rows = await deps.store
    .select()
    .from(tenantSecrets)
    .where(and(eq(tenantSecrets.tenantId, tenantId), where))
    .limit(1);
  return rows[0];
}

export async function getSecret(ctx: Ctx, tenantRef: string, ref: string) {
  const tenant = await getTenant(ctx, tenantRef);
  const row = await findSecret(ctx, tenant.id, ref);
  if (!row) throw new NotFoundError(SECRET_KIND, ref);
  return { tenant, row };
}

export interface ListSecrets extends PageRequest {
  labelSelector?: string | undefined;
}

export async function listSecrets(ctx: Ctx, tenantRef: string, query: ListSecrets) {
  const tenant = await getTenant(ctx, tenantRef);
  return listPage(ctx.store, tenantSecrets, query, {
    filters: { tenant: tenant.id },
    where: [eq(tenantSecrets.tenantId, tenant.id)],
  });
}

/**
 * Stores a secret. With `data` the value goes to Secrets Manager first (it is never written
 * anywhere else, so it cannot wait in a job), then the metadata row and the per-cluster jobs
 * commit in one batch. With `remoteRef` nothing is written to AWS.
 */
export async function createSecret(ctx: Ctx, tenantRef: string, input: SecretInputValue) {
  const tenant = await getTenant(ctx, tenantRef);
  if (tenant.deletionRequestedAt !== null) throw new ConflictError(`Tenant ${tenant.name} is being offboarded`);
  checkSecret(tenant, input);
  if (await findSecret(ctx, tenant.id, input.name)) {
    throw new AlreadyExistsError(`Tenant ${tenant.name} already has a secret named "${input.name}"`);
  }
  const now = ctx.now();
  const id = newId("sec", now);
  const sealed = input.delivery === "sealed-secrets";
  const remote = input.data && !sealed ? await writeValue(ctx, tenant, input.name, input.data) : undefined;
  const held = input.data && sealed ? await holdValue(ctx, id, input.data) : undefined;
  const row: SecretRow = {
    id,
    name: input.name,
    labels: input.labels ?? {},
    spec: specOf(input),
    status: { conditions: [], observedGeneration: 1 },
    generation: 1,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    tenantId: tenant.id,
    source: sealed ? "sealed" : input.data ? "managed" : "remote",
    sealedValue: held?.sealedValue ?? null,
    remoteName: remote?.name ?? null,
    arn: remote?.arn ?? null,
    versionId: remote?.versionId ?? held?.versionId ?? null,
    keys: input.data ? Object.keys(input.data) : [input.remoteRef?.property ?? input.name],
    deletionRequestedAt: null,
  };
  const plan = await planTenantPlacements(ctx, tenant, { reapply: true, now });
  try {
    await writeBatch(ctx.store, [
      ctx.store.insert(tenantSecrets).values(row),
      ...plan.statements,
      recordEvent(ctx.store, {
        reason: "SecretCreated",
        resourceType: SECRET_KIND,
        resourceId: id,
        resourceName: `${tenant.name}/${input.name}`,
        message: remote
          ? `secret ${input.name} of tenant ${tenant.name} stored in Secrets Manager as ${remote.name} (keys: ${row.keys.join(", ")})`
          : held
            ? `secret ${input.name} of tenant ${tenant.name} to be sealed for each of its clusters (keys: ${row.keys.join(", ")})`
            : `secret ${input.name} of tenant ${tenant.name} references ${input.remoteRef?.key}`,
        actor: ctx.principal,
        requestId: ctx.requestId,
        at: now,
      }),
    ]);
  } catch (error) {
    if (await findSecret(ctx, tenant.id, input.name)) {
      throw new AlreadyExistsError(`Tenant ${tenant.name} already has a secret named "${input.name}"`);
    }
    throw error;
  }
  await ctx.dispatcher.dispatch(plan.jobIds);
  return row;
}

/**
 * A sealed-secrets value, kept encrypted with the store's key (as clusters' credentials are) so
 * that clusters placed later, and clusters whose sealing certificate rotates, can be sealed for
 * without asking for the value again. A new version id marks every rotation.
 */
async function holdValue(ctx: Ctx, secretId: string, data: Record<string, string>) {
  const box = await ctx.secretBox();
  return {
    sealedValue: await box.seal(JSON.stringify(data), heldValueContext(secretId)),
    versionId: crypto.randomUUID(),
  };
}

/** The associated data of a held value: it opens only as the value of the secret it was written for. */
export const heldValueContext = (secretId: string) => `tenant-secret:${secretId}`;

async function writeValue(ctx: Ctx, tenant: TenantRow, name: string, data: Record<string, string>) {
  const remoteName = remoteNameOf(tenant.name, name);
  const written = await ctx.secretsManager.writeSecret({
    name: remoteName,
    value: JSON.stringify(data),
    tags: { "fleetplane:tenant": tenant.name, "fleetplane:secret": name },
    requestToken: crypto.randomUUID(),
  });
  ctx.log.info("secret value written to Secrets Manager", {
    tenant: tenant.name,
    secretName: name,
    remoteName,
    versionId: written.versionId,
    keyNames: Object.keys(data),
  });
  return { name: remoteName, ...written };
}

/**
 * PUT: replaces the secret's settings; new `data` is a rotation, written to Secrets Manager as
 * a new version (or held anew, for sealed-secrets). Every cluster the tenant is on then gets the
 * ExternalSecret with the new version and `force-sync` annotation, so ESO refreshes at once, or
 * a SealedSecret sealed again with the new value.
 */
export async function replaceSecret(
  ctx: Ctx,
  tenantRef: string,
  ref: string,
  input: SecretInputValue,
  ifMatch?: number,
) {
  const subject = { what: "secret", doing: "updated", ifMatch };
  return writeWithRevision(
    subject,
    () => readSecret(ctx, tenantRef, ref),
    async ({ tenant, row: current }) => {
      if (current.deletionRequestedAt !== null) throw new ConflictError(`Secret ${current.name} is being deleted`);
      if (input.name !== current.name) {
        throw new UnprocessableError("immutable_field", "name cannot be changed", [
          { location: "body.name", message: "immutable" },
        ]);
      }
      const sealed = current.source === "sealed";
      if ((input.delivery ?? "external-secrets") !== (sealed ? "sealed-secrets" : "external-secrets")) {
        throw new UnprocessableError("immutable_field", "delivery cannot be changed; create a new secret", [
          { location: "body.delivery", message: "immutable" },
        ]);
      }
      const managed = current.source === "managed" || sealed;
      if (managed ? input.remoteRef !== undefined : input.data !== undefined) {
        throw new UnprocessableError(
          "immutable_field",
          managed
            ? "A secret with a value cannot become a reference; create a new secret"
            : "A referenced secret is rotated where it lives; its value cannot be set here",
          [{ location: managed ? "body.remoteRef" : "body.data", message: "immutable" }],
        );
      }
      checkSecret(tenant, managed && input.data === undefined ? { ...input, data: {} } : input);
      const spec = specOf(input);
      const labels = input.labels ?? {};
      const rotated = input.data !== undefined;
      const specChanged = JSON.stringify(spec) !== JSON.stringify(current.spec);
      if (!rotated && !specChanged && JSON.stringify(labels) === JSON.stringify(current.labels)) return current;
      const remote = input.data && !sealed ? await writeValue(ctx, tenant, current.name, input.data) : undefined;
      const held = input.data && sealed ? await holdValue(ctx, current.id, input.data) : undefined;
      const version = remote ?? held;
      const now = ctx.now();
      const guard = revisionIs(tenantSecrets, current.id, current.revision);
      const generation = current.generation + (specChanged || rotated ? 1 : 0);
      const plan = await planTenantPlacements(ctx, tenant, { reapply: true, guard, now });
      const diff: Record<string, unknown> = specDiff({ ...current.spec, labels: current.labels }, { ...spec, labels });
      if (version) diff.versionId = { from: current.versionId, to: version.versionId };
      const results = await writeBatch(ctx.store, [
        ...plan.statements,
        recordEvent(
          ctx.store,
          {
            reason: rotated ? "SecretRotated" : "SecretUpdated",
            resourceType: SECRET_KIND,
            resourceId: current.id,
            resourceName: `${tenant.name}/${current.name}`,
            message: rotated
              ? `secret ${current.name} of tenant ${tenant.name} rotated to version ${version?.versionId}`
              : `secret ${current.name} of tenant ${tenant.name} updated`,
            diff,
            actor: ctx.principal,
            requestId: ctx.requestId,
            at: now,
          },
          guard,
        ),
        casUpdate(ctx.store, tenantSecrets, current, {
          spec,
          labels,
          generation,
          updatedAt: now,
          ...(remote && input.data
            ? { versionId: remote.versionId, arn: remote.arn, keys: Object.keys(input.data) }
            : {}),
          ...(held && input.data
            ? { versionId: held.versionId, sealedValue: held.sealedValue, keys: Object.keys(input.data) }
            : {}),
        }),
      ]);
      const updated = casOutcome<SecretRow>(results);
      if (updated === LOST_RACE) return LOST_RACE;
      await ctx.dispatcher.dispatch(plan.jobIds);
      return updated;
    },
  );
}

/** A secret with its tenant, carrying the revision the write compares against. */
async function readSecret(ctx: Ctx, tenantRef: string, ref: string) {
  const found = await getSecret(ctx, tenantRef, ref);
  return { ...found, revision: found.row.revision };
}

/**
 * DELETE: the ExternalSecrets go first (per cluster), then finalizeTenant schedules the value's
 * deletion in Secrets Manager with a recovery window and removes the row.
 */
export function deleteSecret(ctx: Ctx, tenantRef: string, ref: string, ifMatch?: number) {
  const subject = { what: "secret", doing: "deleted", ifMatch };
  return writeWithRevision(
    subject,
    () => readSecret(ctx, tenantRef, ref),
    async ({ tenant, row: current }) => {
      if (current.deletionRequestedAt !== null) return current;
      const now = ctx.now();
      const guard = revisionIs(tenantSecrets, current.id, current.revision);
      const plan = await planTenantPlacements(ctx, tenant, { reapply: true, guard, now });
      const finalize = enqueueJob(
        ctx.store,
        ctx.config,
        { kind: FINALIZE_TENANT, clusterId: null, resourceType: TENANT_KIND, resourceId: tenant.id },
        now,
        guard,
      );
      const results = await writeBatch(ctx.store, [
        ...plan.statements,
        finalize.insert,
        recordEvent(
          ctx.store,
          {
            reason: "SecretDeletionRequested",
            resourceType: SECRET_KIND,
            resourceId: current.id,
            resourceName: `${tenant.name}/${current.name}`,
            message: `deletion of secret ${current.name} of tenant ${tenant.name} requested`,
            actor: ctx.principal,
            requestId: ctx.requestId,
            at: now,
          },
          guard,
        ),
        casUpdate(ctx.store, tenantSecrets, current, { deletionRequestedAt: now, updatedAt: now }),
      ]);
      const updated = casOutcome<SecretRow>(results);
      if (updated === LOST_RACE) return LOST_RACE;
      await ctx.dispatcher.dispatch([...plan.jobIds, finalize.id]);
      return updated;
    },
  );
}
