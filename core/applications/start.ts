import { eq, type SQL } from "drizzle-orm";
import { applicationDeployments, type Release } from "../../schema";
import type { Deps } from "../context";
import type { JobKind } from "../jobs/kinds";
import { releaseLabel } from "../rollouts/runtime";
import {
  nextRolloutNumber,
  pendingRollout,
  persistRollout,
  planFleetRollback,
  type RolloutStart,
  type RolloutSubject,
  type TargetRow,
  waveRuntime,
} from "../rollouts/start";
import { planWaves, selectTargets } from "./plan";
import { type ApplicationRow, fleetFacts, type RolloutRow } from "./read";

/** Job kinds of application rollouts; the functions that run them live in functions/rollouts. */
export const SYNC_APPLICATION = "syncApplication" satisfies JobKind;
export const REMOVE_APPLICATION = "removeApplication" satisfies JobKind;

export function releaseOf(app: ApplicationRow): Release {
  const spec = app.spec;
  return {
    source: spec.source,
    destination: spec.destination,
    ...(spec.syncPolicy ? { syncPolicy: spec.syncPolicy } : {}),
    generation: app.generation,
  };
}

export function applicationSubject(app: Pick<ApplicationRow, "id" | "name">): RolloutSubject {
  return { kind: "Application", id: app.id, name: app.name };
}

/**
 * Plans a rollout of the application's current spec and returns the statements that persist
 * it: the rollout row (guarded), its targets, the superseding of older rollouts and the
 * engine's first tick. Clusters already running this exact release and healthy are `Skip`.
 */
export async function planRollout(
  deps: Deps,
  app: ApplicationRow,
  opts: { now: number; actor: string; reason: string; guard?: SQL },
): Promise<RolloutStart> {
  const { now } = opts;
  const spec = app.spec;
  const release = releaseOf(app);
  const targets = selectTargets(await fleetFacts(deps), spec.targets);
  const waves = planWaves(targets, spec.strategy, spec.targets);
  const current = new Map(
    (
      await deps.store.select().from(applicationDeployments).where(eq(applicationDeployments.applicationId, app.id))
    ).map((d) => [d.clusterId, d]),
  );
  const releaseKey = JSON.stringify({ ...release, generation: 0 });
  const rows: TargetRow[] = [];
  waves.forEach((wave, index) => {
    for (const cluster of wave.clusters) {
      const have = current.get(cluster.id);
      const upToDate =
        have && have.health === "Healthy" && JSON.stringify({ ...have.release, generation: 0 }) === releaseKey;
      rows.push({
        clusterId: cluster.id,
        clusterName: cluster.name,
        wave: index,
        state: upToDate ? "Skip" : "ToApply",
        message: upToDate ? "already Synced and Healthy at this release" : "",
      });
    }
  });
  const row = pendingRollout(
    applicationSubject(app),
    await nextRolloutNumber(deps, app.id),
    {
      kind: "rollout",
      message: opts.reason,
      release,
      strategy: (spec.strategy ?? {}) as Record<string, unknown>,
      waves: waves.map((w) => waveRuntime(w, w.clusters.length)),
      rollbackOf: null,
      createdBy: opts.actor,
    },
    now,
  );
  return persistRollout(deps, applicationSubject(app), row, rows, opts);
}

/** Fleet-level rollback of an application: a cluster that did not have it before loses it. */
export function planRollback(
  deps: Deps,
  app: Pick<ApplicationRow, "id" | "name">,
  original: RolloutRow,
  opts: { now: number; actor: string; reason: string; guard?: SQL },
): Promise<RolloutStart> {
  return planFleetRollback(deps, applicationSubject(app), original, opts, (previous) =>
    previous ? `back to ${releaseLabel(previous)}` : "remove (the cluster did not have the application before)",
  );
}
