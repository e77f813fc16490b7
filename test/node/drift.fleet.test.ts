import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scheduleReconciles } from "../../core/drift/schedule";
import { driftReports, jobs, reconcileSchedule } from "../../schema";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { eventually, startTestHost, type TestHost } from "./support/harness";

const FLEET_SIZE = 200;
const CAP = 5;

async function register(t: TestHost, name: string, kube: KubeEmulator) {
  const res = await t.request("POST", "/v1/clusters", {
    body: { name, class: "imported", connection: { server: kube.url, caData: kube.caData, token: kube.token } },
  });
  if (res.status !== 202) throw new Error(`registering ${name}: ${res.status} ${res.text}`);
  return res.body.id as string;
}

describe("scheduled reconciles of a fleet", () => {
  let t: TestHost;
  const kubes: KubeEmulator[] = [];
  let maxRunning = 0;
  let maxInFlight = 0;
  let sampler: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    t = await startTestHost({
      FLEET_JOB_CONCURRENCY: String(CAP),
      FLEET_RECONCILE_INTERVAL_SECONDS: "4",
      FLEET_SWEEP_INTERVAL_SECONDS: "1",
    });
    expect(
      (await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } })).status,
    ).toBe(201);
    for (let i = 0; i < FLEET_SIZE; i++) {
      const kube = await startKubeEmulator({ name: `edge-${i}`, requestLogLimit: 0 });
      // Every call takes a little while, so reconciles overlap and the cap is what holds them back.
      kube.faults.latencyMs = 5;
      kubes.push(kube);
    }
    // Watch how many functions run at once, in the store (every host) and in this runner.
    sampler = setInterval(() => {
      maxInFlight = Math.max(maxInFlight, t.host.runner.inFlight);
      t.host.deps.store
        .select({ n: sql<number>`count(*)` })
        .from(jobs)
        .where(eq(jobs.state, "Running"))
        .then(([row]) => {
          maxRunning = Math.max(maxRunning, Number(row?.n ?? 0));
        })
        .catch(() => undefined);
    }, 5);
  }, 120_000);

  afterAll(async () => {
    if (sampler) clearInterval(sampler);
    await t?.close();
    await Promise.all(kubes.map((k) => k.close()));
  });

  it("reconciles every cluster on its own slot, never with more in flight than the cap", async () => {
    for (let i = 0; i < FLEET_SIZE; i++) await register(t, `edge-${i}`, kubes[i]!);
    const store = t.host.deps.store;
    // Every cluster gets a report from a reconcile the scheduler queued.
    await eventually(
      async () => {
        const rows = await store
          .select({ n: sql<number>`count(DISTINCT ${jobs.clusterId})` })
          .from(jobs)
          .where(
            and(
              eq(jobs.kind, "reconcileCluster"),
              eq(jobs.state, "Succeeded"),
              sql`json_extract(${jobs.payload}, '$.scheduled') = 1`,
            ),
          );
        return Number(rows[0]?.n) === FLEET_SIZE ? true : undefined;
      },
      120_000,
      "a scheduled reconcile of every cluster",
    );
    const reports = await store.select().from(driftReports);
    expect(reports).toHaveLength(FLEET_SIZE);
    expect(reports.every((r) => r.state === "Ready")).toBe(true);
    expect(maxRunning).toBeLessThanOrEqual(CAP);
    expect(maxInFlight).toBeLessThanOrEqual(CAP);
    expect(maxInFlight).toBeGreaterThan(1);
    // Slots are spread over the interval, not stacked on one instant.
    const slots = await store.select({ nextAt: reconcileSchedule.nextAt }).from(reconcileSchedule);
    expect(slots).toHaveLength(FLEET_SIZE);
    const offsets = new Set(slots.map((s) => Math.floor((s.nextAt % 4000) / 250)));
    expect(offsets.size).toBeGreaterThan(8);
  }, 240_000);
});

describe("the reconcile schedule", () => {
  let t: TestHost;
  let kube: KubeEmulator;

  beforeAll(async () => {
    // Jobs are not run here: the schedule's bookkeeping alone is under test.
    t = await startTestHost({ FLEET_RECONCILE_INTERVAL_SECONDS: "60" }, { runJobs: false });
    kube = await startKubeEmulator({ name: "sched" });
    await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
  });

  afterAll(async () => {
    await t?.close();
    await kube?.close();
  });

  it("queues one reconcile per due slot even when two schedulers race, and never a second while one waits", async () => {
    const a = await register(t, "sched-a", kube);
    const b = await register(t, "sched-b", kube);
    const deps = t.host.deps;
    const store = deps.store;
    const reconciles = async (clusterId: string) =>
      (
        await store
          .select()
          .from(jobs)
          .where(and(eq(jobs.clusterId, clusterId), eq(jobs.kind, "reconcileCluster")))
      ).length;
    const now = Date.now();
    expect(await scheduleReconciles(deps, now)).toEqual([]);
    const first = await store.select().from(reconcileSchedule);
    expect(first.map((r) => r.clusterId).sort()).toEqual([a, b].sort());
    for (const slot of first) expect(slot.nextAt).toBeGreaterThan(now);

    const due = Math.max(...first.map((r) => r.nextAt));
    await Promise.all([scheduleReconciles(deps, due), scheduleReconciles(deps, due)]);
    expect(await reconciles(a)).toBe(1);
    expect(await reconciles(b)).toBe(1);
    const moved = await store.select().from(reconcileSchedule);
    for (const slot of moved) expect(slot.nextAt).toBeGreaterThan(due);

    // The next slot comes while the first reconcile still waits: the slot moves on, no pile-up.
    const later = Math.max(...moved.map((r) => r.nextAt));
    await scheduleReconciles(deps, later);
    expect(await reconciles(a)).toBe(1);
    const again = await store.select().from(reconcileSchedule);
    for (const slot of again) expect(slot.nextAt).toBeGreaterThan(later);

    // A cluster's own interval wins over the fleet's.
    const current = await t.request("GET", "/v1/clusters/sched-a");
    await t.request("PATCH", "/v1/clusters/sched-a", {
      headers: { "if-match": current.headers.get("etag")! },
      body: { reconcileInterval: "10m" },
    });
    const slotA = again.find((r) => r.clusterId === a)!;
    await scheduleReconciles(deps, slotA.nextAt);
    const [after] = await store.select().from(reconcileSchedule).where(eq(reconcileSchedule.clusterId, a));
    expect(after?.intervalMs).toBe(600_000);
    expect(after!.nextAt - slotA.nextAt).toBeLessThanOrEqual(600_000);
    expect(after!.nextAt).toBeGreaterThan(slotA.nextAt);
  });
});
