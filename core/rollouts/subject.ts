import type { SQL } from "drizzle-orm";
import { SYNC_ADDON } from "../addons/jobs";
import { addonSubject, planAddonRollback } from "../addons/rollouts";
import { canSeeApplication, findApplication, type RolloutRow } from "../applications/read";
import { applicationSubject, planRollback, SYNC_APPLICATION } from "../applications/start";
import type { Deps, Principal } from "../context";
import type { JobKind } from "../jobs/kinds";
import type { RolloutStart, RolloutSubject } from "./start";

/**
 * What the rollout engine and the rollout verbs need of whatever a rollout moves. The waves,
 * budgets, bake times, analysis and verbs are the same for an application and for an add-on;
 * what differs is the job that moves one cluster, who may see the rollout, and how the fleet
 * goes back.
 */
export interface SubjectHandle extends RolloutSubject {
  /** The per-cluster job the engine queues for each target it starts. */
  syncJob: JobKind;
  visibleTo(principal: Principal): boolean;
  planRollback(
    deps: Deps,
    original: RolloutRow,
    opts: { now: number; actor: string; reason: string; guard?: SQL },
  ): Promise<RolloutStart>;
}

/** The subject of a rollout; `undefined` when it is gone (an application being deleted). */
export async function subjectOf(deps: Deps, rollout: RolloutRow): Promise<SubjectHandle | undefined> {
  if (rollout.subjectKind === "Addon") {
    return {
      ...addonSubject(rollout.subjectId),
      syncJob: SYNC_ADDON,
      // Add-ons are the platform's: only administrators see or steer their rollouts.
      visibleTo: (principal) => principal.role === "admin",
      planRollback: (d, original, opts) => planAddonRollback(d, rollout.subjectId, original, opts),
    };
  }
  const app = await findApplication(deps, rollout.subjectId);
  if (!app) return undefined;
  return {
    ...applicationSubject(app),
    syncJob: SYNC_APPLICATION,
    visibleTo: (principal) => canSeeApplication(principal, app),
    planRollback: (d, original, opts) => planRollback(d, app, original, opts),
  };
}
