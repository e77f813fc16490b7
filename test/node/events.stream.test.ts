import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordEvent } from "../../core/events";
import { writeBatch } from "../../core/store";
import { listen } from "../../entry/node";
import { freePort } from "../support/net";
import { ADMIN_TOKEN, expectProblem, startTestHost, type TestHost } from "./support/harness";

/**
 * `GET /v1/events/stream` over a real HTTP connection: server-sent events as a browser's
 * EventSource or the dashboard reads them, with the list's filters, its tenant scope, and a
 * resume after `Last-Event-ID`.
 */
let t: TestHost;
let server: Awaited<ReturnType<typeof listen>>;
let url: string;

beforeAll(async () => {
  t = await startTestHost({ FLEET_STREAM_POLL_MS: "50", FLEET_STREAM_MAX_SECONDS: "20" });
  const port = await freePort();
  server = await listen(t.host, port, "127.0.0.1");
  url = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server?.close();
  await t?.close();
});

interface Received {
  id: string;
  event: { id: string; reason: string; resource: { id: string; name?: string; type: string } };
}

/** Opens a stream and collects its events until `stop` is called. */
function open(path: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const received: Received[] = [];
  const comments: string[] = [];
  const response = fetch(`${url}${path}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
    signal: controller.signal,
  });
  const done = (async () => {
    const res = await response;
    if (!res.body) return;
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split("\n")
              .filter((l) => !l.startsWith(":"))
              .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trimStart()]),
          );
          if (block.startsWith(":")) comments.push(block);
          if (fields.data) received.push({ id: fields.id ?? "", event: JSON.parse(fields.data) });
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // Aborted by the test.
    }
  })();
  return {
    response,
    received,
    comments,
    async until(count: number, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`got ${received.length} of ${count} events`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}

const createClass = (name: string) =>
  t.request("POST", "/v1/cluster-classes", { body: { name, provider: "imported" } });

describe("events: the log as a stream", () => {
  it("sends new events as they happen, not the ones before it opened", async () => {
    await createClass("before-stream");
    const stream = open("/v1/events/stream");
    const res = await stream.response;
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    // Give the stream its first look at the log before writing.
    await new Promise((r) => setTimeout(r, 150));
    await createClass("during-stream-1");
    await createClass("during-stream-2");
    const got = await stream.until(2);
    await stream.stop();
    expect(got.map((g) => g.event.resource.name)).toEqual(["during-stream-1", "during-stream-2"]);
    expect(got.every((g) => g.id === g.event.id && g.event.reason === "Created")).toBe(true);
  });

  it("filters by resource and reason, and resumes after Last-Event-ID without repeating", async () => {
    const first = open("/v1/events/stream?resource=resumed&reason=Created,Updated");
    await first.response;
    await new Promise((r) => setTimeout(r, 150));
    await createClass("not-this-one");
    await createClass("resumed");
    const [created] = await first.until(1);
    await first.stop();
    expect(created?.event.resource.name).toBe("resumed");

    // Changes made while nobody listens are sent on reconnect, after the last one received.
    await t.request("PATCH", "/v1/cluster-classes/resumed", { body: { labels: { tier: "a" } } });
    await t.request("PATCH", "/v1/cluster-classes/resumed", { body: { labels: { tier: "b" } } });
    const again = open("/v1/events/stream?resource=resumed", { "last-event-id": created!.id });
    const resumed = await again.until(2);
    await new Promise((r) => setTimeout(r, 200));
    await again.stop();
    expect(resumed.map((r) => r.event.reason)).toEqual(["Updated", "Updated"]);
    expect(again.received).toHaveLength(2);
    expect(resumed.every((r) => r.id > created!.id)).toBe(true);
  });

  it("replays from since", async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const stream = open(`/v1/events/stream?resource=before-stream&since=${encodeURIComponent(since)}`);
    const got = await stream.until(1);
    await stream.stop();
    expect(got[0]?.event.resource.name).toBe("before-stream");
  });

  it("still sends an event that commits after a later-minted one was sent", async () => {
    const stream = open("/v1/events/stream?resource=late-commit");
    await stream.response;
    await new Promise((r) => setTimeout(r, 150));
    // Minted now, committed only after a later event was sent (a slow batch): its id sorts
    // before what was sent.
    const minted = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    await createClass("late-commit");
    await stream.until(1);
    await writeBatch(t.host.deps.store, [
      recordEvent(t.host.deps.store, {
        at: minted,
        reason: "Updated",
        resourceType: "ClusterClass",
        resourceId: "ccl_late",
        resourceName: "late-commit",
        actor: "system",
        message: "a write whose batch took its time",
      }),
    ]);
    const got = await stream.until(2);
    await new Promise((r) => setTimeout(r, 200));
    await stream.stop();
    expect(got.map((g) => g.event.reason)).toEqual(["Created", "Updated"]);
    expect(stream.received).toHaveLength(2);
  });

  it("shows a tenant token only its own tenant's events", async () => {
    const tenant = await t.request("POST", "/v1/tenants", {
      body: {
        name: "team-stream",
        namespace: "stream",
        source: { url: "https://github.com/acme/stream-k8s" },
        placement: { labelSelector: "tier=stream" },
      },
    });
    expect(tenant.status, tenant.text).toBe(202);
    const token = await t.tenantToken(tenant.body.id);
    const since = new Date(Date.now() - 60_000).toISOString();
    const stream = open(`/v1/events/stream?since=${encodeURIComponent(since)}`, { authorization: `Bearer ${token}` });
    const got = await stream.until(1);
    await new Promise((r) => setTimeout(r, 200));
    await stream.stop();
    expect(stream.received.every((r) => r.event.resource.id === tenant.body.id)).toBe(true);
    expect(got[0]?.event.resource.name).toBe("team-stream");
  });

  it("refuses a bad since or Last-Event-ID, and a missing token, with a problem", async () => {
    expectProblem(await t.request("GET", "/v1/events/stream?since=yesterday"), 400);
    expectProblem(await t.request("GET", "/v1/events/stream", { headers: { "last-event-id": "42" } }), 400);
    expectProblem(await t.request("GET", "/v1/events/stream", { token: null }), 401);
  });
});
