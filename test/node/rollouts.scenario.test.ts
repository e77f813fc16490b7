import { Application as ArgoApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArgoCdController, startArgoCdController } from "../emulators/argocd";
import { type PrometheusEmulator, startPrometheusEmulator } from "../emulators/prometheus";
import { type Fleet, startFleet } from "./support/fleet";
import { eventually, expectProblem, reconciled } from "./support/harness";

/**
 * A three-wave rollout (staging → prod-eu-west-1 → prod-us-east-1) against emulated
 * clusters, each running an emulated Argo CD, and an emulated Prometheus for metric gates.
 */
let fleet: Fleet;
let argo: ArgoCdController;
let prom: PrometheusEmulator;

const argoRef = (name: string) => ({
  apiVersion: "argoproj.io/v1alpha1",
  kind: "Application",
  namespace: "argocd",
  name,
});

interface RolloutView {
  id: string;
  number: number;
  kind: string;
  rollbackOf: string | null;
  rolledBackBy: string | null;
  supersededBy: string | null;
  status: {
    phase: string;
    reason: string;
    message: string;
    currentWave: string | null;
    waitingFor: string[];
    summary: Record<string, number>;
    waves: {
      name: string;
      state: string;
      maxConcurrency: number;
      maxFailures: number;
      analysis: { checks: number; failedChecks: number; results: { metric: string; passed: boolean }[] } | null;
      clusters: { cluster: string; state: string; startedAt: string | null; finishedAt: string | null }[];
    }[];
  };
}

async function rollout(id: string): Promise<RolloutView> {
  const res = await fleet.request("GET", `/v1/rollouts/${id}`);
  expect(res.status).toBe(200);
  return res.body as RolloutView;
}

