import { and, asc, eq, sql } from "drizzle-orm";
import { selectableLabels } from "../../core/applications/plan";
import type { RolloutRow } from "../../core/applications/read";
import { type RolloutPhase, type StrategyInput, TERMINAL_PHASES } from "../../core/applications/spec";
import { SYNC_APPLICATION } from "../../core/applications/start";
import { maintenanceWindowVerdict } from "../../core/applications/windows";
import { recordEvent } from "../../core/events";
import { enqueueJob } from "../../core/jobs/jobs";
import { ROLLOUT_KIND } from "../../core/kinds";
import type { EventReason } from "../../core/reasons";
import type { WaveRuntime } from "../../core/rollouts/runtime";
import { ADVANCE_ROLLOUT, cancelRolloutJobs, rolloutExists } from "../../core/rollouts/start";
import { unavailableBecause } from "../../core/rollouts/strategy";
import { type SubjectHandle, subjectOf } from "../../core/rollouts/subject";
import {
  rolloutDecided,
  rolloutEngineFailed,
  rolloutHaltedForRollback,
  targetStarted,
  targetUnavailable,
} from "../../core/rollouts/writes";
import { type Statement, writeBatch } from "../../core/store";
import { clusters, rollouts, rolloutTargets } from "../../schema";
import type { ClusterFunction, FunctionDeps } from "../types";
import { analysisIntervalMs, runAnalysis } from "./analysis";

/** Clusters started per tick at most, so one batch stays small even when a wave has thousands. */
const MAX_STARTS_PER_TICK = 200;

/**
 * advanceRollout: the rollout engine. One job per rollout that looks at it every
 * `rolloutTickMs` until it ends. Each tick reads the rollout and its current wave's targets
 * from the store, decides (start clusters up to `maxConcurrency` inside their maintenance
 * windows, count failures against the budget, wait for approval, bake and run metric
 * analysis, move to the next wave) and commits the decision with a compare-and-set on the
 * rollout's revision. All state is in the store: a host that dies mid-wave is replaced by
 * the next lease of this job, which carries on where the rollout is, never re-running
 * clusters that finished.
 */
export const advanceRollout: ClusterFunction = {
  kind: ADVANCE_ROLLOUT,
  async run(job, deps) {
    const [rollout] = await deps.store.select().from(rollouts).where(eq(rollouts.id, job.resourceId)).limit(1);
    if (!rollout || TERMINAL_PHASES.includes(rollout.phase as RolloutPhase)) {
      return { outcome: "done", message: rollout ? `rollout ${rollout.phase}` : "rollout gone" };
    }
    const tick = await decide(deps, rollout);
    const results = await writeBatch(deps.store, tick.statements);
    const won = tick.wonIf((results[results.length - 1] as RolloutRow[] | undefined)?.[0]);
    if (won) {
      await deps.dispatcher.dispatch(tick.jobIds);
      for (const [name, seconds] of tick.waveDurations) {
        deps.log.info("rollout wave finished", { rollout: rollout.id, wave: name, seconds });
      }
      if (tick.terminal) return { outcome: "done", message: `rollout ${tick.phase}` };
    }
    // Lost the race to a verb (pause, abort, …) or still running: look again next tick.
    return { outcome: "poll", afterMs: deps.config.rolloutTickMs, message: tick.phase };
  },
  async onFailed(job, error, deps) {
    const message = `the rollout engine failed: ${error.code}: ${error.message}`;
    return [rolloutEngineFailed(deps.store, job.resourceId, message, deps.now())];
  },
};

interface Tick {
  statements: Statement[];
  jobIds: string[];
  phase: string;
  terminal: boolean;
  waveDurations: [string, number][];
  wonIf: (row: RolloutRow | undefined) => boolean;
}

