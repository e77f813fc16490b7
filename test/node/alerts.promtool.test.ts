import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config";
import { ALERTS, renderPrometheusRule, runbookAnchor } from "../../core/monitoring/alerts";
import { startTestHost } from "./support/harness";
import { promtool } from "./support/promtool";

/**
 * Every alert under Prometheus's own rule engine (`promtool test rules`): it fires, naming its
 * object, on the input it is about, and stays silent on a healthy fleet and before its `for:`.
 * The rule groups are exactly what GET /v1/monitoring/prometheus-rules serves.
 */
const RUNBOOK = "https://fleet.example.com/docs/runbook";
const groups = renderPrometheusRule({ runbookUrl: RUNBOOK }).spec.groups;

interface Series {
  series: string;
  values: string;
}
interface Firing {
  labels: Record<string, string>;
  value: string;
  summary: string;
}
interface Case {
  alert: string;
  input: Series[];
  at: string;
  /** Empty: the alert must be silent at `at`. */
  fires: Firing[];
}

/** A fleet with nothing wrong, as /metrics shows it: every alert stays silent on it. */
const HEALTHY: Series[] = [
  { series: 'fleetplane_cluster_reachable{cluster="prod-eu"}', values: "1x120" },
  { series: 'fleetplane_cluster_last_reconcile_timestamp_seconds{cluster="prod-eu"}', values: "0+60x120" },
  { series: 'fleetplane_cluster_reconcile_interval_seconds{cluster="prod-eu"}', values: "300x120" },
  { series: 'fleetplane_drifted_objects{cluster="prod-eu",owner_type="Tenant",owner_name="team-a"}', values: "0x120" },
  {
    series: 'fleetplane_cluster_addon_info{cluster="prod-eu",addon="flux",version="2.4.0",phase="Ready"}',
    values: "1x120",
  },
  {
    series:
      'fleetplane_rollout_info{subject_kind="Application",subject="web",rollout="4",kind="rollout",phase="Succeeded",reason="AllWavesSucceeded"}',
    values: "1x120",
  },
  {
    series:
      'fleetplane_rollout_info{subject_kind="Application",subject="api",rollout="2",kind="rollout",phase="Paused",reason="PausedByUser"}',
    values: "1x120",
  },
  {
    series:
      'gotk_reconcile_condition{kind="Kustomization",name="tenant-a",namespace="team-a",type="Ready",status="True",cluster="prod-eu"}',
    values: "1x120",
  },
  {
    series:
      'gotk_reconcile_condition{kind="Kustomization",name="tenant-a",namespace="team-a",type="Ready",status="False",cluster="prod-eu"}',
    values: "0x120",
  },
];

const rollout = (labels: string) => `fleetplane_rollout_info{subject_kind="Application",subject="web",${labels}}`;

