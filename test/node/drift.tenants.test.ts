import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeEmulator } from "../emulators/kube";
import { externalSecretRef, type Fleet, fluxReconciled, refs, startFleet, waitForStates } from "./support/fleet";
import { eventually } from "./support/harness";

const PASSWORD = "drift-Test-Leak-Canary-5b19e0";
const R = refs("team-web", "team-web");
const SECRET = externalSecretRef("team-web", "db-password");

describe("drift of tenants' and secrets' objects", () => {
  let fleet: Fleet;
  let kube: KubeEmulator;

  const condition = (body: any, type: string) => body.status.conditions.find((c: { type: string }) => c.type === type);
  async function reconciled() {
    const askedAt = Date.now();
    expect((await fleet.request("POST", "/v1/clusters/web-1/reconcile")).status).toBe(202);
    return eventually(async () => {
      const res = await fleet.request("GET", "/v1/clusters/web-1/drift");
      return res.body.reconciledAt && Date.parse(res.body.reconciledAt) >= askedAt ? res.body : undefined;
    }, 15_000);
  }

  beforeAll(async () => {
    fleet = await startFleet();
    kube = await fleet.addCluster("web-1", { tier: "web" });
    const tenant = await fleet.request("POST", "/v1/tenants", {
      body: {
        name: "team-web",
        namespace: "team-web",
        source: { url: "https://github.com/acme/web-k8s" },
        placement: { labelSelector: "tier=web" },
        driftPolicy: "report",
      },
    });
    expect(tenant.status).toBe(202);
    expect(tenant.body.driftPolicy).toBe("report");
    await eventually(async () => (kube.store.get(R.kustomization) ? true : undefined));
    fluxReconciled(kube, "team-web");
    await waitForStates(fleet.request, "team-web", { "web-1": "Ready" });
    const secret = await fleet.request("POST", "/v1/tenants/team-web/secrets", {
      body: { name: "db-password", data: { password: PASSWORD }, driftPolicy: "remediate" },
    });
    expect(secret.status).toBe(202);
    expect(secret.body.driftPolicy).toBe("remediate");
    await eventually(async () => {
      const res = await fleet.request("GET", "/v1/tenants/team-web/secrets/db-password");
      return res.body.status.phase === "Ready" ? true : undefined;
    }, 15_000);
  });

  afterAll(() => fleet?.close());

  it("a clean cluster reports the tenant's and the secret's objects as in sync", async () => {
    const report = await reconciled();
    expect(report.state).toBe("Ready");
    const tenant = (await fleet.request("GET", "/v1/tenants/team-web")).body;
    expect(condition(tenant, "Drifted")).toMatchObject({ status: "False" });
  });

  it("reports a tenant's Kustomization edited by hand against the tenant, and shows Modified on it", async () => {
    kube.editAs("kubectl-client-side-apply", R.kustomization, { spec: { targetNamespace: "kube-system" } });
    const report = await reconciled();
    expect(report.items).toEqual([
      expect.objectContaining({
        type: "Modified",
        kind: "Kustomization",
        name: "team-web",
        path: ".spec.targetNamespace",
        desired: "team-web",
        live: "kube-system",
        owner: expect.objectContaining({ type: "Tenant", name: "team-web" }),
        manager: expect.objectContaining({ name: "kubectl-client-side-apply" }),
      }),
    ]);
    expect(report.items[0].explanation.cause).toBe("ManualEdit");
    const tenant = (await fleet.request("GET", "/v1/tenants/team-web")).body;
    expect(condition(tenant, "Drifted")).toMatchObject({ status: "True", reason: "Modified" });
    expect(tenant.status.clusters[0]).toMatchObject({ cluster: "web-1", state: "Modified" });
    // report: left as it is on the cluster.
    expect((kube.store.get(R.kustomization) as any).spec.targetNamespace).toBe("kube-system");
  });

  it("re-creates a deleted ExternalSecret whose secret says remediate, and the next look is clean for it", async () => {
    expect(kube.remove(SECRET)).toBe(true);
    await reconciled();
    const repaired = await eventually(async () => {
      const events = (await fleet.request("GET", "/v1/events?pageSize=500")).body.items as any[];
      return events.find((e) => e.reason === "DriftRepaired" && e.resource.type === "Secret");
    });
    expect(repaired.diff).toMatchObject({ kind: "ExternalSecret", name: "db-password" });
    expect(kube.store.get(SECRET)).toBeDefined();
    const report = await eventually(async () => {
      const res = await fleet.request("GET", "/v1/clusters/web-1/drift");
      return res.body.items.every((i: { kind: string }) => i.kind !== "ExternalSecret") ? res.body : undefined;
    });
    // The tenant's own drift (policy report) is still there.
    expect(report.items.map((i: { kind: string }) => i.kind)).toEqual(["Kustomization"]);
    const secret = (await fleet.request("GET", "/v1/tenants/team-web/secrets/db-password")).body;
    expect(condition(secret, "Drifted")).toMatchObject({ status: "False" });
    const all = fleet.responses.map((r) => r.text).join("\n");
    expect(all).not.toContain(PASSWORD);
  });
});
