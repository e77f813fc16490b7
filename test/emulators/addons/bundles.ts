/**
 * Release bundles of the platform add-ons, shaped like the upstream ones (Flux's `install.yaml`,
 * Kyverno's install manifest, Argo CD's `install.yaml`, a rendered External Secrets chart), but
 * small: the CustomResourceDefinitions with an openAPIV3Schema, the namespace, RBAC, service
 * accounts and the controller Deployments. There is no internet in tests; these are what the
 * bundle server hands out in place of the real release assets.
 */
import { stringify } from "yaml";

type Scope = "Namespaced" | "Cluster";

interface KindRow {
  group: string;
  /** Served versions, storage version first. */
  versions: string[];
  kind: string;
  plural: string;
  scope: Scope;
  status: boolean;
  shortNames?: string[];
}

const row = (
  group: string,
  versions: string[],
  kind: string,
  plural: string,
  scope: Scope,
  status: boolean,
  shortNames?: string[],
): KindRow => ({ group, versions, kind, plural, scope, status, ...(shortNames ? { shortNames } : {}) });

/** The custom kinds each project defines, as its CRDs declare them. */
export const CUSTOM_KINDS: Record<string, KindRow[]> = {
  flux: [
    row("source.toolkit.fluxcd.io", ["v1"], "GitRepository", "gitrepositories", "Namespaced", true, ["gitrepo"]),
    row("source.toolkit.fluxcd.io", ["v1"], "HelmRepository", "helmrepositories", "Namespaced", true, ["helmrepo"]),
    row("source.toolkit.fluxcd.io", ["v1"], "OCIRepository", "ocirepositories", "Namespaced", true, ["ocirepo"]),
    row("kustomize.toolkit.fluxcd.io", ["v1"], "Kustomization", "kustomizations", "Namespaced", true, ["ks"]),
    row("helm.toolkit.fluxcd.io", ["v2"], "HelmRelease", "helmreleases", "Namespaced", true, ["hr"]),
    // notification v1beta3 Alert/Provider are static objects: the CRDs dropped their status.
    row("notification.toolkit.fluxcd.io", ["v1beta3"], "Alert", "alerts", "Namespaced", false),
    row("notification.toolkit.fluxcd.io", ["v1beta3"], "Provider", "providers", "Namespaced", false),
  ],
  "external-secrets": [
    // v1 is the storage version; v1beta1 is still served from the same storage.
    row("external-secrets.io", ["v1", "v1beta1"], "ExternalSecret", "externalsecrets", "Namespaced", true, ["es"]),
    row("external-secrets.io", ["v1", "v1beta1"], "SecretStore", "secretstores", "Namespaced", true, ["ss"]),
    row("external-secrets.io", ["v1", "v1beta1"], "ClusterSecretStore", "clustersecretstores", "Cluster", true, [
      "css",
    ]),
  ],
  kyverno: [
    row("kyverno.io", ["v1"], "ClusterPolicy", "clusterpolicies", "Cluster", true, ["cpol"]),
    row("kyverno.io", ["v1"], "Policy", "policies", "Namespaced", true, ["pol"]),
  ],
  // Argo CD's Application and AppProject CRDs have no status subresource; ApplicationSet has one.
  "argo-cd": [
    row("argoproj.io", ["v1alpha1"], "Application", "applications", "Namespaced", false, ["app", "apps"]),
    row("argoproj.io", ["v1alpha1"], "ApplicationSet", "applicationsets", "Namespaced", true, ["appset", "appsets"]),
    row("argoproj.io", ["v1alpha1"], "AppProject", "appprojects", "Namespaced", false, ["appproj", "appprojs"]),
  ],
  "sealed-secrets": [row("bitnami.com", ["v1alpha1"], "SealedSecret", "sealedsecrets", "Namespaced", true)],
  /** What a Cluster API management cluster serves (installed by `clusterctl init`, not by us). */
  "cluster-api": [
    row("cluster.x-k8s.io", ["v1beta1"], "Cluster", "clusters", "Namespaced", true, ["cl"]),
    row("cluster.x-k8s.io", ["v1beta1"], "MachineDeployment", "machinedeployments", "Namespaced", true, ["md"]),
    row("addons.cluster.x-k8s.io", ["v1alpha1"], "FluxAddon", "fluxaddons", "Namespaced", true),
  ],
  "prometheus-operator": [
    row("monitoring.coreos.com", ["v1"], "PrometheusRule", "prometheusrules", "Namespaced", false, ["promrule"]),
  ],
};

/**
 * The spec schema of every fixture CRD: open to unknown fields, and using the schema keys the
 * upstream CRDs depend on (`default`, `enum`, CEL rules, list-map markers), which a client that
 * sends a CRD through a typed model silently drops.
 */
const SPEC_SCHEMA = {
  type: "object",
  "x-kubernetes-preserve-unknown-fields": true,
  properties: {
    suspend: { type: "boolean", default: false, description: "Suspend reconciliation" },
    mode: { type: "string", enum: ["Auto", "Manual"], description: "How changes are applied" },
    dependsOn: {
      type: "array",
      items: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name"],
    },
  },
  "x-kubernetes-validations": [{ rule: "!has(self.mode) || self.mode != ''", message: "mode must not be empty" }],
};

