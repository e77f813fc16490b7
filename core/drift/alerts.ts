/**
 * Fleetplane's alerts as a ready `PrometheusRule` (prometheus-operator), over the series /metrics
 * exposes. The Flux rules read the Flux-compatible series Fleetplane exports.
 */
export function renderPrometheusRule(opts: { namespace?: string; name?: string } = {}) {
  const rule = (
    alert: string,
    expr: string,
    forDuration: string,
    severity: "warning" | "critical",
    summary: string,
    description: string,
  ) => ({ alert, expr, for: forDuration, labels: { severity }, annotations: { summary, description } });
  return {
    apiVersion: "monitoring.coreos.com/v1" as const,
    kind: "PrometheusRule" as const,
    metadata: {
      name: opts.name ?? "fleetplane-alerts",
      namespace: opts.namespace ?? "monitoring",
      labels: { "app.kubernetes.io/managed-by": "fleetplane" },
    },
    spec: {
      groups: [
        {
          name: "fleetplane.rules",
          rules: [
            rule(
              "FleetplaneDriftPersisting",
              "fleetplane_drifted_objects > 0",
              "15m",
              "warning",
              "Objects owned by {{ $labels.owner_type }} {{ $labels.owner_name }} drifted on cluster {{ $labels.cluster }}",
              "{{ $value }} object(s) have differed from what Fleetplane wants for 15 minutes. See GET /v1/clusters/{{ $labels.cluster }}/drift for what changed, who changed it and how to repair it.",
            ),
            rule(
              "FleetplaneReconcileStuck",
              "time() - fleetplane_cluster_last_reconcile_timestamp_seconds > 3 * fleetplane_cluster_reconcile_interval_seconds",
              "5m",
              "critical",
              "Cluster {{ $labels.cluster }} has not been reconciled for three intervals",
              "Scheduled reconciles are not running for this cluster: check the job runner (GET /v1/jobs) and the scheduler.",
            ),
            rule(
              "FleetplaneRolloutFailed",
              'fleetplane_rollouts{phase="Failed"} > 0',
              "0m",
              "critical",
              "A rollout failed",
              "{{ $value }} rollout(s) are in phase Failed. Check the rollout's status and events.",
            ),
            rule(
              "FleetplaneAddonDegraded",
              'fleetplane_cluster_addon_info{phase=~"Degraded|Failed"} == 1',
              "10m",
              "critical",
              "Add-on {{ $labels.addon }} {{ $labels.version }} is {{ $labels.phase }} on cluster {{ $labels.cluster }}",
              "The features that stand on it (Flux bootstrap, tenants, secrets, applications) wait on this cluster. See fleetplane clusters addons {{ $labels.cluster }} for the CRD's or controller's own reason.",
            ),
            rule(
              "FleetplaneClusterUnreachable",
              "fleetplane_cluster_reachable == 0",
              "10m",
              "critical",
              "Cluster {{ $labels.cluster }} is unreachable",
              "Fleetplane cannot read the cluster; its drift is Unknown. Check its API server, network path and credentials.",
            ),
          ],
        },
        {
          name: "flux.rules",
          rules: [
            rule(
              "FluxKustomizationDrift",
              'gotk_reconcile_condition{type="Ready",status="False",kind="Kustomization"} == 1',
              "5m",
              "warning",
              "Flux Kustomization is drifted",
              "Kustomization {{ $labels.namespace }}/{{ $labels.name }} on cluster {{ $labels.cluster }} has been out of sync for more than 5 minutes.",
            ),
            rule(
              "FluxReconciliationStuck",
              'time() - gotk_reconcile_duration_seconds_bucket{kind="Kustomization"} > 900',
              "0m",
              "critical",
              "Flux reconciliation stuck for {{ $labels.namespace }}/{{ $labels.name }}",
              "Reconciliation of {{ $labels.namespace }}/{{ $labels.name }} on cluster {{ $labels.cluster }} is stuck.",
            ),
          ],
        },
      ],
    },
  };
}
