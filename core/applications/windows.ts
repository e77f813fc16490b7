import { Cron } from "croner";
import { matchesSelector, parseLabelSelector } from "../selector";
import { durationMs } from "./plan";

export interface WindowSpec {
  schedule: string;
  duration: string;
  selector?: string | undefined;
}

export type WindowVerdict = { open: true } | { open: false; opensAt: number };

/**
 * Maintenance windows: a cluster governed by at least one window is only synced while one of
 * its windows is open (a window opens at each cron tick, UTC, and stays open for `duration`).
 * Clusters no window governs are always open.
 */
export function maintenanceWindowVerdict(
  windows: WindowSpec[] | undefined,
  labels: Record<string, string>,
  now: number,
): WindowVerdict {
  const governing = (windows ?? []).filter(
    (w) => w.selector === undefined || matchesSelector(labels, parseLabelSelector(w.selector)),
  );
  if (governing.length === 0) return { open: true };
  let opensAt = Number.POSITIVE_INFINITY;
  for (const window of governing) {
    const cron = new Cron(window.schedule, { timezone: "UTC" });
    const length = durationMs(window.duration);
    // The most recent opening at or before now (croner's previous runs are strictly before the reference).
    const last = cron.previousRuns(1, new Date(now + 1))[0];
    if (last && last.getTime() + length > now) return { open: true };
    const next = cron.nextRun(new Date(now));
    if (next) opensAt = Math.min(opensAt, next.getTime());
  }
  return { open: false, opensAt };
}