/** A CustomResourceDefinition as the projects publish them (schema kept open, as most are for unknown fields). */
export function crdOf(r: KindRow, labels: Record<string, string> = {}) {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${r.plural}.${r.group}`, labels },
    spec: {
      group: r.group,
      names: {
        kind: r.kind,
        listKind: `${r.kind}List`,
        plural: r.plural,
        singular: r.kind.toLowerCase(),
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      },
      scope: r.scope,
      versions: r.versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              apiVersion: { type: "string" },
              kind: { type: "string" },
              metadata: { type: "object" },
              spec: SPEC_SCHEMA,
              ...(r.status ? { status: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } : {}),
            },
          },
        },
        ...(r.status ? { subresources: { status: {} } } : {}),
      })),
    },
  };
}

/** The CRDs of one project: `crdsOf("cluster-api")` prepares a management cluster in a test. */
export function crdsOf(project: keyof typeof CUSTOM_KINDS) {
  return (CUSTOM_KINDS[project] ?? []).map((r) => crdOf(r));
}

interface AddonShape {
  namespace: string;
  /** Whether the upstream manifest contains its Namespace (Argo CD's does not). */
  bundlesNamespace: boolean;
  controllers: string[];
  image: (controller: string, version: string) => string;
  partOf: string;
}

const SHAPES: Record<string, AddonShape> = {
  flux: {
    namespace: "flux-system",
    bundlesNamespace: true,
    controllers: ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"],
    image: (c) => `ghcr.io/fluxcd/${c}`,
    partOf: "flux",
  },
  "external-secrets": {
    namespace: "external-secrets",
    // A rendered Helm chart (`helm template -n external-secrets`) carries no Namespace.
    bundlesNamespace: false,
    controllers: ["external-secrets", "external-secrets-cert-controller", "external-secrets-webhook"],
    image: () => "oci.external-secrets.io/external-secrets/external-secrets",
    partOf: "external-secrets",
  },
  kyverno: {
    namespace: "kyverno",
    bundlesNamespace: true,
    controllers: ["kyverno-admission-controller", "kyverno-background-controller"],
    image: (c) => `reg.kyverno.io/kyverno/${c.replace("kyverno-", "")}`,
    partOf: "kyverno",
  },
  "sealed-secrets": {
    namespace: "kube-system",
    // controller.yaml installs into kube-system, which every cluster has.
    bundlesNamespace: false,
    controllers: ["sealed-secrets-controller"],
    image: () => "docker.io/bitnami/sealed-secrets-controller",
    partOf: "sealed-secrets",
  },
  "argo-cd": {
    namespace: "argocd",
    bundlesNamespace: false,
    controllers: ["argocd-server", "argocd-repo-server", "argocd-application-controller"],
    image: () => "quay.io/argoproj/argocd",
    partOf: "argocd",
  },
};

/** The add-on names a bundle can be rendered for. */
export const BUNDLED_ADDONS = Object.keys(SHAPES);

/**
 * One add-on release as a multi-document YAML, in the order upstream manifests use:
 * Namespace, CRDs, ServiceAccounts, RBAC, Services, Deployments.
 */
export function renderBundle(name: string, version: string): string | undefined {
  const shape = SHAPES[name];
  if (!shape) return undefined;
  const labels = {
    "app.kubernetes.io/part-of": shape.partOf,
    "app.kubernetes.io/instance": shape.namespace,
    "app.kubernetes.io/version": `v${version}`,
  };
  const ns = shape.namespace;
  const docs: object[] = [];
  if (shape.bundlesNamespace) docs.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels } });
  for (const r of CUSTOM_KINDS[name] ?? []) docs.push(crdOf(r, labels));
  for (const c of shape.controllers) {
    docs.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: c, namespace: ns, labels } });
  }
  docs.push({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: `${shape.partOf}-controller`, labels },
    rules: [
      { apiGroups: (CUSTOM_KINDS[name] ?? []).map((r) => r.group), resources: ["*"], verbs: ["*"] },
      {
        apiGroups: [""],
        resources: ["secrets", "configmaps", "events"],
        verbs: ["get", "list", "watch", "create", "update", "patch"],
      },
    ],
  });
  docs.push({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: `${shape.partOf}-controller`, labels },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `${shape.partOf}-controller` },
    subjects: shape.controllers.map((c) => ({ kind: "ServiceAccount", name: c, namespace: ns })),
  });
  docs.push({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: shape.controllers[0], namespace: ns, labels },
    spec: {
      selector: { "app.kubernetes.io/name": shape.controllers[0] },
      ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }],
    },
  });
  for (const c of shape.controllers) {
    const selector = { "app.kubernetes.io/name": c };
    docs.push({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: c, namespace: ns, labels: { ...labels, ...selector } },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: c,
            containers: [
              { name: "manager", image: `${shape.image(c, version)}:v${version}`, args: ["--log-level=info"] },
            ],
          },
        },
      },
    });
  }
  return docs.map((d) => `---\n${stringify(d)}`).join("");
}
