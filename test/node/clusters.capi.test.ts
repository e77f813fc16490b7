import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installBundleAs, installCrdsOf } from "../emulators/addons";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { conditionOf } from "./support/eks";
import { eventually, expectProblem, startTestHost, type TestHost } from "./support/harness";

/**
 * A Cluster API cluster through the API. The management cluster is a kube emulator registered
 * as an imported fleet member; the test plays Cluster API's controllers (status, the
 * kubeconfig Secret), and a second emulator is the workload cluster.
 */
let t: TestHost;
let mgmt: KubeEmulator;
let workload: KubeEmulator;
const CLUSTER = { apiVersion: "cluster.x-k8s.io/v1beta1", kind: "Cluster", namespace: "clusters", name: "edge-capi" };

beforeAll(async () => {
  mgmt = await startKubeEmulator({ name: "mgmt" });
  workload = await startKubeEmulator({ name: "edge-capi", gitVersion: "v1.30.4" });
  mgmt.editAs(
    "kubectl",
    { apiVersion: "v1", kind: "Namespace", name: "clusters" },
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "clusters" },
    },
    "Apply",
  );
  // A management cluster: Cluster API (and its add-on provider) installed by clusterctl.
  await installCrdsOf(mgmt, "cluster-api");
  t = await startTestHost({ FLEET_PROVIDER_POLL_MS: "20" });
  await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
  await t.request("POST", "/v1/clusters", {
    body: { name: "mgmt", class: "imported", connection: { server: mgmt.url, caData: mgmt.caData, token: mgmt.token } },
  });
  const cls = await t.request("POST", "/v1/cluster-classes", {
    body: {
      name: "capi-edge",
      provider: "capi",
      version: "1.30",
      workers: [{ name: "md-0", replicas: 2 }],
      capi: { managementCluster: "mgmt", topologyClass: "eks-cluster-class" },
      fleetConfig: { url: "https://github.com/acme/fleet-config" },
    },
  });
  expect(cls.status).toBe(201);
});
afterAll(async () => {
  await t.close();
  await mgmt.close();
  await workload.close();
});

const get = async () => (await t.request("GET", "/v1/clusters/edge-capi")).body;
const until = (what: string, check: (c: any) => boolean) =>
  eventually(
    async () => {
      const cluster = await get();
      return check(cluster) ? cluster : undefined;
    },
    15_000,
    what,
  );
const capiCluster = () => mgmt.store.get(CLUSTER) as any;

