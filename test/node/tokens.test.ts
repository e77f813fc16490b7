import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokens } from "../../schema";
import { authCases } from "./support/auth-cases";
import { expectProblem, startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
});
afterAll(() => t.close());

describe("tokens: happy paths", () => {
  it("mints a token shown once, usable at once, stored only as a hash", async () => {
    const created = await t.request("POST", "/v1/tokens", { body: { name: "ci-pipeline" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    expect(created.body.token).toMatch(/^fpt_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ name: "ci-pipeline", role: "admin" });
    expect((await t.request("GET", "/v1/cluster-classes", { token: created.body.token })).status).toBe(200);
    const rows = await t.host.deps.store.select().from(tokens);
    expect(JSON.stringify(rows)).not.toContain(created.body.token);
    const read = await t.request("GET", `/v1/tokens/${created.body.id}`);
    expect(read.body).not.toHaveProperty("token");
    const list = await t.request("GET", "/v1/tokens");
    expect(list.text).not.toContain(created.body.token);
  });

  it("revokes: the token stops working; revoking again is harmless", async () => {
    const created = await t.request("POST", "/v1/tokens", { body: { name: "temp" } });
    expect((await t.request("DELETE", `/v1/tokens/${created.body.id}`)).status).toBe(204);
    expect((await t.request("DELETE", `/v1/tokens/${created.body.id}`)).status).toBe(204);
    expectProblem(await t.request("GET", "/v1/tokens", { token: created.body.token }), 401, "unauthorized");
    expect((await t.request("GET", `/v1/tokens/${created.body.id}`)).body.revokedAt).toEqual(expect.any(String));
  });
});

describe("tokens: errors", () => {
  it("rejects an expiry in the past and unknown fields", async () => {
    expectProblem(
      await t.request("POST", "/v1/tokens", { body: { name: "old", expiresAt: "2001-01-01T00:00:00Z" } }),
      422,
      "invalid_expiry",
    );
    expectProblem(
      await t.request("POST", "/v1/tokens", { body: { name: "x", role: "tenant" } }),
      400,
      "validation_failed",
    );
  });

  it("unknown token ids are 404", async () => {
    expectProblem(await t.request("GET", "/v1/tokens/tok_missing"), 404, "not_found");
  });
});

describe("tokens: the bootstrap admin token", () => {
  it("is minted once on a first start without FLEET_ADMIN_TOKEN, works, and cannot be revoked while it is the last admin", async () => {
    const fresh = await (await import("./support/harness")).startTestHost(
      { FLEET_ADMIN_TOKEN: "" },
      { runJobs: false },
    );
    try {
      const token = fresh.host.bootstrapToken;
      expect(token).toMatch(/^fpt_/);
      const list = await fresh.request("GET", "/v1/tokens", { token: token! });
      expect(list.body.items.map((i: { name: string }) => i.name)).toEqual(["bootstrap-admin"]);
      expectProblem(
        await fresh.request("DELETE", `/v1/tokens/${list.body.items[0].id}`, { token: token! }),
        409,
        "conflict",
      );
    } finally {
      await fresh.close();
    }
  });
});

describe("tokens: security", () => {
  const routes = [
    { method: "POST", path: "/v1/tokens", body: { name: "x" } },
    { method: "GET", path: "/v1/tokens" },
    { method: "GET", path: "/v1/tokens/tok_x" },
    { method: "DELETE", path: "/v1/tokens/tok_x" },
  ];
  for (const route of routes) {
    for (const c of authCases({ tenantMayRead: false })) {
      it(`${route.method} ${route.path} with ${c.name}`, async () => {
        const res = await t.request(route.method, route.path, {
          token: await c.token(t),
          ...(route.body ? { body: route.body } : {}),
        });
        expect(res.status).toBe(c.statusFor(true));
      });
    }
  }
});
