/**
 * The API surface the emulator serves: the built-in types as one data table, plus the
 * kinds of the CustomResourceDefinitions clients apply.
 *
 * Discovery documents (`/api`, `/api/v1`, `/apis`, `/apis/<group>`,
 * `/apis/<group>/<version>`) and the URL router are both derived from what is served, so a
 * custom kind appears (in discovery and at its URLs) only once its CRD is Established, and
 * disappears with it, as on a real API server.
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

/** One row per built-in resource: [groupVersion, kind, plural, scope, has /status subresource, shortNames]. */
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
  [
    "apiextensions.k8s.io/v1",
    "CustomResourceDefinition",
    "customresourcedefinitions",
    "Cluster",
    true,
    ["crd", "crds"],
  ],
];

/**
 * Built-in kinds whose registry strategy maintains metadata.generation (as of
 * v1.30). ConfigMaps, Secrets, Namespaces, Services, RBAC objects... have none;
 * every custom resource has one.
 */
const BUILTIN_KINDS_WITH_GENERATION = new Set(["Deployment", "CustomResourceDefinition"]);

/** Verbs every emulated resource supports (all of them are implemented, including watch). */
export const RESOURCE_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
export const STATUS_VERBS = ["get", "patch", "update"];

function splitGroupVersion(groupVersion: string): { group: string; version: string } {
  const slash = groupVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: groupVersion }
    : { group: groupVersion.slice(0, slash), version: groupVersion.slice(slash + 1) };
}

export const BUILTIN_RESOURCES: ResourceType[] = TABLE.map(
  ([groupVersion, kind, plural, scope, hasStatus, shortNames]) => {
    const { group, version } = splitGroupVersion(groupVersion);
    return {
      group,
      version,
      groupVersion,
      kind,
      plural,
      singular: kind.toLowerCase(),
      namespaced: scope === "Namespaced",
      hasStatus,
      builtin: true,
      hasGeneration: BUILTIN_KINDS_WITH_GENERATION.has(kind),
      shortNames: shortNames ?? [],
      storageKey: group ? `${plural}.${group}` : plural,
    };
  },
);

const builtinByGvPlural = new Map<string, ResourceType>();
const builtinByGvKind = new Map<string, ResourceType>();
for (const rt of BUILTIN_RESOURCES) {
  builtinByGvPlural.set(`${rt.groupVersion}/${rt.plural}`, rt);
  builtinByGvKind.set(`${rt.groupVersion}/${rt.kind}`, rt);
}

function builtin(groupVersion: string, plural: string): ResourceType {
  return builtinByGvPlural.get(`${groupVersion}/${plural}`) as ResourceType;
}

/** The Namespace type, needed for namespace existence checks and cascading deletes. */
export const NAMESPACES = builtin("v1", "namespaces");
/** CustomResourceDefinitions: writing one changes what the server serves. */
export const CRDS = builtin("apiextensions.k8s.io/v1", "customresourcedefinitions");

/** "deployments.apps" / "pods": how the real server names a resource in error messages. */
export function qualifiedResource(rt: ResourceType): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

interface CrdShape {
  metadata?: { name?: string };
  spec?: {
    group?: string;
    scope?: string;
    names?: { kind?: string; plural?: string; singular?: string; shortNames?: string[] };
    versions?: { name?: string; served?: boolean; storage?: boolean; subresources?: { status?: object } }[];
  };
  status?: { conditions?: { type?: string; status?: string }[] };
}

/** Whether the CRD's `Established` condition is True: only then does the real server serve its kinds. */
export function isEstablished(crd: unknown): boolean {
  const conditions = (crd as CrdShape).status?.conditions ?? [];
  return conditions.some((c) => c.type === "Established" && c.status === "True");
}

/** The resource types a CustomResourceDefinition serves, one per served version, storage version first. */
export function typesOfCrd(crd: unknown): ResourceType[] {
  const spec = (crd as CrdShape).spec ?? {};
  const group = spec.group ?? "";
  const names = spec.names ?? {};
  if (!group || !names.kind || !names.plural) return [];
  const versions = [...(spec.versions ?? [])].filter((v) => v.served !== false && v.name);
  // The storage version is the one discovery prefers here; real servers sort by version priority.
  versions.sort((a, b) => Number(b.storage === true) - Number(a.storage === true));
  return versions.map((v) => ({
    group,
    version: v.name as string,
    groupVersion: `${group}/${v.name}`,
    kind: names.kind as string,
    plural: names.plural as string,
    singular: names.singular || (names.kind as string).toLowerCase(),
    namespaced: spec.scope !== "Cluster",
    hasStatus: v.subresources?.status !== undefined,
    builtin: false,
    hasGeneration: true,
    shortNames: names.shortNames ?? [],
    storageKey: `${names.plural}.${group}`,
  }));
}