describe("a Cluster API cluster, the whole life through the API", () => {
  it("refuses a class whose management cluster is not in the fleet", async () => {
    await t.request("POST", "/v1/cluster-classes", {
      body: { name: "capi-orphan", provider: "capi", capi: { managementCluster: "nowhere", topologyClass: "x" } },
    });
    expectProblem(
      await t.request("POST", "/v1/clusters", { body: { name: "x", class: "capi-orphan" } }),
      422,
      "invalid_reference",
    );
  });

  it("applies the Cluster topology and the FluxAddon on the management cluster and follows status.phase", async () => {
    const res = await t.request("POST", "/v1/clusters", {
      body: { name: "edge-capi", class: "capi-edge", environment: "staging" },
    });
    expect(res.status).toBe(202);
    await until("Provisioning", (c) => c.status.phase === "Provisioning");
    expect(capiCluster().spec.topology).toEqual({
      class: "eks-cluster-class",
      version: "v1.30.0",
      workers: { machineDeployments: [{ class: "default-worker", name: "md-0", replicas: 2 }] },
    });
    const addon = mgmt.store.get({
      ...CLUSTER,
      apiVersion: "addons.cluster.x-k8s.io/v1alpha1",
      kind: "FluxAddon",
      name: "edge-capi-flux",
    }) as any;
    expect(addon.spec).toMatchObject({
      sourceRef: { kind: "GitRepository", name: "fleet-config" },
      kustomize: { path: "./clusters/staging/edge-capi" },
      version: "2.7.3",
    });

    // Cluster API: the control plane is up and the kubeconfig Secret is written.
    const kubeconfig = JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "edge-capi", cluster: { server: workload.url, "certificate-authority-data": workload.caData } },
      ],
      // As Cluster API writes it: the admin user authenticates with a client certificate.
      users: [
        {
          name: "edge-capi-admin",
          user: { "client-certificate-data": workload.clientCertData, "client-key-data": workload.clientKeyData },
        },
      ],
      contexts: [{ name: "edge-capi", context: { cluster: "edge-capi", user: "edge-capi-admin" } }],
      "current-context": "edge-capi",
    });
    mgmt.editAs(
      "capi-controller-manager",
      { apiVersion: "v1", kind: "Secret", namespace: "clusters", name: "edge-capi-kubeconfig" },
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "edge-capi-kubeconfig", namespace: "clusters" },
        data: { value: Buffer.from(kubeconfig).toString("base64") },
      },
      "Apply",
    );
    mgmt.setStatus(CLUSTER, { phase: "Provisioned", observedGeneration: 1 });

    const cluster = await until("Provisioned", (c) => c.status.phase === "Provisioned");
    expect(conditionOf(cluster, "Ready")).toMatchObject({ status: "True", reason: "Provisioned" });
    expect(cluster.status.serverVersion).toBe("v1.30.4");
    // Flux is the FluxAddon's to install: Fleetplane waits for Cluster API's add-on provider.
    const waiting = await until("Flux waiting for its FluxAddon", (c) =>
      (c.status.addons ?? []).some((a: any) => a.name === "flux" && a.reason === "WaitingForFluxAddon"),
    );
    expect(waiting.status.addons.find((a: any) => a.name === "flux")).toMatchObject({
      phase: "Installing",
      managed: false,
      message: "waiting for FluxAddon clusters/edge-capi-flux on mgmt to install Flux",
    });
    // The add-on provider installs the release the FluxAddon names and reports it Ready.
    await installBundleAs(workload, "flux", "2.7.3", "caaph-manager");
    mgmt.setStatus(
      { ...CLUSTER, apiVersion: "addons.cluster.x-k8s.io/v1alpha1", kind: "FluxAddon", name: "edge-capi-flux" },
      { conditions: [{ type: "Ready", status: "True", reason: "Installed", message: "Flux 2.7.3 installed" }] },
    );
    const installed = await until(
      "every add-on Ready",
      (c) => (c.status.addons ?? []).length === 3 && c.status.addons.every((a: any) => a.phase === "Ready"),
    );
    expect(installed.status.addons.find((a: any) => a.name === "flux")).toMatchObject({
      managed: false,
      versionFound: "2.7.3",
      reason: "InstalledByFluxAddon",
      message: "installed by FluxAddon clusters/edge-capi-flux on mgmt",
    });
    // Fleetplane installed External Secrets and Kyverno itself, and wrote nothing of Flux's release.
    const controller = workload.store.get({
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace: "flux-system",
      name: "kustomize-controller",
    }) as any;
    const managers = controller.metadata.managedFields.map((m: { manager: string }) => m.manager);
    expect(managers).toContain("caaph-manager");
    expect(managers).not.toContain("fleetplane");
    expect(installed.status.addons.find((a: any) => a.name === "kyverno")).toMatchObject({ managed: true });
    // Then Flux's fleet-config objects.
    const kustomization = (await eventually(async () => {
      try {
        return workload.store.get({
          apiVersion: "kustomize.toolkit.fluxcd.io/v1",
          kind: "Kustomization",
          namespace: "flux-system",
          name: "fleet-config",
        });
      } catch {
        return undefined; // Flux's CRDs are not installed yet
      }
    }, 15_000)) as any;
    expect(kustomization.spec.path).toBe("./clusters/staging/edge-capi");
  });

  it("upgrades by patching topology.version and follows TopologyReconciled", async () => {
    const res = await t.request("PATCH", "/v1/clusters/edge-capi", { body: { version: "1.31" } });
    expect(res.status).toBe(200);
    expect(res.body.status.phase).toBe("Upgrading");
    await eventually(async () => (capiCluster().spec.topology.version === "v1.31.0" ? true : undefined));
    mgmt.setStatus(CLUSTER, {
      phase: "Provisioned",
      observedGeneration: 2,
      conditions: [
        {
          type: "TopologyReconciled",
          status: "False",
          reason: "MachineDeploymentsUpgradePending",
          message: "md-0 upgrading",
        },
      ],
    });
    await until("workers pending", (c) => conditionOf(c, "Reconciling")?.reason === "MachineDeploymentsUpgradePending");
    mgmt.setStatus(CLUSTER, {
      phase: "Provisioned",
      observedGeneration: 2,
      conditions: [{ type: "TopologyReconciled", status: "True", reason: "ReconcileSucceeded", message: "" }],
    });
    const cluster = await until("upgraded", (c) => c.status.phase === "Provisioned" && c.status.version === "1.31");
    expect(conditionOf(cluster, "Reconciling")?.reason).toBe("UpgradeComplete");
  });

  it("scales through the topology's machineDeployments", async () => {
    await t.request("PATCH", "/v1/clusters/edge-capi", { body: { workers: [{ name: "md-0", replicas: 4 }] } });
    await eventually(async () =>
      capiCluster().spec.topology.workers.machineDeployments[0].replicas === 4 ? true : undefined,
    );
    mgmt.setStatus(CLUSTER, {
      phase: "Provisioned",
      observedGeneration: 3,
      conditions: [{ type: "TopologyReconciled", status: "True", reason: "ReconcileSucceeded", message: "" }],
    });
    await until("scaled", (c) => conditionOf(c, "Reconciling")?.reason === "ScaleComplete");
  });

  it("deletes the Cluster on the management cluster, then answers 404", async () => {
    expect((await t.request("DELETE", "/v1/clusters/edge-capi")).status).toBe(202);
    await eventually(async () =>
      (await t.request("GET", "/v1/clusters/edge-capi")).status === 404 ? true : undefined,
    );
    expect(capiCluster()).toBeUndefined();
    expect(
      mgmt.store.get({
        ...CLUSTER,
        apiVersion: "addons.cluster.x-k8s.io/v1alpha1",
        kind: "FluxAddon",
        name: "edge-capi-flux",
      }),
    ).toBeUndefined();
  });
});
