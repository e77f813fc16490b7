import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { startTestHost, type TestHost } from "../node/support/harness";

/**
 * Optimistic concurrency and idempotency under contention: 50 writers doing read-modify-write
 * on one resource with If-Match, 1,000 replays of one Idempotency-Key, and concurrent
 * duplicates of one create.
 */
const WRITERS = 50;
const REPLAYS = 1000;
const DUPLICATES = 25;

let t: TestHost;
let kube: KubeEmulator;
const counts = { requests: 0, preconditionFailed: 0, replays: 0, mismatches: 0, duplicatesExecuted: 0 };

const classBody = (counter: number) => ({
  name: "contended",
  provider: "imported",
  values: { counter: String(counter) },
});

beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
  kube = await startKubeEmulator();
  expect((await t.request("POST", "/v1/cluster-classes", { body: classBody(0) })).status).toBe(201);
  expect(
    (await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } })).status,
  ).toBe(201);
});

afterAll(async () => {
  console.log(
    `concurrency: ${counts.requests} requests, ${counts.preconditionFailed} answered 412, ${counts.replays} idempotent replays ` +
      `(${counts.mismatches} differing), duplicates executed: ${counts.duplicatesExecuted}`,
  );
  await kube?.close();
  await t?.close();
});

describe("concurrency: 50 writers on one resource with If-Match", () => {
  it("one round: exactly one writer wins, the 49 others get 412 and change nothing", async () => {
    const current = await t.request("GET", "/v1/cluster-classes/contended");
    const etag = current.headers.get("etag") as string;
    const answers = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        t.request("PUT", "/v1/cluster-classes/contended", {
          body: { ...classBody(0), labels: { writer: `w${i}` } },
          headers: { "if-match": etag },
        }),
      ),
    );
    counts.requests += WRITERS + 1;
    const winners = answers.filter((a) => a.status === 200);
    const losers = answers.filter((a) => a.status === 412);
    counts.preconditionFailed += losers.length;
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(WRITERS - 1);
    for (const loser of losers) expect(loser.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const after = await t.request("GET", "/v1/cluster-classes/contended");
    expect(after.body.labels).toEqual(winners[0]?.body.labels);
    expect(after.body.revision).toBe(current.body.revision + 1);
  });

  it("read-modify-write with retries on 412: every one of the 50 increments survives", async () => {
    let attempts = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (;;) {
          const current = await t.request("GET", "/v1/cluster-classes/contended");
          const next = Number(current.body.values.counter) + 1;
          attempts += 1;
          const res = await t.request("PUT", "/v1/cluster-classes/contended", {
            body: { ...classBody(next), labels: current.body.labels },
            headers: { "if-match": current.headers.get("etag") as string },
          });
          if (res.status === 200) return;
          expect(res.status).toBe(412);
          refused += 1;
        }
      }),
    );
    counts.requests += attempts * 2 + 1;
    counts.preconditionFailed += refused;
    const final = await t.request("GET", "/v1/cluster-classes/contended");
    expect(final.body.values.counter).toBe(String(WRITERS));
    expect(refused).toBe(attempts - WRITERS);
  });
});

describe("idempotency", () => {
  it("1,000 replays of one Idempotency-Key answer byte-identical responses and create one resource", async () => {
    const body = { name: "replayed", provider: "imported", labels: { tier: "gold" } };
    const headers = { "idempotency-key": "replay-me-1000" };
    const first = await t.request("POST", "/v1/cluster-classes", { body, headers });
    expect(first.status).toBe(201);
    for (let i = 0; i < REPLAYS; i++) {
      const replay = await t.request("POST", "/v1/cluster-classes", { body, headers });
      counts.replays += 1;
      if (
        replay.status !== first.status ||
        replay.text !== first.text ||
        replay.headers.get("etag") !== first.headers.get("etag") ||
        replay.headers.get("idempotent-replayed") !== "true"
      ) {
        counts.mismatches += 1;
      }
    }
    counts.requests += REPLAYS + 1;
    expect(counts.mismatches).toBe(0);
    const rows = await t.host.deps.store.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM cluster_classes WHERE name = 'replayed'`,
    );
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it("concurrent duplicates of one create execute once: one cluster, one job, one event", async () => {
    const body = {
      name: "edge-dup",
      class: "imported",
      connection: { server: kube.url, caData: kube.caData, token: kube.token },
    };
    const headers = { "idempotency-key": "dup-edge-1" };
    const answers = await Promise.all(
      Array.from({ length: DUPLICATES }, () => t.request("POST", "/v1/clusters", { body, headers })),
    );
    counts.requests += DUPLICATES;
    const accepted = answers.filter((a) => a.status === 202);
    // The others were told the first is still in flight (409) and may retry.
    for (const a of answers) expect([202, 409]).toContain(a.status);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(accepted.map((a) => a.body.id)).size).toBe(1);
    // Retrying after the first finished replays it.
    const retry = await t.request("POST", "/v1/clusters", { body, headers });
    counts.requests += 1;
    expect(retry.status).toBe(202);
    expect(retry.body.id).toBe(accepted[0]?.body.id);
    const one = async (query: string) => Number((await t.host.deps.store.all<{ n: number }>(sql.raw(query)))[0]?.n);
    const clusters = await one("SELECT count(*) AS n FROM clusters WHERE name = 'edge-dup'");
    const jobs = await one(
      `SELECT count(*) AS n FROM jobs WHERE resource_id = '${accepted[0]?.body.id}' AND kind = 'connectCluster'`,
    );
    const events = await one(
      `SELECT count(*) AS n FROM events WHERE resource_id = '${accepted[0]?.body.id}' AND reason = 'Registered'`,
    );
    counts.duplicatesExecuted = clusters - 1 + (jobs - 1) + (events - 1);
    expect({ clusters, jobs, events }).toEqual({ clusters: 1, jobs: 1, events: 1 });
  });
});
