import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { externalSecretRef, type Fleet, startFleet } from "./support/fleet";
import { eventually } from "./support/harness";

let fleet: Fleet;
let kube: KubeEmulator;
beforeAll(async () => {
  fleet = await startFleet();
  kube = await fleet.addCluster("prod-eu-west-1", { tier: "prod" });
  await fleet.request("POST", "/v1/tenants", {
    body: {
      name: "team-search",
      namespace: "search",
      source: { url: "https://github.com/acme/search-k8s" },
      placement: { labelSelector: "tier=prod" },
    },
  });
});
afterAll(() => fleet.close());

describe("secrets: happy paths", () => {
  it("a remote reference becomes an ExternalSecret on the key as given", async () => {
    const res = await fleet.request("POST", "/v1/tenants/team-search/secrets", {
      body: { name: "shared-db", remoteRef: { key: "prod/search/db", property: "password" }, refreshInterval: "15m" },
    });
    expect(res.status).toBe(202);
    const es = (await eventually(async () => kube.store.get(externalSecretRef("search", "shared-db")))) as any;
    expect(es.spec).toEqual({
      refreshInterval: "15m",
      secretStoreRef: { kind: "ClusterSecretStore", name: "fleetplane-aws-secrets-manager" },
      target: { name: "shared-db", creationPolicy: "Owner" },
      data: [{ secretKey: "password", remoteRef: { key: "prod/search/db", property: "password" } }],
    });
    expect(fleet.aws.secrets.size).toBe(0);
  });

  it("a value with several keys maps each key; settings changes re-apply without a new version", async () => {
    const created = await fleet.request("POST", "/v1/tenants/team-search/secrets", {
      body: { name: "opensearch", data: { username: "search", password: "p-1" }, deletionPolicy: "Delete" },
    });
    const versionId = created.body.secretsManager.versionId;
    const es = (await eventually(async () => kube.store.get(externalSecretRef("search", "opensearch")))) as any;
    expect(es.spec.target).toEqual({ name: "opensearch", creationPolicy: "Owner", deletionPolicy: "Delete" });
    expect(es.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(["username", "password"]);
    const updated = await fleet.request("PUT", "/v1/tenants/team-search/secrets/opensearch", {
      body: { name: "opensearch", refreshInterval: "5m", deletionPolicy: "Delete" },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.secretsManager.versionId).toBe(versionId);
    await eventually(async () =>
      (kube.store.get(externalSecretRef("search", "opensearch")) as any)?.spec.refreshInterval === "5m"
        ? true
        : undefined,
    );
  });

  it("DELETE removes the ExternalSecret everywhere, then schedules the value's deletion; GET is 404", async () => {
    const res = await fleet.request("DELETE", "/v1/tenants/team-search/secrets/opensearch");
    expect(res.status).toBe(202);
    expect(res.body.status.phase).toBe("Deleting");
    await eventually(async () => {
      const got = await fleet.request("GET", "/v1/tenants/team-search/secrets/opensearch");
      return got.status === 404 ? true : undefined;
    });
    expect(kube.store.get(externalSecretRef("search", "opensearch"))).toBeUndefined();
    expect(kube.store.get(externalSecretRef("search", "shared-db"))).toBeDefined();
    const stored = fleet.aws.secrets.get("fleetplane/team-search/opensearch");
    expect(stored?.deletedAt).toBeDefined();
    // The referenced key was never ours: deleting its secret leaves AWS alone.
    await fleet.request("DELETE", "/v1/tenants/team-search/secrets/shared-db");
    await eventually(async () => (kube.store.get(externalSecretRef("search", "shared-db")) ? undefined : true));
    expect(fleet.aws.requests.some((r) => r.operation === "DeleteSecret" && r.target?.includes("prod/search"))).toBe(
      false,
    );
  });

  it("a secret recreated within the recovery window gets its name back", async () => {
    const res = await fleet.request("POST", "/v1/tenants/team-search/secrets", {
      body: { name: "opensearch", data: { username: "search", password: "p-2" } },
    });
    expect(res.status).toBe(202);
    const stored = fleet.aws.secrets.get("fleetplane/team-search/opensearch");
    expect(stored?.deletedAt).toBeUndefined();
    await eventually(async () => kube.store.get(externalSecretRef("search", "opensearch")));
  });
});

describe("tenants: a cluster whose platform is not ready yet", () => {
  it("waits for the add-ons it needs, saying which, then applies once they are Ready", async () => {
    const bare = await startKubeEmulator({ name: "bare" });
    // Kyverno's CRD is held back: the platform cannot finish installing until it is released.
    bare.controls.heldCrds.add("clusterpolicies.kyverno.io");
    fleet.clusters.set("bare", bare);
    await fleet.request("POST", "/v1/clusters", {
      body: {
        name: "bare",
        class: "imported",
        labels: { tier: "prod" },
        connection: { server: bare.url, caData: bare.caData, token: bare.token },
      },
    });
    const tenant = await eventually(async () => {
      const res = await fleet.request("GET", "/v1/tenants/team-search");
      const bareState = res.body.status.clusters.find((c: { cluster: string }) => c.cluster === "bare");
      // Flux and External Secrets finish first; then only the held Kyverno is left to wait for.
      return bareState?.state === "WaitApplied" &&
        /^waiting for add-on kyverno [^,]*\) on cluster bare/.test(bareState.message)
        ? bareState
        : undefined;
    });
    expect(tenant.message).toMatch(
      /^waiting for add-on kyverno 1\.15\.2 \(Installing: waiting for CustomResourceDefinition clusterpolicies\.kyverno\.io to be Established\) on cluster bare/,
    );
    // Nothing of the tenant's was written meanwhile, and no job failed.
    expect(bare.store.get({ apiVersion: "v1", kind: "Namespace", name: "search" })).toBeUndefined();
    const failed = await fleet.request("GET", "/v1/jobs?cluster=bare&state=Failed");
    expect(failed.body.items).toHaveLength(0);
    bare.controls.heldCrds.clear();
    bare.controls.changed();
    await eventually(async () => bare.store.get(externalSecretRef("search", "opensearch")), 15_000);
  });
});
