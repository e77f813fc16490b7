import { and, eq } from "drizzle-orm";
import { type AddonRelease, addonHolds, rollouts, rolloutTargets } from "../../schema";
import type { Deps } from "../context";
import { catalogEntry, DEFAULT_ADDONS } from "./catalog";
import type { AddonRefInput } from "./spec";

export type AddonSource = "default" | "class" | "environment" | "cluster" | "fleetplane" | "hold";

/** An add-on release a rollout holds a cluster at (see `addon_holds`). */
export type HeldRelease = AddonRelease["addon"];

/** One add-on a cluster should run, after the class < environment < cluster layering. */
export interface WantedAddon {
  name: string;
  version: string;
  namespace: string;
  url: string | undefined;
  sha256: string | undefined;
  adopt: boolean;
  /** The layer that decided the version (or the bundle); `hold`: a rollout holds it there. */
  source: AddonSource;
  /** With `source: hold`, the rollout that holds it. */
  heldBy?: string;
}

/** An add-on a layer removed (`enabled: false`); its CRDs go only when the layer says so. */
export interface RemovedAddon {
  name: string;
  removeCrds: boolean;
}

type Layer = { addons?: AddonRefInput[] } | undefined;

/**
 * The add-ons a cluster should run. A class that names no add-ons gets the defaults (Flux,
 * External Secrets, Kyverno); one that names them gets exactly those (`[]` for a cluster whose
 * platform someone else runs). Environments and clusters override a version or bundle, add an
 * add-on, or remove one with `enabled: false`. Argo CD joins where applications target the
 * cluster, unless a layer removed it. Pure but for that last fact, which the caller passes.
 */
export function resolveAddons(
  classSpec: Layer,
  environmentSpec: Layer,
  clusterSpec: Layer,
  opts: { applicationsTarget: boolean },
): { wanted: WantedAddon[]; removed: RemovedAddon[] } {
  const byName = new Map<string, WantedAddon>();
  const removed = new Map<string, RemovedAddon>();
  const put = (ref: AddonRefInput, source: AddonSource) => {
    if (ref.enabled === false) {
      byName.delete(ref.name);
      removed.set(ref.name, { name: ref.name, removeCrds: ref.removeCrds === true });
      return;
    }
    removed.delete(ref.name);
    const previous = byName.get(ref.name);
    const entry = catalogEntry(ref.name);
    const version = ref.version ?? previous?.version ?? entry?.defaultVersion;
    if (!version) return; // refused at write time: an add-on outside the catalog names its version
    byName.set(ref.name, {
      name: ref.name,
      version,
      namespace: ref.namespace ?? previous?.namespace ?? entry?.namespace ?? ref.name,
      url: ref.url ?? previous?.url,
      sha256: ref.sha256 ?? (ref.url || ref.version ? undefined : previous?.sha256),
      adopt: ref.adopt ?? previous?.adopt ?? false,
      source: ref.version || ref.url || !previous ? source : previous.source,
    });
  };
  if (classSpec?.addons === undefined) {
    for (const name of DEFAULT_ADDONS) put({ name }, "default");
  } else {
    for (const ref of classSpec.addons) put(ref, "class");
  }
  for (const ref of environmentSpec?.addons ?? []) put(ref, "environment");
  for (const ref of clusterSpec?.addons ?? []) put(ref, "cluster");
  if (opts.applicationsTarget && !byName.has("argo-cd") && !removed.has("argo-cd")) {
    put({ name: "argo-cd" }, "fleetplane");
  }
  return { wanted: [...byName.values()], removed: [...removed.values()] };
}

/**
 * Whether the add-on is installed and Ready on the cluster, or not Fleetplane's to install
 * (the cluster's add-ons do not name it: someone else runs that part of the platform).
 */
export function addonReadyOn(status: { addons?: unknown } | undefined, wanted: WantedAddon[], name: string): boolean {
  const want = wanted.find((w) => w.name === name);
  if (!want) return true;
  const found = ((status?.addons as { name: string; version: string; phase: string }[] | undefined) ?? []).find(
    (a) => a.name === name,
  );
  return found?.phase === "Ready" && found.version === want.version;
}

/** Whether any application rollout ever targeted the cluster: then Argo CD runs there. */
export async function applicationsTarget(deps: Deps, clusterId: string): Promise<boolean> {
  const [row] = await deps.store
    .select({ id: rolloutTargets.clusterId })
    .from(rolloutTargets)
    .innerJoin(rollouts, eq(rollouts.id, rolloutTargets.rolloutId))
    .where(and(eq(rolloutTargets.clusterId, clusterId), eq(rollouts.subjectKind, "Application")))
    .limit(1);
  return row !== undefined;
}

/**
 * The add-ons clusters are held at, by cluster and add-on name: for one cluster, or for every
 * cluster held anywhere (the table holds only clusters an upgrade is moving or rolled back).
 */
export async function holdsOf(deps: Deps, clusterId?: string): Promise<Map<string, Map<string, Held>>> {
  const byCluster = new Map<string, Map<string, Held>>();
  const rows = await deps.store
    .select()
    .from(addonHolds)
    .where(clusterId === undefined ? undefined : eq(addonHolds.clusterId, clusterId));
  for (const row of rows) {
    const held = byCluster.get(row.clusterId) ?? new Map<string, Held>();
    held.set(row.addon, { release: row.release, rolloutId: row.rolloutId });
    byCluster.set(row.clusterId, held);
  }
  return byCluster;
}

export interface Held {
  release: HeldRelease;
  rolloutId: string;
}

/** The wanted add-ons with the releases rollouts hold the cluster at instead of its spec's. */
export function applyHolds(wanted: WantedAddon[], held: Map<string, Held> | undefined): WantedAddon[] {
  if (!held || held.size === 0) return wanted;
  return wanted.map((w) => {
    const hold = held.get(w.name);
    if (!hold) return w;
    return {
      ...w,
      version: hold.release.version,
      url: hold.release.url,
      sha256: hold.release.sha256,
      source: "hold",
      heldBy: hold.rolloutId,
    };
  });
}
