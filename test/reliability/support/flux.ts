import { controllerRunning } from "../../emulators/flux";
import type { KubeEmulator } from "../../emulators/kube";

/**
 * Stands in for the Flux controllers on emulated clusters: every Kustomization whose status
 * does not describe its current generation is marked reconciled. Without it, functions that
 * wait for Flux's verdict would poll for ten minutes.
 */
export function emulateFlux(clusters: () => Iterable<KubeEmulator>, everyMs = 50): () => void {
  const timer = setInterval(() => {
    for (const kube of clusters()) {
      // Flux acts only where Fleetplane has installed it: before that the kind is not even served.
      if (!controllerRunning(kube, "flux-system", "kustomize-controller")) continue;
      let kustomizations: ReturnType<KubeEmulator["store"]["list"]>;
      try {
        kustomizations = kube.store.list({ apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization" });
      } catch {
        continue; // its CRD was deleted since
      }
      for (const object of kustomizations) {
        const meta = object.metadata as { name: string; namespace?: string; generation?: number };
        const status = (object as { status?: { observedGeneration?: number } }).status;
        if (status?.observedGeneration === (meta.generation ?? 1)) continue;
        kube.setStatus(
          {
            apiVersion: "kustomize.toolkit.fluxcd.io/v1",
            kind: "Kustomization",
            namespace: meta.namespace,
            name: meta.name,
          },
          {
            observedGeneration: meta.generation ?? 1,
            conditions: [
              {
                type: "Ready",
                status: "True",
                reason: "ReconciliationSucceeded",
                message: "Applied revision: main@sha1:0f1e2d",
                lastTransitionTime: new Date().toISOString(),
              },
            ],
          },
        );
      }
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
