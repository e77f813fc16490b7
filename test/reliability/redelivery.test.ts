import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installCrashHook } from "../../core/crash-points";
import { leaseJob } from "../../core/jobs/jobs";
import { functionFor, leaseAndRun } from "../../functions/engine";
import { deliverJobMessage } from "../../functions/queue";
import { JobRunner } from "../../functions/runner";
import { type Fleet, startFleet } from "../node/support/fleet";
import { allJobs, drainJobs, duplicateSideEffects, duplicateTransitions, waitFor } from "./support/checks";
import { emulateFlux } from "./support/flux";
import { type Send, seededRandom } from "./support/workloads";

/**
 * At-least-once delivery taken literally: every queue message is delivered two or three times,
 * concurrently and out of order, to consumers some of which die midway (after leasing, or after
 * the function changed the cluster but before the job completed). The Node runner gets the
 * same treatment with two runners on one store and every dispatch repeated. Side effects are
 * counted at the emulators: none may happen twice.
 */
const LEASE_SECONDS = 1;
const random = seededRandom(88);
const counts = { messages: 0, deliveries: 0, ran: 0, crashedConsumers: 0, runnerWakes: 0 };

let fleet: Fleet;
let stopFlux: () => void;
const send: Send = async (method, path, body) => {
  const res = await fleet.t.request(method, path, body === undefined ? {} : { body });
  return { status: res.status, body: res.body };
};

async function addWork(prefix: string, clusters: number, tenants: number) {
  for (let i = 0; i < clusters; i++) await fleet.addCluster(`${prefix}-edge-${i}`, { tier: "prod" });
  for (let i = 0; i < tenants; i++) {
    const name = `${prefix}-team-${i}`;
    const res = await fleet.request("POST", "/v1/tenants", {
      body: {
        name,
        namespace: name,
        source: { url: "https://github.com/acme/x" },
        placement: { labelSelector: "tier=prod" },
      },
    });
    expect(res.status).toBe(202);
    const secret = await fleet.request("POST", `/v1/tenants/${name}/secrets`, {
      body: { name: "db", data: { password: `p-${name}` } },
    });
    expect(secret.status).toBe(202);
  }
}

const open = async () => (await allJobs(send)).filter((j) => j.state === "Queued" || j.state === "Running");

beforeAll(async () => {
  fleet = await startFleet({ runJobs: false });
  // Short leases so work a dead consumer held comes back quickly.
  (fleet.t.host.config as { jobLeaseMs: number }).jobLeaseMs = LEASE_SECONDS * 1000;
  stopFlux = emulateFlux(() => fleet.clusters.values());
  // The engine passes this point once per function run that returned: a count of real runs.
  installCrashHook((point) => {
    if (point === "function-applied") counts.ran += 1;
  });
});

afterAll(async () => {
  stopFlux?.();
  installCrashHook(undefined);
  const effects = duplicateSideEffects(fleet.aws, fleet.clusters.values());
  const transitions = await duplicateTransitions(send);
  console.log(
    `redelivery: ${counts.messages} messages, ${counts.deliveries} deliveries, ${counts.ran} function runs, ` +
      `${counts.crashedConsumers} consumers crashed midway, ` +
      `${counts.runnerWakes} duplicate runner dispatches, ${effects.counted + transitions.counted} side effects counted, ` +
      `duplicates found: ${effects.duplicates.length + transitions.duplicates.length}`,
  );
  await fleet?.close();
});

describe("redelivery: the Queues consumer", () => {
  it("every message two or three times, consumers dying midway: every job ends, nothing happens twice", async () => {
    await addWork("q", 3, 1);
    const deps = fleet.t.host.deps;
    let round = 0;
    for (;;) {
      const pending = await open();
      if (pending.length === 0) break;
      round += 1;
      expect(round, "rounds until every job ended").toBeLessThan(200);
      const deliveries: Promise<unknown>[] = [];
      for (const job of pending) {
        // Every few messages, a consumer takes the job and dies: before the function, or after it.
        if (random() < 0.25) {
          const leased = await leaseJob(deps.store, deps.config, job.id, `dead-${round}`, deps.now());
          if (leased) {
            counts.crashedConsumers += 1;
            if (random() < 0.5)
              await functionFor(leased.kind)
                ?.run(leased, deps)
                .catch(() => undefined);
          }
        }
        counts.messages += 1;
        const copies = 2 + Math.floor(random() * 2);
        for (let c = 0; c < copies; c++) {
          counts.deliveries += 1;
          const owner = `consumer-${round}-${c}`;
          deliveries.push(
            (async () => {
              await new Promise((r) => setTimeout(r, random() * 20));
              const delivery = await deliverJobMessage({ jobId: job.id }, owner, deps);
              expect(delivery.ack).toBe(true);
            })(),
          );
        }
      }
      await Promise.all(deliveries);
      // Waiting messages (backoff, polls, a dead consumer's lease) come back a little later.
      await new Promise((r) => setTimeout(r, 60));
    }
    const jobs = await allJobs(send);
    expect(jobs.filter((j) => j.state === "Running")).toEqual([]);
    expect(jobs.filter((j) => j.state === "Failed").map((j) => `${j.kind}: ${j.lastError}`)).toEqual([]);
    expect(duplicateSideEffects(fleet.aws, fleet.clusters.values()).duplicates).toEqual([]);
    expect((await duplicateTransitions(send)).duplicates).toEqual([]);
  });

  it("leaseAndRun handed one job three times at once runs it once", async () => {
    await addWork("l", 2, 0);
    const deps = fleet.t.host.deps;
    for (const job of await open()) {
      const results = await Promise.all([1, 2, 3].map((n) => leaseAndRun(job.id, `dup-${n}`, deps)));
      counts.deliveries += 3;
      counts.messages += 1;
      const ran = results.filter((r) => r !== undefined);
      expect(ran).toHaveLength(1);
    }
    await waitFor(async () => ((await open()).length === 0 ? true : await drainByHand()), 20_000, "jobs to end");
  });
});

/** Runs whatever is due once more (polls re-queue themselves), for the tests that drive jobs by hand. */
async function drainByHand(): Promise<undefined> {
  for (const job of await open()) await leaseAndRun(job.id, "hand", fleet.t.host.deps);
  return undefined;
}

describe("redelivery: the Node runner", () => {
  it("two runners on one store, every dispatch repeated: every job ends once", async () => {
    await addWork("r", 3, 1);
    const deps = fleet.t.host.deps;
    const runners = [new JobRunner(deps, 20), new JobRunner(deps, 20)];
    for (const runner of runners) runner.start();
    const spam = setInterval(() => {
      for (const runner of runners) {
        runner.wake();
        runner.wake();
        counts.runnerWakes += 2;
      }
    }, 25);
    try {
      const jobs = await drainJobs(send, 60_000);
      expect(jobs.filter((j) => j.state === "Failed").map((j) => `${j.kind}: ${j.lastError}`)).toEqual([]);
    } finally {
      clearInterval(spam);
      await Promise.all(runners.map((r) => r.stop()));
    }
    expect(duplicateSideEffects(fleet.aws, fleet.clusters.values()).duplicates).toEqual([]);
    expect((await duplicateTransitions(send)).duplicates).toEqual([]);
  });
});
