import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { applications, clusters, rollouts, rolloutTargets } from "../../schema";
import type { Ctx, Deps } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { recordEvent } from "../events";
import { clampPageSize, decodePageToken, type PageRequest, toPage } from "../pagination";
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
import { cancelRolloutJobs, planRollback, planRollout, rolloutExists, type WaveRuntime } from "./start";
import { maintenanceWindowVerdict } from "./windows";

export async function getRollout(ctx: Ctx, id: string): Promise<{ rollout: RolloutRow; app: ApplicationRow }> {
  const [rollout] = await ctx.store.select().from(rollouts).where(eq(rollouts.id, id)).limit(1);
  const app = rollout ? await findApplication(ctx, rollout.applicationId) : undefined;
  if (!rollout || !app || !canSeeApplication(ctx.principal, app)) throw new NotFoundError(ROLLOUT_KIND, id);
  return { rollout, app };
}

/** Newest first: the rollout people ask about is the latest one. */
export async function listRollouts(ctx: Ctx, appRef: string, query: PageRequest) {
  const app = await getApplication(ctx, appRef);
  const pageSize = clampPageSize(query.pageSize);
  const filters = { application: app.id };
  const after = decodePageToken(query.pageToken, filters);
  const rows = await ctx.store
    .select()
    .from(rollouts)
    .where(and(eq(rollouts.applicationId, app.id), after ? lt(rollouts.id, after) : undefined))
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

type Verb = "pause" | "resume" | "abort" | "approve" | "rollback";

/**
 * The rollout verbs. Each is a compare-and-set on the rollout's revision, so a verb and the
 * engine's tick never both win: whichever commits second re-reads and decides again.
 */
export async function rolloutVerb(ctx: Ctx, id: string, verb: Verb): Promise<RolloutRow> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { rollout, app } = await getRollout(ctx, id);
    const outcome = await applyVerb(ctx, rollout, app, verb);
    const results = await writeBatch(ctx.store, outcome.statements);
    const updated = (results[results.length - 1] as RolloutRow[])[0];
    if (updated && outcome.wonIf(updated)) {
      await ctx.dispatcher.dispatch(outcome.jobIds);
      return updated;
    }
  }
  throw new ConflictError("The rollout is changing quickly; try again");
}

