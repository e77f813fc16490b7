import { and, eq, sql } from "drizzle-orm";
import { SYNC_ADDON } from "../../core/addons/jobs";
import { heldReleaseOf } from "../../core/addons/rollouts";
import type { AddonStatusValue } from "../../core/addons/spec";
import { type RolloutPhase, TERMINAL_PHASES } from "../../core/applications/spec";
import { clusterManifests } from "../../core/clusters/manifests";
import type { Job } from "../../core/jobs/jobs";
import { type Statement, writeBatch } from "../../core/store";
import { addonHolds } from "../../schema";
import { addonStatuses, addonsAvailable } from "../clusters/addons";
import type { ClusterFunction, FunctionDeps } from "../types";
import {
  clusterFailedEvent,
  holdUnavailable,
  openTarget,
  progressDeadline,
  stillMine,
  targetUpdate,
  unavailability,
} from "./targets";

/**
 * How often a cluster's sync looks again on its own. The install job wakes it when the add-on
 * reaches a verdict, so this only bounds how late a missed wake or the deadline is noticed; a
 * sync that polled as often as the install would take the cluster's job slot from it.
 */
const POLL_MS = 5_000;

/**
 * syncAddon: moves one cluster of an add-on rollout. Its first run records the release the
 * cluster had (for a fleet rollback) and moves the cluster's hold: a rollout releases it, so
 * the cluster's spec decides; a rollback holds the cluster at the release it goes back to.
 * The cluster's install job then does the work (it is the one writer of add-on status); this
 * job watches that status until the add-on is Ready at the wanted release (Succeeded),
 * Degraded or Failed there since this attempt started (Failed), or the progress deadline
 * passes (TimeOut). Every write is conditional on the target still being this job's.
 */
export const syncAddon: ClusterFunction = {
  kind: SYNC_ADDON,
  async run(job, deps) {
    const opened = await openTarget(deps, job);
    if (opened.done) return opened.done;
    const { target, rollout, cluster } = opened;
    const name = rollout.subjectId;
    if (TERMINAL_PHASES.includes(rollout.phase as RolloutPhase)) {
      return { outcome: "done", message: `the rollout is ${rollout.phase}` };
    }
    const unavailable = unavailability(cluster);
    if (unavailable) return holdUnavailable(deps, job, rollout, unavailable);
    if (target.previous === null) {
      const had = (await clusterManifests(deps, cluster)).addons.find((a) => a.name === name);
      const back = target.release?.release;
      await writeBatch(deps.store, [
        targetUpdate(deps, job, { previous: { release: had ? { addon: heldReleaseOf(had) } : null } }),
        back && "addon" in back ? holdAt(deps, job, cluster.id, back.addon) : releaseHold(deps, job, cluster.id, name),
      ]);
    }
    const want = (await clusterManifests(deps, cluster)).addons.find((a) => a.name === name);
    const finish = async (state: "Succeeded" | "Failed" | "TimeOut" | "Skip", message: string) => {
      const statements: Statement[] = [targetUpdate(deps, job, { state, message, finishedAt: deps.now() })];
      if (state === "Failed" || state === "TimeOut") {
        statements.push(
          clusterFailedEvent(
            deps,
            job,
            { rolloutId: rollout.id, subject: name, cluster: cluster.name },
            state,
            message,
          ),
        );
      }
      await writeBatch(deps.store, statements);
      return { outcome: "done" as const, message: `${state} on ${cluster.name}` };
    };
    if (!want) return finish("Skip", `${cluster.name} no longer runs ${name}`);
    const status: AddonStatusValue | undefined = addonStatuses(cluster).get(name);
    if (status && !status.managed && !want.adopt) {
      return finish("Skip", `${name} on ${cluster.name} was not installed by Fleetplane and is left alone`);
    }
    const availability = await addonsAvailable(deps, cluster, [name]);
    if (availability.ready) return finish("Succeeded", `${name} ${want.version} Ready`);
    const attemptStart = target.startedAt ?? job.createdAt;
    if (
      status &&
      status.version === want.version &&
      (status.phase === "Degraded" || status.phase === "Failed") &&
      Date.parse(status.since) >= attemptStart
    ) {
      return finish("Failed", `${name} ${want.version} ${status.phase}: ${status.message}`);
    }
    if (deps.now() >= attemptStart + progressDeadline(rollout)) {
      return finish("TimeOut", `no verdict by the progress deadline: ${availability.message}`);
    }
    if (target.message !== availability.message) {
      await writeBatch(deps.store, [targetUpdate(deps, job, { message: availability.message })]);
    }
    return {
      outcome: "poll",
      afterMs: POLL_MS,
      message: availability.message,
    };
  },
  async onFailed(job, error, deps) {
    return [
      targetUpdate(deps, job, { state: "Failed", message: `${error.code}: ${error.message}`, finishedAt: deps.now() }),
    ];
  },
};

/** A rollback holds the cluster at the release it goes back to, until the spec changes again. */
function holdAt(deps: FunctionDeps, job: Job, clusterId: string, release: { name: string; version: string }) {
  return deps.store.run(sql`INSERT INTO ${addonHolds} (cluster_id, addon, release, rollout_id, created_at)
    SELECT ${clusterId}, ${release.name}, ${JSON.stringify(release)}, ${job.resourceId}, ${deps.now()}
    WHERE ${stillMine(job)}
    ON CONFLICT (cluster_id, addon) DO UPDATE SET release = excluded.release, rollout_id = excluded.rollout_id`);
}

/** The cluster's wave has come: its spec decides its release again. */
function releaseHold(deps: FunctionDeps, job: Job, clusterId: string, addon: string) {
  return deps.store
    .delete(addonHolds)
    .where(and(eq(addonHolds.clusterId, clusterId), eq(addonHolds.addon, addon), stillMine(job)));
}
