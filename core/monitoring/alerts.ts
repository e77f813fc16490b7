/**
 * Fleetplane's alerts. Each answers one operator question from a series that measures exactly
 * that, waits long enough not to flap, and names the object it is about. The same definitions
 * render the `PrometheusRule`, the rule groups Prometheus loads, and the runbook page each
 * alert's `runbook_url` points into, so the three cannot disagree.
 */
export interface AlertDefinition {
  alert: string;
  group: "fleetplane" | "flux";
  expr: string;
  /** How long the condition must hold before the alert fires. */
  for: string;
  severity: "warning" | "critical";
  summary: string;
  description: string;
  /** For the runbook: what it means, in a sentence. */
  meaning: string;
  /** For the runbook: what to look at first. */
  firstStep: string;
}

export const ALERTS: readonly AlertDefinition[] = [
  {
    alert: "FleetplaneClusterUnreachable",
    group: "fleetplane",
    expr: "fleetplane_cluster_reachable == 0",
    for: "10m",
    severity: "critical",
    summary: "Cluster {{ $labels.cluster }} is unreachable",
    description:
      "Fleetplane has not been able to read cluster {{ $labels.cluster }} for 10 minutes, so its drift is Unknown and nothing is applied there. Check its API server, the network path (or its agent) and its credentials.",
    meaning: "Reconciles cannot read the cluster: its drift is Unknown and no work reaches it.",
    firstStep:
      "`fleetplane clusters get <cluster>`: the Connected condition's message says whether the API server, the network path, the agent or the credentials failed.",
  },
  {
    alert: "FleetplaneReconcileStuck",
    group: "fleetplane",
    expr: "time() - fleetplane_cluster_last_reconcile_timestamp_seconds > 3 * fleetplane_cluster_reconcile_interval_seconds",
    for: "5m",
    severity: "critical",
    summary: "Cluster {{ $labels.cluster }} has not been reconciled for three intervals",
    description:
      "Scheduled reconciles are not running for cluster {{ $labels.cluster }}, so drift there goes unseen. Check the job runner (GET /v1/jobs) and the scheduler.",
    meaning: "The scheduler or the job runner has stopped reconciling this cluster; drift goes unseen.",
    firstStep:
      "`GET /v1/jobs?state=Failed` and the host's logs: a runner that cannot lease jobs or a cron trigger that no longer fires.",
  },
  {
    alert: "FleetplaneDriftPersisting",
    group: "fleetplane",
    expr: "fleetplane_drifted_objects > 0",
    for: "15m",
    severity: "warning",
    summary:
      "{{ $labels.owner_type }} {{ $labels.owner_name }} has drifted on cluster {{ $labels.cluster }} for 15 minutes",
    description:
      "{{ $value }} object(s) owned by {{ $labels.owner_type }} {{ $labels.owner_name }} have differed from what Fleetplane wants on cluster {{ $labels.cluster }} for 15 minutes. GET /v1/clusters/{{ $labels.cluster }}/drift says what changed, who changed it and how to repair it.",
    meaning: "Someone or something changed objects Fleetplane owns, and the owner's policy does not repair them.",
    firstStep:
      "`GET /v1/clusters/<cluster>/drift`: each item names the field, the field manager who changed it and the remediation.",
  },
  {
    alert: "FleetplaneAddonDegraded",
    group: "fleetplane",
    expr: 'fleetplane_cluster_addon_info{phase=~"Degraded|Failed"} == 1',
    for: "10m",
    severity: "critical",
    summary: "Add-on {{ $labels.addon }} {{ $labels.version }} is {{ $labels.phase }} on cluster {{ $labels.cluster }}",
    description:
      "The features that stand on {{ $labels.addon }} (Flux bootstrap, tenants, secrets, applications) wait on cluster {{ $labels.cluster }}. `fleetplane clusters addons {{ $labels.cluster }}` shows the CRD's or controller's own reason.",
    meaning: "A platform add-on's CRDs or controller are not healthy, so the features on top of it wait.",
    firstStep: "`fleetplane clusters addons <cluster>`: the add-on's condition carries the controller's own reason.",
  },
  {
    alert: "FleetplaneJobsDeadLettered",
    group: "fleetplane",
    expr: "sum by (kind) (fleetplane_jobs_dead_lettered) > 0",
    for: "0m",
    severity: "warning",
    summary: "{{ $value }} {{ $labels.kind }} job(s) gave up in the last hour",
    description:
      "{{ $value }} {{ $labels.kind }} job(s) ended Failed in the last hour: out of attempts or refused by the cluster. The work they carried was not done. GET /v1/jobs?state=Failed shows each one's last error.",
    meaning: "Per-cluster work ran out of attempts; what it carried (an install, a placement, a sync) was not done.",
    firstStep: "`GET /v1/jobs?state=Failed`: each job's `lastError`, then the resource it belongs to.",
  },
  {
    alert: "FleetplaneRolloutStopped",
    group: "fleetplane",
    expr: 'fleetplane_rollout_info{phase=~"Paused|Failed",reason=~"BudgetExceeded|AnalysisFailed|EngineError"} == 1',
    for: "1m",
    severity: "critical",
    summary:
      "Rollout {{ $labels.rollout }} of {{ $labels.subject_kind }} {{ $labels.subject }} stopped: {{ $labels.reason }}",
    description:
      "The latest rollout of {{ $labels.subject_kind }} {{ $labels.subject }} (number {{ $labels.rollout }}) is {{ $labels.phase }} because of {{ $labels.reason }}: a metric gate failed or the wave's failure budget ran out. Part of the fleet runs the new release and part the old until someone resumes, aborts or rolls it back.",
    meaning:
      "A metric gate or a wave's failure budget stopped a rollout: the fleet is split between two releases until someone decides.",
    firstStep:
      "`fleetplane rollouts get <application>`: the failed clusters and the gate's results; then resume (after a fix), abort or roll back.",
  },
  {
    alert: "FleetplaneRolloutAwaitingApproval",
    group: "fleetplane",
    expr: 'fleetplane_rollout_info{phase="WaitingApproval"} == 1',
    for: "1h",
    severity: "warning",
    summary:
      "Rollout {{ $labels.rollout }} of {{ $labels.subject_kind }} {{ $labels.subject }} has waited an hour for approval",
    description:
      "A wave of rollout {{ $labels.rollout }} of {{ $labels.subject_kind }} {{ $labels.subject }} needs POST …/approve and has waited for it for an hour.",
    meaning: "A wave that requires approval has waited for a person for an hour.",
    firstStep: "`fleetplane rollouts get <application>`: which wave waits; approve it, or abort the rollout.",
  },
  {
    alert: "FleetplaneRolloutRolledBack",
    group: "fleetplane",
    expr: 'fleetplane_rollout_info{kind="rollback"} == 1',
    for: "0m",
    severity: "warning",
    summary: "{{ $labels.subject_kind }} {{ $labels.subject }} was rolled back",
    description:
      "The latest rollout of {{ $labels.subject_kind }} {{ $labels.subject }} is a rollback (number {{ $labels.rollout }}, {{ $labels.phase }}): the fleet is back on the previous release until a fixed release rolls forward.",
    meaning: "The fleet was moved back to the previous release; the release that failed still needs a fix.",
    firstStep:
      "The rolled-back rollout's events and failed clusters say why; a new release (PATCH the application) rolls forward and resolves the alert.",
  },
  {
    alert: "FluxKustomizationDrift",
    group: "flux",
    expr: 'gotk_reconcile_condition{type="Ready",status="False",kind="Kustomization"} == 1',
    for: "5m",
    severity: "warning",
    summary:
      "Flux Kustomization {{ $labels.namespace }}/{{ $labels.name }} on cluster {{ $labels.cluster }} is out of sync",
    description:
      "Kustomization {{ $labels.namespace }}/{{ $labels.name }} on cluster {{ $labels.cluster }} has been edited away from what Fleetplane wants, or reports Ready=False, for more than 5 minutes.",
    meaning: "A Kustomization Fleetplane owns was changed on the cluster or is failing.",
    firstStep:
      "`GET /v1/clusters/<cluster>/drift` for an edit; `flux get kustomizations -A` on the cluster for a failure.",
  },
  {
    alert: "FluxReconciliationStuck",
    group: "flux",
    expr: "time() - fleetplane_flux_not_ready_since_timestamp_seconds > 900",
    for: "0m",
    severity: "critical",
    summary:
      "Flux {{ $labels.kind }} {{ $labels.namespace }}/{{ $labels.name }} on cluster {{ $labels.cluster }} has not reconciled for 15 minutes",
    description:
      "Flux has not reconciled {{ $labels.kind }} {{ $labels.namespace }}/{{ $labels.name }} on cluster {{ $labels.cluster }} successfully for more than 15 minutes: what its source or tenant publishes does not reach the cluster.",
    meaning: "A Flux object has not been Ready for 15 minutes: changes to what it delivers do not reach the cluster.",
    firstStep:
      "`flux get all -A` on the cluster, or the object's Ready message in `GET /v1/clusters/<cluster>/drift`: a source that cannot be fetched, a build that fails, a health check that times out.",
  },
];

