import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { rollouts, rolloutTargets } from "../../schema";
import { requireAdmin } from "../access";
import { catalogEntry } from "../addons/catalog";
import type { RolloutRow } from "../applications/read";
import { type RolloutPhase, TERMINAL_PHASES } from "../applications/spec";
import type { Ctx } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { recordEvent } from "../events";
import { ROLLOUT_KIND } from "../kinds";
import { clampPageSize, decodePageToken, type PageRequest, toPage } from "../pagination";
import type { EventReason } from "../reasons";
import { casUpdate, LOST_RACE, writeWithRevision } from "../spec-write";
import { type Statement, writeBatch } from "../store";
import type { WaveRuntime } from "./runtime";
import { cancelRolloutJobs, rolloutExists } from "./start";
import { type SubjectHandle, subjectOf } from "./subject";

/** A rollout its caller may see, with its subject; others answer 404, as if absent. */
export async function getRollout(ctx: Ctx, id: string): Promise<{ rollout: RolloutRow; subject: SubjectHandle }> {
  const [rollout] = await ctx.store.select().from(rollouts).where(eq(rollouts.id, id)).limit(1);
  const subject = rollout ? await subjectOf(ctx, rollout) : undefined;
  if (!rollout || !subject?.visibleTo(ctx.principal)) throw new NotFoundError(ROLLOUT_KIND, id);
  return { rollout, subject };
}

/** A subject's rollouts, newest first: the rollout people ask about is the latest one. */
export async function listRolloutsOf(ctx: Ctx, subjectId: string, query: PageRequest) {
  const pageSize = clampPageSize(query.pageSize);
  const filters = { subject: subjectId };
  const after = decodePageToken(query.pageToken, filters);
  const rows = await ctx.store
    .select()
    .from(rollouts)
    .where(and(eq(rollouts.subjectId, subjectId), after ? lt(rollouts.id, after) : undefined))
    .orderBy(desc(rollouts.id))
    .limit(pageSize + 1);
  return toPage(rows, pageSize, filters);
}

/** `GET /v1/addons/{name}/rollouts`: the fleet-wide upgrades of one add-on (administrators only). */
export async function listAddonRollouts(ctx: Ctx, name: string, query: PageRequest) {
  requireAdmin(ctx, "Listing add-on rollouts");
  const page = await listRolloutsOf(ctx, name, query);
  if (page.items.length === 0 && !query.pageToken && !catalogEntry(name)) {
    const [any] = await ctx.store
      .select({ id: rollouts.id })
      .from(rollouts)
      .where(and(eq(rollouts.subjectKind, "Addon"), eq(rollouts.subjectId, name)))
      .limit(1);
    if (!any) throw new NotFoundError("Addon", name);
  }
  return page;
}

type Verb = "pause" | "resume" | "abort" | "approve" | "rollback";

/** The audit event each verb leaves: who paused, approved or rolled back, and when. */
const VERB_EVENTS = {
  pause: "RolloutPause",
  resume: "RolloutResume",
  abort: "RolloutAbort",
  approve: "RolloutApprove",
  rollback: "RolloutRollback",
} as const satisfies Record<Verb, EventReason>;

/**
 * The rollout verbs. Each is a compare-and-set on the rollout's revision, so a verb and the
 * engine's tick never both win: whichever commits second re-reads and decides again.
 */
export function rolloutVerb(ctx: Ctx, id: string, verb: Verb): Promise<RolloutRow> {
  const read = async () => {
    const found = await getRollout(ctx, id);
    return { ...found, revision: found.rollout.revision };
  };
  return writeWithRevision({ what: "rollout", doing: verb, ifMatch: undefined }, read, async ({ rollout, subject }) => {
    const outcome = await applyVerb(ctx, rollout, subject, verb);
    const results = await writeBatch(ctx.store, outcome.statements);
    const updated = (results[results.length - 1] as RolloutRow[])[0];
    if (!updated || !outcome.wonIf(updated)) return LOST_RACE;
    await ctx.dispatcher.dispatch(outcome.jobIds);
    return updated;
  });
}

