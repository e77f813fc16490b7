import { sql } from "drizzle-orm";
import { applications } from "../../schema";
import type { Ctx } from "../context";
import { ConflictError } from "../errors";
import type { PageRequest } from "../pagination";
import { listRolloutsOf } from "../rollouts/verbs";
import { atRevision } from "../spec-write";
import { writeBatch } from "../store";
import { getApplication } from "./read";
import { planRollout } from "./start";

/** Newest first: the rollout people ask about is the latest one. */
export async function listRollouts(ctx: Ctx, appRef: string, query: PageRequest) {
  const app = await getApplication(ctx, appRef);
  return { app, page: await listRolloutsOf(ctx, app.id, query) };
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
      .where(atRevision(applications, app))
      .returning({ id: applications.id }),
  ]);
  if ((results[results.length - 1] as unknown[]).length === 0) {
    throw new ConflictError(`Application ${app.name} changed while the rollout was being planned; try again`);
  }
  await ctx.dispatcher.dispatch(start.jobIds);
  return { rollout: start.row, app };
}
