import { and, eq, sql } from "drizzle-orm";
import { ADDON_FOR } from "../../core/addons/catalog";
import { judgeArgoApplication } from "../../core/applications/health";
import { ARGOCD_NAMESPACE, renderArgoApplication } from "../../core/applications/manifests";
import { clusterFactsOf } from "../../core/applications/plan";
import { findApplication } from "../../core/applications/read";
import { SYNC_APPLICATION } from "../../core/applications/start";
import type { Job } from "../../core/jobs/jobs";
import { type Statement, writeBatch } from "../../core/store";
import { applicationDeployments, type Release, type RolloutRelease } from "../../schema";
import { addonsAvailable } from "../clusters/addons";
import { kubeTargetOf } from "../clusters/target";
import { classifyKubeError } from "../kube/access";
import type { ClusterFunction, FunctionDeps } from "../types";
import {
  clusterFailedEvent,
  holdUnavailable,
  openTarget,
  progressDeadline,
  skipTarget,
  stillMine,
  targetUpdate,
  unavailability,
} from "./targets";

/**
 * syncApplication: moves one cluster of a rollout. It applies the Argo CD Application for the
 * rollout's release (server-side apply, field manager fleetplane), then reads Argo CD's
 * verdict until it is `Synced` and `Healthy` at that release (Succeeded), `Degraded` or a
 * failed sync (Failed), or the progress deadline passes (TimeOut). A rollback target whose
 * cluster had no release before removes the Application instead. What the cluster had before
 * is recorded once, so a fleet rollback knows where to go back to. Every write is conditional
 * on the target still being this job's, so a superseded or aborted cluster is left alone.
 */
