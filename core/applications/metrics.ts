import { eq, sql } from "drizzle-orm";
import { applications, events, rollouts } from "../../schema";
import { ROLLOUT_KIND } from "../kinds";
import { family, series } from "../prometheus";
import type { WaveRuntime } from "../rollouts/runtime";
import type { Store } from "../store";
import { ROLLOUT_PHASES } from "./spec";

interface LatestRollout {
  subjectKind: string;
  subject: string;
  number: number;
  kind: string;
  phase: string;
  reason: string;
}

/**
 * Rollout series read from the store at scrape time, so every host reports the same numbers.
 * They describe rollouts *now*: each application's and add-on's latest rollout, since an older
 * one has been superseded and says nothing about the fleet any more (counting every row ever
 * stored kept an alert firing forever after one failure). `fleetplane_rollout_info` names each
 * latest rollout with its phase and reason, which is what the rollout alerts select; and how
 * long each application's waves took in its latest finished rollout.
 */
export async function rolloutSeries(store: Store): Promise<string[]> {
  const latest = await store.all<LatestRollout>(sql`
    SELECT r.subject_kind AS subjectKind, coalesce(a.name, r.subject_id) AS subject, r.number AS number,
      r.kind AS kind, r.phase AS phase, r.reason AS reason
    FROM ${rollouts} r LEFT JOIN ${applications} a ON a.id = r.subject_id
    WHERE r.number = (SELECT max(number) FROM ${rollouts} r2 WHERE r2.subject_id = r.subject_id)
    ORDER BY subjectKind, subject`);
  const lines: string[] = [];
  family(lines, "fleetplane_rollouts", "gauge", "Applications and add-ons whose latest rollout is in each phase.");
  for (const subjectKind of ["Application", "Addon"]) {
    for (const phase of ROLLOUT_PHASES) {
      const count = latest.filter((r) => r.subjectKind === subjectKind && r.phase === phase).length;
      lines.push(series("fleetplane_rollouts", { subject_kind: subjectKind, phase }, count));
    }
  }
  family(
    lines,
    "fleetplane_rollout_info",
    "gauge",
    "Each application's and add-on's latest rollout, 1 each, with its number, kind (rollout or rollback), phase and the reason for it.",
  );
  for (const r of latest) {
    const labels = {
      subject_kind: r.subjectKind,
      subject: r.subject,
      rollout: String(r.number),
      kind: r.kind,
      phase: r.phase,
      reason: r.reason,
    };
    lines.push(series("fleetplane_rollout_info", labels, 1));
  }

  // The event log is append-only, so a count of its rollout events is a true counter: what
  // rate() and increase() need for "how many rollouts stopped (or rolled back) this week".
  const transitions = await store
    .select({ reason: events.reason, count: sql<number>`count(*)` })
    .from(events)
    .where(eq(events.resourceType, ROLLOUT_KIND))
    .groupBy(events.reason)
    .orderBy(events.reason);
  family(
    lines,
    "fleetplane_rollout_events_total",
    "counter",
    "Rollout transitions recorded in the event log, by reason (RolloutStarted, AnalysisFailed, FailureBudgetExceeded, RolloutRolledBack, …).",
  );
  for (const { reason, count } of transitions) {
    lines.push(series("fleetplane_rollout_events_total", { reason }, Number(count)));
  }

  const finished = await store.all<{ name: string; waves: string }>(sql`
    SELECT a.name AS name, r.waves AS waves FROM ${rollouts} r JOIN ${applications} a ON a.id = r.subject_id
    WHERE r.number = (SELECT max(number) FROM ${rollouts} r2 WHERE r2.subject_id = r.subject_id AND r2.finished_at IS NOT NULL)`);
  family(
    lines,
    "fleetplane_rollout_wave_duration_seconds",
    "gauge",
    "Time from a wave's start to its success, in each application's latest finished rollout.",
  );
  for (const row of finished) {
    for (const wave of JSON.parse(row.waves) as WaveRuntime[]) {
      if (wave.startedAt === null || wave.finishedAt === null) continue;
      const labels = { application: row.name, wave: wave.name };
      lines.push(series("fleetplane_rollout_wave_duration_seconds", labels, (wave.finishedAt - wave.startedAt) / 1000));
    }
  }
  return lines;
}
