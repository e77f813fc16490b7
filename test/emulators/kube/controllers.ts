/**
 * The two controllers every real cluster runs that installers wait on:
 *
 * - the apiextensions controller, which accepts a CustomResourceDefinition's names and marks
 *   it `Established` (only then does the server serve its kind);
 * - the Deployment controller (with the kubelets behind it), which rolls a Deployment out and
 *   reports `Available` for its current generation.
 *
 * Both act asynchronously, a little after the write, as on a real cluster: a client that reads
 * right after applying sees no verdict yet and has to wait for one. Tests steer them through
 * `Controls` to keep a CRD from being established or a Deployment from becoming available.
 */
import { CRDS } from "./resources.js";
import type { KubeObject, KubeStore, StoreEvent } from "./store.js";

/** How a Deployment the tests hold back fails: pods that never get ready, or a rollout past its deadline. */
export type DeploymentFailure = "Unavailable" | "ProgressDeadlineExceeded";

export interface ControlsState {
  crdEstablishMs: number;
  deploymentRolloutMs: number;
  heldCrds: string[];
  failingDeployments: Record<string, DeploymentFailure>;
}

export class Controls {
  /** Delay before a new or changed CRD is Established. */
  crdEstablishMs = 5;
  /** Delay before a new or changed Deployment reports on its rollout. */
  deploymentRolloutMs = 20;
  /** CRD names that are accepted but never Established (names conflict, a broken conversion webhook...). */
  readonly heldCrds = new Set<string>();
  /** "<namespace>/<name>" of Deployments whose pods never become available. */
  readonly failingDeployments = new Map<string, DeploymentFailure>();
  #changed: () => void = () => {};

  /** Re-evaluate every CRD and Deployment after the controls changed. */
  changed(): void {
    this.#changed();
  }

  onChange(listener: () => void): void {
    this.#changed = listener;
  }

  set(partial: Partial<ControlsState>): void {
    if (partial.crdEstablishMs !== undefined) this.crdEstablishMs = partial.crdEstablishMs;
    if (partial.deploymentRolloutMs !== undefined) this.deploymentRolloutMs = partial.deploymentRolloutMs;
    if (partial.heldCrds) {
      this.heldCrds.clear();
      for (const name of partial.heldCrds) this.heldCrds.add(name);
    }
    if (partial.failingDeployments) {
      this.failingDeployments.clear();
      for (const [key, how] of Object.entries(partial.failingDeployments)) this.failingDeployments.set(key, how);
    }
    this.changed();
  }

  clear(): void {
    this.heldCrds.clear();
    this.failingDeployments.clear();
    this.changed();
  }

  toJSON(): ControlsState {
    return {
      crdEstablishMs: this.crdEstablishMs,
      deploymentRolloutMs: this.deploymentRolloutMs,
      heldCrds: [...this.heldCrds],
      failingDeployments: Object.fromEntries(this.failingDeployments),
    };
  }
}

interface CrdObject extends KubeObject {
  spec?: { names?: Record<string, unknown>; versions?: { name?: string; storage?: boolean }[] };
  status?: { conditions?: { type: string; status: string }[]; acceptedNames?: unknown };
}

interface DeploymentObject extends KubeObject {
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; conditions?: { type: string; status: string; reason?: string }[] };
}

const DEPLOYMENT = { apiVersion: "apps/v1", kind: "Deployment" } as const;

