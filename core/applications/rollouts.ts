import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { applications, clusters, rollouts, rolloutTargets } from "../../schema";
import type { Ctx, Deps } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { recordEvent } from "../events";
import { clampPageSize, decodePageToken, type PageRequest, toPage } from "../pagination";
import { cancelRolloutJobs, rolloutExists, type WaveRuntime } from "../rollouts/start";
import { type Statement, writeBatch } from "../store";
import { type ClusterFacts, selectableLabels } from "./plan";
import {
  type ApplicationRow,
  canSeeApplication,
  findApplication,
  getApplication,
  ROLLOUT_KIND,
  type RolloutRow,
} from "./read";
import { type RolloutPhase, type StrategyInput, TARGET_STATES, type TargetState, TERMINAL_PHASES } from "./spec";
import { planRollout } from "./start";
import { maintenanceWindowVerdict } from "./windows";

/** Newest first: the rollout people ask about is the latest one. */
export async function listRollouts(ctx: Ctx, appRef: string, query: PageRequest) {
  const app = await getApplication(ctx, appRef);
  const pageSize = clampPageSize(query.pageSize);
  const filters = { application: app.id };
  const after = decodePageToken(query.pageToken, filters);
  const rows = await ctx.store
    .select()
    .from(rollouts)
    .where(and(eq(rollouts.subjectId, app.id), after ? lt(rollouts.id, after) : undefined))
    .orderBy(desc(rollouts.id))
    .limit(pageSize + 1);
  return { app, page: toPage(rows, pageSize, filters) };
}

/** `POST /v1/applications/{ref}/rollouts`: roll the current spec out again (e.g. after an abort). */
export async function startRollout(ctx: Ctx, appRef: string, input: { reason?: string | undefined }) {
  const app = await getApplication(ctx, appRef);
  if (app.deletionRequestedAt !== null) throw new ConflictError(`Application ${app.name} is being deleted`);
  const now = ctx.now();
  const guard = sql`EXISTS (SELECT 1 FROM ${applications} WHERE id = ${app.id} AND revision = ${app.revision})`;
  const start = await planRollout(ctx, app, {
    now,
    actor: ctx.principal.tokenId,
    reason: input.reason ?? "requested",
    guard,
  });
  const results = await writeBatch(ctx.store, [
    ...start.statements,
    ctx.store
      .update(applications)
      .set({ revision: app.revision + 1, updatedAt: now })
      .where(and(eq(applications.id, app.id), eq(applications.revision, app.revision)))
      .returning({ id: applications.id }),
  ]);
  if ((results[results.length - 1] as unknown[]).length === 0) {
    throw new ConflictError(`Application ${app.name} changed while the rollout was being planned; try again`);
  }
  await ctx.dispatcher.dispatch(start.jobIds);
  return { rollout: start.row, app };
}
