import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCases } from "./support/auth-cases";
import { startTestHost, type TestHost } from "./support/harness";

/**
 * Who may see and change applications and their rollouts. Platform applications (no tenant)
 * are the admin's: a tenant token does not learn they exist (404, as for any other tenant's).
 * How tenants manage their own applications is in tenants.security.
 */
let t: TestHost;
let rolloutId: string;

beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
  const created = await t.request("POST", "/v1/applications", {
    body: {
      name: "platform-app",
      source: { repoURL: "https://github.com/acme/platform", path: "apps/x", targetRevision: "v1" },
      destination: { namespace: "platform" },
      targets: { labelSelector: "tier=dev" },
    },
  });
  expect(created.status).toBe(201);
  rolloutId = created.body.status.latestRollout.id;
});
afterAll(() => t.close());

/** A refused request leaves the application exactly as it was. */
async function expectUnchanged() {
  const res = await t.request("GET", "/v1/applications/platform-app");
  expect([res.body.revision, res.body.source.targetRevision]).toEqual([1, "v1"]);
  expect((await t.request("GET", "/v1/applications")).body.items).toHaveLength(1);
}

const routes = () => [
  { method: "GET", path: "/v1/applications" },
  { method: "GET", path: "/v1/applications/platform-app" },
  { method: "PATCH", path: "/v1/applications/platform-app", body: { source: { targetRevision: "v666" } } },
  { method: "DELETE", path: "/v1/applications/platform-app" },
  { method: "POST", path: "/v1/applications/platform-app/rollouts", body: { reason: "again" } },
  { method: "GET", path: "/v1/applications/platform-app/rollouts" },
  { method: "GET", path: `/v1/rollouts/${rolloutId}` },
  { method: "POST", path: `/v1/rollouts/${rolloutId}/pause` },
  { method: "POST", path: `/v1/rollouts/${rolloutId}/abort` },
];

describe("applications: security", () => {
  for (const c of authCases().filter((c) => c.name !== "a tenant-scoped token")) {
    it(`every application and rollout route with ${c.name} → 401 problem, nothing changed`, async () => {
      const token = await c.token(t);
      for (const route of routes()) {
        const res = await t.request(route.method, route.path, { token, ...(route.body ? { body: route.body } : {}) });
        expect([route.method, route.path, res.status]).toEqual([route.method, route.path, 401]);
        expect(res.headers.get("content-type")).toMatch(/problem\+json/);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      }
      await expectUnchanged();
    });
  }

  it("a tenant token lists none of the platform's applications and gets 404 for each of them", async () => {
    const token = await t.tenantToken("tnt_someone");
    for (const route of routes()) {
      const res = await t.request(route.method, route.path, { token, ...(route.body ? { body: route.body } : {}) });
      if (route.path === "/v1/applications") {
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual([]);
      } else {
        expect([route.method, route.path, res.status]).toEqual([route.method, route.path, 404]);
      }
    }
    await expectUnchanged();
  });
});
