import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SecretBox } from "../../core/crypto";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { freePort } from "../support/net";
import { type ChildHost, startChildHost } from "./support/child-host";
import { eventually } from "./support/harness";

/**
 * Kill -9 the Node host while it is connecting many imported clusters, restart it on the same
 * database, and show every job ends exactly once in effect: every cluster exists once and is
 * Ready, every job Succeeded, nothing is left Running, and no transition was recorded twice.
 */
const ADMIN = "crash-test-admin-token";
const CLUSTERS = 24;

let dir: string;
let kube: KubeEmulator;
let port: number;
let host: ChildHost | undefined;
const env = () => ({
  DATABASE_URL: `file:${join(dir, "fleet.db")}`,
  FLEET_ADMIN_TOKEN: ADMIN,
  FLEET_ENCRYPTION_KEY: key,
  FLEET_URL_ALLOW: "127.0.0.1",
  FLEET_RATE_LIMIT_RPS: "0",
  FLEET_JOB_CONCURRENCY: "4",
  // Short leases so the restarted host takes over the jobs the dead one held.
  FLEET_JOB_LEASE_SECONDS: "2",
  LOG_LEVEL: "error",
});
const key = SecretBox.generateKey();

async function startHost(): Promise<void> {
  host = await startChildHost(port, ADMIN, env());
}

const api = (method: string, path: string, body?: unknown) => (host as ChildHost).api(method, path, body);

async function countRunning(): Promise<number> {
  const { createClient } = await import("@libsql/client");
  const db = createClient({ url: `file:${join(dir, "fleet.db")}` });
  try {
    const rows = await db.execute("SELECT count(*) AS n FROM jobs WHERE state = 'Running'");
    return Number(rows.rows[0]?.n ?? 0);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fleetplane-crash-"));
  port = await freePort();
  kube = await startKubeEmulator({ gitVersion: "v1.31.4" });
  // Slow answers keep functions in flight long enough for the kill to land mid-function.
  kube.faults.latencyMs = 150;
});

afterAll(async () => {
  await host?.kill();
  await kube?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("crash safety of the Node host", () => {
  it("kill -9 mid-flight, restart: every job ends exactly once in effect", async () => {
    await startHost();
    expect((await api("POST", "/v1/cluster-classes", { name: "imported", provider: "imported" })).status).toBe(201);
    for (let i = 0; i < CLUSTERS; i++) {
      const res = await api("POST", "/v1/clusters", {
        name: `edge-${i}`,
        class: "imported",
        connection: { server: kube.url, caData: kube.caData, token: kube.token },
      });
      expect(res.status).toBe(202);
    }
    // Let some jobs finish and others be mid-function, then pull the plug.
    await eventually(async () => {
      const done = await api("GET", "/v1/jobs?kind=connectCluster&state=Succeeded&pageSize=500");
      return done.body.items.length >= 3 ? true : undefined;
    }, 20_000);
    await host!.kill();
    // Nothing may still answer on the port: the restarted host below is the only one.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    const interrupted = await countRunning();

    await startHost();
    const jobs = await eventually(
      async () => {
        const res = await api("GET", "/v1/jobs?kind=connectCluster&pageSize=500");
        return res.body.items.every((j: { state: string }) => j.state === "Succeeded") ? res.body.items : undefined;
      },
      45_000,
      "all jobs Succeeded",
    );
    expect(jobs).toHaveLength(CLUSTERS);
    // Every other job (tenant placement re-plans) also ends; nothing is left Queued or Running.
    await eventually(
      async () =>
        (await api("GET", "/v1/jobs?state=Queued,Running&pageSize=500")).body.items.length === 0 ? true : undefined,
      20_000,
      "no job left Queued or Running",
    );
    // The kill landed mid-flight: some jobs were Running when the host died.
    expect(interrupted).toBeGreaterThan(0);

    const clusters = (await api("GET", "/v1/clusters?pageSize=500")).body.items;
    expect(clusters).toHaveLength(CLUSTERS);
    for (const cluster of clusters) {
      const ready = cluster.status.conditions.find((c: { type: string }) => c.type === "Ready");
      expect(ready, cluster.name).toMatchObject({ status: "True", reason: "Connected" });
      expect(cluster.status.serverVersion).toBe("v1.31.4");
    }
    const events = (await api("GET", "/v1/events?pageSize=500")).body.items;
    const connected = events.filter((e: { reason: string }) => e.reason === "Connected");
    expect(connected).toHaveLength(CLUSTERS);
    expect(new Set(connected.map((e: { resource: { id: string } }) => e.resource.id)).size).toBe(CLUSTERS);
  }, 90_000);
});
