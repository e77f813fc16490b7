import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCases } from "./support/auth-cases";
import { startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
  await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
});
afterAll(() => t.close());

/** A refused request leaves the one class exactly as it was. */
async function expectUnchanged() {
  const res = await t.request("GET", "/v1/cluster-classes");
  expect(res.body.items.map((i: { name: string; revision: number }) => [i.name, i.revision])).toEqual([
    ["imported", 1],
  ]);
}

describe("cluster classes: security", () => {
  const routes = [
    { method: "POST", path: "/v1/cluster-classes", body: { name: "c2", provider: "imported" }, write: true },
    { method: "GET", path: "/v1/cluster-classes", write: false },
    { method: "GET", path: "/v1/cluster-classes/imported", write: false },
    {
      method: "PUT",
      path: "/v1/cluster-classes/imported",
      body: { name: "imported", provider: "imported" },
      write: true,
    },
    { method: "PATCH", path: "/v1/cluster-classes/imported", body: { description: "x" }, write: true },
    { method: "DELETE", path: "/v1/cluster-classes/imported", write: true },
  ];

  for (const route of routes) {
    for (const c of authCases()) {
      it(`${route.method} ${route.path} with ${c.name} → ${c.statusFor(route.write)}`, async () => {
        const token = await c.token(t);
        const res = await t.request(route.method, route.path, { token, ...(route.body ? { body: route.body } : {}) });
        expect(res.status).toBe(c.statusFor(route.write));
        if (res.status >= 400) expect(res.headers.get("content-type")).toMatch(/problem\+json/);
        if (res.status === 401) expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
        if (res.status >= 400) await expectUnchanged();
      });
    }
  }
});
