import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClusterFacts, planWaves, resolveQuantity } from "../../core/applications/plan";
import { type ArgoCdController, startArgoCdController } from "../emulators/argocd";
import { type Fleet, startFleet } from "./support/fleet";
import { eventually } from "./support/harness";

const GROUPS = ["a", "b", "c"];

const quantity = fc.oneof(
  fc.integer({ min: 1, max: 6 }),
  fc.integer({ min: 1, max: 100 }).map((p) => `${p}%`),
);

describe("rollout planning (pure)", () => {
  it("puts every target in exactly one wave, in strategy order, with limits resolved as documented", () => {
    const facts = fc.array(
      fc.record({
        group: fc.constantFrom(...GROUPS, "other"),
        hint: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
      }),
      { minLength: 0, maxLength: 60 },
    );
    const waves = fc.option(
      fc
        .uniqueArray(fc.constantFrom(...GROUPS), { minLength: 1, maxLength: 3 })
        .chain((groups) =>
          fc.tuple(
            ...groups.map((g) => fc.record({ name: fc.constant(g), maxConcurrency: quantity, maxFailures: quantity })),
          ),
        ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(facts, waves, (clusters, strategyWaves) => {
        const fleet: ClusterFacts[] = clusters.map((c, i) => ({
          id: `cls_${i}`,
          name: `c-${String(i).padStart(3, "0")}`,
          labels: { group: c.group },
          environment: null,
          region: null,
          waveHint: c.hint,
        }));
        const strategy = strategyWaves
          ? { waves: strategyWaves.map((w) => ({ ...w, selector: `group=${w.name}` })) }
          : undefined;
        const plan = planWaves(fleet, strategy);
        const placed = plan.flatMap((w) => w.clusters.map((c) => c.id));
        expect(placed.sort()).toEqual(fleet.map((c) => c.id).sort());
        for (const wave of plan) {
          const n = wave.clusters.length;
          expect(n).toBeGreaterThan(0);
          expect(wave.maxConcurrency).toBeGreaterThanOrEqual(1);
          const spec = strategyWaves?.find((w) => w.name === wave.name);
          if (spec && typeof spec.maxConcurrency === "string") {
            expect(wave.maxConcurrency).toBe(
              Math.max(1, Math.floor((n * Number.parseInt(spec.maxConcurrency, 10)) / 100)),
            );
            expect(wave.maxConcurrency).toBeLessThanOrEqual(n);
          }
          if (spec && typeof spec.maxFailures === "string") {
            expect(wave.maxFailures).toBe(Math.floor((n * Number.parseInt(spec.maxFailures, 10)) / 100));
          }
          if (strategy)
            expect(wave.clusters.every((c) => wave.name === "unassigned" || c.labels.group === wave.name)).toBe(true);
        }
        if (strategyWaves) {
          const order = plan.map((w) => w.name).filter((n) => n !== "unassigned");
          expect(order).toEqual(strategyWaves.map((w) => w.name).filter((n) => order.includes(n)));
          expect(plan.findIndex((w) => w.name === "unassigned")).toBeLessThanOrEqual(plan.length - 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never rounds concurrency to 0 for a non-empty wave", () => {
    expect(resolveQuantity("1%", 3, "concurrency")).toBe(1);
    expect(resolveQuantity("50%", 5, "concurrency")).toBe(2);
    expect(resolveQuantity("10%", 5, "failures")).toBe(0);
    expect(resolveQuantity(undefined, 7, "concurrency")).toBe(7);
  });
});

/**
 * The engine against random fleets and strategies: a real host, emulated clusters whose Argo CD
 * takes a random time per cluster. From the per-cluster start and finish times the host
 * records, clusters in flight never exceed the wave's concurrency and waves never overlap.
 */
describe("rollout engine (random fleets and strategies)", () => {
  let fleet: Fleet;
  let argo: ArgoCdController;
  const NAMES = Array.from({ length: 8 }, (_, i) => `m-${i}`);

  beforeAll(async () => {
    fleet = await startFleet({ env: { FLEET_ROLLOUT_TICK_MS: "20", FLEET_PROVIDER_POLL_MS: "20" } });
    for (const [i, name] of NAMES.entries()) await fleet.addCluster(name, { group: GROUPS[i % 3] as string });
    argo = startArgoCdController(fleet.clusters, { syncDelayMs: 30 });
  }, 60_000);

  afterAll(async () => {
    argo?.stop();
    await fleet?.close();
  });

  it("keeps in-flight clusters within maxConcurrency and waves apart", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(NAMES, { minLength: 1 }),
        fc.uniqueArray(fc.constantFrom(...GROUPS), { minLength: 1, maxLength: 3 }),
        fc.array(quantity, { minLength: 3, maxLength: 3 }),
        async (targets, groups, limits) => {
          const name = `prop-${run++}`;
          const res = await fleet.request("POST", "/v1/applications", {
            body: {
              name,
              source: { repoURL: "https://github.com/acme/apps", path: name, targetRevision: "v1" },
              destination: { namespace: "apps" },
              targets: { clusters: targets.map((t) => ({ name: t })) },
              strategy: {
                waves: groups.map((g, i) => ({ name: g, selector: `group=${g}`, maxConcurrency: limits[i] })),
              },
            },
          });
          expect(res.status).toBe(201);
          const id = res.body.status.latestRollout.id as string;
          const view = await eventually(
            async () => {
              const v = (await fleet.request("GET", `/v1/rollouts/${id}`)).body;
              return v.status.phase === "Succeeded" ? v : undefined;
            },
            30_000,
            `${name} Succeeded`,
          );
          let previousEnd = 0;
          for (const wave of view.status.waves as {
            maxConcurrency: number;
            clusters: { startedAt: string; finishedAt: string }[];
          }[]) {
            const spans = wave.clusters.map((c) => [Date.parse(c.startedAt), Date.parse(c.finishedAt)] as const);
            for (const [start] of spans) {
              const inFlight = spans.filter(([s, e]) => s <= start && start < e).length;
              expect(inFlight).toBeLessThanOrEqual(wave.maxConcurrency);
            }
            const start = Math.min(...spans.map(([s]) => s));
            expect(start).toBeGreaterThanOrEqual(previousEnd);
            previousEnd = Math.max(...spans.map(([, e]) => e));
          }
        },
      ),
      { numRuns: 6 },
    );
  }, 240_000);
});
