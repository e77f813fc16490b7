/**
 * The platform add-ons Fleetplane knows without being told: where each release's manifests
 * are published and the namespace the controllers run in. A class can name any other add-on
 * by giving its bundle URL.
 */

export interface CatalogEntry {
  /** Version installed when a class names the add-on without one (or names none at all). */
  defaultVersion: string;
  namespace: string;
  /**
   * Upstream release manifest URLs for a version. Empty when the project publishes only a Helm
   * chart: such a bundle comes from the add-on mirror (`FLEET_ADDON_MIRROR`) or the class's `url`.
   */
  upstream(version: string): string[];
  /** The files the mirror serves under `<mirror>/<name>/<version>/`. */
  files: string[];
}

export const CATALOG: Record<string, CatalogEntry> = {
  flux: {
    defaultVersion: "2.7.3",
    namespace: "flux-system",
    upstream: (v) => [`https://github.com/fluxcd/flux2/releases/download/v${v}/install.yaml`],
    files: ["install.yaml"],
  },
  "external-secrets": {
    defaultVersion: "0.20.4",
    namespace: "external-secrets",
    // External Secrets publishes only its Helm chart; a rendered chart
    // (`helm template external-secrets external-secrets/external-secrets --include-crds -n external-secrets`)
    // is served from the add-on mirror.
    upstream: () => [],
    files: ["external-secrets.yaml"],
  },
  kyverno: {
    defaultVersion: "1.15.2",
    namespace: "kyverno",
    upstream: (v) => [`https://github.com/kyverno/kyverno/releases/download/v${v}/install.yaml`],
    files: ["install.yaml"],
  },
  // Bitnami's Sealed Secrets controller: the second way to deliver a secret, for fleets without
  // a cloud secret store. Its release manifest installs into kube-system, where `kubeseal` and
  // Fleetplane look for it.
  "sealed-secrets": {
    defaultVersion: "0.36.4",
    namespace: "kube-system",
    upstream: (v) => [`https://github.com/bitnami/sealed-secrets/releases/download/v${v}/controller.yaml`],
    files: ["controller.yaml"],
  },
  "argo-cd": {
    defaultVersion: "3.1.9",
    namespace: "argocd",
    upstream: (v) => [`https://raw.githubusercontent.com/argoproj/argo-cd/v${v}/manifests/install.yaml`],
    files: ["install.yaml"],
  },
};

/**
 * The catalog's entry for a name, if it has one. A plain `CATALOG[name]` answers for names
 * every object has (`constructor`, `toString`), so an add-on called that would pass as known.
 */
export function catalogEntry(name: string): CatalogEntry | undefined {
  return Object.hasOwn(CATALOG, name) ? CATALOG[name] : undefined;
}

/**
 * Namespaces every cluster comes with. An add-on installed into one (Sealed Secrets into
 * kube-system) gets no Namespace from Fleetplane: the cluster's own is not Fleetplane's to label,
 * watch for drift or ever remove.
 */
export const CLUSTER_NAMESPACES: ReadonlySet<string> = new Set(["default", "kube-system", "kube-public"]);

/** Installed on every cluster unless its class names its add-ons itself. */
export const DEFAULT_ADDONS = ["flux", "external-secrets", "kyverno"] as const;

/** The add-on each Fleetplane feature stands on. */
export const ADDON_FOR = {
  flux: "flux",
  guardrails: "kyverno",
  secrets: "external-secrets",
  sealedSecrets: "sealed-secrets",
  applications: "argo-cd",
} as const;

/**
 * Where a release's manifests are fetched from: the class's own URL, the mirror, or upstream.
 * A mirror serves the catalog's files as `<mirror>/<name>/<version>/<file>`, the layout of a
 * GitHub release download, so an offline fleet mirrors releases by copying them.
 */
export function bundleUrls(
  name: string,
  version: string,
  override: string | undefined,
  mirror: string | undefined,
): string[] {
  if (override) return [override];
  const entry = catalogEntry(name);
  if (!entry) return [];
  if (mirror) return entry.files.map((f) => `${mirror.replace(/\/+$/, "")}/${name}/${version}/${f}`);
  return entry.upstream(version);
}
