import { performance } from "node:perf_hooks";
import { and, eq, inArray, sql } from "drizzle-orm";
import { jobs } from "../../schema";
import { startBundleServer } from "../emulators/addons";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { startBenchHost } from "./host";

type Addon = { name: string; version: string; phase: string };

/**
 * B7: platform add-ons on emulated API servers that answer after `latencyMs` per call.
 * - one install: a bare cluster registered → Flux, External Secrets and Kyverno Ready
 *   (`AddonsReady=True`), `runs` times on fresh clusters;
 * - one upgrade of Kyverno on a fleet of `clusters`, started by changing the version on their
 *   environment, with the job concurrency at its default; next to it, in the same run, the same
 *   upgrade of one cluster alone, and the ideal N × that time ÷ concurrency.
 */
export async function benchB7(
  dir: string,
  opts: { clusters: number; latencyMs: number; runs: number },
): Promise<{
  installs: number[];
  single: number;
  fleet: number;
  concurrency: number;
  ideal: number;
  clusters: number;
  latencyMs: number;
  failed: number;
}> {
  const bundles = await startBundleServer();
  const { host, call } = await startBenchHost(dir, {
    FLEET_ADDON_MIRROR: bundles.url,
    FLEET_PROVIDER_POLL_MS: "100",
  });
  const kubes: KubeEmulator[] = [];
  const addCluster = async (name: string, environment: string) => {
    const kube = await startKubeEmulator({ name, requestLogLimit: 100 });
    kube.faults.latencyMs = opts.latencyMs;
    kubes.push(kube);
    await call("POST", "/v1/clusters", {
      name,
      class: "bare",
      environment,
      connection: { server: kube.url, caData: kube.caData, token: kube.token },
    });
  };
  const store = host.deps.store;
  const openJobs = async () => {
    const [row] = await store
      .select({ n: sql<number>`count(*)` })
      .from(jobs)
      .where(inArray(jobs.state, ["Queued", "Running"]));
    return Number(row?.n ?? 0);
  };
  /** Polls the store-backed API until every cluster of the environment runs Kyverno at `version`. */
  const kyvernoAt = async (environment: string, version: string, count: number) => {
    for (;;) {
      let ready = 0;
      let pageToken: string | undefined;
      do {
        const page = await call(
          "GET",
          `/v1/clusters?environment=${environment}&pageSize=500${pageToken ? `&pageToken=${pageToken}` : ""}`,
        );
        for (const c of page.items) {
          const kyverno = ((c.status.addons ?? []) as Addon[]).find((a) => a.name === "kyverno");
          if (kyverno?.version === version && kyverno.phase === "Ready") ready++;
        }
        pageToken = page.nextPageToken ?? undefined;
      } while (pageToken);
      if (ready === count) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const allReady = async (name: string) => {
    for (;;) {
      const c = await call("GET", `/v1/clusters/${name}`);
      const ready = (c.status.conditions ?? []).find((x: { type: string }) => x.type === "AddonsReady");
      if (ready?.status === "True") return;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const upgrade = async (environment: string, version: string, count: number) => {
    const started = performance.now();
    await call("PATCH", `/v1/environments/${environment}`, { addons: [{ name: "kyverno", version }] });
    await kyvernoAt(environment, version, count);
    return (performance.now() - started) / 1000;
  };
  try {
    // No fleet-config repository: the figures are the platform's alone.
    await call("POST", "/v1/cluster-classes", { name: "bare", provider: "imported" });
    for (const name of ["single", "fleet", "installs"]) await call("POST", "/v1/environments", { name });

    const installs: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const started = performance.now();
      await addCluster(`install-${i}`, "installs");
      await allReady(`install-${i}`);
      installs.push((performance.now() - started) / 1000);
    }

    await addCluster("alone", "single");
    for (let i = 0; i < opts.clusters; i++) await addCluster(`edge-${i}`, "fleet");
    while ((await openJobs()) > 0) await new Promise((r) => setTimeout(r, 200));

    const single = await upgrade("single", "1.16.1", 1);
    while ((await openJobs()) > 0) await new Promise((r) => setTimeout(r, 100));
    const fleet = await upgrade("fleet", "1.16.1", opts.clusters);
    const [failed] = await store
      .select({ n: sql<number>`count(*)` })
      .from(jobs)
      .where(and(eq(jobs.kind, "installAddons"), eq(jobs.state, "Failed")));
    const concurrency = host.deps.config.jobConcurrency;
    return {
      installs,
      single,
      fleet,
      concurrency,
      ideal: (opts.clusters * single) / concurrency,
      clusters: opts.clusters,
      latencyMs: opts.latencyMs,
      failed: Number(failed?.n ?? 0),
    };
  } finally {
    await host.close();
    await bundles.close();
    await Promise.all(kubes.map((k) => k.close()));
  }
}