/**
 * What one API server serves: the built-in types, plus the kinds of every Established
 * CustomResourceDefinition. A fresh cluster serves no custom kind at all, so a client that
 * writes a Flux object before installing Flux's CRDs gets the 404 a real cluster answers.
 */
export class ServedTypes {
  private readonly byGvPlural = new Map<string, ResourceType>();
  private readonly byGvKind = new Map<string, ResourceType>();
  /** CRD name → the types it serves. */
  private readonly byCrd = new Map<string, ResourceType[]>();
  private discoveryCache = new Map<string, string>();

  byPlural(groupVersion: string, plural: string): ResourceType | undefined {
    return builtinByGvPlural.get(`${groupVersion}/${plural}`) ?? this.byGvPlural.get(`${groupVersion}/${plural}`);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    return builtinByGvKind.get(`${apiVersion}/${kind}`) ?? this.byGvKind.get(`${apiVersion}/${kind}`);
  }

  /** Follow a CRD's create, update or delete (`crd` undefined). */
  track(name: string, crd: unknown | undefined): void {
    for (const rt of this.byCrd.get(name) ?? []) {
      this.byGvPlural.delete(`${rt.groupVersion}/${rt.plural}`);
      this.byGvKind.delete(`${rt.groupVersion}/${rt.kind}`);
    }
    this.byCrd.delete(name);
    if (crd !== undefined && isEstablished(crd)) {
      const types = typesOfCrd(crd);
      this.byCrd.set(name, types);
      for (const rt of types) {
        this.byGvPlural.set(`${rt.groupVersion}/${rt.plural}`, rt);
        this.byGvKind.set(`${rt.groupVersion}/${rt.kind}`, rt);
      }
    }
    this.discoveryCache = new Map();
  }

  clearCustom(): void {
    for (const name of [...this.byCrd.keys()]) this.track(name, undefined);
  }

  all(): ResourceType[] {
    return [...BUILTIN_RESOURCES, ...[...this.byCrd.values()].flat()];
  }

  /**
   * Discovery body for a discovery path (without trailing slash), or undefined if the path is
   * not a discovery endpoint. Rendered once per set of served types.
   */
  discoveryDocument(path: string): string | undefined {
    const cached = this.discoveryCache.get(path);
    if (cached !== undefined) return cached;
    const doc = renderDiscovery(this.all(), path);
    if (!doc) return undefined;
    const json = JSON.stringify(doc);
    this.discoveryCache.set(path, json);
    return json;
  }
}

// ---------------------------------------------------------------------------
// Discovery documents.
// ---------------------------------------------------------------------------

function renderDiscovery(types: ResourceType[], path: string): object | undefined {
  const byGroupVersion = new Map<string, ResourceType[]>();
  const versionsByGroup = new Map<string, string[]>();
  for (const rt of types) {
    const list = byGroupVersion.get(rt.groupVersion) ?? [];
    byGroupVersion.set(rt.groupVersion, list);
    list.push(rt);
    const versions = versionsByGroup.get(rt.group) ?? [];
    versionsByGroup.set(rt.group, versions);
    if (!versions.includes(rt.version)) versions.push(rt.version);
  }
  const groupVersionOf = (group: string, version: string) => ({
    groupVersion: group ? `${group}/${version}` : version,
    version,
  });
  const apiGroup = (group: string) => {
    const versions = versionsByGroup.get(group) ?? [];
    return {
      name: group,
      versions: versions.map((v) => groupVersionOf(group, v)),
      preferredVersion: groupVersionOf(group, versions[0] ?? ""),
    };
  };
  const resourceList = (groupVersion: string) => {
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
  };
  // "/api" (APIVersions) is rendered by the server: it names the emulator's own address.
  if (path === "/api/v1") return resourceList("v1");
  if (path === "/apis") {
    const groups = [...versionsByGroup.keys()].filter((g) => g !== "").map(apiGroup);
    return { kind: "APIGroupList", apiVersion: "v1", groups };
  }
  if (path.startsWith("/apis/")) {
    const parts = path.slice("/apis/".length).split("/");
    const [group, version] = parts;
    if (parts.length === 1 && group && versionsByGroup.has(group))
      return { kind: "APIGroup", apiVersion: "v1", ...apiGroup(group) };
    if (parts.length === 2 && byGroupVersion.has(`${group}/${version}`)) return resourceList(`${group}/${version}`);
  }
  return undefined;
}
