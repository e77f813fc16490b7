import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fleet, startFleet } from "./support/fleet";
import { expectProblem } from "./support/harness";

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ runJobs: false });
  const res = await fleet.request("POST", "/v1/tenants", { body: tenant("team-payments") });
  expect(res.status).toBe(202);
});
afterAll(() => fleet.close());

function tenant(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    namespace: name,
    source: { url: "https://github.com/acme/payments-k8s", branch: "main", path: "./k8s" },
    placement: { labelSelector: "tier=prod" },
    ...extra,
  };
}

describe("tenants: errors", () => {
  it("a system namespace is never a tenant's (422)", async () => {
    for (const namespace of [
      "kube-system",
      "flux-system",
      "kube-public",
      "kube-node-lease",
      "default",
      "kube-anything",
    ]) {
      const res = await fleet.request("POST", "/v1/tenants", { body: tenant("intruder", { namespace }) });
      expectProblem(res, 422, "reserved_namespace");
      expect(res.body.errors).toEqual([{ location: "body.namespace", message: expect.any(String) }]);
    }
  });

  it("another tenant's namespace is taken (409), and so is a tenant's name", async () => {
    expectProblem(
      await fleet.request("POST", "/v1/tenants", { body: tenant("team-other", { namespace: "team-payments" }) }),
      409,
      "conflict",
    );
    expectProblem(
      await fleet.request("POST", "/v1/tenants", { body: tenant("team-payments", { namespace: "elsewhere" }) }),
      409,
      "already_exists",
    );
  });

  it("names that would collide with the platform's Flux objects are refused", async () => {
    expectProblem(await fleet.request("POST", "/v1/tenants", { body: tenant("fleet-config") }), 422, "reserved_name");
  });

  it("nothing a tenant sets escapes its namespace", async () => {
    const res = await fleet.request("POST", "/v1/tenants", {
      body: tenant("team-x", {
        healthChecks: [{ apiVersion: "apps/v1", kind: "Deployment", name: "api", namespace: "kube-system" }],
      }),
    });
    expectProblem(res, 422, "namespace_escape");
    expect(res.body.errors[0].location).toBe("body.healthChecks[0].namespace");
    expectProblem(
      await fleet.request("POST", "/v1/tenants", {
        body: tenant("team-y", { source: { url: "https://github.com/acme/x", path: "../../other-team" } }),
      }),
      400,
      "validation_failed",
    );
  });

  it("malformed input is a 400 with locations: bad selector, URL, duration, unknown fields", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ placement: { labelSelector: "tier in (" } }, "body.placement.labelSelector"],
      [{ source: { url: "ftp://example.com/repo" } }, "body.source.url"],
      [{ interval: "5 minutes" }, "body.interval"],
      [{ namespace: "Team_Payments" }, "body.namespace"],
      [{ surprise: true }, "body"],
    ];
    for (const [extra, location] of cases) {
      const res = await fleet.request("POST", "/v1/tenants", { body: tenant("team-z", extra) });
      expectProblem(res, 400, "validation_failed");
      expect(res.body.errors.map((e: { location: string }) => e.location)).toContain(location);
    }
    expect((await fleet.request("GET", "/v1/tenants/team-z")).status).toBe(404);
  });

  it("PATCH: namespace is immutable, If-Match is honoured, the result is validated whole", async () => {
    expectProblem(
      await fleet.request("PATCH", "/v1/tenants/team-payments", { body: { namespace: "moved" } }),
      400,
      "validation_failed",
    );
    expectProblem(
      await fleet.request("PATCH", "/v1/tenants/team-payments", {
        body: { interval: "1m" },
        headers: { "if-match": '"99"' },
      }),
      412,
      "precondition_failed",
    );
    expectProblem(
      await fleet.request("PATCH", "/v1/tenants/team-payments", { body: { source: { url: "not-a-url" } } }),
      400,
      "validation_failed",
    );
    const ok = await fleet.request("PATCH", "/v1/tenants/team-payments", {
      body: { interval: "1m", labels: { cost: "payments" } },
      headers: { "if-match": '"1"' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ interval: "1m", labels: { cost: "payments" }, generation: 2, revision: 2 });
    expect(ok.headers.get("etag")).toBe('"2"');
  });

  it("unknown tenants are 404 on every route", async () => {
    for (const [method, path] of [
      ["GET", "/v1/tenants/nope"],
      ["PATCH", "/v1/tenants/nope"],
      ["DELETE", "/v1/tenants/nope"],
      ["GET", "/v1/tenants/nope/secrets"],
      ["GET", "/v1/tenants/team-payments/secrets/nope"],
    ] as const) {
      expectProblem(
        await fleet.request(method, path, method === "PATCH" ? { body: { interval: "1m" } } : {}),
        404,
        "not_found",
      );
    }
  });

  it("an offboarding tenant takes no more changes, and deleting it again answers the same", async () => {
    await fleet.request("POST", "/v1/tenants", { body: tenant("team-leaving") });
    const first = await fleet.request("DELETE", "/v1/tenants/team-leaving");
    expect(first.status).toBe(202);
    const again = await fleet.request("DELETE", "/v1/tenants/team-leaving");
    expect(again.status).toBe(202);
    expect(again.body.revision).toBe(first.body.revision);
    expectProblem(await fleet.request("PATCH", "/v1/tenants/team-leaving", { body: { interval: "1m" } }), 409);
    expectProblem(
      await fleet.request("POST", "/v1/tenants/team-leaving/secrets", { body: { name: "x", data: { a: "b" } } }),
      409,
    );
  });
});
