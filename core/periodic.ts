import { markSilentAgents } from "./agents/verbs";
import { pruneAgentWork } from "./agents/work";
import type { Deps } from "./context";
import { scheduleReconciles } from "./drift/schedule";
import { routeNotifications } from "./notifications/fanout";

/**
 * What the hosts run on their timer (Node) or cron (Workers), besides the job sweep: turn the
 * clusters of silent agents Unknown and forget old agent work, queue the reconciles whose slot
 * is due, and turn new events that alert rules match into deliveries.
 * One failing pass does not stop the other; both are retried on the next tick.
 */
export async function runPeriodicPasses(deps: Deps): Promise<void> {
  await markSilentAgents(deps).catch((error) => deps.log.error("agent liveness pass failed", { error: String(error) }));
  await pruneAgentWork(deps).catch((error) => deps.log.error("agent work pruning failed", { error: String(error) }));
  await scheduleReconciles(deps).catch((error) =>
    deps.log.error("reconcile scheduling failed", { error: String(error) }),
  );
  await routeNotifications(deps).catch((error) =>
    deps.log.error("notification fan-out failed", { error: String(error) }),
  );
}