async function applyVerb(
  ctx: Ctx,
  rollout: RolloutRow,
  subject: SubjectHandle,
  verb: Verb,
): Promise<{ statements: Statement[]; jobIds: string[]; wonIf: (row: RolloutRow) => boolean }> {
  const phase = rollout.phase as RolloutPhase;
  const terminal = TERMINAL_PHASES.includes(phase);
  const now = ctx.now();
  const waves = structuredClone(rollout.waves) as WaveRuntime[];
  const wave = waves[rollout.currentWave];
  const guard = sql`EXISTS (SELECT 1 FROM ${rollouts} WHERE id = ${rollout.id} AND revision = ${rollout.revision})`;
  const statements: Statement[] = [];
  const jobIds: string[] = [];
  let set: Partial<RolloutRow> = {};
  let wonIf = (_row: RolloutRow) => true;
  let eventGuard = guard;
  let message: string;
  const refuse = (why: string): never => {
    throw new ConflictError(`Cannot ${verb} rollout #${rollout.number}: ${why}`);
  };
  switch (verb) {
    case "pause":
      if (terminal) refuse(`it is ${phase}`);
      if (phase === "Paused") return noChange(ctx, rollout);
      set = { phase: "Paused", reason: "PausedByUser", message: "paused: no cluster starts until resumed" };
      message = `rollout #${rollout.number} of ${subject.name} paused`;
      break;
    case "resume": {
      if (phase !== "Paused") refuse(`it is ${phase}, not Paused`);
      // After a halt, resuming retries what failed in the halted wave (the cause was presumably fixed).
      if (rollout.reason === "BudgetExceeded") {
        statements.push(
          ctx.store
            .update(rolloutTargets)
            .set({ state: "ToApply", message: "retry after resume", jobId: null, updatedAt: now })
            .where(
              and(
                eq(rolloutTargets.rolloutId, rollout.id),
                eq(rolloutTargets.wave, rollout.currentWave),
                inArray(rolloutTargets.state, ["Failed", "TimeOut"]),
                guard,
              ),
            ),
        );
      }
      if (rollout.reason === "AnalysisFailed" && wave) {
        wave.analysis = null;
        wave.bakeStartedAt = now;
      }
      set = { phase: "Progressing", reason: "Resumed", message: "resumed", waves };
      message = `rollout #${rollout.number} of ${subject.name} resumed`;
      break;
    }
    case "approve":
      if (phase !== "WaitingApproval" || !wave) refuse("nothing is waiting for approval");
      (wave as WaveRuntime).approvedAt = now;
      (wave as WaveRuntime).approvedBy = ctx.principal.tokenId;
      (wave as WaveRuntime).state = "Pending";
      set = { phase: "Progressing", reason: "Approved", message: `wave ${wave?.name} approved`, waves };
      message = `wave ${wave?.name} of rollout #${rollout.number} (${subject.name}) approved`;
      break;
    case "abort":
      if (terminal) refuse(`it is ${phase}`);
      statements.push(
        ctx.store
          .update(rolloutTargets)
          .set({ state: "Skip", message: "rollout aborted", jobId: null, updatedAt: now })
          .where(
            and(
              eq(rolloutTargets.rolloutId, rollout.id),
              inArray(rolloutTargets.state, ["ToApply", "Progressing"]),
              guard,
            ),
          ),
        cancelRolloutJobs(ctx, [rollout.id], now, guard),
      );
      set = {
        phase: "Aborted",
        reason: "AbortedByUser",
        message: "aborted; clusters keep what they have",
        finishedAt: now,
      };
      message = `rollout #${rollout.number} of ${subject.name} aborted`;
      break;
    case "rollback": {
      if (rollout.kind === "rollback") refuse("it is itself a rollback; start a new rollout instead");
      if (rollout.rolledBackBy) refuse("it was already rolled back");
      const [newer] = await ctx.store
        .select({ number: rollouts.number })
        .from(rollouts)
        .where(and(eq(rollouts.subjectId, subject.id), sql`${rollouts.number} > ${rollout.number}`))
        .limit(1);
      if (newer) refuse(`rollout #${newer.number} came after it; roll that one back instead`);
      const start = await subject.planRollback(ctx, rollout, {
        now,
        actor: ctx.principal.tokenId,
        reason: `rollback of rollout #${rollout.number} requested`,
        guard,
      });
      statements.push(...start.statements);
      jobIds.push(...start.jobIds);
      // planRollback marks this rollout RolledBack; the verb won if it points at the new rollback.
      wonIf = (row) => row.rolledBackBy === start.row.id;
      eventGuard = rolloutExists(start.row.id);
      message = `rollback of rollout #${rollout.number} of ${subject.name} started as rollout #${start.row.number}`;
      break;
    }
  }
  statements.push(
    recordEvent(
      ctx.store,
      {
        type: verb === "abort" || verb === "rollback" ? "Warning" : "Normal",
        reason: VERB_EVENTS[verb],
        resourceType: ROLLOUT_KIND,
        resourceId: rollout.id,
        resourceName: subject.name,
        message,
        actor: ctx.principal,
        requestId: ctx.requestId,
        at: now,
      },
      eventGuard,
    ),
  );
  if (verb === "rollback") {
    // The rollback statements bumped the revision; return the row as it now is.
    statements.push(ctx.store.select().from(rollouts).where(eq(rollouts.id, rollout.id)));
  } else {
    statements.push(casUpdate(ctx.store, rollouts, rollout, { ...set, updatedAt: now }));
  }
  return { statements, jobIds, wonIf };
}

function noChange(ctx: Ctx, rollout: RolloutRow) {
  return {
    statements: [ctx.store.select().from(rollouts).where(eq(rollouts.id, rollout.id))],
    jobIds: [],
    wonIf: () => true,
  };
}