async function waveTargets(deps: FunctionDeps, rolloutId: string, wave: number) {
  return deps.store
    .select({
      clusterId: rolloutTargets.clusterId,
      clusterName: rolloutTargets.clusterName,
      state: rolloutTargets.state,
      labels: clusters.labels,
      environment: clusters.environment,
      region: clusters.region,
      phase: clusters.phase,
      status: clusters.status,
      message: rolloutTargets.message,
    })
    .from(rolloutTargets)
    .leftJoin(clusters, eq(clusters.id, rolloutTargets.clusterId))
    .where(and(eq(rolloutTargets.rolloutId, rolloutId), eq(rolloutTargets.wave, wave)))
    .orderBy(asc(rolloutTargets.clusterName));
}

async function decide(deps: FunctionDeps, rollout: RolloutRow): Promise<Tick> {
  const now = deps.now();
  const subject = await subjectOf(deps, rollout);
  const appName = subject?.name ?? rollout.subjectId;
  const strategy = rollout.strategy as StrategyInput;
  const waves = structuredClone(rollout.waves) as WaveRuntime[];
  const guard = sql`EXISTS (SELECT 1 FROM ${rollouts} WHERE id = ${rollout.id} AND revision = ${rollout.revision})`;
  const statements: Statement[] = [];
  const jobIds: string[] = [];
  const waveDurations: [string, number][] = [];
  let phase = rollout.phase as RolloutPhase;
  let reason = rollout.reason;
  let message = rollout.message;
  let currentWave = rollout.currentWave;
  let finishedAt: number | null = null;
  const event = (type: "Normal" | "Warning", why: EventReason, text: string) =>
    statements.push(
      recordEvent(
        deps.store,
        {
          type,
          reason: why,
          resourceType: ROLLOUT_KIND,
          resourceId: rollout.id,
          resourceName: appName,
          message: `${appName} rollout #${rollout.number}: ${text}`,
          actor: "system",
          at: now,
        },
        guard,
      ),
    );

  if (phase === "Pending") {
    phase = "Progressing";
    reason = "Started";
    event("Normal", "RolloutProgressing", `started with ${waves.length} wave(s)`);
  }

  // Walk forward through waves that finish within this tick (empty or fully skipped ones).
  for (let steps = 0; steps < waves.length + 1; steps++) {
    const wave = waves[currentWave];
    if (!wave) {
      phase = "Succeeded";
      reason = "AllWavesSucceeded";
      message = `all ${waves.length} wave(s) done`;
      finishedAt = now;
      event("Normal", "RolloutSucceeded", message);
      break;
    }
    const targets = await waveTargets(deps, rollout.id, currentWave);
    const count = (state: string) => targets.filter((t) => t.state === state).length;

    if (wave.state === "Pending" || wave.state === "WaitingApproval") {
      if (phase === "Paused") break;
      if (wave.requireApproval && wave.approvedAt === null) {
        if (wave.state !== "WaitingApproval") {
          wave.state = "WaitingApproval";
          event("Normal", "WaitingApproval", `wave ${wave.name} waits for approval`);
        }
        phase = "WaitingApproval";
        reason = "WaitingApproval";
        message = `wave ${wave.name} waits for approval`;
        break;
      }
      wave.state = "Progressing";
      wave.startedAt = now;
      phase = "Progressing";
      message = `wave ${wave.name} progressing`;
      event("Normal", "WaveStarted", `wave ${wave.name} started (${wave.size} cluster(s))`);
    }

    if (wave.state === "Progressing") {
      const failures = count("Failed") + count("TimeOut");
      if (failures > wave.maxFailures && phase !== "Paused") {
        const why = `${failures} of ${wave.size} cluster(s) failed in wave ${wave.name} (maxFailures ${wave.maxFailures})`;
        return halt(deps, rollout, subject, waves, currentWave, "BudgetExceeded", why, statements, guard);
      }
      const toApply = targets.filter((t) => t.state === "ToApply");
      const progressing = count("Progressing");
      if (toApply.length === 0 && progressing === 0) {
        wave.state = "Baking";
        wave.bakeStartedAt = now;
        event(
          "Normal",
          "WaveApplied",
          `wave ${wave.name} applied: ${count("Succeeded")} succeeded, ${failures} failed`,
        );
      } else {
        if (phase === "Progressing") {
          const slots = Math.min(wave.maxConcurrency - progressing, MAX_STARTS_PER_TICK);
          const startable = toApply.filter(
            (t) =>
              maintenanceWindowVerdict(
                strategy.maintenanceWindows,
                selectableLabels({
                  id: t.clusterId,
                  name: t.clusterName,
                  labels: t.labels ?? {},
                  environment: t.environment,
                  region: t.region,
                  waveHint: null,
                }),
                now,
              ).open,
          );
          // An unavailable cluster is not started: it is skipped or waits, as the strategy says.
          const skip = strategy.unavailableClusters === "skip";
          const available = startable.filter((t) => {
            const why = unavailableBecause({ name: t.clusterName, phase: t.phase, status: t.status });
            if (why === undefined) return true;
            const message = skip ? `skipped: ${why}` : why;
            if (skip || t.message !== message) {
              statements.push(
                targetUnavailable(
                  deps.store,
                  { rolloutId: rollout.id, clusterId: t.clusterId },
                  { skip, message, at: now },
                  guard,
                ),
              );
            }
            return false;
          });
          // Read after the targets were: a start is never stamped before the finish that freed its slot.
          const startedAt = deps.now();
          for (const target of available.slice(0, Math.max(0, slots))) {
            const sync = enqueueJob(
              deps.store,
              deps.config,
              {
                kind: subject?.syncJob ?? SYNC_APPLICATION,
                clusterId: target.clusterId,
                resourceType: ROLLOUT_KIND,
                resourceId: rollout.id,
              },
              now,
              guard,
            );
            statements.push(
              targetStarted(
                deps.store,
                { rolloutId: rollout.id, clusterId: target.clusterId },
                { jobId: sync.id, at: startedAt },
                guard,
              ),
              sync.insert,
            );
            jobIds.push(sync.id);
          }
        }
        break;
      }
    }

    if (wave.state === "Baking") {
      if (strategy.analysis) {
        const due =
          wave.analysis?.lastCheckAt == null ||
          now >= wave.analysis.lastCheckAt + analysisIntervalMs(strategy.analysis);
        if (due && phase === "Progressing") {
          const outcome = await runAnalysis(
            deps,
            strategy.analysis,
            { name: wave.name, clusters: targets.filter((t) => t.state === "Succeeded").map((t) => t.clusterName) },
            wave.analysis,
          );
          wave.analysis = outcome.runtime;
          if (outcome.failed) {
            const failedMetrics = outcome.runtime.results.filter((r) => !r.passed);
            event(
              "Warning",
              "AnalysisCheckFailed",
              `wave ${wave.name}: ${failedMetrics.map((r) => `${r.metric}: ${r.message}`).join("; ")} (${outcome.runtime.failedChecks}/${strategy.analysis.threshold ?? 1})`,
            );
          }
          if (outcome.runtime.failedChecks >= (strategy.analysis.threshold ?? 1)) {
            const why = `metric analysis failed in wave ${wave.name}: ${failedSummary(outcome.runtime)}`;
            return halt(deps, rollout, subject, waves, currentWave, "AnalysisFailed", why, statements, guard);
          }
        }
      }
      const baked = wave.bakeStartedAt !== null && now >= wave.bakeStartedAt + wave.minSuccessMs;
      // The gate opens on a passing check; failing checks keep it shut until `threshold` halts the rollout.
      const analysed =
        !strategy.analysis ||
        ((wave.analysis?.checks ?? 0) > 0 && (wave.analysis?.results ?? []).every((r) => r.passed));
      if (!baked || !analysed || phase !== "Progressing") break;
      wave.state = "Succeeded";
      wave.finishedAt = now;
      waveDurations.push([wave.name, (now - (wave.startedAt ?? now)) / 1000]);
      event("Normal", "WaveSucceeded", `wave ${wave.name} succeeded`);
      currentWave++;
      continue;
    }
    break;
  }

  const terminal = TERMINAL_PHASES.includes(phase);
  if (terminal) statements.push(cancelRolloutJobs(deps, [rollout.id], now, guard));
  statements.push(
    rolloutDecided(deps.store, rollout, {
      phase,
      reason,
      message,
      waves,
      currentWave,
      updatedAt: now,
      ...(finishedAt !== null ? { finishedAt } : {}),
    }),
  );
  return { statements, jobIds, phase, terminal, waveDurations, wonIf: (row) => row !== undefined };
}