export function startControllers(store: KubeStore, controls: Controls): { stop(): void } {
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      try {
        fn();
      } catch {
        // The object changed or went away meanwhile; the write that did it schedules its own look.
      }
    }, ms);
    timers.add(timer);
  };

  const establish = (name: string) => {
    const crd = store.get({ apiVersion: CRDS.groupVersion, kind: CRDS.kind, name }) as CrdObject | undefined;
    if (!crd) return;
    const held = controls.heldCrds.has(name);
    const now = new Date().toISOString();
    const storedVersions = (crd.spec?.versions ?? []).filter((v) => v.storage).map((v) => v.name);
    const status = {
      conditions: [
        {
          type: "NamesAccepted",
          status: "True",
          reason: "NoConflicts",
          message: "no conflicts found",
          lastTransitionTime: now,
        },
        held
          ? {
              type: "Established",
              status: "False",
              reason: "Installing",
              message: "the initial names have been accepted",
              lastTransitionTime: now,
            }
          : {
              type: "Established",
              status: "True",
              reason: "InitialNamesAccepted",
              message: "the initial names have been accepted",
              lastTransitionTime: now,
            },
      ],
      acceptedNames: crd.spec?.names ?? {},
      storedVersions,
    };
    if (sameConditions(crd.status?.conditions, status.conditions)) return;
    store.setStatus({ apiVersion: CRDS.groupVersion, kind: CRDS.kind, name }, status, "kube-apiserver");
  };

  const rollOut = (namespace: string, name: string) => {
    const ref = { ...DEPLOYMENT, namespace, name };
    const deployment = store.get(ref) as DeploymentObject | undefined;
    if (!deployment) return;
    const generation = deployment.metadata.generation ?? 1;
    const replicas = deployment.spec?.replicas ?? 1;
    const failure = controls.failingDeployments.get(`${namespace}/${name}`);
    const replicaSet = `${name}-${(generation * 2654435761).toString(16).slice(-10)}`;
    const now = new Date().toISOString();
    const available = {
      type: "Available",
      status: failure ? "False" : "True",
      reason: failure ? "MinimumReplicasUnavailable" : "MinimumReplicasAvailable",
      message: failure ? "Deployment does not have minimum availability." : "Deployment has minimum availability.",
      lastUpdateTime: now,
      lastTransitionTime: now,
    };
    const progressing =
      failure === "ProgressDeadlineExceeded"
        ? {
            type: "Progressing",
            status: "False",
            reason: "ProgressDeadlineExceeded",
            message: `ReplicaSet "${replicaSet}" has timed out progressing.`,
          }
        : failure
          ? {
              type: "Progressing",
              status: "True",
              reason: "ReplicaSetUpdated",
              message: `ReplicaSet "${replicaSet}" is progressing.`,
            }
          : {
              type: "Progressing",
              status: "True",
              reason: "NewReplicaSetAvailable",
              message: `ReplicaSet "${replicaSet}" has successfully progressed.`,
            };
    const conditions = [available, { ...progressing, lastUpdateTime: now, lastTransitionTime: now }];
    if (
      deployment.status?.observedGeneration === generation &&
      sameConditions(deployment.status?.conditions, conditions)
    ) {
      return;
    }
    store.setStatus(
      ref,
      {
        observedGeneration: generation,
        replicas,
        updatedReplicas: replicas,
        ...(failure ? { unavailableReplicas: replicas } : { readyReplicas: replicas, availableReplicas: replicas }),
        conditions,
      },
      "kube-controller-manager",
    );
  };

  const onEvent = (event: StoreEvent) => {
    if (event.type === "DELETED") return;
    const { metadata } = event.object;
    if (event.storageKey === CRDS.storageKey) {
      if (event.object.metadata.generation === event.previous?.metadata.generation && event.previous) return;
      later(controls.crdEstablishMs, () => establish(metadata.name));
    } else if (event.storageKey === "deployments.apps") {
      const status = (event.object as DeploymentObject).status;
      if (status?.observedGeneration === metadata.generation) return;
      later(controls.deploymentRolloutMs, () => rollOut(metadata.namespace ?? "", metadata.name));
    }
  };
  const unsubscribe = store.subscribe(onEvent);

  controls.onChange(() => {
    for (const crd of store.list({ apiVersion: CRDS.groupVersion, kind: CRDS.kind })) {
      later(0, () => establish(crd.metadata.name));
    }
    for (const d of store.list(DEPLOYMENT)) later(0, () => rollOut(d.metadata.namespace ?? "", d.metadata.name));
  });

  return {
    stop() {
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

function sameConditions(
  a: { type: string; status: string; reason?: string }[] | undefined,
  b: { type: string; status: string; reason?: string }[],
): boolean {
  if (!a || a.length !== b.length) return false;
  return b.every((c) => a.some((x) => x.type === c.type && x.status === c.status && x.reason === c.reason));
}