/** Where each host serves the runbook page. */
export const RUNBOOK_PATH = "/docs/runbook";

/** The anchor of an alert's section on the runbook page. */
export const runbookAnchor = (alert: string) => alert.toLowerCase();

function ruleGroups(runbookUrl: string) {
  return (["fleetplane", "flux"] as const).map((group) => ({
    name: `${group}.rules`,
    rules: ALERTS.filter((a) => a.group === group).map((a) => ({
      alert: a.alert,
      expr: a.expr,
      for: a.for,
      labels: { severity: a.severity },
      annotations: {
        summary: a.summary,
        description: a.description,
        runbook_url: `${runbookUrl}#${runbookAnchor(a.alert)}`,
      },
    })),
  }));
}

/**
 * The rule groups as Prometheus loads them from a rule file (`rule_files:`), and as a ready
 * `PrometheusRule` for clusters that run the Prometheus Operator.
 */
export function renderPrometheusRule(opts: { runbookUrl: string; namespace?: string; name?: string }) {
  return {
    apiVersion: "monitoring.coreos.com/v1" as const,
    kind: "PrometheusRule" as const,
    metadata: {
      name: opts.name ?? "fleetplane-alerts",
      namespace: opts.namespace ?? "monitoring",
      labels: { "app.kubernetes.io/managed-by": "fleetplane" },
    },
    spec: { groups: ruleGroups(opts.runbookUrl) },
  };
}

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
const inlineCode = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");

/** The runbook every alert's `runbook_url` points into: one section per alert. */
export function renderRunbook(): string {
  const sections = ALERTS.map(
    (a) => `<section id="${runbookAnchor(a.alert)}">
<h2>${a.alert} <small>${a.severity}</small></h2>
<p>${inlineCode(a.meaning)}</p>
<p><strong>First:</strong> ${inlineCode(a.firstStep)}</p>
<pre>${escapeHtml(a.expr)}</pre><p>Fires after ${a.for === "0m" ? "the condition is seen once" : `the condition holds for ${a.for}`}.</p>
</section>`,
  ).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fleetplane alerts runbook</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}small{color:#666;font-weight:normal}pre{background:#f4f4f4;padding:.5rem;overflow:auto}</style>
</head><body><main><h1>Fleetplane alerts runbook</h1>
${sections}
</main></body></html>`;
}
