import { performance } from "node:perf_hooks";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { JobKind } from "../../core/jobs/kinds";
import { jobs } from "../../schema";
import { startBundleServer } from "../emulators/addons";
import { startFluxController } from "../emulators/flux";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { startBenchHost } from "./host";

/**
 * B5: one reconcile of every cluster of a fleet of emulated API servers, each answering after
 * `latencyMs`, with the job concurrency cap at `cap`. Next to it, the ideal in the same run:
 * N × latency ÷ cap (one call per reconcile, as the target states it) and, since a reconcile
 * makes several calls, N × calls × latency ÷ cap with the calls counted at the emulators.
 */
export async function benchB5(dir: string, opts: { clusters: number; latencyMs: number; cap: number }) {
  // The platform add-ons come from the emulated release mirror: a reconcile compares their
  // objects too, and waits for none of them once they are installed.
  const bundles = await startBundleServer();
  const { host, call } = await startBenchHost(dir, {
    FLEET_JOB_CONCURRENCY: String(opts.cap),
    FLEET_ADDON_MIRROR: bundles.url,
    FLEET_PROVIDER_POLL_MS: "100",
  });
  const kubes: KubeEmulator[] = [];
  // Flux's controllers, emulated: they mark the fleet-config Kustomization Ready once applied.
  const byName = new Map<string, KubeEmulator>();
  const flux = startFluxController(byName, { delayMs: 20 });
  try {
    // With a fleet-config repository every cluster has Flux's objects to compare.
    await call("POST", "/v1/cluster-classes", {
      name: "imported",
      provider: "imported",
      fleetConfig: { url: "https://github.com/acme/fleet-config" },
    });
    const ids: string[] = [];
    for (let i = 0; i < opts.clusters; i++) {
      const kube = await startKubeEmulator({ name: `edge-${i}`, requestLogLimit: 1000 });
      kubes.push(kube);
      byName.set(`edge-${i}`, kube);
      const res = await call("POST", "/v1/clusters", {
        name: `edge-${i}`,
        class: "imported",
        connection: { server: kube.url, caData: kube.caData, token: kube.token },
      });
      ids.push((res as { id: string }).id);
    }
    const store = host.deps.store;
    const open = async (kind?: JobKind) => {
      const [row] = await store
        .select({ n: sql<number>`count(*)` })
        .from(jobs)
        .where(and(inArray(jobs.state, ["Queued", "Running"]), kind ? eq(jobs.kind, kind) : undefined));
      return Number(row?.n ?? 0);
    };
    while ((await open()) > 0) await new Promise((r) => setTimeout(r, 200));

    for (const kube of kubes) {
      kube.requests.length = 0;
      kube.faults.latencyMs = opts.latencyMs;
    }
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let maxInFlight = 0;
    let maxRunning = 0;
    const sampler = setInterval(() => {
      maxInFlight = Math.max(maxInFlight, host.runner.inFlight);
      store
        .select({ n: sql<number>`count(*)` })
        .from(jobs)
        .where(eq(jobs.state, "Running"))
        .then(([row]) => {
          maxRunning = Math.max(maxRunning, Number(row?.n ?? 0));
        })
        .catch(() => undefined);
    }, 20);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (const id of ids) await call("POST", `/v1/clusters/${id}/reconcile`);
    while ((await open("reconcileCluster")) > 0) await new Promise((r) => setTimeout(r, 100));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    const rssAfter = process.memoryUsage().rss;
    const calls = kubes.reduce((sum, k) => sum + k.requests.length, 0);
    const perReconcile = calls / opts.clusters;
    const [failed] = await store
      .select({ n: sql<number>`count(*)` })
      .from(jobs)
      .where(and(eq(jobs.kind, "reconcileCluster"), eq(jobs.state, "Failed")));
    return {
      ...opts,
      seconds,
      idealOneCall: (opts.clusters * opts.latencyMs) / opts.cap / 1000,
      idealCounted: (opts.clusters * perReconcile * opts.latencyMs) / opts.cap / 1000,
      perReconcile,
      /** CPU the bench process (host and emulated API servers) used in the measured window, s. */
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxInFlight,
      maxRunning,
      failed: Number(failed?.n ?? 0),
      rssBeforeMiB: rssBefore / 2 ** 20,
      rssAfterMiB: rssAfter / 2 ** 20,
    };
  } finally {
    flux.stop();
    await host.close();
    await Promise.all(kubes.map((k) => k.close()));
    await bundles.close();
  }
}
