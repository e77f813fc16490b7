import { createHash } from "node:crypto";
import { controllerRunning } from "../flux/index.js";
import type { KubeEmulator } from "../kube/index.js";

/** What the emulated Argo CD reports for an Application once it has synced a source. */
export type ArgoOutcome = "Healthy" | "Degraded" | "Progressing" | "SyncFailed";

export interface ArgoCdController {
  /** Decides the outcome per cluster and target revision; change it any time (default Healthy). */
  outcome: (cluster: string, targetRevision: string) => ArgoOutcome;
  /** Applications synced so far, in order: `cluster/app@revision`. */
  synced: string[];
  stop(): void;
}

interface LiveApplication {
  metadata: { name: string; namespace: string };
  spec: { source?: Record<string, unknown>; destination?: Record<string, unknown> };
  status?: { sync?: { comparedTo?: { source?: unknown } }; health?: { status?: string } };
}

/**
 * Argo CD keeps assessing a synced Application's health: one that was Progressing turns Healthy
 * (or Degraded) when its resources do. A sync result is not redone; only the health moves.
 */
function reassessHealth(kube: KubeEmulator, app: LiveApplication, outcome: ArgoOutcome): void {
  if (outcome === "SyncFailed" || app.status?.health?.status === outcome || app.status?.health?.status === "Missing")
    return;
  kube.setStatus(
    {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      namespace: app.metadata.namespace,
      name: app.metadata.name,
    },
    {
      ...app.status,
      health: {
        status: outcome,
        ...(outcome === "Degraded" ? { message: "Deployment payments-api exceeded its progress deadline" } : {}),
      },
      reconciledAt: new Date().toISOString(),
    },
    "argocd-application-controller",
  );
}

/**
 * An Argo CD application controller for kube emulators: it watches `Application` objects the
 * way Argo CD does (through the emulated API server's store), and after `syncDelayMs` reports
 * what it compared (`status.sync.comparedTo.source`, a commit `revision`), the sync result and
 * the health `outcome` chooses, exactly in the shape Argo CD writes them.
 */
export function startArgoCdController(
  clusters: Map<string, KubeEmulator> | (() => Map<string, KubeEmulator>),
  opts: { syncDelayMs?: number; pollMs?: number } = {},
): ArgoCdController {
  const delay = opts.syncDelayMs ?? 50;
  const firstSeen = new Map<string, number>();
  const controller: ArgoCdController = {
    outcome: () => "Healthy",
    synced: [],
    stop: () => clearInterval(timer),
  };
  const timer = setInterval(() => {
    const fleet = typeof clusters === "function" ? clusters() : clusters;
    for (const [name, kube] of fleet) {
      // Argo CD acts only where its application controller is installed and running.
      if (!controllerRunning(kube, "argocd", "argocd-application-controller")) continue;
      let apps: LiveApplication[];
      try {
        apps = kube.store.list({ apiVersion: "argoproj.io/v1alpha1", kind: "Application" }) as never;
      } catch {
        continue;
      }
      for (const app of apps) {
        const source = app.spec.source ?? {};
        const key = `${name}/${app.metadata.namespace}/${app.metadata.name}/${JSON.stringify(source)}`;
        if (JSON.stringify(app.status?.sync?.comparedTo?.source) === JSON.stringify(source)) {
          reassessHealth(kube, app, controller.outcome(name, String(source.targetRevision ?? "HEAD")));
          continue;
        }
        const seen = firstSeen.get(key) ?? Date.now();
        firstSeen.set(key, seen);
        if (Date.now() - seen < delay) continue;
        const revision = String(source.targetRevision ?? "HEAD");
        const outcome = controller.outcome(name, revision);
        const sha = createHash("sha1").update(revision).digest("hex");
        const failed = outcome === "SyncFailed";
        kube.setStatus(
          {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            namespace: app.metadata.namespace,
            name: app.metadata.name,
          },
          {
            sync: {
              status: failed ? "OutOfSync" : "Synced",
              revision: sha,
              comparedTo: { source, destination: app.spec.destination ?? {} },
            },
            health: {
              status: failed ? "Missing" : outcome,
              ...(outcome === "Degraded" ? { message: "Deployment payments-api exceeded its progress deadline" } : {}),
            },
            operationState: {
              phase: failed ? "Failed" : "Succeeded",
              message: failed ? "one or more objects failed to apply" : "successfully synced (all tasks run)",
              syncResult: { revision: sha, source },
              startedAt: new Date(seen).toISOString(),
              finishedAt: new Date().toISOString(),
            },
            reconciledAt: new Date().toISOString(),
          },
          "argocd-application-controller",
        );
        controller.synced.push(`${name}/${app.metadata.name}@${revision}`);
      }
    }
  }, opts.pollMs ?? 20);
  return controller;
}