async function applyVerb(
  ctx: Ctx,
  rollout: RolloutRow,
  app: ApplicationRow,
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
      message = `rollout #${rollout.number} of ${app.name} paused`;
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
      message = `rollout #${rollout.number} of ${app.name} resumed`;
      break;
    }
    case "approve":
      if (phase !== "WaitingApproval" || !wave) refuse("nothing is waiting for approval");
      (wave as WaveRuntime).approvedAt = now;
      (wave as WaveRuntime).approvedBy = ctx.principal.tokenId;
      (wave as WaveRuntime).state = "Pending";
      set = { phase: "Progressing", reason: "Approved", message: `wave ${wave?.name} approved`, waves };
      message = `wave ${wave?.name} of rollout #${rollout.number} (${app.name}) approved`;
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
      message = `rollout #${rollout.number} of ${app.name} aborted`;
      break;
    case "rollback": {
      if (rollout.kind === "rollback") refuse("it is itself a rollback; start a new rollout instead");
      if (rollout.rolledBackBy) refuse("it was already rolled back");
      const [newer] = await ctx.store
        .select({ number: rollouts.number })
        .from(rollouts)
        .where(and(eq(rollouts.applicationId, app.id), sql`${rollouts.number} > ${rollout.number}`))
        .limit(1);
      if (newer) refuse(`rollout #${newer.number} came after it; roll that one back instead`);
      const start = await planRollback(ctx, app, rollout, {
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
      message = `rollback of rollout #${rollout.number} of ${app.name} started as rollout #${start.row.number}`;
      break;
    }
  }
  statements.push(
    recordEvent(
      ctx.store,
      {
        type: verb === "abort" || verb === "rollback" ? "Warning" : "Normal",
        reason: `Rollout${verb[0]?.toUpperCase()}${verb.slice(1)}`,
        resourceType: ROLLOUT_KIND,
        resourceId: rollout.id,
        resourceName: app.name,
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
    statements.push(
      ctx.store
        .update(rollouts)
        .set({ ...set, revision: rollout.revision + 1, updatedAt: now })
        .where(and(eq(rollouts.id, rollout.id), eq(rollouts.revision, rollout.revision)))
        .returning(),
    );
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

/** The targets of a rollout with what the view needs of their clusters. */
async function targetsOf(deps: Deps, rolloutId: string) {
  return deps.store
    .select({
      t: rolloutTargets,
      labels: clusters.labels,
      environment: clusters.environment,
      region: clusters.region,
    })
    .from(rolloutTargets)
    .leftJoin(clusters, eq(clusters.id, rolloutTargets.clusterId))
    .where(eq(rolloutTargets.rolloutId, rolloutId))
    .orderBy(asc(rolloutTargets.wave), asc(rolloutTargets.clusterName));
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m` : `${Math.floor(m / 60)}h${m % 60 ? `${m % 60}m` : ""}`;
}

const clock = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)}Z`;

function emptyCounts(): Record<TargetState, number> {
  return Object.fromEntries(TARGET_STATES.map((s) => [s, 0])) as Record<TargetState, number>;
}

/**
 * The rollout as the API shows it, with `waitingFor`: what it waits for, in words a person can
 * act on ("prod-eu: 2 clusters Progressing for 4m: a, b", "prod-us: approval",
 * "prod-us-east-1: outside maintenance window until 02:00Z").
 */
export async function rolloutWire(deps: Deps, rollout: RolloutRow, app: Pick<ApplicationRow, "name">) {
  const now = deps.now();
  const rows = await targetsOf(deps, rollout.id);
  const waves = rollout.waves as WaveRuntime[];
  const strategy = rollout.strategy as StrategyInput;
  const summary = emptyCounts();
  const perWave = waves.map(() => ({ counts: emptyCounts(), clusters: [] as unknown[] }));
  for (const { t } of rows) {
    const state = t.state as TargetState;
    summary[state]++;
    const slot = perWave[t.wave];
    if (!slot) continue;
    slot.counts[state]++;
    slot.clusters.push({
      cluster: t.clusterName,
      clusterId: t.clusterId,
      state,
      message: t.message,
      startedAt: iso(t.startedAt),
      finishedAt: iso(t.finishedAt),
    });
  }
  const waitingFor: string[] = [];
  const phase = rollout.phase as RolloutPhase;
  const wave = waves[rollout.currentWave];
  if (!TERMINAL_PHASES.includes(phase) && wave) {
    const inWave = rows.filter((r) => r.t.wave === rollout.currentWave);
    if (phase === "WaitingApproval") waitingFor.push(`${wave.name}: approval`);
    if (phase === "Paused") waitingFor.push(`${wave.name}: paused (${rollout.message}); resume to continue`);
    const progressing = inWave.filter((r) => r.t.state === "Progressing");
    if (progressing.length > 0) {
      const since = Math.min(...progressing.map((r) => r.t.startedAt ?? now));
      const names = progressing.slice(0, 5).map((r) => r.t.clusterName);
      waitingFor.push(
        `${wave.name}: ${progressing.length} cluster${progressing.length === 1 ? "" : "s"} Progressing for ${ago(now - since)}: ${names.join(", ")}${progressing.length > 5 ? ", …" : ""}`,
      );
    }
    const toApply = inWave.filter((r) => r.t.state === "ToApply");
    let blocked = 0;
    for (const r of toApply) {
      const facts: ClusterFacts = {
        id: r.t.clusterId,
        name: r.t.clusterName,
        labels: r.labels ?? {},
        environment: r.environment,
        region: r.region,
        waveHint: null,
      };
      const verdict = maintenanceWindowVerdict(strategy.maintenanceWindows, selectableLabels(facts), now);
      if (!verdict.open) {
        blocked++;
        if (blocked <= 5) {
          waitingFor.push(
            `${r.t.clusterName}: outside maintenance window until ${Number.isFinite(verdict.opensAt) ? clock(verdict.opensAt) : "never"}`,
          );
        }
      }
    }
    const queued = toApply.length - blocked;
    if (queued > 0 && wave.state === "Progressing" && phase === "Progressing") {
      waitingFor.push(
        `${wave.name}: ${queued} cluster${queued === 1 ? "" : "s"} waiting for a slot (maxConcurrency ${wave.maxConcurrency})`,
      );
    }
    if (wave.state === "Baking") {
      if (wave.bakeStartedAt !== null && wave.minSuccessMs > 0 && now < wave.bakeStartedAt + wave.minSuccessMs) {
        waitingFor.push(
          `${wave.name}: bake time until ${new Date(wave.bakeStartedAt + wave.minSuccessMs).toISOString()}`,
        );
      }
      if (strategy.analysis) {
        const a = wave.analysis;
        waitingFor.push(
          `${wave.name}: metric analysis (${a?.checks ?? 0} check(s), ${a?.failedChecks ?? 0}/${strategy.analysis.threshold ?? 1} failed)`,
        );
      }
    }
    if (phase === "Pending") waitingFor.push("the rollout engine to start");
  }
  return {
    id: rollout.id,
    application: app.name,
    applicationId: rollout.applicationId,
    number: rollout.number,
    kind: rollout.kind as "rollout" | "rollback",
    revision: rollout.revision,
    release: rollout.release as never,
    rollbackOf: rollout.rollbackOf,
    rolledBackBy: rollout.rolledBackBy,
    supersededBy: rollout.supersededBy,
    createdBy: rollout.createdBy,
    createdAt: new Date(rollout.createdAt).toISOString(),
    updatedAt: new Date(rollout.updatedAt).toISOString(),
    finishedAt: iso(rollout.finishedAt),
    status: {
      phase,
      reason: rollout.reason,
      message: rollout.message,
      currentWave: TERMINAL_PHASES.includes(phase) ? null : (wave?.name ?? null),
      waitingFor,
      summary,
      waves: waves.map((w, index) => ({
        index,
        name: w.name,
        // Waves a finished rollout never reached did not run and never will.
        state:
          TERMINAL_PHASES.includes(phase) && (w.state === "Pending" || w.state === "WaitingApproval")
            ? "Skipped"
            : w.state,
        maxConcurrency: w.maxConcurrency,
        maxFailures: w.maxFailures,
        counts: perWave[index]?.counts ?? emptyCounts(),
        startedAt: iso(w.startedAt),
        finishedAt: iso(w.finishedAt),
        bakeUntil: w.bakeStartedAt !== null && w.minSuccessMs > 0 ? iso(w.bakeStartedAt + w.minSuccessMs) : null,
        approvedBy: w.approvedBy,
        analysis: w.analysis
          ? {
              checks: w.analysis.checks,
              failedChecks: w.analysis.failedChecks,
              results: w.analysis.results.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
            }
          : null,
        clusters: perWave[index]?.clusters ?? [],
      })),
    },
  };
}
