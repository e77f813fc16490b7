import { durationMs as parseDuration } from "../drift/spec";
import { matchesSelector, parseLabelSelector, type Requirement } from "../selector";
import type { StrategyInput, WaveInput } from "./spec";

/**
 * Pure rollout planning: which clusters a rollout touches, in which wave, and the limits each
 * wave resolves to. No I/O, so the API, the engine, property tests and the benchmark share it.
 */

/** What planning needs to know about a cluster. */
export interface ClusterFacts {
  id: string;
  name: string;
  labels: Record<string, string>;
  environment: string | null;
  region: string | null;
  /** The cluster's own wave hint (`wave` on the cluster), used when the strategy names no waves. */
  waveHint: number | null;
}

/** A cluster's facts for rendering and selecting, outside wave planning (no wave hint). */
export function clusterFactsOf(cluster: {
  id: string;
  name: string;
  labels: Record<string, string> | null;
  environment: string | null;
  region: string | null;
}): ClusterFacts {
  return {
    id: cluster.id,
    name: cluster.name,
    labels: cluster.labels ?? {},
    environment: cluster.environment,
    region: cluster.region,
    waveHint: null,
  };
}

/**
 * What selectors of applications see: the cluster's labels, with its `environment`, `region`
 * and `name` filled in when no label of that key exists, so `environment=staging` works
 * whether or not the platform team also labels clusters with it.
 */
export function selectableLabels(cluster: ClusterFacts): Record<string, string> {
  return {
    name: cluster.name,
    ...(cluster.environment ? { environment: cluster.environment } : {}),
    ...(cluster.region ? { region: cluster.region } : {}),
    ...cluster.labels,
  };
}

export interface PlannedWave {
  name: string;
  /** Index into `strategy.waves`, or `null` for a wave made up by planning. */
  strategyIndex: number | null;
  clusters: ClusterFacts[];
  maxConcurrency: number;
  maxFailures: number;
  minSuccessMs: number;
  requireApproval: boolean;
}

/**
 * A count stays a count; a percentage is of the wave's size, rounded down. Concurrency never
 * rounds to 0 for a non-empty wave (a wave that can never start is a mistake, not a limit);
 * a failure budget may (`0%` and `10%` of 5 clusters both mean "no failure tolerated").
 */
export function resolveQuantity(quantity: number | string | undefined, size: number, kind: "concurrency" | "failures") {
  if (quantity === undefined) return kind === "concurrency" ? Math.max(size, 1) : 0;
  const value = typeof quantity === "number" ? quantity : Math.floor((size * Number(quantity.slice(0, -1))) / 100);
  return kind === "concurrency" ? Math.max(1, value) : value;
}

/** Go-style durations as Flux and Argo CD write them (`1h30m`, `90s`, `500ms`), or `fallback`. */
export function durationMs(duration: string | undefined, fallback = 0): number {
  return parseDuration(duration) ?? fallback;
}

export interface Targets {
  labelSelector?: string | undefined;
  clusters?: { name: string; wave?: number | undefined }[] | undefined;
}

/**
 * Splits the targets into waves. With `strategy.waves`, a cluster joins the first wave whose
 * selector matches (a wave without selector takes everything left); an explicit target list's
 * `wave` index wins over selectors. Clusters no wave claims form a last wave, `unassigned`, so
 * nothing is silently left out. Without waves, clusters are grouped by their own wave hint
 * (`wave-0`, `wave-1`, …), which is all one wave when no cluster has one.
 * Within a wave clusters are ordered by name, so plans are stable.
 */
export function planWaves(
  targets: ClusterFacts[],
  strategy: StrategyInput | undefined,
  explicit?: Targets,
): PlannedWave[] {
  const waves = strategy?.waves;
  const groups = new Map<number | string, ClusterFacts[]>();
  const add = (key: number | string, cluster: ClusterFacts) => {
    const list = groups.get(key);
    if (list) list.push(cluster);
    else groups.set(key, [cluster]);
  };
  const explicitWave = new Map((explicit?.clusters ?? []).map((c) => [c.name, c.wave]));
  if (waves && waves.length > 0) {
    const selectors: (Requirement[] | undefined)[] = waves.map((w) =>
      w.selector === undefined ? undefined : parseLabelSelector(w.selector),
    );
    for (const cluster of targets) {
      const pinned = explicitWave.get(cluster.name);
      if (pinned !== undefined && pinned < waves.length) {
        add(pinned, cluster);
        continue;
      }
      const labels = selectableLabels(cluster);
      const index = selectors.findIndex((s) => s === undefined || matchesSelector(labels, s));
      add(index === -1 ? "unassigned" : index, cluster);
    }
    const planned: PlannedWave[] = [];
    waves.forEach((wave, i) => {
      const members = groups.get(i);
      if (members) planned.push(resolveWave(wave.name, i, wave, members));
    });
    const rest = groups.get("unassigned");
    if (rest) planned.push(resolveWave("unassigned", null, undefined, rest));
    return planned;
  }
  for (const cluster of targets) add(explicitWave.get(cluster.name) ?? cluster.waveHint ?? 0, cluster);
  return [...groups.entries()]
    .sort(([a], [b]) => (a as number) - (b as number))
    .map(([key, members]) => resolveWave(`wave-${key}`, null, undefined, members));
}

function resolveWave(name: string, strategyIndex: number | null, wave: WaveInput | undefined, members: ClusterFacts[]) {
  const clusters = [...members].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    name,
    strategyIndex,
    clusters,
    maxConcurrency: resolveQuantity(wave?.maxConcurrency, clusters.length, "concurrency"),
    maxFailures: resolveQuantity(wave?.maxFailures, clusters.length, "failures"),
    minSuccessMs: durationMs(wave?.minSuccessTime),
    requireApproval: wave?.requireApproval ?? false,
  };
}

/** The clusters an application targets, from the fleet's facts. */
export function selectTargets(fleet: ClusterFacts[], targets: Targets): ClusterFacts[] {
  if (targets.clusters) {
    const byName = new Map(fleet.map((c) => [c.name, c]));
    return targets.clusters.flatMap((t) => byName.get(t.name) ?? []);
  }
  const selector = parseLabelSelector(targets.labelSelector ?? "");
  return fleet.filter((c) => matchesSelector(selectableLabels(c), selector));
}
