import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCases } from "./support/auth-cases";
import { startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
beforeAll(async () => {
  // No job runner: only the API's decisions are under test here.
  t = await startTestHost({}, { runJobs: false });
  await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
  await t.request("POST", "/v1/clusters", {
    body: { name: "edge-1", class: "imported", connection: { server: "https://127.0.0.1:6443", token: "t" } },
  });
});
afterAll(() => t.close());

const routes = [
  {
    method: "POST",
    path: "/v1/clusters",
    body: { name: "edge-2", class: "imported", connection: { server: "https://127.0.0.1:6443", token: "t" } },
    write: true,
  },
  { method: "GET", path: "/v1/clusters", write: false },
  { method: "GET", path: "/v1/clusters/edge-1", write: false },
  { method: "PATCH", path: "/v1/clusters/edge-1", body: { wave: 1 }, write: true },
  { method: "DELETE", path: "/v1/clusters/edge-1", write: true },
];
const jobRoutes = [
  { method: "GET", path: "/v1/jobs" },
  { method: "GET", path: "/v1/jobs/job_x" },
  { method: "POST", path: "/v1/jobs/job_x/retry" },
];

describe("clusters: security", () => {
  for (const route of routes) {
    for (const c of authCases()) {
      it(`${route.method} ${route.path} with ${c.name} → ${c.statusFor(route.write)}`, async () => {
        const res = await t.request(route.method, route.path, {
          token: await c.token(t),
          ...(route.body ? { body: route.body } : {}),
        });
        expect(res.status).toBe(c.statusFor(route.write));
      });
    }
  }

  it("refused writes changed nothing", async () => {
    const list = await t.request("GET", "/v1/clusters");
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(["edge-1"]);
    expect(list.body.items[0].status.phase).toBe("Pending");
    expect(list.body.items[0].revision).toBe(1);
  });
});

describe("jobs: security (platform-only)", () => {
  for (const route of jobRoutes) {
    for (const c of authCases({ tenantMayRead: false })) {
      it(`${route.method} ${route.path} with ${c.name}`, async () => {
        const res = await t.request(route.method, route.path, { token: await c.token(t) });
        expect(res.status).toBe(c.statusFor(true));
      });
    }
  }
});