const CASES: Case[] = [
  ...ALERTS.map((a) => ({ alert: a.alert, input: HEALTHY, at: "110m", fires: [] })),
  {
    alert: "FleetplaneClusterUnreachable",
    input: [{ series: 'fleetplane_cluster_reachable{cluster="prod-us"}', values: "0x30" }],
    at: "11m",
    fires: [{ labels: { cluster: "prod-us" }, value: "0", summary: "Cluster prod-us is unreachable" }],
  },
  {
    alert: "FleetplaneClusterUnreachable",
    input: [{ series: 'fleetplane_cluster_reachable{cluster="prod-us"}', values: "0x30" }],
    at: "5m",
    fires: [],
  },
  {
    alert: "FleetplaneReconcileStuck",
    input: [
      { series: 'fleetplane_cluster_last_reconcile_timestamp_seconds{cluster="prod-us"}', values: "0x60" },
      { series: 'fleetplane_cluster_reconcile_interval_seconds{cluster="prod-us"}', values: "300x60" },
    ],
    at: "25m",
    fires: [
      {
        labels: { cluster: "prod-us" },
        value: "1500",
        summary: "Cluster prod-us has not been reconciled for three intervals",
      },
    ],
  },
  {
    alert: "FleetplaneReconcileStuck",
    input: [
      { series: 'fleetplane_cluster_last_reconcile_timestamp_seconds{cluster="prod-us"}', values: "0x60" },
      { series: 'fleetplane_cluster_reconcile_interval_seconds{cluster="prod-us"}', values: "300x60" },
    ],
    at: "14m",
    fires: [],
  },
  {
    alert: "FleetplaneDriftPersisting",
    input: [
      {
        series: 'fleetplane_drifted_objects{cluster="prod-us",owner_type="Tenant",owner_name="team-b"}',
        values: "2x30",
      },
    ],
    at: "16m",
    fires: [
      {
        labels: { cluster: "prod-us", owner_type: "Tenant", owner_name: "team-b" },
        value: "2",
        summary: "Tenant team-b has drifted on cluster prod-us for 15 minutes",
      },
    ],
  },
  {
    alert: "FleetplaneDriftPersisting",
    input: [
      {
        series: 'fleetplane_drifted_objects{cluster="prod-us",owner_type="Tenant",owner_name="team-b"}',
        values: "2x10 0x20",
      },
    ],
    at: "16m",
    fires: [],
  },
  {
    alert: "FleetplaneAddonDegraded",
    input: [
      {
        series: 'fleetplane_cluster_addon_info{cluster="prod-us",addon="kyverno",version="3.3.4",phase="Degraded"}',
        values: "1x30",
      },
    ],
    at: "11m",
    fires: [
      {
        labels: { cluster: "prod-us", addon: "kyverno", version: "3.3.4", phase: "Degraded" },
        value: "1",
        summary: "Add-on kyverno 3.3.4 is Degraded on cluster prod-us",
      },
    ],
  },
  {
    alert: "FleetplaneJobsDeadLettered",
    input: [{ series: 'fleetplane_jobs_dead_lettered{kind="placeTenant"}', values: "3x5" }],
    at: "1m",
    fires: [{ labels: { kind: "placeTenant" }, value: "3", summary: "3 placeTenant job(s) gave up in the last hour" }],
  },
  {
    alert: "FleetplaneJobsDeadLettered",
    input: [{ series: 'fleetplane_jobs_dead_lettered{kind="placeTenant"}', values: "3x5 0x5" }],
    at: "8m",
    fires: [],
  },
  ...(["BudgetExceeded", "AnalysisFailed"] as const).map((reason) => ({
    alert: "FleetplaneRolloutStopped",
    input: [{ series: rollout(`rollout="5",kind="rollout",phase="Paused",reason="${reason}"`), values: "1x10" }],
    at: "2m",
    fires: [
      {
        labels: {
          subject_kind: "Application",
          subject: "web",
          rollout: "5",
          kind: "rollout",
          phase: "Paused",
          reason,
        },
        value: "1",
        summary: `Rollout 5 of Application web stopped: ${reason}`,
      },
    ],
  })),
  {
    // Resumed after the gate stopped it: the same rollout, Progressing again, resolves the alert
    // (the Paused series leaves the scrape, which Prometheus marks stale at once).
    alert: "FleetplaneRolloutStopped",
    input: [
      { series: rollout('rollout="5",kind="rollout",phase="Paused",reason="AnalysisFailed"'), values: "1x5 stale" },
      { series: rollout('rollout="5",kind="rollout",phase="Progressing",reason="Resumed"'), values: "_x5 1x10" },
    ],
    at: "10m",
    fires: [],
  },
  {
    alert: "FleetplaneRolloutAwaitingApproval",
    input: [
      {
        series: rollout('rollout="6",kind="rollout",phase="WaitingApproval",reason="WaitingApproval"'),
        values: "1x90",
      },
    ],
    at: "61m",
    fires: [
      {
        labels: {
          subject_kind: "Application",
          subject: "web",
          rollout: "6",
          kind: "rollout",
          phase: "WaitingApproval",
          reason: "WaitingApproval",
        },
        value: "1",
        summary: "Rollout 6 of Application web has waited an hour for approval",
      },
    ],
  },
  {
    alert: "FleetplaneRolloutAwaitingApproval",
    input: [
      {
        series: rollout('rollout="6",kind="rollout",phase="WaitingApproval",reason="WaitingApproval"'),
        values: "1x90",
      },
    ],
    at: "30m",
    fires: [],
  },
  {
    alert: "FleetplaneRolloutRolledBack",
    input: [
      { series: rollout('rollout="7",kind="rollback",phase="Succeeded",reason="AllWavesSucceeded"'), values: "1x10" },
    ],
    at: "1m",
    fires: [
      {
        labels: {
          subject_kind: "Application",
          subject: "web",
          rollout: "7",
          kind: "rollback",
          phase: "Succeeded",
          reason: "AllWavesSucceeded",
        },
        value: "1",
        summary: "Application web was rolled back",
      },
    ],
  },
  {
    alert: "FluxKustomizationDrift",
    input: [
      {
        series:
          'gotk_reconcile_condition{kind="Kustomization",name="tenant-b",namespace="team-b",type="Ready",status="False",cluster="prod-us"}',
        values: "1x10",
      },
    ],
    at: "6m",
    fires: [
      {
        labels: {
          kind: "Kustomization",
          name: "tenant-b",
          namespace: "team-b",
          type: "Ready",
          status: "False",
          cluster: "prod-us",
        },
        value: "1",
        summary: "Flux Kustomization team-b/tenant-b on cluster prod-us is out of sync",
      },
    ],
  },
  {
    alert: "FluxReconciliationStuck",
    input: [
      {
        series:
          'fleetplane_flux_not_ready_since_timestamp_seconds{kind="GitRepository",name="tenant-b",namespace="team-b",cluster="prod-us"}',
        values: "0x30",
      },
    ],
    at: "16m",
    fires: [
      {
        labels: { kind: "GitRepository", name: "tenant-b", namespace: "team-b", cluster: "prod-us" },
        value: "960",
        summary: "Flux GitRepository team-b/tenant-b on cluster prod-us has not reconciled for 15 minutes",
      },
    ],
  },
  {
    alert: "FluxReconciliationStuck",
    input: [
      {
        series:
          'fleetplane_flux_not_ready_since_timestamp_seconds{kind="GitRepository",name="tenant-b",namespace="team-b",cluster="prod-us"}',
        values: "0x30",
      },
    ],
    at: "14m",
    fires: [],
  },
];

