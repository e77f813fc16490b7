/**
 * The API surface the emulator serves, as one data table.
 *
 * Every row is one resource in one group/version. Discovery documents
 * (`/api`, `/api/v1`, `/apis`, `/apis/<group>`, `/apis/<group>/<version>`) and
 * the URL router are both derived from this table, so adding a type is adding
 * one line here.
 *
 * Objects are stored per group + plural (not per version), so a resource
 * served in several versions (external-secrets v1 and v1beta1) shares one
 * storage and only `apiVersion` is rewritten on the way out. That is what a
 * real CRD with `conversion.strategy: None` does.
 */

export type Scope = "Namespaced" | "Cluster";

export interface ResourceType {
  /** API group; "" for the core group. */
  group: string;
  version: string;
  /** "v1" for core, "<group>/<version>" otherwise (what objects carry in apiVersion). */
  groupVersion: string;
  kind: string;
  /** Lower-case plural used in URLs, e.g. "deployments". */
  plural: string;
  singular: string;
  namespaced: boolean;
  /** Whether the type has a `/status` subresource (so `.status` is ignored on main-resource writes). */
  hasStatus: boolean;
  /** Built into kube-apiserver (as opposed to a CustomResourceDefinition). */
  builtin: boolean;
  /** Whether objects carry metadata.generation (all custom resources, few built-ins). */
  hasGeneration: boolean;
  shortNames: string[];
  /** Key of the shared storage bucket: "<plural>.<group>" ("<plural>" for core). */
  storageKey: string;
}

/** One row per served resource: [groupVersion, kind, plural, scope, has /status subresource, shortNames]. */
const TABLE: Array<
  [groupVersion: string, kind: string, plural: string, scope: Scope, statusSubresource: boolean, shortNames?: string[]]
> = [
  ["v1", "Namespace", "namespaces", "Cluster", true, ["ns"]],
  ["v1", "ServiceAccount", "serviceaccounts", "Namespaced", false, ["sa"]],
  ["v1", "Secret", "secrets", "Namespaced", false],
  ["v1", "ConfigMap", "configmaps", "Namespaced", false, ["cm"]],
  ["v1", "Service", "services", "Namespaced", true, ["svc"]],
  ["v1", "Pod", "pods", "Namespaced", true, ["po"]],
  ["apps/v1", "Deployment", "deployments", "Namespaced", true, ["deploy"]],
  ["rbac.authorization.k8s.io/v1", "Role", "roles", "Namespaced", false],
  ["rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", "Namespaced", false],
  ["rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", "Cluster", false],
  ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", "Cluster", false],
  ["source.toolkit.fluxcd.io/v1", "GitRepository", "gitrepositories", "Namespaced", true, ["gitrepo"]],
  ["source.toolkit.fluxcd.io/v1", "HelmRepository", "helmrepositories", "Namespaced", true, ["helmrepo"]],
  ["source.toolkit.fluxcd.io/v1", "OCIRepository", "ocirepositories", "Namespaced", true, ["ocirepo"]],
  ["kustomize.toolkit.fluxcd.io/v1", "Kustomization", "kustomizations", "Namespaced", true, ["ks"]],
  ["helm.toolkit.fluxcd.io/v2", "HelmRelease", "helmreleases", "Namespaced", true, ["hr"]],
  // notification v1beta3 Alert/Provider are static objects: the CRDs dropped their status.
  ["notification.toolkit.fluxcd.io/v1beta3", "Alert", "alerts", "Namespaced", false],
  ["notification.toolkit.fluxcd.io/v1beta3", "Provider", "providers", "Namespaced", false],
  // Argo CD's Application and AppProject CRDs have no status subresource; ApplicationSet has one.
  ["argoproj.io/v1alpha1", "Application", "applications", "Namespaced", false, ["app", "apps"]],
  ["argoproj.io/v1alpha1", "ApplicationSet", "applicationsets", "Namespaced", true, ["appset", "appsets"]],
  ["argoproj.io/v1alpha1", "AppProject", "appprojects", "Namespaced", false, ["appproj", "appprojs"]],
  // external-secrets serves v1 (preferred, listed first) and v1beta1 from the same storage.
  ["external-secrets.io/v1", "ExternalSecret", "externalsecrets", "Namespaced", true, ["es"]],
  ["external-secrets.io/v1", "SecretStore", "secretstores", "Namespaced", true, ["ss"]],
  ["external-secrets.io/v1", "ClusterSecretStore", "clustersecretstores", "Cluster", true, ["css"]],
  ["external-secrets.io/v1beta1", "ExternalSecret", "externalsecrets", "Namespaced", true, ["es"]],
  ["external-secrets.io/v1beta1", "SecretStore", "secretstores", "Namespaced", true, ["ss"]],
  ["external-secrets.io/v1beta1", "ClusterSecretStore", "clustersecretstores", "Cluster", true, ["css"]],
  ["kyverno.io/v1", "ClusterPolicy", "clusterpolicies", "Cluster", true, ["cpol"]],
  ["kyverno.io/v1", "Policy", "policies", "Namespaced", true, ["pol"]],
  ["cluster.x-k8s.io/v1beta1", "Cluster", "clusters", "Namespaced", true, ["cl"]],
  ["cluster.x-k8s.io/v1beta1", "MachineDeployment", "machinedeployments", "Namespaced", true, ["md"]],
  ["addons.cluster.x-k8s.io/v1alpha1", "FluxAddon", "fluxaddons", "Namespaced", true],
  ["monitoring.coreos.com/v1", "PrometheusRule", "prometheusrules", "Namespaced", false, ["promrule"]],
];

