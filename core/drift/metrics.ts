import { eq } from "drizzle-orm";
import { clusters, driftReports, reconcileSchedule } from "../../schema";
import { family, series } from "../prometheus";
import type { Store } from "../store";
import { type DriftReportRow, DURATION_BUCKETS_SECONDS, FLUX_KINDS, type ObservedObject } from "./report";

function histogram(lines: string[], name: string, labels: Record<string, string>, row: DriftReportRow) {
  DURATION_BUCKETS_SECONDS.forEach((le, i) => {
    lines.push(series(`${name}_bucket`, { ...labels, le: String(le) }, row.durationBuckets[i] ?? 0));
  });
  const count = Object.values(row.results).reduce((a, b) => a + b, 0);
  lines.push(series(`${name}_bucket`, { ...labels, le: "+Inf" }, count));
  lines.push(series(`${name}_sum`, labels, row.durationSum / 1000));
  lines.push(series(`${name}_count`, labels, count));
}

const FLUX_STATUSES = ["True", "False", "Unknown"] as const;

/**
 * Reconcile and drift series, read from the store at scrape time so every host answers the
 * same. Next to Fleetplane's own names, Flux-compatible `gotk_reconcile_condition` and
 * `gotk_reconcile_duration_seconds` for the Flux objects Fleetplane owns, so alert rules written
 * for Flux select them unchanged (a drifted Kustomization reports Ready=False); the extra
 * `cluster` label tells the fleet's clusters apart.
 */
