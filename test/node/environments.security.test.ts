import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCases } from "./support/auth-cases";
import { startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
  await t.request("POST", "/v1/environments", { body: { name: "staging", values: { logLevel: "debug" } } });
});
afterAll(() => t.close());

/** What a refused request must leave as it was: the environment set and the one environment's revision. */
async function snapshot() {
  const list = await t.request("GET", "/v1/environments");
  return list.body.items.map((i: { name: string; revision: number }) => `${i.name}@${i.revision}`);
}

describe("environments: security", () => {
  const routes = [
    { method: "POST", path: "/v1/environments", body: { name: "qa" }, write: true },
    { method: "GET", path: "/v1/environments", write: false },
    { method: "GET", path: "/v1/environments/staging", write: false },
    { method: "PUT", path: "/v1/environments/staging", body: { name: "staging" }, write: true },
    { method: "PATCH", path: "/v1/environments/staging", body: { description: "x" }, write: true },
    { method: "DELETE", path: "/v1/environments/staging", write: true },
  ];

  for (const route of routes) {
    for (const c of authCases()) {
      it(`${route.method} ${route.path} with ${c.name} → ${c.statusFor(route.write)}, changing nothing`, async () => {
        const before = await snapshot();
        const token = await c.token(t);
        const res = await t.request(route.method, route.path, { token, ...(route.body ? { body: route.body } : {}) });
        expect(res.status).toBe(c.statusFor(route.write));
        if (res.status >= 400) expect(res.headers.get("content-type")).toMatch(/problem\+json/);
        if (res.status === 401) expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(await snapshot()).toEqual(before);
      });
    }
  }
});
