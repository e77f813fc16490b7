import { sql } from "drizzle-orm";
import { applications, rollouts } from "../../schema";
import type { WaveRuntime } from "../rollouts/runtime";
import type { Store } from "../store";
import { ROLLOUT_PHASES } from "./spec";

/**
 * Rollout series read from the store at scrape time, so every host reports the same numbers:
 * rollouts by phase (`fleetplane_rollouts{phase="Failed"}` is what alert rules watch) and how
 * long each application's waves took in its latest finished rollout.
 */
export async function rolloutSeries(store: Store): Promise<string[]> {
  const byPhase = await store
    .select({ phase: rollouts.phase, count: sql<number>`count(*)` })
    .from(rollouts)
    .groupBy(rollouts.phase);
  const counts = new Map(byPhase.map((r) => [r.phase, Number(r.count)]));
  const lines = [
    "# HELP fleetplane_rollouts Rollouts by phase.",
    "# TYPE fleetplane_rollouts gauge",
    ...ROLLOUT_PHASES.map((phase) => `fleetplane_rollouts{phase="${phase}"} ${counts.get(phase) ?? 0}`),
  ];
  const latest = await store.all<{ name: string; waves: string }>(sql`
    SELECT a.name AS name, r.waves AS waves FROM ${rollouts} r JOIN ${applications} a ON a.id = r.subject_id
    WHERE r.number = (SELECT max(number) FROM ${rollouts} r2 WHERE r2.subject_id = r.subject_id AND r2.finished_at IS NOT NULL)`);
  lines.push(
    "# HELP fleetplane_rollout_wave_duration_seconds Time from a wave's start to its success, in each application's latest finished rollout.",
    "# TYPE fleetplane_rollout_wave_duration_seconds gauge",
  );
  for (const row of latest) {
    for (const wave of JSON.parse(row.waves) as WaveRuntime[]) {
      if (wave.startedAt === null || wave.finishedAt === null) continue;
      const labels = `application="${row.name}",wave="${wave.name.replaceAll('"', "")}"`;
      lines.push(`fleetplane_rollout_wave_duration_seconds{${labels}} ${(wave.finishedAt - wave.startedAt) / 1000}`);
    }
  }
  return lines;
}