function failedSummary(analysis: NonNullable<WaveRuntime["analysis"]>): string {
  return analysis.results
    .filter((r) => !r.passed)
    .map((r) => `${r.metric}: ${r.message}`)
    .join("; ");
}

/**
 * A failure budget exceeded or a metric gate failed: with `onFailure: rollback` the whole
 * fleet goes back (a rollback rollout starts, this one ends `RolledBack`); otherwise the
 * rollout pauses where it is, with the reason, for a person to resume or roll back.
 */
async function halt(
  deps: FunctionDeps,
  rollout: RolloutRow,
  subject: SubjectHandle | undefined,
  waves: WaveRuntime[],
  current: number,
  reason: "BudgetExceeded" | "AnalysisFailed",
  why: string,
  statements: Statement[],
  guard: ReturnType<typeof sql>,
): Promise<Tick> {
  const now = deps.now();
  const strategy = rollout.strategy as StrategyInput;
  const appName = subject?.name ?? rollout.subjectId;
  const wave = waves[current];
  if (strategy.onFailure === "rollback" && subject && rollout.kind === "rollout") {
    if (wave) {
      wave.state = "Failed";
      wave.finishedAt = now;
    }
    const start = await subject.planRollback(deps, rollout, {
      now,
      actor: "system",
      reason: `automatic: ${why}`,
      guard,
    });
    const created = rolloutExists(start.row.id);
    // What this tick already decided (its events) lands with the rollback, before the revision moves.
    const finalStatements: Statement[] = [
      ...statements,
      ...start.statements,
      rolloutHaltedForRollback(
        deps.store,
        rollout.id,
        { reason, message: `${why}; rolled back by rollout #${start.row.number}`, waves },
        created,
      ),
      recordEvent(
        deps.store,
        {
          type: "Warning",
          reason: "RolloutRolledBack",
          resourceType: ROLLOUT_KIND,
          resourceId: rollout.id,
          resourceName: appName,
          message: `${appName} rollout #${rollout.number}: ${why}; rolling back the fleet (rollout #${start.row.number})`,
          actor: "system",
          at: now,
        },
        created,
      ),
      deps.store.select().from(rollouts).where(eq(rollouts.id, rollout.id)),
    ];
    return {
      statements: finalStatements,
      jobIds: start.jobIds,
      phase: "RolledBack",
      terminal: true,
      waveDurations: [],
      wonIf: (row) => row?.rolledBackBy === start.row.id,
    };
  }
  statements.push(
    recordEvent(
      deps.store,
      {
        type: "Warning",
        reason: reason === "BudgetExceeded" ? "FailureBudgetExceeded" : "AnalysisFailed",
        resourceType: ROLLOUT_KIND,
        resourceId: rollout.id,
        resourceName: appName,
        message: `${appName} rollout #${rollout.number} paused: ${why}`,
        actor: "system",
        at: now,
      },
      guard,
    ),
    rolloutDecided(deps.store, rollout, { phase: "Paused", reason, message: why, waves, updatedAt: now }),
  );
  return {
    statements,
    jobIds: [],
    phase: "Paused",
    terminal: false,
    waveDurations: [],
    wonIf: (row) => row !== undefined,
  };
}
