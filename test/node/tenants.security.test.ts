import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCases } from "./support/auth-cases";
import { type Fleet, startFleet } from "./support/fleet";
import { expectProblem } from "./support/harness";

/**
 * Tenant isolation. The cross-tenant matrix is generated from the OpenAPI document: every
 * route × verb is called with tenant A's token on tenant B's resources (or on platform
 * resources), and each answer must be what the rules below say. A route nobody wrote a rule
 * for fails the test, so new routes cannot slip past it.
 */
let fleet: Fleet;
let tokenA: string;
const ids: Record<string, string> = {};

const tenantBody = (name: string) => ({
  name,
  namespace: `${name}-ns`,
  source: { url: `https://github.com/acme/${name}` },
  placement: { labelSelector: "tier=prod" },
});
const appBody = (name: string, tenant: string) => ({
  name,
  tenant,
  source: { repoURL: `https://github.com/acme/${tenant}`, path: "apps/api", targetRevision: "v1" },
  destination: { namespace: `${tenant}-ns` },
  targets: { labelSelector: "tier=prod" },
});
const secretBody = (name: string) => ({ name, data: { password: `value-of-${name}` } });

beforeAll(async () => {
  // No job runner: only the API's decisions are under test.
  // A stream ends after a second here, so the matrix can read all it sent.
  fleet = await startFleet({ runJobs: false, env: { FLEET_STREAM_MAX_SECONDS: "1", FLEET_STREAM_POLL_MS: "50" } });
  await fleet.request("POST", "/v1/clusters", {
    body: { name: "edge-1", class: "imported", connection: { server: "https://127.0.0.1:6443", token: "t" } },
  });
  for (const name of ["team-a", "team-b"]) {
    const tenant = await fleet.request("POST", "/v1/tenants", { body: tenantBody(name) });
    ids[name] = tenant.body.id;
    const secret = await fleet.request("POST", `/v1/tenants/${name}/secrets`, { body: secretBody(`${name}-db`) });
    ids[`${name}-db`] = secret.body.id;
  }
  await fleet.request("POST", "/v1/environments", { body: { name: "production", values: { tier: "prod" } } });
  const app = await fleet.request("POST", "/v1/applications", { body: appBody("team-b-api", "team-b") });
  expect(app.status).toBe(201);
  ids.rollout = app.body.status.latestRollout.id;
  const minted = await fleet.request("POST", "/v1/tenants/team-a/tokens", { body: { name: "team-a-ci" } });
  expect(minted.status).toBe(201);
  expect(minted.body).toMatchObject({ role: "tenant", tenant: ids["team-a"] });
  tokenA = minted.body.token;
  const jobs = await fleet.request("GET", "/v1/jobs");
  ids.job = jobs.body.items[0].id;
  ids.token = minted.body.id;
});
afterAll(() => fleet.close());

type Method = "get" | "post" | "put" | "patch" | "delete";
interface Expectation {
  status: number;
  /** Extra checks on a 200 answer, e.g. that a list shows nothing of tenant B. */
  check?: (body: any) => void;
}

const noTeamB = (body: any) => expect(JSON.stringify(body)).not.toMatch(/team-b/);

/** The rules: what tenant A's token gets on each route, aimed at tenant B or at the platform. */
function expectationFor(method: Method, path: string): Expectation | undefined {
  if (path.startsWith("/v1/tenants/{ref}")) return { status: 404 };
  if (path === "/v1/tenants") return method === "get" ? { status: 200, check: noTeamB } : { status: 403 };
  // A drift report names every tenant's objects on the cluster: platform only.
  if (path === "/v1/clusters/{ref}/drift") return { status: 403 };
  // An agent's join token lets its holder act as the cluster: platform only.
  if (path === "/v1/clusters/{ref}/agent-manifest" || path === "/v1/clusters/{ref}/agent-join") return { status: 403 };
  // The agent protocol takes agent credentials only: a user token is not one.
  if (path.startsWith("/agent/v1/")) return path === "/agent/v1/join" ? { status: 400 } : { status: 401 };
  if (
    path.startsWith("/v1/clusters") ||
    path.startsWith("/v1/cluster-classes") ||
    path.startsWith("/v1/environments")
  ) {
    return method === "get" ? { status: 200 } : { status: 403 };
  }
  if (path.startsWith("/v1/tokens") || path.startsWith("/v1/jobs")) return { status: 403 };
  // Add-ons are the platform's: their fleet-wide rollouts are for administrators.
  if (path.startsWith("/v1/addons/")) return { status: 403 };
  if (path === "/v1/events" || path === "/v1/events/stream") return { status: 200, check: noTeamB };
  if (path === "/v1/applications") return method === "get" ? { status: 200, check: noTeamB } : { status: 422 };
  if (path.startsWith("/v1/applications/{ref}") || path.startsWith("/v1/rollouts/{id}")) return { status: 404 };
  if (path.startsWith("/v1/notification-providers") || path.startsWith("/v1/alert-rules")) return { status: 403 };
  if (path === "/v1/monitoring/prometheus-rules") return { status: 200, check: noTeamB };
  return undefined;
}