async function waitForPhase(id: string, phase: string, timeoutMs = 20_000): Promise<RolloutView> {
  let last: RolloutView | undefined;
  return eventually(
    async () => {
      last = await rollout(id);
      return last.status.phase === phase ? last : undefined;
    },
    timeoutMs,
    `rollout ${id} phase ${phase}`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen: ${JSON.stringify(last?.status).slice(0, 1500)}`);
  });
}

function liveRevision(cluster: string, app: string): string | undefined {
  const live = fleet.clusters.get(cluster)?.store.get(argoRef(app)) as
    | { spec: { source: { targetRevision: string } } }
    | undefined;
  return live?.spec.source.targetRevision;
}

const waves = [
  { name: "staging", selector: "environment=staging" },
  { name: "prod-eu", selector: "region=eu-west-1", maxConcurrency: "50%", requireApproval: true },
  { name: "prod-us", selector: "region=us-east-1" },
];

function appBody(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    source: {
      repoURL: "https://github.com/acme/payments-k8s",
      path: "apps/payments-api",
      targetRevision: "v1.0.0",
      helm: { valueFiles: ["values.yaml", "values-{{cluster.name}}.yaml"] },
    },
    destination: { namespace: "payments", createNamespace: true },
    targets: { labelSelector: "app-tier=payments" },
    syncPolicy: { prune: true, selfHeal: true },
    strategy: { waves, progressDeadline: "30s" },
    ...extra,
  };
}

/** Its own application, created and rolled out to every cluster (approving prod-eu). */
async function deployed(name: string): Promise<void> {
  const created = await fleet.request("POST", "/v1/applications", { body: appBody(name) });
  expect(created.status).toBe(201);
  const id = created.body.status.latestRollout.id as string;
  await waitForPhase(id, "WaitingApproval");
  expect((await fleet.request("POST", `/v1/rollouts/${id}/approve`)).status).toBe(200);
  await waitForPhase(id, "Succeeded");
}

/** Its own application, created and rolled out in one wave to every cluster. */
async function deployedEverywhere(name: string): Promise<void> {
  const body = appBody(name, { strategy: { waves: [{ name: "all" }] } });
  const created = await fleet.request("POST", "/v1/applications", { body });
  expect(created.status).toBe(201);
  await waitForPhase(created.body.status.latestRollout.id, "Succeeded");
}

beforeAll(async () => {
  fleet = await startFleet({ env: { FLEET_ROLLOUT_TICK_MS: "40" } });
  prom = await startPrometheusEmulator();
  await fleet.addCluster("staging", { "app-tier": "payments" }, { environment: "staging", region: "eu-west-1" });
  await fleet.addCluster(
    "prod-eu-west-1a",
    { "app-tier": "payments" },
    { environment: "production", region: "eu-west-1" },
  );
  await fleet.addCluster(
    "prod-eu-west-1b",
    { "app-tier": "payments" },
    { environment: "production", region: "eu-west-1" },
  );
  await fleet.addCluster(
    "prod-us-east-1",
    { "app-tier": "payments" },
    { environment: "production", region: "us-east-1" },
  );
  argo = startArgoCdController(fleet.clusters);
}, 60_000);

afterAll(async () => {
  argo?.stop();
  await prom?.close();
  await fleet?.close();
});

describe("three-wave rollout", () => {
  it("goes staging → prod-eu (approval, 50% concurrency) → prod-us, and says what it waits for", async () => {
    argo.outcome = () => "Healthy";
    const created = await fleet.request("POST", "/v1/applications", { body: appBody("payments-api") });
    expect(created.status).toBe(201);
    // User fields come back exactly as written.
    expect(created.body.strategy).toEqual(appBody("payments-api").strategy);
    expect(created.body.source).toEqual(appBody("payments-api").source);
    const id = created.body.status.latestRollout.id as string;

    const waiting = await waitForPhase(id, "WaitingApproval");
    expect(waiting.status.currentWave).toBe("prod-eu");
    expect(waiting.status.waitingFor).toContain("prod-eu: approval");
    expect(waiting.status.waves[0]?.state).toBe("Succeeded");
    expect(waiting.status.waves[1]?.maxConcurrency).toBe(1);
    expect(liveRevision("staging", "payments-api")).toBe("v1.0.0");
    expect(liveRevision("prod-eu-west-1a", "payments-api")).toBeUndefined();

    // The rendered Application is valid against Argo CD's schema, value files templated per cluster.
    const live = fleet.clusters.get("staging")?.store.get(argoRef("payments-api")) as unknown as {
      spec: { source: { helm: { valueFiles: string[] } } };
    };
    new ArgoApplication({ metadata: { name: "payments-api" }, spec: live.spec as never }).validate();
    expect(live.spec.source.helm.valueFiles).toEqual(["values.yaml", "values-staging.yaml"]);

    const approved = await fleet.request("POST", `/v1/rollouts/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.status.phase).toBe("Progressing");
    const done = await waitForPhase(id, "Succeeded");
    expect(done.status.summary.Succeeded).toBe(4);
    expect(done.status.waitingFor).toEqual([]);

    // Waves never overlap, and prod-eu never had more than one cluster in flight.
    const spans = done.status.waves.map((w) => ({
      start: Math.min(...w.clusters.map((c) => Date.parse(c.startedAt ?? ""))),
      end: Math.max(...w.clusters.map((c) => Date.parse(c.finishedAt ?? ""))),
    }));
    for (let i = 1; i < spans.length; i++) expect(spans[i]?.start).toBeGreaterThanOrEqual(spans[i - 1]?.end ?? 0);
    const [a, b] = done.status.waves[1]?.clusters ?? [];
    expect(Date.parse(b?.startedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(a?.finishedAt ?? ""));
    const order = argo.synced.filter((s) => s.includes("/payments-api@v1.0.0")).map((s) => s.split("/")[0]);
    expect(order).toEqual(["staging", "prod-eu-west-1a", "prod-eu-west-1b", "prod-us-east-1"]);

    const app = await fleet.request("GET", "/v1/applications/payments-api");
    expect(app.body.status.phase).toBe("Synced");
    expect(app.body.status.clusters.map((c: { health: string }) => c.health)).toEqual([
      "Healthy",
      "Healthy",
      "Healthy",
      "Healthy",
    ]);
    const metrics = await fleet.request("GET", "/metrics");
    expect(metrics.text).toMatch(/fleetplane_rollouts\{subject_kind="Application",phase="Succeeded"\} [1-9]/);
    expect(metrics.text).toMatch(
      /fleetplane_rollout_info\{subject_kind="Application",subject="payments-api",rollout="\d+",kind="rollout",phase="Succeeded",reason="AllWavesSucceeded"\} 1/,
    );
    expect(metrics.text).toMatch(
      /fleetplane_rollout_wave_duration_seconds\{application="payments-api",wave="prod-eu"\}/,
    );
  }, 60_000);

  it("pauses when a Degraded cluster exceeds the failure budget, then rolls the fleet back", async () => {
    // v2 is broken in prod-us only.
    argo.outcome = (cluster, revision) =>
      cluster === "prod-us-east-1" && revision === "v2.0.0" ? "Degraded" : "Healthy";
    const name = "payments-web";
    await deployed(name);
    const patched = await fleet.request("PATCH", `/v1/applications/${name}`, {
      body: { source: { targetRevision: "v2.0.0" } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status).toBe(200);
    const id = patched.body.status.latestRollout.id as string;
    await waitForPhase(id, "WaitingApproval");
    await fleet.request("POST", `/v1/rollouts/${id}/approve`);
    const paused = await waitForPhase(id, "Paused");
    expect(paused.status.reason).toBe("BudgetExceeded");
    expect(paused.status.message).toContain("1 of 1 cluster(s) failed in wave prod-us");
    expect(paused.status.waitingFor.join("\n")).toContain("prod-us: paused");
    expect(paused.status.waves[2]?.clusters[0]?.state).toBe("Failed");
    expect(liveRevision("prod-eu-west-1a", name)).toBe("v2.0.0");
    // What FleetplaneRolloutStopped selects: this application's latest rollout, stopped by its budget.
    const info = async () =>
      (await fleet.request("GET", "/metrics")).text
        .split("\n")
        .filter((line) => line.startsWith(`fleetplane_rollout_info{subject_kind="Application",subject="${name}",`));
    expect(await info()).toEqual([
      `fleetplane_rollout_info{subject_kind="Application",subject="${name}",rollout="${paused.number}",kind="rollout",phase="Paused",reason="BudgetExceeded"} 1`,
    ]);

    const rolledBack = await fleet.request("POST", `/v1/rollouts/${id}/rollback`);
    expect(rolledBack.status).toBe(200);
    const rollbackId = rolledBack.body.rolledBackBy as string;
    // Not rolled back until the rollback has finished: until then it says what it waits for.
    expect(rolledBack.body.status.phase).toBe("RollingBack");
    expect(rolledBack.body.status.waitingFor).toEqual([
      expect.stringMatching(`^rollback #\\d+ \\(${rollbackId}\\) to finish$`),
    ]);
    const back = await waitForPhase(rollbackId, "Succeeded");
    expect((await fleet.request("GET", `/v1/rollouts/${id}`)).body.status.phase).toBe("RolledBack");
    expect(back.kind).toBe("rollback");
    expect(back.rollbackOf).toBe(id);
    // Each transition counted once, from the event log.
    const counted = (await fleet.request("GET", "/metrics")).text;
    expect(counted).toMatch(/^fleetplane_rollout_events_total\{reason="FailureBudgetExceeded"\} [1-9]/m);
    expect(counted).toMatch(/^fleetplane_rollout_events_total\{reason="RolloutRollback"\} [1-9]/m);
    // The stopped rollout is no longer the latest, so the stopped alert resolves; the rollback is.
    expect(await info()).toEqual([
      `fleetplane_rollout_info{subject_kind="Application",subject="${name}",rollout="${back.number}",kind="rollback",phase="Succeeded",reason="AllWavesSucceeded"} 1`,
    ]);
    // Reverse wave order.
    expect(back.status.waves.map((w) => w.name)).toEqual(["prod-us", "prod-eu", "staging"]);
    for (const cluster of fleet.clusters.keys()) expect(liveRevision(cluster, name)).toBe("v1.0.0");
    // The application says what runs, and that the spec's revision is held back.
    const app = (await fleet.request("GET", `/v1/applications/${name}`)).body;
    expect(app.status.phase).toBe("RolledBack");
    expect(app.status.conditions[0]).toMatchObject({ status: "False", reason: "RolledBack" });
    expect(app.status.conditions[0].message).toBe(
      `rollout #${back.number} rolled the fleet back to v1.0.0; v2.0.0 is held back until a new rollout`,
    );
    expect(app.status.summary).toEqual({ wantedRevision: "v2.0.0", running: { "v1.0.0": fleet.clusters.size } });
    // Rolling back twice is refused.
    expectProblem(await fleet.request("POST", `/v1/rollouts/${id}/rollback`), 409);

    // Drift repair keeps what the rollback restored: the held-back v2.0.0 is not pushed again,
    // neither to a cluster left alone nor to one where someone put v2.0.0 back by hand.
    const remediating = await fleet.request("PATCH", `/v1/applications/${name}`, {
      body: { driftPolicy: "remediate" },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(remediating.status).toBe(200);
    expect(remediating.body.status.latestRollout.id).toBe(rollbackId);
    fleet.clusters
      .get("prod-eu-west-1a")
      ?.editAs("kubectl-edit", argoRef(name), { spec: { source: { targetRevision: "v2.0.0" } } });
    for (const cluster of fleet.clusters.keys()) await reconciled(fleet.request, cluster);
    for (const cluster of fleet.clusters.keys()) expect(liveRevision(cluster, name)).toBe("v1.0.0");
    const events = (await fleet.request("GET", `/v1/events?resource=${name}&pageSize=500`)).body.items as {
      reason: string;
      diff: { kind?: string; before?: Record<string, unknown>; after?: Record<string, unknown> };
    }[];
    const repairs = events.filter((e) => e.reason === "DriftRepaired" && e.diff.kind === "Application");
    expect(repairs).toHaveLength(1);
    expect(repairs[0]?.diff).toMatchObject({
      before: { ".spec.source.targetRevision": "v2.0.0" },
      after: { ".spec.source.targetRevision": "v1.0.0" },
    });
    const held = (await fleet.request("GET", `/v1/applications/${name}`)).body;
    expect(held.status.phase).toBe("RolledBack");
    expect(held.status.summary.running).toEqual({ "v1.0.0": fleet.clusters.size });
  }, 60_000);
});

describe("gates and verbs", () => {
  it("halts on a failed metric gate and rolls back automatically with onFailure: rollback", async () => {
    argo.outcome = () => "Healthy";
    prom.set("checkout_success_rate", 99.9);
    const analysis = {
      prometheusUrl: prom.url,
      interval: "50ms",
      threshold: 2,
      metrics: [{ name: "request-success-rate", query: 'checkout_success_rate{cluster=~"{{clusters}}"}', min: 99 }],
    };
    const body = appBody("checkout", {
      strategy: {
        waves: [waves[0], { name: "prod", selector: "environment=production" }],
        analysis,
        onFailure: "rollback",
      },
    });
    const created = await fleet.request("POST", "/v1/applications", { body });
    expect(created.status).toBe(201);
    await waitForPhase(created.body.status.latestRollout.id, "Succeeded");
    expect(prom.queries.some((q) => q.includes('cluster=~"staging"'))).toBe(true);

    // v2's success rate is 95%, below the minimum of 99.
    prom.set("checkout_success_rate", 95);
    const patched = await fleet.request("PATCH", "/v1/applications/checkout", {
      body: { source: { targetRevision: "v2.0.0" } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    const id = patched.body.status.latestRollout.id as string;
    const halted = await waitForPhase(id, "RolledBack");
    expect(halted.status.reason).toBe("AnalysisFailed");
    expect(halted.status.message).toContain("request-success-rate: 95 is below the minimum 99");
    expect(halted.status.waves[0]?.analysis?.failedChecks).toBe(2);
    // It halted in staging: production never moved.
    expect(halted.status.waves[1]?.clusters.every((c) => c.state === "ToApply" || c.state === "Skip")).toBe(true);
    const back = await waitForPhase(halted.rolledBackBy as string, "Succeeded");
    expect(back.status.waves.map((w) => w.name)).toEqual(["staging"]);
    expect(liveRevision("staging", "checkout")).toBe("v1.0.0");
    expect(liveRevision("prod-us-east-1", "checkout")).toBe("v1.0.0");
    const events = await fleet.request("GET", `/v1/events?resource=${id}`);
    const reasons = events.body.items.map((e: { reason: string }) => e.reason);
    expect(reasons).toContain("AnalysisCheckFailed");
    expect(reasons).toContain("RolloutRolledBack");
  }, 60_000);

  it("pause holds the next wave, resume continues; a revision change supersedes a running rollout visibly", async () => {
    argo.outcome = () => "Healthy";
    const body = appBody("ledger", {
      strategy: { waves: [waves[0], { name: "prod", selector: "environment=production", minSuccessTime: "1h" }] },
    });
    const created = await fleet.request("POST", "/v1/applications", { body });
    const id = created.body.status.latestRollout.id as string;
    const paused = await fleet.request("POST", `/v1/rollouts/${id}/pause`);
    expect(paused.body.status.phase).toBe("Paused");
    // A cluster already syncing may finish; nothing new starts and no wave advances while paused.
    await new Promise((r) => setTimeout(r, 400));
    const still = await rollout(id);
    expect(still.status.phase).toBe("Paused");
    expect(still.status.waves[1]?.state).toBe("Pending");
    expect(still.status.waves[1]?.clusters.every((c) => c.state === "ToApply")).toBe(true);
    expectProblem(await fleet.request("POST", `/v1/rollouts/${id}/approve`), 409);
    expect((await fleet.request("POST", `/v1/rollouts/${id}/resume`)).body.status.phase).toBe("Progressing");
    const baking = await eventually(async () => {
      const view = await rollout(id);
      return view.status.waves[1]?.state === "Baking" ? view : undefined;
    }, 20_000);
    expect(baking.status.waitingFor.join("\n")).toMatch(/prod: bake time until/);

    const patched = await fleet.request("PATCH", "/v1/applications/ledger", {
      body: { source: { targetRevision: "v1.1.0" } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    const next = patched.body.status.latestRollout;
    expect(next.number).toBe(2);
    const old = await rollout(id);
    expect(old.status.phase).toBe("Aborted");
    expect(old.status.reason).toBe("Superseded");
    expect(old.supersededBy).toBe(next.id);
    const aborted = await fleet.request("POST", `/v1/rollouts/${next.id}/abort`);
    expect(aborted.body.status.phase).toBe("Aborted");
    expectProblem(await fleet.request("POST", `/v1/rollouts/${next.id}/resume`), 409);
    // After an abort, rolling the current spec out again is one call; finished clusters are Skip.
    const again = await fleet.request("POST", "/v1/applications/ledger/rollouts", {
      body: { reason: "after the abort" },
    });
    expect(again.status).toBe(202);
    expect(again.body.number).toBe(3);
    expect(again.headers.get("location")).toBe(`/v1/rollouts/${again.body.id}`);
    const listed = await fleet.request("GET", "/v1/applications/ledger/rollouts");
    expect(listed.body.items.map((r: { number: number }) => r.number)).toEqual([3, 2, 1]);
  }, 60_000);

  it("keeps a cluster outside its maintenance window waiting, and says until when", async () => {
    argo.outcome = () => "Healthy";
    const hour = (new Date().getUTCHours() + 12) % 24;
    const body = appBody("reports", {
      strategy: {
        waves: [{ name: "all" }],
        maintenanceWindows: [{ schedule: `0 ${hour} * * *`, duration: "1h", selector: "name=prod-us-east-1" }],
      },
    });
    const created = await fleet.request("POST", "/v1/applications", { body });
    const id = created.body.status.latestRollout.id as string;
    const view = await eventually(async () => {
      const v = await rollout(id);
      return v.status.summary.Succeeded === 3 ? v : undefined;
    }, 20_000);
    const hh = String(hour).padStart(2, "0");
    expect(view.status.waitingFor).toContain(`prod-us-east-1: outside maintenance window until ${hh}:00Z`);
    expect(view.status.waves[0]?.clusters.find((c) => c.cluster === "prod-us-east-1")?.state).toBe("ToApply");
    expect(liveRevision("prod-us-east-1", "reports")).toBeUndefined();
  }, 60_000);

  it("deletes an application from every cluster, then answers 404", async () => {
    argo.outcome = () => "Healthy";
    await deployedEverywhere("reports-old");
    for (const cluster of fleet.clusters.keys()) expect(liveRevision(cluster, "reports-old")).toBe("v1.0.0");
    const res = await fleet.request("DELETE", "/v1/applications/reports-old");
    expect(res.status).toBe(202);
    expect(res.body.status.phase).toBe("Deleting");
    await eventually(async () =>
      (await fleet.request("GET", "/v1/applications/reports-old")).status === 404 ? true : undefined,
    );
    for (const cluster of fleet.clusters.keys()) expect(liveRevision(cluster, "reports-old")).toBeUndefined();
  }, 30_000);
});

describe("bad input", () => {
  it("answers 4xx problems, never a 500", async () => {
    argo.outcome = () => "Healthy";
    await deployedEverywhere("taken");
    // Shapes the schema refuses are 400; well-formed requests that cannot be honoured are 422.
    const bad: [Record<string, unknown>, number][] = [
      [appBody("x1", { targets: { labelSelector: "a=b", clusters: [{ name: "staging" }] } }), 400],
      [
        appBody("x2", {
          source: { repoURL: "https://g/x", targetRevision: "v1", helm: { valueFiles: ["v-{{cluster.secret}}.yaml"] } },
        }),
        400,
      ],
      [appBody("x3", { strategy: { maintenanceWindows: [{ schedule: "every day", duration: "1h" }] } }), 400],
      [appBody("x4", { strategy: { waves: [{ name: "a", maxConcurrency: "150%" }] } }), 400],
      [appBody("x5", { strategy: { waves: [{ name: "a" }, { name: "a" }] } }), 422],
      [
        appBody("x6", {
          strategy: {
            analysis: { prometheusUrl: "http://169.254.169.254", metrics: [{ name: "m", query: "up", min: 1 }] },
          },
        }),
        422,
      ],
      [appBody("x7", { tenant: "no-such-tenant" }), 422],
      [{ ...appBody("x8"), id: "app_smuggled" }, 400],
    ];
    for (const [body, status] of bad) expectProblem(await fleet.request("POST", "/v1/applications", { body }), status);
    expect((await fleet.request("GET", "/v1/applications/x5")).status).toBe(404);
    expectProblem(await fleet.request("GET", "/v1/rollouts/ro_01JAB4Q8N3X0V6W5T0R7C2Y9ZK"), 404);
    expectProblem(await fleet.request("POST", "/v1/applications", { body: appBody("taken") }), 409);
  });
});
