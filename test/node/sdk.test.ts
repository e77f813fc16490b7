import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFleetplane, type Fleetplane, gone, ProblemError, retryAfterMs, WaitError } from "../../sdk";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { ADMIN_TOKEN, startTestHost, type TestHost } from "./support/harness";
import { type RunningServer, startServer } from "./support/server";

/** The app itself as the SDK's fetch: every request goes through the whole middleware stack. */
const inProcess = (t: TestHost) => (request: Request) => Promise.resolve(t.host.app.fetch(request));

describe("the SDK against the app in process", () => {
  let t: TestHost;
  let kube: KubeEmulator;
  let fp: Fleetplane;
  const sent: Request[] = [];

  beforeAll(async () => {
    kube = await startKubeEmulator({ name: "sdk-edge" });
    t = await startTestHost();
    fp = createFleetplane({
      baseUrl: "http://fleetplane.test/",
      token: ADMIN_TOKEN,
      fetch: (request) => {
        sent.push(request.clone());
        return inProcess(t)(request);
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await kube.close();
  });

  it("makes typed calls and returns their data", async () => {
    const created = await fp.unwrap(
      fp.api.POST("/v1/cluster-classes", { body: { name: "imported", provider: "imported" } }),
    );
    expect(created.id).toMatch(/^ccl_/);
    const byName = await fp.unwrap(fp.api.GET("/v1/cluster-classes/{ref}", { params: { path: { ref: "imported" } } }));
    expect(byName.id).toBe(created.id);
    expect(byName.provider).toBe("imported");
  });

  it("sends an Idempotency-Key on every POST and on nothing else", async () => {
    sent.length = 0;
    await fp.unwrap(fp.api.POST("/v1/cluster-classes", { body: { name: "keyed", provider: "imported" } }));
    await fp.unwrap(fp.api.GET("/v1/cluster-classes"));
    const [post, get] = sent;
    expect(post?.method).toBe("POST");
    expect(post?.headers.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(post?.headers.get("authorization")).toBe(`Bearer ${ADMIN_TOKEN}`);
    expect(get?.headers.get("idempotency-key")).toBeNull();
  });

  it("throws problems as ProblemError with status, code, detail, errors and requestId", async () => {
    const missing = await fp
      .unwrap(fp.api.GET("/v1/clusters/{ref}", { params: { path: { ref: "no-such-cluster" } } }))
      .catch((e) => e);
    expect(missing).toBeInstanceOf(ProblemError);
    expect(missing).toMatchObject({ status: 404, code: "not_found" });
    expect(missing.detail).toContain("no-such-cluster");
    expect(missing.requestId).not.toBe("");

    const invalid = await fp
      .unwrap(fp.api.POST("/v1/cluster-classes", { body: { name: "Not A DNS Name", provider: "imported" } }))
      .catch((e) => e);
    expect(invalid).toBeInstanceOf(ProblemError);
    expect(invalid.status).toBe(400);
    expect(invalid.code).toBe("validation_failed");
    expect(invalid.errors.map((e: { location: string }) => e.location)).toContain("body.name");

    const untyped = await fp.request("DELETE", "/v1/tenants/nobody").then(
      () => undefined,
      (e) => e,
    );
    expect(untyped).toBeInstanceOf(ProblemError);
    expect(untyped.status).toBe(404);
  });

  it("iterates every item across pages", async () => {
    for (let i = 0; i < 7; i++) {
      await fp.unwrap(fp.api.POST("/v1/cluster-classes", { body: { name: `paged-${i}`, provider: "imported" } }));
    }
    let pages = 0;
    const names: string[] = [];
    const iterator = fp.paginate(async (pageToken) => {
      pages++;
      return fp.unwrap(fp.api.GET("/v1/cluster-classes", { params: { query: { pageSize: 3, pageToken } } }));
    });
    for await (const item of iterator) names.push(item.name);
    const everything = await fp.unwrap(fp.api.GET("/v1/cluster-classes", { params: { query: { pageSize: 500 } } }));
    expect(names).toEqual(everything.items.map((c) => c.name));
    expect(names).toHaveLength(9);
    expect(new Set(names).size).toBe(9);
    expect(pages).toBe(3);

    const untyped: string[] = [];
    for await (const item of fp.list<{ name: string }>("/v1/cluster-classes", { pageSize: 2 })) untyped.push(item.name);
    expect(untyped).toEqual(names);
  });

  it("waits for a cluster to be Provisioned, and for it to be gone after delete", async () => {
    const cluster = await fp.unwrap(
      fp.api.POST("/v1/clusters", {
        body: {
          name: "sdk-edge",
          class: "imported",
          connection: { server: kube.url, caData: kube.caData, token: kube.token },
        },
      }),
    );
    const get = () => fp.unwrap(fp.api.GET("/v1/clusters/{ref}", { params: { path: { ref: cluster.id } } }));
    const ready = await fp.waitFor(get, (c) => c?.status.phase === "Provisioned", {
      intervalMs: 25,
      timeoutMs: 15_000,
      failWhen: (c) => c.status.phase === "Failed",
    });
    expect(ready?.status.phase).toBe("Provisioned");

    await fp.unwrap(fp.api.DELETE("/v1/clusters/{ref}", { params: { path: { ref: cluster.id } } }));
    expect(await fp.waitFor(get, gone, { intervalMs: 25, timeoutMs: 15_000 })).toBeUndefined();
  });

  it("gives up waiting with a WaitError that carries the last value", async () => {
    const get = () => fp.unwrap(fp.api.GET("/v1/cluster-classes/{ref}", { params: { path: { ref: "imported" } } }));
    const timeout = await fp.waitFor(get, () => false, { intervalMs: 10, timeoutMs: 50 }).catch((e) => e);
    expect(timeout).toBeInstanceOf(WaitError);
    expect(timeout.reason).toBe("timeout");
    expect(timeout.last.name).toBe("imported");
    const failed = await fp
      .waitFor(get, () => false, { failWhen: (c) => c.provider === "imported", intervalMs: 10 })
      .catch((e) => e);
    expect(failed).toBeInstanceOf(WaitError);
    expect(failed.reason).toBe("failed");
  });

  it("retries a create whose response was lost with the same key, creating exactly one", async () => {
    const keys: string[] = [];
    let lost = 0;
    const flaky = createFleetplane({
      baseUrl: "http://fleetplane.test",
      token: ADMIN_TOKEN,
      retry: { baseDelayMs: 1 },
      fetch: async (request) => {
        keys.push(request.headers.get("idempotency-key") ?? "");
        const response = await inProcess(t)(request);
        // The server did the work; the answer is lost on the way back, twice.
        if (lost++ < 2) throw new TypeError("fetch failed: socket hang up");
        return response;
      },
    });
    const before = await fp.unwrap(fp.api.GET("/v1/cluster-classes", { params: { query: { pageSize: 500 } } }));
    const created = await flaky.unwrap(
      flaky.api.POST("/v1/cluster-classes", { body: { name: "lost-answer", provider: "imported" } }),
    );
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    const after = await fp.unwrap(fp.api.GET("/v1/cluster-classes", { params: { query: { pageSize: 500 } } }));
    expect(after.items.filter((c) => c.name === "lost-answer").map((c) => c.id)).toEqual([created.id]);
    expect(after.items.length).toBe(before.items.length + 1);
  });

  it("times out an attempt whose fetch never answers and ignores its signal, then retries it", async () => {
    let calls = 0;
    const stuck = createFleetplane({
      baseUrl: "http://fleetplane.test",
      token: ADMIN_TOKEN,
      timeoutMs: 50,
      retry: { attempts: 3, baseDelayMs: 1 },
      // Node's fetch can lose the link from our signal to the Request's after a garbage
      // collection; this fetch models the worst case by never looking at the signal at all.
      fetch: (request) => (calls++ === 0 ? new Promise<Response>(() => {}) : inProcess(t)(request)),
    });
    const page = await stuck.unwrap(stuck.api.GET("/v1/cluster-classes"));
    expect(page.items.length).toBeGreaterThan(0);
    expect(calls).toBe(2);

    const never = createFleetplane({
      baseUrl: "http://fleetplane.test",
      token: ADMIN_TOKEN,
      timeoutMs: 20,
      retry: { attempts: 2, baseDelayMs: 1 },
      fetch: () => new Promise<Response>(() => {}),
    });
    await expect(never.unwrap(never.api.GET("/v1/cluster-classes"))).rejects.toBe("timeout");
  });

  it("retries 503 and 429 after Retry-After, and stops after the configured attempts", async () => {
    const waits: number[] = [];
    let failures = 2;
    const overloaded = createFleetplane({
      baseUrl: "http://fleetplane.test",
      token: ADMIN_TOKEN,
      retry: { attempts: 3, maxDelayMs: 5_000 },
      sleep: async (ms) => {
        waits.push(ms);
      },
      // A load balancer in front of the app that sheds the first requests.
      fetch: async (request) =>
        failures-- > 0
          ? new Response(JSON.stringify({ status: 503, code: "unavailable", detail: "draining" }), {
              status: 503,
              headers: { "content-type": "application/problem+json", "retry-after": "2" },
            })
          : inProcess(t)(request),
    });
    const page = await overloaded.unwrap(overloaded.api.GET("/v1/cluster-classes"));
    expect(page.items.length).toBeGreaterThan(0);
    expect(waits).toEqual([2000, 2000]);

    failures = 10;
    waits.length = 0;
    const exhausted = await overloaded.unwrap(overloaded.api.GET("/v1/cluster-classes")).catch((e) => e);
    expect(exhausted).toBeInstanceOf(ProblemError);
    expect(exhausted).toMatchObject({ status: 503, code: "unavailable", detail: "draining" });
    expect(waits).toHaveLength(2);
  });

  it("rides out the API's own rate limit by honouring its Retry-After", async () => {
    const limited = await startTestHost({ FLEET_RATE_LIMIT_RPS: "1", FLEET_RATE_LIMIT_BURST: "1" });
    try {
      const waits: number[] = [];
      const statuses: number[] = [];
      const client = createFleetplane({
        baseUrl: "http://fleetplane.test",
        token: ADMIN_TOKEN,
        sleep: async (ms) => {
          waits.push(ms);
          await new Promise((r) => setTimeout(r, ms));
        },
        fetch: async (request) => {
          const response = await inProcess(limited)(request);
          statuses.push(response.status);
          return response;
        },
      });
      await client.unwrap(client.api.GET("/v1/clusters"));
      await client.unwrap(client.api.GET("/v1/clusters"));
      expect(statuses).toEqual([200, 429, 200]);
      expect(waits).toEqual([1000]);
    } finally {
      await limited.close();
    }
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
  });
});

describe("the SDK against `npm start`", () => {
  let server: RunningServer;
  let kube: KubeEmulator;

  beforeAll(async () => {
    kube = await startKubeEmulator({ name: "served-edge" });
    server = await startServer({ FLEET_PROVIDER_POLL_MS: "50" });
  }, 90_000);
  afterAll(async () => {
    await server?.close();
    await kube?.close();
  });

  it("authenticates with the printed bootstrap token and refuses without one", async () => {
    const anonymous = createFleetplane({ baseUrl: server.url });
    const refused = await anonymous.unwrap(anonymous.api.GET("/v1/clusters")).catch((e) => e);
    expect(refused).toBeInstanceOf(ProblemError);
    expect(refused.status).toBe(401);

    const fp = createFleetplane({ baseUrl: server.url, token: server.token });
    expect((await fp.unwrap(fp.api.GET("/v1/clusters"))).items).toEqual([]);
  });

  it("registers a cluster over the network and waits for it through its life", async () => {
    const fp = createFleetplane({ baseUrl: server.url, token: server.token });
    await fp.unwrap(fp.api.POST("/v1/cluster-classes", { body: { name: "imported", provider: "imported" } }));
    const cluster = await fp.unwrap(
      fp.api.POST("/v1/clusters", {
        body: {
          name: "served-edge",
          class: "imported",
          labels: { tier: "edge" },
          connection: { server: kube.url, caData: kube.caData, token: kube.token },
        },
      }),
    );
    const get = () => fp.unwrap(fp.api.GET("/v1/clusters/{ref}", { params: { path: { ref: "served-edge" } } }));
    const ready = await fp.waitFor(get, (c) => c?.status.phase === "Provisioned", {
      intervalMs: 100,
      timeoutMs: 20_000,
    });
    expect(ready?.id).toBe(cluster.id);
    const listed: string[] = [];
    for await (const c of fp.list<{ name: string }>("/v1/clusters", { labelSelector: "tier=edge" }))
      listed.push(c.name);
    expect(listed).toEqual(["served-edge"]);
    await fp.request("DELETE", `/v1/clusters/${cluster.id}`);
    expect(await fp.waitFor(get, gone, { intervalMs: 100, timeoutMs: 20_000 })).toBeUndefined();
    expect(server.output()).not.toContain(kube.token);
  });
});