const BODIES: Record<string, unknown> = {
  "post /v1/tenants": tenantBody("team-c"),
  "patch /v1/tenants/{ref}": { interval: "1m" },
  "post /v1/tenants/{ref}/tokens": { name: "stolen" },
  "post /v1/tenants/{ref}/secrets": secretBody("planted"),
  "put /v1/tenants/{ref}/secrets/{secretRef}": secretBody("team-b-db"),
  "post /v1/clusters": {
    name: "edge-2",
    class: "imported",
    connection: { server: "https://127.0.0.1:6443", token: "t" },
  },
  "patch /v1/clusters/{ref}": { labels: { owner: "team-a" } },
  "post /v1/cluster-classes": { name: "mine", provider: "imported" },
  "post /v1/environments": { name: "mine" },
  "put /v1/environments/{ref}": { name: "production", values: { taken: "over" } },
  "patch /v1/environments/{ref}": { values: { taken: "over" } },
  "put /v1/cluster-classes/{ref}": { name: "imported", provider: "imported", description: "taken over" },
  "patch /v1/cluster-classes/{ref}": { description: "taken over" },
  "post /v1/tokens": { name: "admin-please" },
  // Tenant A naming tenant B as the owner: B is as unknown as if it did not exist.
  "post /v1/applications": appBody("planted", "team-b"),
  "patch /v1/applications/{ref}": { source: { targetRevision: "v666" } },
  "post /v1/notification-providers": { name: "exfil", type: "webhook", url: "https://collector.example.com/hook" },
  "patch /v1/notification-providers/{ref}": { url: "https://collector.example.com/hook" },
  "post /v1/alert-rules": { name: "everything", providers: ["exfil"] },
  "patch /v1/alert-rules/{ref}": { providers: ["exfil"] },
};

function concrete(path: string): string {
  // The stream replays the whole log from its start, as the list does.
  if (path === "/v1/events/stream") return `${path}?since=2000-01-01T00:00:00Z`;
  const tenantScoped = path.startsWith("/v1/tenants/");
  return path
    .replace("{ref}", () => {
      if (tenantScoped) return "team-b";
      if (path.startsWith("/v1/cluster-classes")) return "imported";
      if (path.startsWith("/v1/applications")) return "team-b-api";
      if (path.startsWith("/v1/environments")) return "production";
      return "edge-1";
    })
    .replace("{secretRef}", "team-b-db")
    .replace(
      "{id}",
      () =>
        (path.startsWith("/v1/jobs") ? ids.job : path.startsWith("/v1/rollouts") ? ids.rollout : ids.token) as string,
    );
}

describe("tenants: the cross-tenant matrix (generated from the OpenAPI document)", async () => {
  it("covers every route of the API", async () => {
    const doc = await fleet.request("GET", "/openapi.json");
    const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method as Method, path })),
    );
    const missing = routes.filter((r) => !expectationFor(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
    expect(missing, "routes without a tenant-isolation rule").toEqual([]);
    expect(routes.length).toBeGreaterThan(20);

    const failures: string[] = [];
    for (const route of routes) {
      const expected = expectationFor(route.method, route.path) as Expectation;
      const body = BODIES[`${route.method} ${route.path}`];
      const res = await fleet.request(route.method.toUpperCase(), concrete(route.path), {
        token: tokenA,
        ...(body !== undefined ? { body } : {}),
      });
      if (res.status !== expected.status) {
        failures.push(
          `${route.method.toUpperCase()} ${route.path} → ${res.status} (want ${expected.status}): ${res.text.slice(0, 160)}`,
        );
        continue;
      }
      if (res.status >= 400) expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expected.check?.(res.body);
    }
    expect(failures).toEqual([]);
  });

  it("left tenant B exactly as it was", async () => {
    const b = await fleet.request("GET", "/v1/tenants/team-b");
    expect(b.body.revision).toBe(1);
    expect(b.body.interval).toBeUndefined();
    const secrets = await fleet.request("GET", "/v1/tenants/team-b/secrets");
    expect(secrets.body.items.map((s: { name: string }) => s.name)).toEqual(["team-b-db"]);
    expect(secrets.body.items[0].revision).toBe(1);
    expect(fleet.aws.secrets.has("fleetplane/team-b/planted")).toBe(false);
    const tenants = await fleet.request("GET", "/v1/tenants");
    expect(tenants.body.items.map((t: { name: string }) => t.name)).toEqual(["team-a", "team-b"]);
    const cluster = await fleet.request("GET", "/v1/clusters/edge-1");
    expect(cluster.body.labels).toEqual({});
    const app = await fleet.request("GET", "/v1/applications/team-b-api");
    expect(app.body.revision).toBe(1);
    expect(app.body.source.targetRevision).toBe("v1");
    const rollout = await fleet.request("GET", `/v1/rollouts/${ids.rollout}`);
    expect(rollout.body.status.phase).toBe("Pending");
    expect((await fleet.request("GET", "/v1/applications/planted")).status).toBe(404);
  });

  it("ids of another tenant's resources are as unknown as their names", async () => {
    expectProblem(await fleet.request("GET", `/v1/tenants/${ids["team-b"]}`, { token: tokenA }), 404, "not_found");
    expectProblem(
      await fleet.request("GET", `/v1/tenants/team-a/secrets/${ids["team-b-db"]}`, { token: tokenA }),
      404,
      "not_found",
    );
    // Not even through the admin view of another tenant's path with its own secret's id.
    expectProblem(await fleet.request("GET", `/v1/tenants/team-b/secrets/${ids["team-a-db"]}`), 404, "not_found");
  });
});

