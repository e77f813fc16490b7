import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
});
afterAll(() => t.close());

describe("service endpoints", () => {
  it("healthz and readyz answer without a token", async () => {
    expect((await t.request("GET", "/healthz", { token: null })).body).toEqual({ status: "ok" });
    expect((await t.request("GET", "/readyz", { token: null })).body).toEqual({ status: "ready" });
  });

  it("serves the OpenAPI 3.1 document and the docs page", async () => {
    const spec = await t.request("GET", "/openapi.json", { token: null });
    expect(spec.body.openapi).toBe("3.1.0");
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(["/v1/clusters", "/v1/clusters/{ref}", "/v1/jobs"]),
    );
    const docs = await t.request("GET", "/docs", { token: null });
    expect(docs.status).toBe(200);
    expect(docs.text).toMatch(/<html/i);
    expect(docs.text).toContain("/openapi.json");
  });

  it("exposes Prometheus metrics: requests by route and status, latency, jobs by state", async () => {
    await t.request("GET", "/v1/cluster-classes");
    await t.request("GET", "/v1/cluster-classes/nope");
    const res = await t.request("GET", "/metrics", { token: null });
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0.0.4/);
    expect(res.text).toMatch(
      /fleetplane_http_requests_total\{method="GET",route="\/v1\/cluster-classes",status="200"\} 1/,
    );
    expect(res.text).toMatch(
      /fleetplane_http_requests_total\{method="GET",route="\/v1\/cluster-classes\/:ref",status="404"\} 1/,
    );
    expect(res.text).toMatch(
      /fleetplane_http_request_duration_seconds_bucket\{method="GET",route="\/v1\/cluster-classes",le="\+Inf"\} 1/,
    );
    expect(res.text).toMatch(/fleetplane_jobs\{state="Queued"\} 0/);
  });

  it("echoes a sane X-Request-Id and puts it in problems; mints one otherwise", async () => {
    const res = await t.request("GET", "/v1/cluster-classes/nope", { headers: { "x-request-id": "trace-abc.123" } });
    expect(res.headers.get("x-request-id")).toBe("trace-abc.123");
    expect(res.body.requestId).toBe("trace-abc.123");
    const minted = await t.request("GET", "/v1/cluster-classes/nope", { headers: { "x-request-id": "bad id\n" } });
    expect(minted.headers.get("x-request-id")).toMatch(/^req_/);
  });
});

