import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DriftItem } from "../../core/drift/compare";
import { explainModified } from "../../core/drift/explain";
import { driftPrompt } from "../../core/drift/narrative";
import { type MessagesEmulator, promptOf, startMessagesEmulator } from "../emulators/anthropic";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { dataFilesText } from "./support/fleet";
import { eventually, startTestHost, type TestHost } from "./support/harness";

const KUSTOMIZATION = {
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  namespace: "flux-system",
  name: "fleet-config",
};

describe("drift narrative from an LLM", () => {
  let t: TestHost;
  let kube: KubeEmulator;
  let llm: MessagesEmulator;

  async function driftReport(askedAt: number) {
    return eventually(async () => {
      const res = await t.request("GET", "/v1/clusters/edge-eu/drift");
      return res.body.reconciledAt && Date.parse(res.body.reconciledAt) >= askedAt ? res.body : undefined;
    }, 15_000);
  }

  beforeAll(async () => {
    llm = await startMessagesEmulator();
    t = await startTestHost({
      FLEET_LLM_URL: llm.url,
      FLEET_LLM_API_KEY: llm.apiKey,
      FLEET_LLM_MODEL: "claude-test-model",
      FLEET_PROVIDER_POLL_MS: "50",
      FLEET_RECONCILE_INTERVAL_SECONDS: "3600",
    });
    kube = await startKubeEmulator({ name: "edge-eu" });
    await t.request("POST", "/v1/cluster-classes", {
      body: { name: "gitops", provider: "imported", fleetConfig: { url: "https://github.com/acme/fleet-config" } },
    });
    await t.request("POST", "/v1/clusters", {
      body: {
        name: "edge-eu",
        class: "gitops",
        connection: { server: kube.url, caData: kube.caData, token: kube.token },
      },
    });
    await eventually(async () => (kube.store.get(KUSTOMIZATION) ? true : undefined));
    kube.setStatus(KUSTOMIZATION, {
      observedGeneration: 1,
      conditions: [{ type: "Ready", status: "True", reason: "ReconciliationSucceeded", message: "Applied" }],
    });
    await eventually(async () =>
      (await t.request("GET", "/v1/clusters/edge-eu/drift")).body.state === "Ready" ? true : undefined,
    );
  });

  afterAll(async () => {
    await t?.close();
    await kube?.close();
    await llm?.close();
  });

  it("adds the model's narrative to a drift report; the prompt carries the report and conditions, no secret", async () => {
    // A clean cluster asks the model nothing.
    expect(llm.requests).toHaveLength(0);
    kube.editAs("kubectl-edit", KUSTOMIZATION, { spec: { prune: false } });
    const askedAt = Date.now();
    await t.request("POST", "/v1/clusters/edge-eu/reconcile");
    const report = await driftReport(askedAt);
    expect(report.state).toBe("Modified");
    expect(report.narrative).toMatch(/^Narrative \(claude-test-model\): /);
    expect(llm.requests).toHaveLength(1);
    const [request] = llm.requests;
    expect(request!.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request!.body).toMatchObject({ model: "claude-test-model", max_tokens: 1024 });
    const prompt = promptOf(request!);
    expect(prompt).toContain(".spec.prune");
    expect(prompt).toContain("kubectl-edit");
    expect(prompt).toContain("FluxReady");
    expect(prompt).not.toContain(kube.token);
    expect(prompt).not.toContain(llm.apiKey);
    // The same drift found again keeps its narrative without asking the model again.
    const again = Date.now();
    await t.request("POST", "/v1/clusters/edge-eu/reconcile");
    expect((await driftReport(again)).narrative).toBe(report.narrative);
    expect(llm.requests).toHaveLength(1);
    // The key goes in the header only, and is not kept anywhere.
    expect(await dataFilesText(t.dir)).not.toContain(llm.apiKey);
  });

  it("keeps the report when the model fails", async () => {
    llm.failWith = 529;
    try {
      kube.editAs("kubectl-edit", KUSTOMIZATION, { spec: { interval: "1h" } });
      const askedAt = Date.now();
      await t.request("POST", "/v1/clusters/edge-eu/reconcile");
      const report = await driftReport(askedAt);
      expect(report.state).toBe("Modified");
      expect(report.items.map((i: DriftItem) => i.path).sort()).toEqual([".spec.interval", ".spec.prune"]);
      expect(report.narrative).toBeNull();
      expect(t.logs.some((l) => l.includes("drift narrative failed") && l.includes("529"))).toBe(true);
    } finally {
      llm.failWith = undefined;
    }
  });

  it("redacts values of Secrets and of credential-like fields from the prompt", () => {
    const subject = { kind: "Secret", namespace: "team-a", name: "db", owner: null, policy: "report" as const };
    const item = (kind: string, path: string, live: string): DriftItem => ({
      type: "Modified",
      apiVersion: "v1",
      kind,
      namespace: "team-a",
      name: "db",
      owner: null,
      path,
      desired: "desired-value",
      live,
      manager: { name: "kubectl-edit", operation: "Update", time: null },
      explanation: explainModified({ ...subject, kind }, { path, desired: "x", live: "y", manager: null }),
    });
    const prompt = driftPrompt(
      { name: "edge-eu", status: { conditions: [] } },
      {
        state: "Modified",
        reason: "DriftDetected",
        message: "3 fields changed",
        items: [
          item("Secret", ".data.password", "c3VwZXJzZWNyZXQ="),
          item("ConfigMap", ".data.token", "tok-123"),
          item("Deployment", ".spec.replicas", "5"),
        ],
        objects: [],
        narrative: null,
        durationMs: 1,
        reconciledAt: 0,
      },
    );
    expect(prompt).not.toContain("c3VwZXJzZWNyZXQ=");
    expect(prompt).not.toContain("tok-123");
    expect(prompt).toContain('"live": "5"');
  });
});
