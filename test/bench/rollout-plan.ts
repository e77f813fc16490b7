import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { planWaves, selectTargets } from "../../core/applications/plan";
import { fleetFacts } from "../../core/applications/read";
import { planRollout } from "../../core/applications/start";
import { writeBatch } from "../../core/store";
import { createNodeHost } from "../../entry/node";
import { applications } from "../../schema";
import { seedClusters } from "./seed";

const STRATEGY = {
  waves: [
    { name: "canary", selector: "shard=0", maxConcurrency: 1 },
    { name: "eu", selector: "region=eu-west-1", maxConcurrency: "10%" },
    { name: "rest", maxConcurrency: "25%", maxFailures: "5%" },
  ],
};

/**
 * B4: planning and persisting a rollout over a fleet of N clusters, in process on the Node
 * host's store, next to the pure planning step (selection and wave split of facts already in
 * memory) measured in the same run.
 */
export async function benchB4(dir: string, runs: number) {
  const rows: { size: number; endToEnd: number[]; pure: number[] }[] = [];
  for (const size of [1_000, 10_000, 100_000]) {
    const file = join(dir, `fleet-${size}.db`);
    const host = await createNodeHost({
      env: { ...process.env, DATABASE_URL: `file:${file}`, FLEET_ADMIN_TOKEN: "bench", LOG_LEVEL: "error" },
      runJobs: false,
    });
    await seedClusters(file, 0, size);
    const deps = host.deps;
    const facts = await fleetFacts(deps);
    const endToEnd: number[] = [];
    const pure: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      planWaves(selectTargets(facts, { labelSelector: "" }), STRATEGY);
      pure.push(performance.now() - t0);

      const now = Date.now();
      const app = {
        id: `app_bench${size}r${run}`,
        name: `bench-${size}-${run}`,
        labels: {},
        spec: {
          source: { repoURL: "https://github.com/acme/apps", path: "bench", targetRevision: `v${run}` },
          destination: { namespace: "bench" },
          targets: { labelSelector: "" },
          strategy: STRATEGY,
        },
        status: {},
        generation: 1,
        revision: 1,
        createdAt: now,
        updatedAt: now,
        tenantId: null,
        deletionRequestedAt: null,
      };
      await deps.store.insert(applications).values(app);
      const t1 = performance.now();
      const start = await planRollout(deps, app, { now, actor: "bench", reason: "bench" });
      await writeBatch(deps.store, start.statements);
      endToEnd.push(performance.now() - t1);
    }
    rows.push({ size, endToEnd, pure });
    await host.close();
  }
  return { rows };
}
