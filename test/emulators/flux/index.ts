import type { KubeEmulator } from "../kube/index.js";

const KINDS = [
  {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    message: "stored artifact for revision 'main@sha1:0f1e2d3c'",
    controller: { namespace: "flux-system", name: "source-controller" },
  },
  {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    message: "Applied revision: main@sha1:0f1e2d3c",
    controller: { namespace: "flux-system", name: "kustomize-controller" },
  },
  {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    message: "secret synced",
    controller: { namespace: "external-secrets", name: "external-secrets" },
  },
];

/** Whether the controller's Deployment runs on the cluster and is Available: only then does it act. */
export function controllerRunning(kube: KubeEmulator, namespace: string, name: string): boolean {
  const deployment = kube.store.get({ apiVersion: "apps/v1", kind: "Deployment", namespace, name }) as
    | { status?: { conditions?: { type: string; status: string }[] } }
    | undefined;
  return deployment?.status?.conditions?.some((c) => c.type === "Available" && c.status === "True") ?? false;
}

interface Live {
  metadata: { name: string; namespace: string; generation?: number };
  status?: { observedGeneration?: number };
}

/**
 * Flux's source and kustomize controllers (and External Secrets) for kube emulators, reduced to
 * what Fleetplane reads back: every GitRepository, Kustomization and ExternalSecret becomes
 * `Ready=True` for its current generation shortly after it is written, through the status
 * subresource, as the controllers report it. A controller acts only on a cluster where its
 * Deployment runs and is Available, as on a real cluster: nothing happens before it is installed.
 */
export function startFluxController(clusters: Map<string, KubeEmulator>, opts: { delayMs?: number } = {}) {
  const seen = new Map<string, number>();
  const timer = setInterval(() => {
    for (const [name, kube] of clusters) {
      for (const type of KINDS) {
        if (!controllerRunning(kube, type.controller.namespace, type.controller.name)) continue;
        let items: Live[];
        try {
          items = kube.store.list({ apiVersion: type.apiVersion, kind: type.kind }) as never;
        } catch {
          continue;
        }
        for (const item of items) {
          const generation = item.metadata.generation ?? 1;
          if (item.status?.observedGeneration === generation) continue;
          const key = `${name}/${type.kind}/${item.metadata.namespace}/${item.metadata.name}/${generation}`;
          const first = seen.get(key) ?? Date.now();
          seen.set(key, first);
          if (Date.now() - first < (opts.delayMs ?? 300)) continue;
          kube.setStatus(
            {
              apiVersion: type.apiVersion,
              kind: type.kind,
              namespace: item.metadata.namespace,
              name: item.metadata.name,
            },
            {
              observedGeneration: generation,
              conditions: [
                {
                  type: "Ready",
                  status: "True",
                  reason: "ReconciliationSucceeded",
                  message: type.message,
                  lastTransitionTime: new Date().toISOString(),
                },
              ],
            },
            type.kind === "ExternalSecret" ? "external-secrets" : `${type.kind.toLowerCase()}-controller`,
          );
        }
      }
    }
  }, 50);
  return { stop: () => clearInterval(timer) };
}
