import spec from "../../../openapi/openapi.json" with { type: "json" };

/**
 * The OpenAPI document as the hostile-input tests see it: every operation, the schema of its
 * body, and a known-valid body per write schema (so a refusal is about the one thing a test
 * changed, not about an incomplete body). A write schema missing from VALID_BODIES fails the
 * tests that need it: new routes join by adding one line here.
 */
type Schema = Record<string, any>;
const document = spec as unknown as {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, Schema> };
};

export interface Operation {
  method: string;
  path: string;
  /** Name of the body schema under components.schemas, when the operation takes a body. */
  bodySchema?: string;
  query: string[];
}

export function operations(): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith("/v1/")) continue;
    for (const [method, op] of Object.entries<any>(item)) {
      const content = op.requestBody?.content as Record<string, { schema: { $ref?: string } }> | undefined;
      const ref = content ? Object.values(content)[0]?.schema.$ref : undefined;
      out.push({
        method: method.toUpperCase(),
        path,
        ...(ref ? { bodySchema: ref.replace("#/components/schemas/", "") } : {}),
        query: (op.parameters ?? [])
          .filter((p: { in: string }) => p.in === "query")
          .map((p: { name: string }) => p.name),
      });
    }
  }
  return out;
}

export function schema(name: string): Schema {
  const found = document.components.schemas[name];
  if (!found) throw new Error(`no schema ${name}`);
  return found;
}

function resolve(s: Schema): Schema {
  return s.$ref ? schema(String(s.$ref).replace("#/components/schemas/", "")) : s;
}

/** JSON paths (["connection", "server"]) of every string property that holds a URL someone else will be made to call. */
export function urlFields(name: string): string[][] {
  const found: string[][] = [];
  const walk = (s: Schema, at: string[], depth: number) => {
    if (depth > 8) return;
    const node = resolve(s);
    for (const variant of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])])
      walk(variant, at, depth + 1);
    if (node.items) walk(node.items, [...at, "0"], depth + 1);
    for (const [key, child] of Object.entries<Schema>(node.properties ?? {})) {
      const resolved = resolve(child);
      const types = [resolved.type].flat();
      const looksLikeUrl =
        /(url|uri|server|endpoint|webhook)$/i.test(key) ||
        resolved.format === "uri" ||
        /^\^\(?https/.test(String(resolved.pattern ?? ""));
      if (types.includes("string") && looksLikeUrl) found.push([...at, key]);
      else walk(child, [...at, key], depth + 1);
    }
  };
  walk(schema(name), [], 0);
  return found;
}

/** Sets `value` at `path` in a copy of `body`, creating objects (or one-element arrays) on the way. */
export function withValue(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  let node: any = copy;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    if (node[key] === undefined) node[key] = path[i + 1] === "0" ? [{}] : {};
    node = node[key];
  });
  return copy;
}

export interface Fixtures {
  kubeUrl: string;
  caData: string;
  token: string;
}

/** A body each write schema accepts, for resources that do not exist yet (creates) or do (updates). */
export function validBodies(f: Fixtures, suffix: string): Record<string, Record<string, unknown>> {
  return {
    ClusterClassInput: { name: `class-${suffix}`, provider: "imported" },
    ClusterClassPatch: { labels: { touched: suffix } },
    ClusterCreate: {
      name: `edge-${suffix}`,
      class: "imported",
      connection: { server: f.kubeUrl, caData: f.caData, token: f.token },
    },
    ClusterPatch: { labels: { touched: suffix } },
    TokenCreate: { name: `token-${suffix}` },
    TenantCreate: {
      name: `team-${suffix}`,
      namespace: `team-${suffix}`,
      source: { url: "https://github.com/acme/payments-k8s" },
      placement: { labelSelector: "tier=prod" },
    },
    TenantPatch: { labels: { touched: suffix } },
    SecretInput: { name: `secret-${suffix}`, data: { password: `value-${suffix}` } },
    EnvironmentSpec: {
      name: `env-${suffix}`,
      values: { replicas: "3" },
      fleetConfig: { url: "https://github.com/acme/fleet-config" },
    },
    EnvironmentPatch: { labels: { touched: suffix } },
    ApplicationCreate: {
      name: `app-${suffix}`,
      source: { repoURL: "https://github.com/acme/apps", path: "web", targetRevision: "v1" },
      destination: { namespace: "web" },
      targets: { labelSelector: "none=none" },
      strategy: {
        analysis: {
          prometheusUrl: "https://prometheus.example.com",
          metrics: [{ name: "success-rate", query: "up", min: 1 }],
        },
      },
    },
    ApplicationPatch: { labels: { touched: suffix } },
    RolloutStart: { reason: `again ${suffix}` },
    NotificationProviderCreate: { name: `hook-${suffix}`, type: "webhook", url: "https://alerts.example.com/hook" },
    NotificationProviderPatch: { labels: { touched: suffix } },
    AlertRuleCreate: { name: `rule-${suffix}`, providers: ["hook-x"] },
    AlertRulePatch: { labels: { touched: suffix } },
  };
}

/**
 * The name each collection's `{ref}` points at in these tests: resources `seedReferences`
 * creates (tenants, classes and clusters are seeded by each test its own way).
 */
export const SEEDED_REFS: Record<string, string> = {
  "/v1/environments": "env-x",
  "/v1/applications": "app-x",
  "/v1/notification-providers": "hook-x",
  "/v1/alert-rules": "rule-x",
  // Add-ons are named, not created: the catalog's are always there.
  "/v1/addons": "kyverno",
};

export function seededRef(path: string): string | undefined {
  return Object.entries(SEEDED_REFS).find(([collection]) => path.startsWith(`${collection}/`))?.[1];
}

/** Creates the resources SEEDED_REFS names, through the API. */
export async function seedReferences(
  request: (method: string, path: string, opts: { body: unknown }) => Promise<{ status: number; text: string }>,
) {
  const bodies = validBodies({ kubeUrl: "", caData: "", token: "" }, "x");
  for (const [path, schema] of [
    ["/v1/environments", "EnvironmentSpec"],
    ["/v1/applications", "ApplicationCreate"],
    ["/v1/notification-providers", "NotificationProviderCreate"],
    ["/v1/alert-rules", "AlertRuleCreate"],
  ] as const) {
    const res = await request("POST", path, { body: bodies[schema] });
    if (res.status >= 300) throw new Error(`seeding ${path}: ${res.status} ${res.text}`);
  }
}
