import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { GIT_REPOSITORY, KUSTOMIZATION, useGitopsFleet } from "./support/gitops";
import { eventually, reconciled } from "./support/harness";
import { promtool } from "./support/promtool";

interface MetricFamily {
  name: string;
  type: string;
  metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string> }[];
}

/** Evaluates a `metric{label="v",…} == 1` alert expression against parsed series: which ones it selects. */
function select(families: MetricFamily[], expr: string) {
  const match = /^\s*(\w+)\s*\{([^}]*)\}\s*==\s*1\s*$/.exec(expr);
  if (!match) throw new Error(`unsupported expression ${expr}`);
  const [, name, matchers] = match;
  const wanted = Object.fromEntries(
    [...(matchers ?? "").matchAll(/(\w+)\s*=\s*"([^"]*)"/g)].map(([, k, v]) => [k as string, v as string]),
  );
  const family = families.find((f) => f.name === name);
  return (family?.metrics ?? []).filter(
    (m) => Number(m.value) === 1 && Object.entries(wanted).every(([k, v]) => m.labels?.[k] === v),
  );
}

/** Each test registers clusters of its own (named after it), so any one of them runs alone. */
describe("drift", () => {
  const fleet = useGitopsFleet();
  const { cluster } = fleet;

  const report = (cluster: string) => fleet.t.request("GET", `/v1/clusters/${cluster}/drift`);
  const events = async (reason: string) =>
    (
      (await fleet.t.request("GET", "/v1/events?pageSize=500")).body.items as {
        reason: string;
        diff: any;
        message: string;
      }[]
    ).filter((e) => e.reason === reason);

  it("answers 404 problem for a cluster that does not exist", async () => {
    const res = await report("nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("reports a field another manager changed, with that manager and a manual-edit explanation", async () => {
    const kube = await cluster("edited");
    kube.editAs("kubectl-edit", KUSTOMIZATION, { spec: { prune: false } });
    const body = await reconciled(fleet.t.request, "edited");
    expect(body.state).toBe("Modified");
    expect(body.items).toHaveLength(1);
    const [item] = body.items;
    expect(item).toMatchObject({
      type: "Modified",
      kind: "Kustomization",
      namespace: "flux-system",
      name: "fleet-config",
      path: ".spec.prune",
      desired: true,
      live: false,
      owner: { type: "Cluster", name: "edited" },
      manager: { name: "kubectl-edit", operation: "Update" },
    });
    expect(item.manager.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(item.explanation.cause).toBe("ManualEdit");
    expect(item.explanation.summary).toContain("kubectl-edit");
    expect(item.explanation.remediation).toContain("driftPolicy");
    // report: nothing was repaired on the cluster.
    expect((kube.store.get(KUSTOMIZATION) as any).spec.prune).toBe(false);
    const edited = (await fleet.t.request("GET", "/v1/clusters/edited")).body;
    expect(edited.status.conditions.find((c: { type: string }) => c.type === "Drifted")).toMatchObject({
      status: "True",
      reason: "Modified",
    });
    expect(edited.status.drift).toEqual({ state: "Modified", modified: 1, missing: 0, pruneCandidates: 0 });
    const detected = (await events("DriftDetected")).filter((e) => e.message.includes("edited"));
    expect(detected.at(-1)?.diff.items[0]).toMatchObject({ path: ".spec.prune", manager: { name: "kubectl-edit" } });
  });

  it("attributes a change by another controller to a conflict of owners", async () => {
    const other = await cluster("contested");
    other.editAs("some-operator", GIT_REPOSITORY, { spec: { interval: "10m" } });
    const body = await reconciled(fleet.t.request, "contested");
    expect(body.items[0]).toMatchObject({ path: ".spec.interval", desired: "1m", live: "10m" });
    expect(body.items[0].explanation.cause).toBe("OwnerConflict");
    other.editAs("kubectl-edit", GIT_REPOSITORY, { spec: { interval: "1m" } });
    expect((await reconciled(fleet.t.request, "contested")).state).toBe("Ready");
    expect((await events("DriftResolved")).some((e) => e.message.includes("contested"))).toBe(true);
  });

  it("exposes drift on /metrics in the form Flux's reconciliation alerts select", async () => {
    const drifted = await cluster("metrics-drifted");
    await cluster("metrics-clean");
    drifted.editAs("kubectl-edit", KUSTOMIZATION, { spec: { prune: false } });
    expect((await reconciled(fleet.t.request, "metrics-drifted")).state).toBe("Modified");
    const mine = (m: { labels?: Record<string, string> }) => m.labels?.cluster?.startsWith("metrics-") === true;
    const res = await fleet.t.request("GET", "/metrics", { token: null });
    expect(res.status).toBe(200);
    const families = parsePrometheusTextFormat(res.text) as MetricFamily[];
    const rules = (await fleet.t.request("GET", "/v1/monitoring/prometheus-rules")).body;
    expect(rules).toMatchObject({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" });
    const fluxDrift = rules.spec.groups
      .flatMap((g: { rules: { alert: string; expr: string }[] }) => g.rules)
      .find((r: { alert: string }) => r.alert === "FluxKustomizationDrift");
    const selected = select(families, fluxDrift.expr).filter(mine);
    expect(selected.map((m) => m.labels)).toEqual([
      {
        kind: "Kustomization",
        name: "fleet-config",
        namespace: "flux-system",
        type: "Ready",
        status: "False",
        cluster: "metrics-drifted",
      },
    ]);
    const objects = families.find((f) => f.name === "fleetplane_drifted_objects")!;
    expect(objects.metrics).toContainEqual({
      labels: { cluster: "metrics-drifted", owner_type: "Cluster", owner_name: "metrics-drifted" },
      value: "1",
    });
    expect(objects.metrics).toContainEqual({
      labels: { cluster: "metrics-clean", owner_type: "Cluster", owner_name: "metrics-clean" },
      value: "0",
    });
    const duration = families.find((f) => f.name === "gotk_reconcile_duration_seconds")!;
    expect(duration.type).toBe("HISTOGRAM");
    // Per object, like Flux's own histogram (the parser folds labelled histograms).
    expect(res.text).toMatch(
      /^gotk_reconcile_duration_seconds_bucket\{kind="Kustomization",name="fleet-config",namespace="flux-system",cluster="metrics-drifted",le="\+Inf"\} [1-9]/m,
    );
    const reconciles = families.find((f) => f.name === "fleetplane_reconciles_total")!;
    // At least the reconcile that found the edit; one already queued when the edit landed may count too.
    const modified = reconciles.metrics.find(
      (m) => m.labels?.cluster === "metrics-drifted" && m.labels?.result === "Modified",
    );
    expect(Number(modified?.value)).toBeGreaterThanOrEqual(1);
    const alerts = rules.spec.groups.flatMap((g: { rules: { alert: string }[] }) => g.rules.map((r) => r.alert));
    expect(alerts).toEqual(
      expect.arrayContaining([
        "FleetplaneDriftPersisting",
        "FleetplaneReconcileStuck",
        "FleetplaneRolloutStopped",
        "FleetplaneClusterUnreachable",
        "FluxReconciliationStuck",
      ]),
    );
    // Flux's own view of the objects, in the shape its monitoring guide builds with kube-state-metrics.
    const info = families.find((f) => f.name === "gotk_resource_info")!;
    expect(info.metrics.filter(mine)).toContainEqual({
      labels: {
        customresource_group: "kustomize.toolkit.fluxcd.io",
        customresource_kind: "Kustomization",
        customresource_version: "v1",
        exported_namespace: "flux-system",
        name: "fleet-config",
        ready: expect.stringMatching(/^(True|False|Unknown)$/),
        suspended: "false",
        cluster: "metrics-clean",
      },
      value: "1",
    });
    // Each alert links its own section of the runbook, which the host serves without a token.
    const runbook = await fleet.t.request("GET", "/docs/runbook", { token: null });
    expect(runbook.status).toBe(200);
    for (const rule of rules.spec.groups.flatMap(
      (g: { rules: { annotations: Record<string, string> }[] }) => g.rules,
    )) {
      const url = new URL(rule.annotations.runbook_url!);
      expect(url.pathname).toBe("/docs/runbook");
      expect(runbook.text).toContain(`<section id="${url.hash.slice(1)}">`);
    }
    // A Flux object that stopped being Ready says since when, for FluxReconciliationStuck.
    const stuck = await cluster("metrics-stuck");
    stuck.setStatus(GIT_REPOSITORY, {
      observedGeneration: 1,
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "GitOperationFailed",
          message: "failed to checkout and determine revision",
          lastTransitionTime: "2026-01-02T03:04:05Z",
        },
      ],
    });
    await reconciled(fleet.t.request, "metrics-stuck");
    // The clean cluster's latest report must be a read one: a reconcile that timed out under
    // load reports Unknown, and an Unknown cluster exports no since-series.
    expect((await reconciled(fleet.t.request, "metrics-clean")).state).toBe("Ready");
    const after = (await fleet.t.request("GET", "/metrics", { token: null })).text;
    expect(after).toContain(
      `fleetplane_flux_not_ready_since_timestamp_seconds{kind="GitRepository",name="fleet-config",namespace="flux-system",cluster="metrics-stuck"} ${Date.parse("2026-01-02T03:04:05Z") / 1000}`,
    );
    expect(after).toMatch(
      /^gotk_resource_info\{customresource_group="source\.toolkit\.fluxcd\.io",customresource_kind="GitRepository",customresource_version="v1",exported_namespace="flux-system",name="fleet-config",ready="False",suspended="false",cluster="metrics-stuck"\} 1$/m,
    );
    // A Ready one has no such series; one Flux has never reconciled counts from its creation.
    expect(after).not.toMatch(
      /fleetplane_flux_not_ready_since_timestamp_seconds\{kind="Kustomization",[^}]*cluster="metrics-clean"/,
    );
    const never =
      /fleetplane_flux_not_ready_since_timestamp_seconds\{kind="GitRepository",[^}]*cluster="metrics-clean"\} (\d+)/.exec(
        after,
      );
    expect(Number(never?.[1])).toBeGreaterThan(Date.now() / 1000 - 600);
    // The live exposition is what Prometheus's own linter accepts.
    expect(await promtool(["check", "metrics"], res.text)).toMatchObject({ code: 0, output: "" });
  });

  it("with driftPolicy remediate re-applies, records the repair, and the next reconcile is clean", async () => {
    const kube = await cluster("healed");
    kube.editAs("kubectl-edit", KUSTOMIZATION, { spec: { prune: false } });
    expect((await reconciled(fleet.t.request, "healed")).state).toBe("Modified");
    const current = await fleet.t.request("GET", "/v1/clusters/healed");
    const patched = await fleet.t.request("PATCH", "/v1/clusters/healed", {
      headers: { "if-match": current.headers.get("etag")! },
      body: { driftPolicy: "remediate" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.driftPolicy).toBe("remediate");
    await fleet.t.request("POST", "/v1/clusters/healed/reconcile");
    const repaired = await eventually(
      async () => (await events("DriftRepaired")).find((e) => e.diff.cluster === "healed"),
      15_000,
      "a repair",
    );
    expect(repaired.diff).toMatchObject({
      kind: "Kustomization",
      before: { ".spec.prune": false },
      after: { ".spec.prune": true },
    });
    expect((kube.store.get(KUSTOMIZATION) as any).spec.prune).toBe(true);
    // The confirming reconcile that follows a repair finds the cluster clean.
    const clean = await eventually(async () => {
      const res = await report("healed");
      return res.body.state === "Ready" ? res.body : undefined;
    });
    expect(clean.items).toEqual([]);
    const healed = (await fleet.t.request("GET", "/v1/clusters/healed")).body;
    expect(healed.status.conditions.find((c: { type: string }) => c.type === "Drifted").status).toBe("False");
  });

  it("reports a deleted object as Missing", async () => {
    const other = await cluster("deleted-from");
    // A reconcile that has seen the object on the cluster: until then a missing object is one
    // not applied yet, and the reconcile applies it instead of reporting it.
    expect((await reconciled(fleet.t.request, "deleted-from")).state).toBe("Ready");
    expect(other.remove(GIT_REPOSITORY)).toBe(true);
    const body = await reconciled(fleet.t.request, "deleted-from");
    expect(body.state).toBe("OutOfSync");
    expect(body.items).toEqual([
      expect.objectContaining({ type: "Missing", kind: "GitRepository", name: "fleet-config", path: null }),
    ]);
    expect(body.items[0].explanation.cause).toBe("Deleted");
    expect(other.store.get(GIT_REPOSITORY)).toBeUndefined();
  });

  it("reports objects labelled managed-by fleetplane that nothing wants as prune candidates", async () => {
    const other = await cluster("leftovers");
    const leftover = { ...KUSTOMIZATION, name: "old-config" };
    other.editAs(
      "fleetplane",
      leftover,
      {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        metadata: {
          name: "old-config",
          namespace: "flux-system",
          labels: { "app.kubernetes.io/managed-by": "fleetplane" },
        },
        spec: {
          interval: "10m",
          path: "./old",
          prune: true,
          sourceRef: { kind: "GitRepository", name: "fleet-config" },
        },
      },
      "Apply",
    );
    const body = await reconciled(fleet.t.request, "leftovers");
    const candidate = body.items.find((i: { type: string }) => i.type === "PruneCandidate");
    expect(candidate).toMatchObject({
      kind: "Kustomization",
      namespace: "flux-system",
      name: "old-config",
      owner: null,
    });
    expect(candidate.explanation.cause).toBe("NoLongerWanted");
    expect(candidate.explanation.remediation).toContain("kubectl delete kustomization -n flux-system old-config");
    // Reported, never deleted by a reconcile.
    expect(other.store.get(leftover)).toBeDefined();
  });

  it("reports an unreachable cluster as Unknown and alerts once, not every reconcile", async () => {
    const other = await cluster("unreachable");
    other.faults.down = true;
    try {
      const first = await reconciled(fleet.t.request, "unreachable");
      expect(first.state).toBe("Unknown");
      expect(first.reason).toBe("Unreachable");
      expect(first.message).toContain(other.url);
      await reconciled(fleet.t.request, "unreachable");
      await reconciled(fleet.t.request, "unreachable");
      const alerts = (await events("ClusterUnreachable")).filter((e) => e.message.includes("unreachable"));
      expect(alerts).toHaveLength(1);
      const down = (await fleet.t.request("GET", "/v1/clusters/unreachable")).body;
      expect(down.status.conditions.find((c: { type: string }) => c.type === "Drifted")).toMatchObject({
        status: "Unknown",
        reason: "Unreachable",
      });
      const metrics = parsePrometheusTextFormat(
        (await fleet.t.request("GET", "/metrics", { token: null })).text,
      ) as MetricFamily[];
      expect(
        select(
          metrics.map((f) =>
            f.name === "fleetplane_cluster_reachable"
              ? { ...f, metrics: f.metrics.map((m) => ({ ...m, value: m.value === "0" ? "1" : "0" })) }
              : f,
          ),
          'fleetplane_cluster_reachable{cluster="unreachable"} == 1',
        ),
      ).toHaveLength(1);
    } finally {
      other.faults.down = false;
    }
    expect((await reconciled(fleet.t.request, "unreachable")).state).toBe("Ready");
    expect((await events("ClusterReachable")).filter((e) => e.message.includes("unreachable"))).toHaveLength(1);
  });

  it("accepts driftPolicy and reconcileInterval exactly as written and refuses bad ones", async () => {
    await cluster("policies");
    const current = await fleet.t.request("GET", "/v1/clusters/policies");
    const ok = await fleet.t.request("PATCH", "/v1/clusters/policies", {
      headers: { "if-match": current.headers.get("etag")! },
      body: { reconcileInterval: "90s", driftPolicy: "report" },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ reconcileInterval: "90s", driftPolicy: "report" });
    for (const body of [{ driftPolicy: "fix" }, { reconcileInterval: "soon" }, { reconcileInterval: "0s" }]) {
      const res = await fleet.t.request("PATCH", "/v1/clusters/policies", { body });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
  });
});
