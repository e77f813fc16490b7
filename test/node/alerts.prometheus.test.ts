import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen } from "../../entry/node";
import { type ArgoCdController, startArgoCdController } from "../emulators/argocd";
import { type PrometheusEmulator, startPrometheusEmulator } from "../emulators/prometheus";
import { freePort } from "../support/net";
import { type Fleet, startFleet } from "./support/fleet";
import { eventually, reconciled } from "./support/harness";
import { type ActiveAlert, type PrometheusProcess, startPrometheus } from "./support/prometheus-process";

/**
 * The alerts as an operator runs them: a real Prometheus scrapes a host serving an emulated
 * fleet and evaluates the rules GET /v1/monitoring/prometheus-rules serves. A healthy fleet has
 * no alert pending or firing; a rollout stopped by its metric gate makes the rollout alert
 * pending or firing, naming the application; resuming it resolves the alert. (The gate itself
 * reads an emulated Prometheus whose values the test sets.)
 */
let fleet: Fleet;
let argo: ArgoCdController;
let gateMetrics: PrometheusEmulator;
let server: Server;
let prometheus: PrometheusProcess;

const rolloutPhase = async (id: string, phase: string) =>
  eventually(
    async () => {
      const rollout = (await fleet.request("GET", `/v1/rollouts/${id}`)).body;
      return rollout.status.phase === phase ? rollout : undefined;
    },
    30_000,
    `rollout ${id} ${phase}`,
  );

/** Waits until Prometheus answers `selector` with one series: the scrapes it holds have caught up. */
async function holds(selector: string): Promise<void> {
  await eventually(
    async () => {
      const query = encodeURIComponent(selector);
      const res = (await fetch(`${prometheus.url}/api/v1/query?query=${query}`).then((r) => r.json())) as {
        data: { result: unknown[] };
      };
      return res.data.result.length === 1 || undefined;
    },
    30_000,
    `${selector} in Prometheus`,
  );
}

/** Alerts pending or firing on Prometheus's evaluation of a scrape taken after this call. */
async function alertsNow(): Promise<ActiveAlert[]> {
  await prometheus.evaluatedAfter(Date.now());
  return prometheus.alerts();
}

beforeAll(async () => {
  fleet = await startFleet({ env: { FLEET_ROLLOUT_TICK_MS: "40" } });
  gateMetrics = await startPrometheusEmulator();
  gateMetrics.set("checkout_success_rate", 99.9);
  await fleet.addCluster("staging", { "app-tier": "checkout" }, { environment: "staging", region: "eu-west-1" });
  await fleet.addCluster("prod", { "app-tier": "checkout" }, { environment: "production", region: "eu-west-1" });
  argo = startArgoCdController(fleet.clusters);
  const port = await freePort();
  server = await listen(fleet.t.host, port, "127.0.0.1");
  const rules = await fleet.request("GET", "/v1/monitoring/prometheus-rules");
  expect(rules.status).toBe(200);
  prometheus = await startPrometheus(`http://127.0.0.1:${port}`, rules.body.spec.groups);
}, 120_000);

afterAll(async () => {
  argo?.stop();
  await prometheus?.close();
  await new Promise((resolve) => server?.close(resolve));
  await gateMetrics?.close();
  await fleet?.close();
});

describe("a real Prometheus evaluating Fleetplane's alerts", () => {
  let rolloutId: string;

  it("has nothing pending or firing for a healthy fleet with an application rolled out", async () => {
    const created = await fleet.request("POST", "/v1/applications", {
      body: {
        name: "checkout",
        source: { repoURL: "https://github.com/acme/checkout-k8s", path: "deploy", targetRevision: "v1.0.0" },
        destination: { namespace: "checkout", createNamespace: true },
        targets: { labelSelector: "app-tier=checkout" },
        strategy: {
          waves: [
            { name: "staging", selector: "environment=staging" },
            { name: "prod", selector: "environment=production" },
          ],
          analysis: {
            prometheusUrl: gateMetrics.url,
            interval: "50ms",
            threshold: 2,
            metrics: [{ name: "success-rate", query: 'checkout_success_rate{cluster=~"{{clusters}}"}', min: 99 }],
          },
        },
      },
    });
    expect(created.status).toBe(201);
    await rolloutPhase(created.body.status.latestRollout.id, "Succeeded");
    for (const name of fleet.clusters.keys()) expect((await reconciled(fleet.request, name)).state).toBe("Ready");

    // Once Prometheus holds the fleet's series (the rollout the alerts watch among them), its next
    // evaluation of the rules sees them, and nothing is pending or firing.
    await holds('fleetplane_rollout_info{subject="checkout",phase="Succeeded"}');
    expect(await alertsNow()).toEqual([]);
  }, 90_000);

  it("makes the rollout alert pending or firing when a metric gate stops a rollout, naming it", async () => {
    gateMetrics.set("checkout_success_rate", 95);
    const patched = await fleet.request("PATCH", "/v1/applications/checkout", {
      body: { source: { targetRevision: "v2.0.0" } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status).toBe(200);
    rolloutId = patched.body.status.latestRollout.id;
    const stopped = await rolloutPhase(rolloutId, "Paused");
    expect(stopped.status.reason).toBe("AnalysisFailed");

    const alert = await eventually(
      async () => (await prometheus.alerts()).find((a) => a.labels.alertname === "FleetplaneRolloutStopped"),
      30_000,
      "FleetplaneRolloutStopped pending or firing",
    );
    expect(["pending", "firing"]).toContain(alert.state);
    expect(alert.labels).toMatchObject({
      subject_kind: "Application",
      subject: "checkout",
      rollout: String(stopped.number),
      reason: "AnalysisFailed",
      severity: "critical",
    });
    expect(alert.annotations.summary).toBe(`Rollout ${stopped.number} of Application checkout stopped: AnalysisFailed`);
    expect(alert.annotations.runbook_url).toMatch(/\/docs\/runbook#fleetplanerolloutstopped$/);
    // Only that one: a stopped rollout is not also a cluster, drift or job problem.
    expect((await alertsNow()).map((a) => a.labels.alertname)).toEqual(["FleetplaneRolloutStopped"]);
  }, 90_000);

  it("resolves once the rollout is resumed and finishes", async () => {
    gateMetrics.set("checkout_success_rate", 99.9);
    expect((await fleet.request("POST", `/v1/rollouts/${rolloutId}/resume`)).status).toBe(200);
    const finished = await rolloutPhase(rolloutId, "Succeeded");
    await holds(`fleetplane_rollout_info{subject="checkout",rollout="${finished.number}",phase="Succeeded"}`);
    expect(await alertsNow()).toEqual([]);
  }, 90_000);
});
