import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCases } from "./support/auth-cases";
import { startTestHost, type TestHost } from "./support/harness";

const SIGNING_SECRET = "a-signing-secret-of-enough-length";

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
  const provider = await t.request("POST", "/v1/notification-providers", {
    body: { name: "ops", type: "webhook", url: "http://127.0.0.1:9/hook", signingSecret: SIGNING_SECRET },
  });
  expect(provider.status).toBe(201);
  const rule = await t.request("POST", "/v1/alert-rules", { body: { name: "warnings", providers: ["ops"] } });
  expect(rule.status).toBe(201);
});
afterAll(() => t.close());

/** What a refused request must leave as it was: every provider and rule at its revision. */
async function snapshot() {
  const names = async (path: string) =>
    (await t.request("GET", path)).body.items.map((i: { name: string; revision: number }) => `${i.name}@${i.revision}`);
  return { providers: await names("/v1/notification-providers"), rules: await names("/v1/alert-rules") };
}

describe("notification providers and alert rules: security", () => {
  // Receivers and routing are the platform team's: a tenant token may not even read them.
  const routes = [
    {
      method: "POST",
      path: "/v1/notification-providers",
      body: { name: "other", type: "webhook", url: "http://127.0.0.1:9/other" },
    },
    { method: "GET", path: "/v1/notification-providers" },
    { method: "GET", path: "/v1/notification-providers/ops" },
    { method: "PATCH", path: "/v1/notification-providers/ops", body: { url: "http://127.0.0.1:9/moved" } },
    { method: "DELETE", path: "/v1/notification-providers/ops" },
    { method: "POST", path: "/v1/alert-rules", body: { name: "more", providers: ["ops"] } },
    { method: "GET", path: "/v1/alert-rules" },
    { method: "GET", path: "/v1/alert-rules/warnings" },
    { method: "PATCH", path: "/v1/alert-rules/warnings", body: { severities: ["info"] } },
    { method: "DELETE", path: "/v1/alert-rules/warnings" },
  ];

  for (const route of routes) {
    for (const c of authCases({ tenantMayRead: false })) {
      it(`${route.method} ${route.path} with ${c.name} → ${c.statusFor(true)}, changing nothing`, async () => {
        const before = await snapshot();
        const token = await c.token(t);
        const res = await t.request(route.method, route.path, { token, ...(route.body ? { body: route.body } : {}) });
        expect(res.status).toBe(c.statusFor(true));
        expect(res.headers.get("content-type")).toMatch(/problem\+json/);
        if (res.status === 401) expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(res.text).not.toContain(SIGNING_SECRET);
        expect(await snapshot()).toEqual(before);
      });
    }
  }
});
