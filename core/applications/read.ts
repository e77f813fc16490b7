import { asc, desc, eq, inArray, sql } from "drizzle-orm";
import { applicationDeployments, applications, clusters, rollouts, tenants } from "../../schema";
import type { Ctx, Deps, Principal } from "../context";
import { NotFoundError } from "../errors";
import { isId } from "../ids";
import { APPLICATION_KIND } from "../kinds";
import { listPage } from "../list";
import type { PageRequest } from "../pagination";
import { toWire } from "../resource";
import { releaseLabel } from "../rollouts/runtime";
import type { ClusterFacts } from "./plan";
import { type ApplicationPhase, TERMINAL_PHASES } from "./spec";

export type ApplicationRow = typeof applications.$inferSelect;
export type RolloutRow = typeof rollouts.$inferSelect;

export async function findApplication(deps: Deps, ref: string): Promise<ApplicationRow | undefined> {
  const where = isId(ref) ? eq(applications.id, ref) : eq(applications.name, ref);
  const rows = await deps.store.select().from(applications).where(where).limit(1);
  return rows[0];
}

/** A tenant token sees its own tenant's applications only; others answer 404, as if absent. */
export function canSeeApplication(principal: Principal, app: Pick<ApplicationRow, "tenantId">): boolean {
  return principal.role === "admin" || (app.tenantId !== null && principal.tenantId === app.tenantId);
}

export async function getApplication(ctx: Ctx, ref: string): Promise<ApplicationRow> {
  const row = await findApplication(ctx, ref);
  if (!row || !canSeeApplication(ctx.principal, row)) throw new NotFoundError(APPLICATION_KIND, ref);
  return row;
}

export interface ListApplications extends PageRequest {
  labelSelector?: string | undefined;
}

export function listApplications(ctx: Ctx, query: ListApplications) {
  // A tenant token lists its own tenant's applications only.
  const own = ctx.principal.role === "admin" ? undefined : eq(applications.tenantId, ctx.principal.tenantId ?? "");
  return listPage(ctx.store, applications, query, { where: [own] });
}

/**
 * Every cluster that can take applications: registered and not leaving the fleet. The rows
 * come back as one JSON array built by SQLite: for a 10,000-cluster fleet that is one value
 * to decode instead of 10,000 rows to convert, which is most of a rollout's planning time.
 */
export async function fleetFacts(deps: Deps): Promise<ClusterFacts[]> {
  const [row] = await deps.store.all<{ facts: string | null }>(sql`
    SELECT json_group_array(json_array(id, name, json(labels), environment, region, json_extract(spec, '$.wave'))) AS facts
    FROM ${clusters} WHERE deletion_requested_at IS NULL`);
  const tuples = JSON.parse(row?.facts ?? "[]") as [
    string,
    string,
    Record<string, string>,
    string | null,
    string | null,
    unknown,
  ][];
  return tuples.map(([id, name, labels, environment, region, wave]) => ({
    id,
    name,
    labels,
    environment,
    region,
    waveHint: typeof wave === "number" ? wave : null,
  }));
}

export async function tenantNamesOf(deps: Deps, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await deps.store
    .select({ id: tenants.id, name: tenants.name })
    .from(tenants)
    .where(inArray(tenants.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function latestRollouts(deps: Deps, appIds: string[]): Promise<Map<string, RolloutRow>> {
  const out = new Map<string, RolloutRow>();
  for (const appId of appIds) {
    const [row] = await deps.store
      .select()
      .from(rollouts)
      .where(eq(rollouts.subjectId, appId))
      .orderBy(desc(rollouts.number))
      .limit(1);
    if (row) out.set(appId, row);
  }
  return out;
}

/**
 * The application as the API shows it: the user's fields as written, and a status derived on
 * read from the latest rollout and what each cluster last reported, so it is never stale.
 */
export async function applicationWire(deps: Deps, row: ApplicationRow) {
  const [latest] = await deps.store
    .select()
    .from(rollouts)
    .where(eq(rollouts.subjectId, row.id))
    .orderBy(desc(rollouts.number))
    .limit(1);
  const deployed = await deps.store
    .select({ d: applicationDeployments, cluster: clusters.name })
    .from(applicationDeployments)
    .innerJoin(clusters, eq(clusters.id, applicationDeployments.clusterId))
    .where(eq(applicationDeployments.applicationId, row.id))
    .orderBy(asc(clusters.name));
  const clustersOut = deployed.map(({ d, cluster }) => ({
    cluster,
    clusterId: d.clusterId,
    targetRevision: d.release.source.targetRevision,
    health: d.health,
    sync: d.sync,
  }));
  // After a fleet rollback the clusters run the release it went back to, not the spec's: the
  // spec's release is held back until a new rollout, and the status says so.
  const rolledBack = latest?.kind === "rollback" && latest.phase === "Succeeded";
  const wanted = row.spec.source.targetRevision;
  const running: Record<string, number> = {};
  for (const c of clustersOut) running[c.targetRevision] = (running[c.targetRevision] ?? 0) + 1;
  const phase: ApplicationPhase =
    row.deletionRequestedAt !== null
      ? "Deleting"
      : latest && !TERMINAL_PHASES.includes(latest.phase)
        ? "Progressing"
        : clustersOut.some((c) => c.health === "Degraded")
          ? "Degraded"
          : rolledBack
            ? "RolledBack"
            : latest?.phase === "Succeeded"
              ? "Synced"
              : latest
                ? "Degraded"
                : "Pending";
  const ready = {
    type: "Ready",
    status: phase === "Synced" ? "True" : phase === "Progressing" || phase === "Pending" ? "Unknown" : "False",
    reason: rolledBack ? "RolledBack" : latest ? `Rollout${latest.phase}` : "NoRollout",
    message: rolledBack
      ? `rollout #${latest.number} rolled the fleet back to ${releaseLabel(latest.release)}; ${wanted} is held back until a new rollout`
      : latest
        ? `rollout #${latest.number} ${latest.phase}${latest.message ? `: ${latest.message}` : ""}`
        : "no rollout yet",
    lastTransitionTime: new Date(latest?.updatedAt ?? row.updatedAt).toISOString(),
  } as const;
  const tenantName = row.tenantId ? (await tenantNamesOf(deps, [row.tenantId])).get(row.tenantId) : undefined;
  const wire = toWire(row);
  return {
    ...wire,
    ...(tenantName && row.spec.tenant === undefined ? { tenant: tenantName } : {}),
    status: {
      phase,
      conditions: [ready],
      observedGeneration: row.generation,
      latestRollout: latest ? { id: latest.id, number: latest.number, phase: latest.phase, kind: latest.kind } : null,
      clusters: clustersOut,
      summary: { wantedRevision: wanted, running },
    },
  };
}