describe("tenants: what a tenant token may do with its own tenant", () => {
  it("reads its tenant, but changing or offboarding it and minting tokens are the platform's", async () => {
    const own = await fleet.request("GET", "/v1/tenants/team-a", { token: tokenA });
    expect(own.status).toBe(200);
    expect(own.body.name).toBe("team-a");
    const list = await fleet.request("GET", "/v1/tenants", { token: tokenA });
    expect(list.body.items.map((t: { name: string }) => t.name)).toEqual(["team-a"]);
    expectProblem(await fleet.request("PATCH", "/v1/tenants/team-a", { token: tokenA, body: { interval: "1m" } }), 403);
    expectProblem(await fleet.request("DELETE", "/v1/tenants/team-a", { token: tokenA }), 403);
    expectProblem(
      await fleet.request("POST", "/v1/tenants/team-a/tokens", { token: tokenA, body: { name: "more" } }),
      403,
    );
  });

  it("manages its own secrets end to end", async () => {
    const created = await fleet.request("POST", "/v1/tenants/team-a/secrets", {
      token: tokenA,
      body: { name: "api-key", data: { key: "k-1" } },
    });
    expect(created.status).toBe(202);
    const listed = await fleet.request("GET", "/v1/tenants/team-a/secrets", { token: tokenA });
    expect(listed.body.items.map((s: { name: string }) => s.name).sort()).toEqual(["api-key", "team-a-db"]);
    const rotated = await fleet.request("PUT", "/v1/tenants/team-a/secrets/api-key", {
      token: tokenA,
      body: { name: "api-key", data: { key: "k-2" } },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secretsManager.versionId).not.toBe(created.body.secretsManager.versionId);
    expect((await fleet.request("DELETE", "/v1/tenants/team-a/secrets/api-key", { token: tokenA })).status).toBe(202);
  });

  it("manages its own applications and their rollouts, deploying into its own namespace only", async () => {
    const created = await fleet.request("POST", "/v1/applications", {
      token: tokenA,
      body: appBody("team-a-api", "team-a"),
    });
    expect(created.status).toBe(201);
    const rollout = created.body.status.latestRollout.id;
    expect((await fleet.request("POST", `/v1/rollouts/${rollout}/pause`, { token: tokenA })).body.status.phase).toBe(
      "Paused",
    );
    const listed = await fleet.request("GET", "/v1/applications", { token: tokenA });
    expect(listed.body.items.map((a: { name: string }) => a.name)).toEqual(["team-a-api"]);
    expectProblem(
      await fleet.request("POST", "/v1/applications", {
        token: tokenA,
        body: { ...appBody("escape", "team-a"), destination: { namespace: "kube-system" } },
      }),
      422,
      "namespace_escape",
    );
    const { tenant: _, ...ownerless } = appBody("ownerless", "team-a");
    expectProblem(
      await fleet.request("POST", "/v1/applications", { token: tokenA, body: ownerless }),
      422,
      "tenant_required",
    );
  });

  it("cannot reach into another tenant's Secrets Manager keys by reference", async () => {
    expectProblem(
      await fleet.request("POST", "/v1/tenants/team-a/secrets", {
        token: tokenA,
        body: { name: "peek", remoteRef: { key: "fleetplane/team-b/team-b-db", property: "password" } },
      }),
      422,
      "namespace_escape",
    );
  });
});

describe("tenants: authentication", () => {
  const routes = [
    { method: "POST", path: "/v1/tenants", body: tenantBody("team-z"), write: true },
    { method: "GET", path: "/v1/tenants/team-a", write: false, tenantStatus: 404 },
    { method: "POST", path: "/v1/tenants/team-a/secrets", body: secretBody("x"), write: true, tenantStatus: 404 },
  ];
  for (const route of routes) {
    for (const c of authCases()) {
      it(`${route.method} ${route.path} with ${c.name}`, async () => {
        const res = await fleet.request(route.method, route.path, {
          token: await c.token(fleet.t),
          ...(route.body ? { body: route.body } : {}),
        });
        // The shared "tenant-scoped token" case belongs to an unknown tenant: it sees nothing.
        const want =
          c.name === "a tenant-scoped token" && route.tenantStatus ? route.tenantStatus : c.statusFor(route.write);
        expect(res.status).toBe(want);
      });
    }
  }
});