export const syncApplication: ClusterFunction = {
  kind: SYNC_APPLICATION,
  async run(job, deps) {
    const opened = await openTarget(deps, job);
    if (opened.done) return opened.done;
    const { target, rollout, cluster } = opened;
    const unavailable = unavailability(cluster);
    if (unavailable) return holdUnavailable(deps, job, rollout, unavailable);
    const app = await findApplication(deps, rollout.subjectId);
    if (!app) {
      await skipTarget(deps, job, "the application is gone");
      return { outcome: "done", message: "the application is gone" };
    }
    const deployed = await currentDeployment(deps, app.id, cluster.id);
    if (target.previous === null) {
      await writeBatch(deps.store, [targetUpdate(deps, job, { previous: { release: deployed?.release ?? null } })]);
    }
    const release = applicationRelease(target.release ? target.release.release : rollout.release);
    const deadline = (target.startedAt ?? job.createdAt) + progressDeadline(rollout);
    const kubeTarget = await kubeTargetOf(deps, cluster);
    const facts = clusterFactsOf(cluster);
    try {
      const kube = await deps.kube(kubeTarget);
      if (release === null) {
        await kube.delete({
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Application",
          namespace: ARGOCD_NAMESPACE,
          name: app.name,
        });
        await writeBatch(deps.store, [
          deps.store
            .delete(applicationDeployments)
            .where(
              and(
                eq(applicationDeployments.applicationId, app.id),
                eq(applicationDeployments.clusterId, cluster.id),
                stillMine(job),
              ),
            ),
          targetUpdate(deps, job, {
            state: "Succeeded",
            message: "application removed (the cluster did not have it before)",
            finishedAt: deps.now(),
          }),
        ]);
        return { outcome: "done", message: `removed from ${cluster.name}` };
      }
      // Argo CD runs the Application: until its add-on is Ready there, the cluster waits (within its deadline).
      const argo = await addonsAvailable(deps, cluster, [ADDON_FOR.applications]);
      if (!argo.ready) {
        if (deps.now() >= deadline) {
          await writeBatch(deps.store, [
            targetUpdate(deps, job, { state: "TimeOut", message: argo.message, finishedAt: deps.now() }),
          ]);
          return { outcome: "done", message: argo.message };
        }
        if (target.message !== argo.message) {
          await writeBatch(deps.store, [targetUpdate(deps, job, { message: argo.message })]);
        }
        return { outcome: "poll", afterMs: deps.config.providerPollMs, message: argo.message };
      }
      const desired = renderArgoApplication(app.name, release, facts);
      await kube.apply(desired as never);
      const live = await kube.get({
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        namespace: ARGOCD_NAMESPACE,
        name: app.name,
      });
      const verdict = judgeArgoApplication(live as never, desired.spec.source);
      const now = deps.now();
      const statements: Statement[] = [];
      if (
        !deployed ||
        deployed.health !== verdict.health ||
        deployed.sync !== verdict.sync ||
        deployed.rolloutId !== rollout.id
      ) {
        statements.push(upsertDeployment(deps, job, app.id, cluster.id, release, rollout.id, verdict));
      }
      const timedOut = verdict.state === "Progressing" && now >= deadline;
      const state = timedOut ? "TimeOut" : verdict.state;
      if (state !== "Progressing") {
        statements.push(
          targetUpdate(deps, job, {
            state,
            message: timedOut ? `no verdict by the progress deadline: ${verdict.message}` : verdict.message,
            finishedAt: now,
          }),
        );
        if (state !== "Succeeded") {
          statements.push(
            clusterFailedEvent(
              deps,
              job,
              { rolloutId: rollout.id, subject: app.name, cluster: cluster.name },
              state,
              verdict.message,
            ),
          );
        }
      } else if (target.message !== verdict.message) {
        statements.push(targetUpdate(deps, job, { message: verdict.message }));
      }
      await writeBatch(deps.store, statements);
      if (state === "Progressing") {
        return { outcome: "poll", afterMs: deps.config.providerPollMs, message: verdict.message };
      }
      return { outcome: "done", message: `${state} on ${cluster.name}` };
    } catch (error) {
      const problem = classifyKubeError(error, kubeTarget.server);
      const absent = unavailability(cluster, problem);
      if (absent) return holdUnavailable(deps, job, rollout, absent);
      if (deps.now() >= deadline) {
        await writeBatch(deps.store, [
          targetUpdate(deps, job, {
            state: "TimeOut",
            message: `no verdict by the progress deadline: ${problem.code}: ${problem.message}`,
            finishedAt: deps.now(),
          }),
        ]);
        return { outcome: "done", message: "timed out" };
      }
      await writeBatch(deps.store, [targetUpdate(deps, job, { message: `${problem.code}: ${problem.message}` })]);
      throw problem;
    }
  },
  async onFailed(job, error, deps) {
    return [
      targetUpdate(deps, job, { state: "Failed", message: `${error.code}: ${error.message}`, finishedAt: deps.now() }),
    ];
  },
};

/** The release an application rollout moves to (an add-on release here would be a bug). */
function applicationRelease(release: RolloutRelease | null): Release | null {
  if (release && "addon" in release) throw new Error("an add-on release in an application rollout");
  return release;
}

async function currentDeployment(deps: FunctionDeps, applicationId: string, clusterId: string) {
  const [row] = await deps.store
    .select()
    .from(applicationDeployments)
    .where(
      and(eq(applicationDeployments.applicationId, applicationId), eq(applicationDeployments.clusterId, clusterId)),
    )
    .limit(1);
  return row;
}

function upsertDeployment(
  deps: FunctionDeps,
  job: Job,
  applicationId: string,
  clusterId: string,
  release: Release,
  rolloutId: string,
  verdict: { health: string; sync: string },
) {
  const now = deps.now();
  return deps.store.run(sql`INSERT INTO ${applicationDeployments}
      (application_id, cluster_id, release, rollout_id, health, sync, updated_at)
      SELECT ${applicationId}, ${clusterId}, ${JSON.stringify(release)}, ${rolloutId}, ${verdict.health}, ${verdict.sync}, ${now}
      WHERE ${stillMine(job)}
      ON CONFLICT (application_id, cluster_id) DO UPDATE SET
        release = excluded.release, rollout_id = excluded.rollout_id, health = excluded.health,
        sync = excluded.sync, updated_at = excluded.updated_at`);
}
