import type { KubeEmulator } from "../../emulators/kube";

/**
 * Stands in for the Flux controllers on emulated clusters: every Kustomization whose status
 * does not describe its current generation is marked reconciled. Without it, functions that
 * wait for Flux's verdict would poll for ten minutes.
 */
export function emulateFlux(clusters: () => Iterable<KubeEmulator>, everyMs = 50): () => void {
  const timer = setInterval(() => {
    for (const kube of clusters()) {
      for (const object of kube.store.list({ apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization" })) {
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

/** What a cluster the platform team bootstrapped contains: the namespaces tenants rely on. */
export function bootstrapPlatformNamespaces(kube: KubeEmulator): void {
  for (const ns of ["flux-system", "external-secrets", "kyverno"]) {
    kube.editAs(
      "platform-bootstrap",
      { apiVersion: "v1", kind: "Namespace", name: ns },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
      "Apply",
    );
  }
}
