import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import type { WebSocket as WorkerWebSocket } from "@cloudflare/workers-types";
import { describe, expect, it } from "vitest";
import worker from "../../entry/worker";

const ADMIN = "workers-test-admin-token";

async function call(method: string, path: string, body?: unknown) {
  const ctx = createExecutionContext();
  const res: Response = await worker.fetch(
    new Request(`http://fleetplane.test${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }) as never,
    env as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Queue deliveries are batched and delayed by the runtime, so waits are generous; they end as soon as the check passes. */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

describe("the Worker host (workerd, D1, Queues, Cron)", () => {
  it("serves the API over D1 with the migrations applied", async () => {
    expect((await call("GET", "/readyz")).status).toBe(200);
    const created = await call("POST", "/v1/cluster-classes", { name: "imported", provider: "imported" });
    expect(created.status).toBe(201);
    const row = await env.DB.prepare("SELECT name, provider FROM cluster_classes").first();
    expect(row).toEqual({ name: "imported", provider: "imported" });
  });

  it("runs its prepared hot-path queries and label selectors on D1: token lookup, cluster by id and by name, the label index", async () => {
    await call("POST", "/v1/cluster-classes", { name: "imported", provider: "imported" });
    const clusters = [];
    for (const name of ["prepared-a", "prepared-b"]) {
      const res = await call("POST", "/v1/clusters", {
        name,
        class: "imported",
        labels: name === "prepared-a" ? { tier: "edge", set: "both" } : { set: "both" },
        connection: { server: "https://127.0.0.1:9", token: "not-a-real-token" },
      });
      expect(res.status).toBe(202);
      clusters.push(res.body as { id: string; name: string });
    }
    const minted = await call("POST", "/v1/tokens", { name: "reader" });
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    const asToken = async (path: string, bearer: string) => {
      const res: Response = await worker.fetch(
        new Request(`http://fleetplane.test${path}`, { headers: { authorization: `Bearer ${bearer}` } }) as never,
        env as never,
        createExecutionContext(),
      );
      return { status: res.status, body: (await res.json()) as { id?: string; name?: string } };
    };
    for (const cluster of clusters) {
      for (const ref of [cluster.id, cluster.name]) {
        const read = await asToken(`/v1/clusters/${ref}`, minted.body.token);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ id: cluster.id, name: cluster.name });
      }
    }
    expect((await asToken(`/v1/clusters/${clusters[0]!.id}`, `${minted.body.token}x`)).status).toBe(401);
    expect((await asToken("/v1/clusters/prepared-missing", minted.body.token)).status).toBe(404);
    const selected = async (selector: string) =>
      (
        (await call("GET", `/v1/clusters?labelSelector=${encodeURIComponent(selector)}`)).body.items as {
          name: string;
        }[]
      )
        .map((c) => c.name)
        .filter((name) => name.startsWith("prepared-"));
    expect(await selected("tier=edge")).toEqual(["prepared-a"]);
    expect(await selected("!tier")).toEqual(["prepared-b"]);
    // One `key=value` term is the prepared index query; page by page, its token's variant too.
    const first = await call("GET", "/v1/clusters?labelSelector=set%3Dboth&pageSize=1");
    expect(first.body.items.map((c: { name: string }) => c.name)).toEqual(["prepared-a"]);
    const second = await call(
      "GET",
      `/v1/clusters?labelSelector=set%3Dboth&pageSize=1&pageToken=${encodeURIComponent(first.body.nextPageToken)}`,
    );
    expect(second.body.items.map((c: { name: string }) => c.name)).toEqual(["prepared-b"]);
    expect(second.body.nextPageToken).toBeUndefined();
    expect((await call("PATCH", "/v1/clusters/prepared-a", { labels: { tier: null, zone: "z1" } })).status).toBe(200);
    expect(await selected("tier=edge")).toEqual([]);
    expect(await selected("zone in (z1,z2)")).toEqual(["prepared-a"]);
  });

  it("plans and persists a rollout on D1, and its engine ticks through the queue", async () => {
    await call("POST", "/v1/cluster-classes", { name: "imported", provider: "imported" });
    for (const name of ["wave-a", "wave-b"]) {
      const res = await call("POST", "/v1/clusters", {
        name,
        class: "imported",
        labels: { tier: name },
        connection: { server: "https://127.0.0.1:9", token: "not-a-real-token" },
      });
      expect(res.status).toBe(202);
    }
    const created = await call("POST", "/v1/applications", {
      name: "payments-api",
      source: { repoURL: "https://github.com/acme/payments-k8s", path: "apps/payments-api", targetRevision: "v1" },
      destination: { namespace: "payments" },
      targets: { labelSelector: "tier" },
      strategy: {
        waves: [
          { name: "first", selector: "tier=wave-a" },
          { name: "second", selector: "tier=wave-b" },
        ],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.status.latestRollout.id as string;
    const targets = await env.DB.prepare(
      "SELECT cluster_name, wave, state FROM rollout_targets WHERE rollout_id = ? ORDER BY wave",
    )
      .bind(id)
      .all();
    expect(targets.results).toEqual([
      { cluster_name: "wave-a", wave: 0, state: "ToApply" },
      { cluster_name: "wave-b", wave: 1, state: "ToApply" },
    ]);
    // The engine's tick runs from the queue: the first wave starts, its cluster is unreachable.
    const view = await eventually(async () => {
      const res = await call("GET", `/v1/rollouts/${id}`);
      return res.body.status.waves[0].clusters[0].state === "Progressing" ? res.body : undefined;
    });
    expect(view.status.phase).toBe("Progressing");
    expect(view.status.waves[1].clusters[0].state).toBe("ToApply");
    expect(view.status.waitingFor[0]).toMatch(/^first: 1 cluster Progressing for/);
  });

  it("queues connectCluster through the real queue, whose consumer records the outcome", async () => {
    await call("POST", "/v1/cluster-classes", { name: "imported", provider: "imported" });
    // Nothing listens on port 9: the function must report the cluster Unreachable and retry.
    const created = await call("POST", "/v1/clusters", {
      name: "edge-1",
      class: "imported",
      connection: { server: "https://127.0.0.1:9", token: "not-a-real-token" },
    });
    expect(created.status).toBe(202);
    const ready = await eventually(async () => {
      const res = await call("GET", "/v1/clusters/edge-1");
      const condition = res.body.status.conditions.find((c: { type: string }) => c.type === "Ready");
      return condition?.status === "False" ? condition : undefined;
    });
    expect(ready.reason).toBe("Unreachable");
    const jobs = await call("GET", "/v1/jobs?cluster=edge-1&kind=connectCluster");
    expect(jobs.body.items[0].kind).toBe("connectCluster");
    expect(jobs.body.items[0].attempts).toBeGreaterThanOrEqual(1);
    expect(jobs.body.items[0].lastError).toMatch(/^Unreachable/);
    // The sealed token is in D1, never in plain text.
    const stored = await env.DB.prepare("SELECT credentials FROM clusters WHERE name = 'edge-1'").first<{
      credentials: string;
    }>();
    expect(stored?.credentials).toMatch(/^v1\./);
    expect(JSON.stringify(await env.DB.prepare("SELECT * FROM clusters").all())).not.toContain("not-a-real-token");
  });

  it("the queue handler acknowledges duplicate and unknown messages without running anything twice", async () => {
    const batch = createMessageBatch("fleetplane-jobs", [
      { id: "m1", timestamp: new Date(), attempts: 1, body: { jobId: "job_does_not_exist" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, env as never);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(result.retryMessages).toEqual([]);
  });

  it("the dead-letter consumer records what it receives", async () => {
    const batch = createMessageBatch("fleetplane-jobs-dlq", [
      { id: "d1", timestamp: new Date(), attempts: 6, body: { jobId: "job_lost" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as never, env as never);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["d1"]);
    const events = await call("GET", "/v1/events?resource=job_lost");
    expect(events.body.items[0].reason).toBe("DeadLettered");
  });

  it("the scheduled sweep re-dispatches a due job that lost its message", async () => {
    // A job committed by a host that died before dispatching it.
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO jobs (id, kind, cluster_id, resource_type, resource_id, payload, state, attempts, max_attempts, run_after, created_at, updated_at)
       VALUES ('job_orphan', 'deleteCluster', 'cls_orphan', 'Cluster', 'cls_orphan', '{}', 'Queued', 0, 8, ?, ?, ?)`,
    )
      .bind(now - 1000, now - 1000, now - 1000)
      .run();
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date(), cron: "* * * * *" }) as never,
      env as never,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const job = await eventually(async () => {
      const row = await env.DB.prepare("SELECT state, message FROM jobs WHERE id = 'job_orphan'").first<{
        state: string;
        message: string;
      }>();
      return row?.state === "Succeeded" ? row : undefined;
    });
    expect(job.message).toBe("already gone");
  });
});

describe("the Worker host serves the dashboard", () => {
  const raw = async (path: string) => {
    const ctx = createExecutionContext();
    const res: Response = await worker.fetch(new Request(`http://fleetplane.test${path}`) as never, env as never, ctx);
    await waitOnExecutionContext(ctx);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };

  it("at / from its static assets, with the same same-origin-only policy as the Node host", async () => {
    const page = await raw("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const script = page.text.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await raw(script as string);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await raw("/assets/none.js")).status).toBe(404);
    expect((await raw("/v1/clusters")).status).toBe(401);
  });
});

describe("the Worker host rings its agents' doorbells", () => {
  it("holds an agent's WebSocket in its cluster's Durable Object and rings it when work is queued", async () => {
    await call("POST", "/v1/cluster-classes", { name: "imported", provider: "imported" });
    const created = await call("POST", "/v1/clusters", {
      name: "behind-nat",
      class: "imported",
      connection: { mode: "agent" },
    });
    expect(created.status).toBe(202);
    const joined = await call("POST", "/agent/v1/join", { token: created.body.agentJoin.token });
    expect(joined.status).toBe(200);
    const credential: string = joined.body.credential;

    const doorbell = async (headers: Record<string, string>) => {
      const ctx = createExecutionContext();
      const res: Response = await worker.fetch(
        new Request("http://fleetplane.test/agent/v1/doorbell", { headers }) as never,
        env as never,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res;
    };
    // Only its agent may listen, and only over a WebSocket.
    expect((await doorbell({ authorization: `Bearer ${ADMIN}`, upgrade: "websocket" })).status).toBe(401);
    const plain = await doorbell({ authorization: `Bearer ${credential}` });
    expect(plain.status).toBe(426);
    expect(plain.headers.get("content-type")).toContain("application/problem+json");

    const res = await doorbell({ authorization: `Bearer ${credential}`, upgrade: "websocket" });
    expect(res.status).toBe(101);
    const socket = (res as unknown as { webSocket: WorkerWebSocket }).webSocket;
    socket.accept();
    const heard: string[] = [];
    socket.addEventListener("message", (event) => heard.push(String(event.data)));
    // The keep-alive is answered without waking the object.
    socket.send("ping");
    await eventually(async () => (heard.includes("pong") ? true : undefined), 10_000);
    // The joined cluster's connect job asks its agent for the server version: that rings.
    await eventually(async () => (heard.includes("work") ? true : undefined));
    const pending = await env.DB.prepare("SELECT op FROM agent_work WHERE state = 'Pending' AND cluster_id = ?")
      .bind(created.body.id)
      .all<{ op: string }>();
    expect(pending.results.map((r) => r.op)).toContain("version");
    socket.close(1000, "done");
  });
});