/** Fills `{{ $labels.x }}` and `{{ $value }}`, the only template forms the rules use. */
function expand(template: string, labels: Record<string, string>, value: string) {
  return template
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, key: string) => labels[key] ?? "")
    .replace(/\{\{ \$value \}\}/g, value);
}

function unitTest(c: Case) {
  const rule = ALERTS.find((a) => a.alert === c.alert)!;
  return {
    interval: "1m",
    input_series: c.input,
    alert_rule_test: [
      {
        eval_time: c.at,
        alertname: c.alert,
        exp_alerts: c.fires.map((f) => ({
          exp_labels: { ...f.labels, severity: rule.severity },
          exp_annotations: {
            summary: expand(rule.summary, f.labels, f.value),
            description: expand(rule.description, f.labels, f.value),
            runbook_url: `${RUNBOOK}#${runbookAnchor(rule.alert)}`,
          },
        })),
      },
    ],
  };
}

describe("the alert rules under promtool", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fleetplane-rules-"));
    // JSON is YAML: promtool reads both files as they are written here.
    await writeFile(join(dir, "rules.yml"), JSON.stringify({ groups }, null, 2));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("every alert has a case where it fires and one where it stays silent", () => {
    for (const { alert } of ALERTS) {
      expect(
        CASES.some((c) => c.alert === alert && c.fires.length > 0),
        `${alert} fires somewhere`,
      ).toBe(true);
      expect(CASES.filter((c) => c.alert === alert && c.fires.length === 0).length).toBeGreaterThanOrEqual(1);
    }
  });

  it("each has a row in the README's runbook table", async () => {
    const readme = await readFile(join(import.meta.dirname, "../../README.md"), "utf8");
    for (const { alert, meaning } of ALERTS) {
      // The row carries the alert's anchor, so FLEET_RUNBOOK_URL may point at the published README.
      expect(readme).toMatch(new RegExp(`^\\| <a id="${runbookAnchor(alert)}"></a>\`${alert}\` +\\|`, "m"));
      expect(readme).toContain(meaning);
    }
  });

  it("link FLEET_RUNBOOK_URL when it is set, and refuse one that is not an http(s) URL", async () => {
    const t = await startTestHost({ FLEET_RUNBOOK_URL: "https://git.example.com/platform/fleetplane/README.md" });
    try {
      const rules = (await t.request("GET", "/v1/monitoring/prometheus-rules")).body;
      const urls = rules.spec.groups.flatMap((g: { rules: { annotations: Record<string, string> }[] }) =>
        g.rules.map((r) => r.annotations.runbook_url),
      );
      expect(urls).toContain("https://git.example.com/platform/fleetplane/README.md#fleetplanerolloutstopped");
    } finally {
      await t.close();
    }
    for (const bad of ["javascript:alert(1)", "not a url", "https://docs.example.com/runbook#section"]) {
      expect(() => loadConfig({ FLEET_RUNBOOK_URL: bad })).toThrow(/FLEET_RUNBOOK_URL must be an http\(s\) URL/);
    }
  });

  it("pass promtool's linter", async () => {
    const checked = await promtool(["check", "rules", "--lint=all", "--lint-fatal", join(dir, "rules.yml")]);
    expect(checked.output).toContain(`SUCCESS: ${ALERTS.length} rules found`);
    expect(checked.code).toBe(0);
  });

  it("fire on the input they are about, naming the object, and stay silent otherwise", async () => {
    const tests = { rule_files: ["rules.yml"], evaluation_interval: "1m", tests: CASES.map(unitTest) };
    await writeFile(join(dir, "alerts.test.yml"), JSON.stringify(tests, null, 2));
    const result = await promtool(["test", "rules", "alerts.test.yml"], undefined, dir);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("a test that expects the wrong thing fails, so the suite above can fail", async () => {
    const wrong = { ...CASES.find((c) => c.alert === "FleetplaneClusterUnreachable" && c.fires.length > 0)!, at: "5m" };
    const tests = { rule_files: ["rules.yml"], evaluation_interval: "1m", tests: [unitTest(wrong)] };
    await writeFile(join(dir, "wrong.test.yml"), JSON.stringify(tests));
    const result = await promtool(["test", "rules", "wrong.test.yml"], undefined, dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("FAILED");
  });
});