describe("Idempotency-Key", () => {
  const body = { name: "idem", provider: "imported" };

  it("replays the first response for the same key and body", async () => {
    const first = await t.request("POST", "/v1/cluster-classes", { body, headers: { "idempotency-key": "k1" } });
    const again = await t.request("POST", "/v1/cluster-classes", { body, headers: { "idempotency-key": "k1" } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    const list = await t.request("GET", "/v1/cluster-classes");
    expect(list.body.items.filter((i: { name: string }) => i.name === "idem")).toHaveLength(1);
  });

  it("stores a keyed fingerprint of the request, not a plain hash that could be guessed offline", async () => {
    const { idempotencyKeys } = await import("../../schema");
    const { sha256Hex } = await import("../../core/crypto");
    const [row] = await t.host.deps.store.select().from(idempotencyKeys);
    expect(row?.requestHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.requestHash).not.toBe(await sha256Hex(`POST /v1/cluster-classes\n${JSON.stringify(body)}`));
  });

  it("the same key with a different body is 422", async () => {
    const res = await t.request("POST", "/v1/cluster-classes", {
      body: { ...body, description: "other" },
      headers: { "idempotency-key": "k1" },
    });
    expectProblem(res, 422, "idempotency_key_reused");
  });

  it("a key still in flight is 409", async () => {
    const { idempotencyKeys } = await import("../../schema");
    // The state a first request leaves while it is still running.
    await t.host.deps.store.insert(idempotencyKeys).values({
      principalId: "tok_admin_env",
      key: "busy",
      method: "POST",
      path: "/v1/cluster-classes",
      requestHash: await (await t.host.deps.secretBox()).fingerprint(
        `POST /v1/cluster-classes\n${JSON.stringify(body)}`,
      ),
      state: "InFlight",
      createdAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    });
    expectProblem(
      await t.request("POST", "/v1/cluster-classes", { body, headers: { "idempotency-key": "busy" } }),
      409,
      "idempotency_in_flight",
    );
  });

  it("concurrent duplicates execute once", async () => {
    const send = () =>
      t.request("POST", "/v1/cluster-classes", {
        body: { name: "racer", provider: "imported" },
        headers: { "idempotency-key": "race" },
      });
    const results = await Promise.all(Array.from({ length: 8 }, send));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = results.filter((r) => r.status === 201);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    const events = await t.request("GET", "/v1/events?resource=racer");
    expect(events.body.items).toHaveLength(1);
  });

  it("keys are scoped to the credential", async () => {
    const other = await t.request("POST", "/v1/tokens", { body: { name: "other-admin" } });
    const res = await t.request("POST", "/v1/cluster-classes", {
      body,
      token: other.body.token,
      headers: { "idempotency-key": "k1" },
    });
    expectProblem(res, 409, "already_exists");
  });

  it("a secret-bearing response is never stored for replay", async () => {
    const first = await t.request("POST", "/v1/tokens", {
      body: { name: "ci" },
      headers: { "idempotency-key": "tok" },
    });
    expect(first.status).toBe(201);
    const { idempotencyKeys } = await import("../../schema");
    const rows = await t.host.deps.store.select().from(idempotencyKeys);
    expect(JSON.stringify(rows)).not.toContain(first.body.token);
    const again = await t.request("POST", "/v1/tokens", {
      body: { name: "ci" },
      headers: { "idempotency-key": "tok" },
    });
    expectProblem(again, 409, "conflict");
  });
});

describe("pagination", () => {
  it("walks every item exactly once, in a stable order, while items are added", async () => {
    for (let i = 0; i < 25; i++) {
      await t.request("POST", "/v1/cluster-classes", {
        body: { name: `page-${i}`, provider: "imported", labels: { p: "y" } },
      });
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await t.request(
        "GET",
        `/v1/cluster-classes?labelSelector=p%3Dy&pageSize=7${token ? `&pageToken=${token}` : ""}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { name: string }) => i.name));
      token = res.body.nextPageToken;
      // New items created mid-walk sort after the cursor and are seen at the end, never twice.
      if (pages === 1)
        await t.request("POST", "/v1/cluster-classes", {
          body: { name: "late", provider: "imported", labels: { p: "y" } },
        });
      pages++;
    } while (token);
    expect(seen).toHaveLength(26);
    expect(new Set(seen).size).toBe(26);
    expect(seen.at(-1)).toBe("late");
  });

  it("clamps page sizes instead of failing", async () => {
    const big = await t.request("GET", "/v1/cluster-classes?pageSize=100000");
    expect(big.status).toBe(200);
    const small = await t.request("GET", "/v1/cluster-classes?pageSize=0");
    expect(small.body.items).toHaveLength(1);
  });

  it("refuses a page token used with different filters", async () => {
    const first = await t.request("GET", "/v1/cluster-classes?pageSize=2");
    const res = await t.request(
      "GET",
      `/v1/cluster-classes?pageSize=2&labelSelector=p&pageToken=${first.body.nextPageToken}`,
    );
    expectProblem(res, 400, "validation_failed");
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After once a credential's burst is spent", async () => {
    const limited = await (await import("./support/harness")).startTestHost(
      { FLEET_RATE_LIMIT_RPS: "1", FLEET_RATE_LIMIT_BURST: "3" },
      { runJobs: false },
    );
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof limited.request>> | undefined;
      for (let i = 0; i < 5; i++) {
        last = await limited.request("GET", "/v1/cluster-classes");
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses.at(-1)).toBe(429);
      expectProblem(last!, 429, "rate_limited");
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });
});
