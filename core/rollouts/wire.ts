import type { z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { clusters, rollouts, rolloutTargets } from "../../schema";
import { type ClusterFacts, selectableLabels } from "../applications/plan";
import type { RolloutRow } from "../applications/read";
import {
  type RolloutTarget,
  type RolloutWirePhase,
  TARGET_STATES,
  type TargetState,
  TERMINAL_PHASES,
} from "../applications/spec";
import { maintenanceWindowVerdict } from "../applications/windows";
import type { Deps } from "../context";
import type { RolloutSubject } from "./start";
import { unavailableBecause } from "./strategy";

/** The targets of a rollout with what the view needs of their clusters. */
async function targetsOf(deps: Deps, rolloutId: string) {
  return deps.store
    .select({
      t: rolloutTargets,
      labels: clusters.labels,
      environment: clusters.environment,
      region: clusters.region,
      phase: clusters.phase,
      status: clusters.status,
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
export async function rolloutWire(deps: Deps, rollout: RolloutRow, subject: Pick<RolloutSubject, "name">) {
  const now = deps.now();
  const rows = await targetsOf(deps, rollout.id);
  const waves = rollout.waves;
  const strategy = rollout.strategy;
  const summary = emptyCounts();
  const perWave = waves.map(() => ({ counts: emptyCounts(), clusters: [] as z.infer<typeof RolloutTarget>[] }));
  for (const { t } of rows) {
    const state = t.state;
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
  const phase = rollout.phase;
  const wave = waves[rollout.currentWave];
  if (!TERMINAL_PHASES.includes(phase) && wave) {
    const inWave = rows.filter((r) => r.t.wave === rollout.currentWave);
    if (phase === "WaitingApproval") waitingFor.push(`${wave.name}: approval`);
    if (phase === "Paused") waitingFor.push(`${wave.name}: paused (${rollout.message}); resume to continue`);
    // Clusters that cannot take the change now (their agent silent, their API server unreachable) say so by name.
    let unavailable = 0;
    let unavailableToApply = 0;
    for (const r of inWave) {
      if (r.t.state !== "ToApply" && r.t.state !== "Progressing") continue;
      const why = unavailableBecause({ name: r.t.clusterName, phase: r.phase, status: r.status });
      if (why === undefined) continue;
      unavailable++;
      if (r.t.state === "ToApply") unavailableToApply++;
      if (unavailable <= 5) waitingFor.push(why.includes(r.t.clusterName) ? why : `${r.t.clusterName}: ${why}`);
    }
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
    const queued = Math.max(0, toApply.length - blocked - unavailableToApply);
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
  const shown = await rolledBackAsItIs(deps, rollout);
  if (shown.waitingFor) waitingFor.push(shown.waitingFor);
  return {
    id: rollout.id,
    subject: { kind: rollout.subjectKind, name: subject.name },
    ...(rollout.subjectKind === "Application" ? { application: subject.name, applicationId: rollout.subjectId } : {}),
    number: rollout.number,
    kind: rollout.kind,
    revision: rollout.revision,
    release: rollout.release,
    rollbackOf: rollout.rollbackOf,
    rolledBackBy: rollout.rolledBackBy,
    supersededBy: rollout.supersededBy,
    createdBy: rollout.createdBy,
    createdAt: new Date(rollout.createdAt).toISOString(),
    updatedAt: new Date(rollout.updatedAt).toISOString(),
    finishedAt: iso(rollout.finishedAt),
    status: {
      phase: shown.phase ?? phase,
      reason: rollout.reason,
      message: shown.message ?? rollout.message,
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

/**
 * A rolled-back rollout is over for the engine and the verbs the moment its rollback starts,
 * but the fleet is not back until that rollback has finished: until then it shows
 * `RollingBack` and waits for the rollback; a rollback that did not succeed is said so.
 */
async function rolledBackAsItIs(
  deps: Deps,
  rollout: RolloutRow,
): Promise<{ phase?: RolloutWirePhase; message?: string; waitingFor?: string }> {
  if (rollout.phase !== "RolledBack" || !rollout.rolledBackBy) return {};
  const [rollback] = await deps.store
    .select({ id: rollouts.id, number: rollouts.number, phase: rollouts.phase, message: rollouts.message })
    .from(rollouts)
    .where(eq(rollouts.id, rollout.rolledBackBy))
    .limit(1);
  if (!rollback || rollback.phase === "Succeeded") return {};
  if (!TERMINAL_PHASES.includes(rollback.phase)) {
    return { phase: "RollingBack", waitingFor: `rollback #${rollback.number} (${rollback.id}) to finish` };
  }
  return {
    message: `${rollout.message}; the rollback #${rollback.number} ended ${rollback.phase}: ${rollback.message}`,
  };
}