export async function renderDriftMetrics(store: Store): Promise<string> {
  const rows = await store
    .select({ report: driftReports, name: clusters.name, intervalMs: reconcileSchedule.intervalMs })
    .from(driftReports)
    .innerJoin(clusters, eq(clusters.id, driftReports.clusterId))
    .leftJoin(reconcileSchedule, eq(reconcileSchedule.clusterId, driftReports.clusterId));
  rows.sort((a, b) => a.name.localeCompare(b.name));
  const lines: string[] = [];

  family(lines, "fleetplane_reconciles_total", "counter", "Scheduled and requested reconciles by cluster and result.");
  for (const { report, name } of rows) {
    for (const [result, count] of Object.entries(report.results)) {
      lines.push(series("fleetplane_reconciles_total", { cluster: name, result }, count));
    }
  }
  family(lines, "fleetplane_reconcile_duration_seconds", "histogram", "How long reconciles of each cluster took.");
  for (const { report, name } of rows)
    histogram(lines, "fleetplane_reconcile_duration_seconds", { cluster: name }, report);

  family(
    lines,
    "fleetplane_cluster_last_reconcile_timestamp_seconds",
    "gauge",
    "When each cluster was last reconciled.",
  );
  for (const { report, name } of rows) {
    lines.push(
      series("fleetplane_cluster_last_reconcile_timestamp_seconds", { cluster: name }, report.reconciledAt / 1000),
    );
  }
  family(
    lines,
    "fleetplane_cluster_reconcile_interval_seconds",
    "gauge",
    "How often each cluster is meant to be reconciled.",
  );
  for (const { name, intervalMs } of rows) {
    if (intervalMs === null) continue;
    lines.push(series("fleetplane_cluster_reconcile_interval_seconds", { cluster: name }, intervalMs / 1000));
  }
  family(
    lines,
    "fleetplane_cluster_reachable",
    "gauge",
    "1 when the last reconcile could read the cluster, 0 when it could not.",
  );
  for (const { report, name } of rows) {
    lines.push(series("fleetplane_cluster_reachable", { cluster: name }, report.state === "Unknown" ? 0 : 1));
  }
  family(lines, "fleetplane_cluster_drift_state", "gauge", "The cluster's drift state (1 for the current one).");
  for (const { report, name } of rows) {
    for (const state of ["Ready", "OutOfSync", "Modified", "Unknown"]) {
      lines.push(series("fleetplane_cluster_drift_state", { cluster: name, state }, report.state === state ? 1 : 0));
    }
  }
  family(lines, "fleetplane_drifted_objects", "gauge", "Drifted or missing objects per cluster and owning resource.");
  for (const { report, name } of rows) {
    const perOwner = new Map<string, { owner: ObservedObject["owner"]; count: number }>();
    for (const object of report.objects as ObservedObject[]) {
      const key = `${object.owner.type}/${object.owner.id}`;
      const entry = perOwner.get(key) ?? { owner: object.owner, count: 0 };
      if (object.drifted && report.state !== "Unknown") entry.count++;
      perOwner.set(key, entry);
    }
    for (const { owner, count } of perOwner.values()) {
      lines.push(
        series("fleetplane_drifted_objects", { cluster: name, owner_type: owner.type, owner_name: owner.name }, count),
      );
    }
  }

  const fluxObjects = rows.flatMap(({ report, name }) =>
    (report.objects as ObservedObject[])
      .filter((o) => FLUX_KINDS.has(o.kind))
      .map((object) => ({ object, report, cluster: name })),
  );
  family(
    lines,
    "gotk_reconcile_condition",
    "gauge",
    "The current condition status of a GitOps Toolkit resource reconciliation.",
  );
  for (const { object, report, cluster } of fluxObjects) {
    const current =
      report.state === "Unknown"
        ? "Unknown"
        : object.drifted
          ? "False"
          : ((object.ready?.status as (typeof FLUX_STATUSES)[number] | undefined) ?? "Unknown");
    for (const status of FLUX_STATUSES) {
      const labels = {
        kind: object.kind,
        name: object.name,
        namespace: object.namespace ?? "",
        type: "Ready",
        status,
        cluster,
      };
      lines.push(series("gotk_reconcile_condition", labels, current === status ? 1 : 0));
    }
  }
  family(
    lines,
    "gotk_resource_info",
    "gauge",
    "The Flux objects Fleetplane owns, 1 each, labelled as kube-state-metrics labels them in Flux's monitoring guide: ready is Flux's own verdict (Unknown while the cluster cannot be read).",
  );
  for (const { object, report, cluster } of fluxObjects) {
    const [group = "", version = ""] = object.apiVersion.includes("/")
      ? object.apiVersion.split("/")
      : ["", object.apiVersion];
    const ready =
      report.state === "Unknown" ? "Unknown" : object.missing ? "False" : (object.ready?.status ?? "Unknown");
    const labels = {
      customresource_group: group,
      customresource_kind: object.kind,
      customresource_version: version,
      exported_namespace: object.namespace ?? "",
      name: object.name,
      ready,
      suspended: "false",
      cluster,
    };
    lines.push(series("gotk_resource_info", labels, 1));
  }
  family(
    lines,
    "fleetplane_flux_not_ready_since_timestamp_seconds",
    "gauge",
    "When a Flux object Fleetplane owns last stopped being Ready, for each one that is not Ready now (from its Ready condition, or its creation when Flux never reconciled it).",
  );
  for (const { object, report, cluster } of fluxObjects) {
    const since = object.ready?.status !== "True" ? object.ready?.since : undefined;
    if (report.state === "Unknown" || since === undefined || Number.isNaN(Date.parse(since))) continue;
    const labels = { kind: object.kind, name: object.name, namespace: object.namespace ?? "", cluster };
    lines.push(series("fleetplane_flux_not_ready_since_timestamp_seconds", labels, Date.parse(since) / 1000));
  }
  family(
    lines,
    "gotk_reconcile_duration_seconds",
    "histogram",
    "The duration in seconds of a GitOps Toolkit resource reconciliation.",
  );
  for (const { object, report, cluster } of fluxObjects) {
    const labels = { kind: object.kind, name: object.name, namespace: object.namespace ?? "", cluster };
    histogram(lines, "gotk_reconcile_duration_seconds", labels, report);
  }
  return `${lines.join("\n")}\n`;
}