/** Groups compiled into kube-apiserver; everything else is a CRD. */
const BUILTIN_GROUPS = new Set(["", "apps", "rbac.authorization.k8s.io"]);
/**
 * Built-in kinds whose registry strategy maintains metadata.generation (as of
 * v1.30). ConfigMaps, Secrets, Namespaces, Services, RBAC objects... have none;
 * every custom resource has one.
 */
const BUILTIN_KINDS_WITH_GENERATION = new Set(["Deployment"]);

/** Verbs every emulated resource supports (all of them are implemented, including watch). */
export const RESOURCE_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
export const STATUS_VERBS = ["get", "patch", "update"];

export const RESOURCES: ResourceType[] = TABLE.map(([groupVersion, kind, plural, scope, hasStatus, shortNames]) => {
  const slash = groupVersion.indexOf("/");
  const group = slash < 0 ? "" : groupVersion.slice(0, slash);
  const version = slash < 0 ? groupVersion : groupVersion.slice(slash + 1);
  return {
    group,
    version,
    groupVersion,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: scope === "Namespaced",
    hasStatus,
    builtin: BUILTIN_GROUPS.has(group),
    hasGeneration: !BUILTIN_GROUPS.has(group) || BUILTIN_KINDS_WITH_GENERATION.has(kind),
    shortNames: shortNames ?? [],
    storageKey: group ? `${plural}.${group}` : plural,
  };
});

/** Resources by groupVersion, in table order. */
const byGroupVersion = new Map<string, ResourceType[]>();
/** Versions per group, in table order; the first one is the preferred version. */
const versionsByGroup = new Map<string, string[]>();
const byGvPlural = new Map<string, ResourceType>();
const byGvKind = new Map<string, ResourceType>();

for (const rt of RESOURCES) {
  const list = byGroupVersion.get(rt.groupVersion) ?? [];
  byGroupVersion.set(rt.groupVersion, list);
  list.push(rt);
  const versions = versionsByGroup.get(rt.group) ?? [];
  versionsByGroup.set(rt.group, versions);
  if (!versions.includes(rt.version)) versions.push(rt.version);
  byGvPlural.set(`${rt.groupVersion}/${rt.plural}`, rt);
  byGvKind.set(`${rt.groupVersion}/${rt.kind}`, rt);
}

export function isServedGroupVersion(groupVersion: string): boolean {
  return byGroupVersion.has(groupVersion);
}

export function resourceByPlural(groupVersion: string, plural: string): ResourceType | undefined {
  return byGvPlural.get(`${groupVersion}/${plural}`);
}

export function resourceByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return byGvKind.get(`${apiVersion}/${kind}`);
}

/** The Namespace type, needed for namespace existence checks and cascading deletes. */
export const NAMESPACES = resourceByPlural("v1", "namespaces") as ResourceType;

/** "deployments.apps" / "pods": how the real server names a resource in error messages. */
export function qualifiedResource(rt: ResourceType): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

// ---------------------------------------------------------------------------
// Discovery documents. They are identical for every emulator, so they are
// rendered to JSON once per process and served as pre-serialised strings.
// ---------------------------------------------------------------------------

function groupVersionOf(group: string, version: string) {
  return { groupVersion: group ? `${group}/${version}` : version, version };
}

function apiGroup(group: string) {
  const versions = versionsByGroup.get(group) ?? [];
  return {
    name: group,
    versions: versions.map((v) => groupVersionOf(group, v)),
    preferredVersion: groupVersionOf(group, versions[0] ?? ""),
  };
}

function resourceList(groupVersion: string) {
  const resources: object[] = [];
  for (const rt of byGroupVersion.get(groupVersion) ?? []) {
    resources.push({
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: RESOURCE_VERBS,
      ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
    });
    // Subresources come after their resource, as in the real (alphabetically
    // sorted) list: client-node's KubernetesObjectApi picks the first entry
    // whose kind matches, which must be the main resource.
    if (rt.hasStatus) {
      resources.push({
        name: `${rt.plural}/status`,
        singularName: "",
        namespaced: rt.namespaced,
        kind: rt.kind,
        verbs: STATUS_VERBS,
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}

const discoveryCache = new Map<string, string>();

/**
 * Pre-rendered discovery body for a discovery path (without trailing slash),
 * or undefined if the path is not a discovery endpoint.
 */
export function discoveryDocument(path: string): string | undefined {
  const cached = discoveryCache.get(path);
  if (cached !== undefined) return cached;
  let doc: object | undefined;
  // "/api" (APIVersions) is rendered by the server: it names the emulator's own address.
  if (path === "/api/v1") {
    doc = resourceList("v1");
  } else if (path === "/apis") {
    const groups = [...versionsByGroup.keys()].filter((g) => g !== "").map(apiGroup);
    doc = { kind: "APIGroupList", apiVersion: "v1", groups };
  } else if (path.startsWith("/apis/")) {
    const parts = path.slice("/apis/".length).split("/");
    const [group, version] = parts;
    if (parts.length === 1 && group && versionsByGroup.has(group)) {
      doc = { kind: "APIGroup", apiVersion: "v1", ...apiGroup(group) };
    } else if (parts.length === 2 && isServedGroupVersion(`${group}/${version}`)) {
      doc = resourceList(`${group}/${version}`);
    }
  }
  if (!doc) return undefined;
  const json = JSON.stringify(doc);
  discoveryCache.set(path, json);
  return json;
}
