import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBundle } from "../../core/addons/bundles";
import { addonBundles } from "../../schema";
import { crdsOf, renderBundle } from "../emulators/addons";
import { startFluxController } from "../emulators/flux";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { eventually, expectProblem, reconciled, startTestHost, type TestHost } from "./support/harness";

/**
 * Platform add-ons on bare clusters: a fresh emulated API server serves no Flux, External
 * Secrets, Kyverno or Argo CD kind until Fleetplane has installed their CRDs, and their
 * controllers act only once their Deployments are Available.
 */
let t: TestHost;
const kubes = new Map<string, KubeEmulator>();
let flux: { stop(): void };

interface AddonStatus {
  name: string;
  version: string;
  versionFound?: string;
  phase: string;
  managed: boolean;
  reason: string;
  message: string;
  sha256?: string;
}

beforeAll(async () => {
  t = await startTestHost({ FLEET_PROVIDER_POLL_MS: "50", FLEET_ADDON_TIMEOUT_SECONDS: "3" });
  flux = startFluxController(kubes, { delayMs: 50 });
  const res = await t.request("POST", "/v1/cluster-classes", {
    body: { name: "bare", provider: "imported", fleetConfig: { url: "https://github.com/acme/fleet-config" } },
  });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  flux.stop();
  await t.close();
  await Promise.all([...kubes.values()].map((k) => k.close()));
});

async function addCluster(name: string, fields: Record<string, unknown> = {}, kube?: KubeEmulator) {
  const emulator = kube ?? (await startKubeEmulator({ name }));
  kubes.set(name, emulator);
  const res = await t.request("POST", "/v1/clusters", {
    body: {
      name,
      class: "bare",
      connection: { server: emulator.url, caData: emulator.caData, token: emulator.token },
      ...fields,
    },
  });
  expect(res.status, res.text).toBe(202);
  return emulator;
}

async function addonsOf(name: string, want: (addons: AddonStatus[], body: any) => boolean, timeoutMs = 15_000) {
  return eventually(
    async () => {
      const res = await t.request("GET", `/v1/clusters/${name}`);
      const addons = (res.body.status.addons ?? []) as AddonStatus[];
      return want(addons, res.body) ? res.body : undefined;
    },
    timeoutMs,
    `add-ons of ${name}`,
  );
}

const condition = (body: any, type: string) => body.status.conditions.find((c: { type: string }) => c.type === type);

describe("a bare cluster", () => {
  it("serves no platform kind before Fleetplane installs it", async () => {
    const kube = await startKubeEmulator({ name: "probe" });
    try {
      expect(() => kube.store.list({ apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization" })).toThrow(
        /doesn't have a resource type/,
      );
      expect(kube.store.get({ apiVersion: "v1", kind: "Namespace", name: "flux-system" })).toBeUndefined();
    } finally {
      await kube.close();
    }
  });

  it("gets Flux, External Secrets and Kyverno installed, then FluxReady", async () => {
    const kube = await addCluster("bare-1");
    const body = await addonsOf(
      "bare-1",
      (a, b) => a.length === 3 && a.every((x) => x.phase === "Ready") && condition(b, "FluxReady")?.status === "True",
    );
    expect(body.status.addons.map((a: AddonStatus) => [a.name, a.version, a.versionFound, a.managed])).toEqual([
      ["flux", "2.7.3", "2.7.3", true],
      ["external-secrets", "0.20.4", "0.20.4", true],
      ["kyverno", "1.15.2", "1.15.2", true],
    ]);
    expect(condition(body, "AddonsReady")).toMatchObject({ status: "True", reason: "AddonsReady" });
    for (const a of body.status.addons as AddonStatus[]) expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);

    // What a real install leaves: established CRDs, the namespaces, controllers Available.
    const crd = kube.store.get({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      name: "kustomizations.kustomize.toolkit.fluxcd.io",
    }) as any;
    expect(crd.status.conditions.find((c: { type: string }) => c.type === "Established").status).toBe("True");
    // The CRD arrived with its whole schema: `default`, `enum` and `x-kubernetes-*` included.
    const sent = parseBundle([renderBundle("flux", "2.7.3") as string]).find(
      (o) => o.metadata.name === "kustomizations.kustomize.toolkit.fluxcd.io",
    ) as any;
    expect(crd.spec.versions.map((v: any) => v.schema)).toEqual(sent.spec.versions.map((v: any) => v.schema));
    expect(JSON.stringify(crd.spec.versions[0].schema)).toContain('"x-kubernetes-list-map-keys":["name"]');
    const controller = kube.store.get({
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace: "flux-system",
      name: "kustomize-controller",
    }) as any;
    expect(controller.metadata.managedFields.some((m: { manager: string }) => m.manager === "fleetplane")).toBe(true);
    expect(kube.store.get({ apiVersion: "v1", kind: "Namespace", name: "external-secrets" })).toBeDefined();
    // CRDs went in before anything that needs them, and before the controllers.
    const writes = kube.requests.filter((r) => r.method === "PATCH").map((r) => r.path);
    const firstCrd = writes.findIndex((p) => p.includes("customresourcedefinitions"));
    const firstDeployment = writes.findIndex((p) => p.includes("/deployments/"));
    const firstFlux = writes.findIndex((p) => p.startsWith("/apis/kustomize.toolkit.fluxcd.io/"));
    expect(firstCrd).toBeGreaterThanOrEqual(0);
    expect(firstCrd).toBeLessThan(firstDeployment);
    expect(firstDeployment).toBeLessThan(firstFlux);
    // The whole install went over a few kept-alive connections, not one TLS handshake per call.
    expect(kube.connections).toBeLessThan(kube.requests.length / 5);

    const events = await t.request("GET", `/v1/events?resource=${body.id}&reason=AddonReady,AddonFailed&pageSize=100`);
    const reasons = events.body.items.map((e: { reason: string }) => e.reason);
    expect(reasons).toEqual(["AddonReady", "AddonReady", "AddonReady"]);
  });

  it("shows the add-ons and the layer that chose each in /manifests", async () => {
    await t.request("POST", "/v1/environments", {
      body: { name: "staging", addons: [{ name: "kyverno", version: "1.16.1" }] },
    });
    await addCluster("layered", { environment: "staging", addons: [{ name: "external-secrets", enabled: false }] });
    const res = await t.request("GET", "/v1/clusters/layered/manifests");
    expect(res.status).toBe(200);
    expect(
      res.body.addons.map((a: { name: string; version: string; source: string }) => [a.name, a.version, a.source]),
    ).toEqual([
      ["flux", "2.7.3", "default"],
      ["kyverno", "1.16.1", "environment"],
    ]);
    await addonsOf("layered", (a) => a.length === 2 && a.every((x) => x.phase === "Ready"));
  });

  it("fetches each release once, however many clusters install it", async () => {
    await addonsOf("bare-1", (a) => a.every((x) => x.phase === "Ready"));
    const fluxFetches = t.bundles.fetches.filter((p) => p === "/flux/2.7.3/install.yaml");
    expect(fluxFetches).toHaveLength(1);
  });
});

describe("drift", () => {
  it("a deleted controller is drift of its cluster, reported, then put back under remediate", async () => {
    await addonsOf("bare-1", (a) => a.length === 3 && a.every((x) => x.phase === "Ready"));
    const kube = kubes.get("bare-1") as KubeEmulator;
    const helm = { apiVersion: "apps/v1", kind: "Deployment", namespace: "flux-system", name: "helm-controller" };
    expect(kube.remove(helm)).toBe(true);
    const since = new Date().toISOString();
    expect((await t.request("POST", "/v1/clusters/bare-1/reconcile")).status).toBe(202);
    const report = await eventually(
      async () => {
        const res = await t.request("GET", "/v1/clusters/bare-1/drift");
        return res.body.reconciledAt > since ? res.body : undefined;
      },
      15_000,
      "a reconcile after the deletion",
    );
    expect(report.items).toEqual([
      expect.objectContaining({
        type: "Missing",
        kind: "Deployment",
        namespace: "flux-system",
        name: "helm-controller",
      }),
    ]);
    expect(report.items[0].owner).toMatchObject({ type: "Cluster", name: "bare-1" });
    // Reported, not repaired: the cluster's policy is report.
    expect(kube.store.get(helm)).toBeUndefined();

    const current = await t.request("GET", "/v1/clusters/bare-1");
    const patched = await t.request("PATCH", "/v1/clusters/bare-1", {
      headers: { "if-match": current.headers.get("etag")! },
      body: { driftPolicy: "remediate" },
    });
    expect(patched.status).toBe(200);
    await t.request("POST", "/v1/clusters/bare-1/reconcile");
    await eventually(async () => kube.store.get(helm), 15_000, "helm-controller re-created");
    const clean = await eventually(async () => {
      const res = await t.request("GET", "/v1/clusters/bare-1/drift");
      return res.body.state === "Ready" ? res.body : undefined;
    });
    expect(clean.items).toEqual([]);
  });
});

describe("following Flux", () => {
  it("keeps looking until Flux answers, though its controllers answer long after the apply", async () => {
    // A cluster whose kustomize-controller takes its time, as on a real cluster: only the slow
    // controller acts on it, so nothing but Fleetplane's own follow-up can see the verdict.
    const slow = new Map<string, KubeEmulator>();
    const slowFlux = startFluxController(slow, { delayMs: 1_500 });
    try {
      const kube = await startKubeEmulator({ name: "slow-flux" });
      slow.set("slow-flux", kube);
      const res = await t.request("POST", "/v1/clusters", {
        body: {
          name: "slow-flux",
          class: "bare",
          connection: { server: kube.url, caData: kube.caData, token: kube.token },
        },
      });
      expect(res.status, res.text).toBe(202);
      const body = await addonsOf("slow-flux", (_, b) => condition(b, "FluxReady")?.status === "True");
      expect(condition(body, "FluxReady")).toMatchObject({ reason: "ReconciliationSucceeded" });
      // It looked again and again while waiting, but not on every poll tick: the pauses grow.
      const reads = kube.requests.filter(
        (r) =>
          r.method === "GET" &&
          r.path === "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/fleet-config",
      );
      expect(reads.length).toBeGreaterThan(2);
      expect(reads.length).toBeLessThan(1_500 / 50);
      await kube.close();
    } finally {
      slowFlux.stop();
    }
  });
});

describe("failures are named, not hidden", () => {
  it("a CRD that never becomes Established fails the add-on with the CRD's reason", async () => {
    const kube = await startKubeEmulator({ name: "stuck-crd" });
    kube.controls.heldCrds.add("clusterpolicies.kyverno.io");
    await addCluster("stuck-crd", {}, kube);
    const body = await addonsOf("stuck-crd", (a) => a.find((x) => x.name === "kyverno")?.phase === "Failed");
    const kyverno = body.status.addons.find((a: AddonStatus) => a.name === "kyverno");
    expect(kyverno.reason).toBe("CRDNotEstablished");
    expect(kyverno.message).toMatch(/clusterpolicies\.kyverno\.io is not Established after 3s: Installing/);
    expect(condition(body, "AddonsReady")).toMatchObject({ status: "False", reason: "CRDNotEstablished" });
  });

  it("a controller that never becomes Available is Degraded with the Deployment's own reason", async () => {
    const kube = await startKubeEmulator({ name: "crashing" });
    kube.controls.failingDeployments.set("external-secrets/external-secrets", "Unavailable");
    await addCluster("crashing", {}, kube);
    const body = await addonsOf("crashing", (a) => a.find((x) => x.name === "external-secrets")?.phase === "Degraded");
    const eso = body.status.addons.find((a: AddonStatus) => a.name === "external-secrets");
    expect(eso.reason).toBe("MinimumReplicasUnavailable");
    expect(eso.message).toContain("Deployment external-secrets/external-secrets");
    expect(eso.message).toContain("Deployment does not have minimum availability.");
    // The others are not held back by it.
    expect(body.status.addons.find((a: AddonStatus) => a.name === "flux").phase).toBe("Ready");
    // Operators see it in the metrics, and a rule pages on it.
    const metrics = (await t.request("GET", "/metrics", { token: null })).text;
    expect(metrics).toContain(
      'fleetplane_cluster_addon_info{cluster="crashing",addon="external-secrets",version="0.20.4",version_found="0.20.4",phase="Degraded",managed="true"} 1',
    );
    expect(metrics).toMatch(
      /fleetplane_cluster_addon_info\{cluster="crashing",addon="flux",[^}]*phase="Ready"[^}]*\} 1/,
    );
    const rules = (await t.request("GET", "/v1/monitoring/prometheus-rules")).body;
    const degraded = rules.spec.groups
      .flatMap((g: { rules: { alert: string }[] }) => g.rules)
      .find((r: { alert: string }) => r.alert === "FleetplaneAddonDegraded");
    expect(degraded.expr).toBe('fleetplane_cluster_addon_info{phase=~"Degraded|Failed"} == 1');
  });

  it("a rollout past its progress deadline is Degraded at once", async () => {
    const kube = await startKubeEmulator({ name: "deadline" });
    kube.controls.failingDeployments.set("kyverno/kyverno-admission-controller", "ProgressDeadlineExceeded");
    await addCluster("deadline", {}, kube);
    const body = await addonsOf("deadline", (a) => a.find((x) => x.name === "kyverno")?.phase === "Degraded");
    const kyverno = body.status.addons.find((a: AddonStatus) => a.name === "kyverno");
    expect(kyverno.reason).toBe("ProgressDeadlineExceeded");
    expect(kyverno.message).toMatch(/has timed out progressing/);
  });

  it("refuses a release whose bytes differ from the digest it must have", async () => {
    await addCluster("pinned", { addons: [{ name: "kyverno", version: "1.16.1", sha256: "0".repeat(64) }] });
    const body = await addonsOf("pinned", (a) => a.find((x) => x.name === "kyverno")?.phase === "Failed");
    const kyverno = body.status.addons.find((a: AddonStatus) => a.name === "kyverno");
    expect(kyverno.reason).toBe("BundleDigestMismatch");
    expect(kyverno.message).toContain(`pinned to sha256`);
  });

  it("refuses a pinned release that changed upstream when it is fetched again", async () => {
    const first = await addonsOf("bare-1", (a) => a.every((x) => x.phase === "Ready"));
    const pinned = first.status.addons.find((a: AddonStatus) => a.name === "flux").sha256;
    // The stored copy is a cache: drop it, and let the mirror serve other bytes for the same release.
    await t.host.deps.store.delete(addonBundles).where(eq(addonBundles.sha256, pinned));
    t.bundles.tamper(
      "flux",
      "2.7.3",
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: surprise, namespace: flux-system}\n",
    );
    const kube = await addCluster("after-tamper");
    const body = await addonsOf("after-tamper", (a) => a.find((x) => x.name === "flux")?.phase === "Failed");
    expect(body.status.addons.find((a: AddonStatus) => a.name === "flux")).toMatchObject({
      reason: "BundleDigestMismatch",
    });
    expect(
      kube.store.get({ apiVersion: "v1", kind: "ConfigMap", namespace: "flux-system", name: "surprise" }),
    ).toBeUndefined();
    t.bundles.tamper("flux", "2.7.3", "");
  });
});

describe("security", () => {
  it("refuses a bundle URL on a private address, and an unknown add-on without a bundle", async () => {
    expectProblem(
      await t.request("POST", "/v1/cluster-classes", {
        body: {
          name: "private-bundle",
          provider: "imported",
          addons: [{ name: "cert-manager", version: "1.19.1", url: "https://10.0.0.5/cert-manager.yaml" }],
        },
      }),
      422,
      "url_not_allowed",
    );
    expectProblem(
      await t.request("POST", "/v1/cluster-classes", {
        body: { name: "no-bundle", provider: "imported", addons: [{ name: "cert-manager" }] },
      }),
      422,
      "unknown_addon",
    );
    expectProblem(
      await t.request("POST", "/v1/cluster-classes", {
        body: { name: "dup", provider: "imported", addons: [{ name: "flux" }, { name: "flux" }] },
      }),
      400,
      "validation_failed",
    );
  });

  it("knows no add-on called constructor, a name every object answers to", async () => {
    expectProblem(await t.request("GET", "/v1/addons/constructor/rollouts"), 404);
    const res = await t.request("POST", "/v1/cluster-classes", {
      body: { name: "odd-constructor", provider: "imported", addons: [{ name: "constructor" }] },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body.detail).toContain('Add-on "constructor" is not in the catalog');
  });

  it("a tenant token cannot change a class's add-ons", async () => {
    const token = await t.tenantToken("ten_nobody");
    const res = await t.request("PATCH", "/v1/cluster-classes/bare", {
      body: { addons: [] },
      token,
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect([403, 404]).toContain(res.status);
  });
});

describe("adoption", () => {
  it("leaves an add-on someone else installed alone, reporting the version found", async () => {
    const kube = await startKubeEmulator({ name: "brownfield" });
    // Installed by hand (kubectl apply) before the cluster joined the fleet: Kyverno 1.14.0.
    for (const crd of crdsOf("kyverno")) {
      kube.editAs(
        "kubectl-client-side-apply",
        { apiVersion: crd.apiVersion, kind: crd.kind, name: crd.metadata.name },
        crd,
        "Apply",
      );
    }
    kube.editAs(
      "kubectl",
      { apiVersion: "v1", kind: "Namespace", name: "kyverno" },
      { metadata: { name: "kyverno" } },
      "Apply",
    );
    for (const name of ["kyverno-admission-controller", "kyverno-background-controller"]) {
      kube.editAs(
        "kubectl-client-side-apply",
        { apiVersion: "apps/v1", kind: "Deployment", namespace: "kyverno", name },
        {
          metadata: { labels: { "app.kubernetes.io/version": "v1.14.0" } },
          spec: {
            replicas: 1,
            selector: { matchLabels: { "app.kubernetes.io/name": name } },
            template: {
              metadata: { labels: { "app.kubernetes.io/name": name } },
              spec: { containers: [{ name: "kyverno", image: "reg.kyverno.io/kyverno/kyverno:v1.14.0" }] },
            },
          },
        },
        "Apply",
      );
    }
    await eventually(async () =>
      (
        kube.store.get({
          apiVersion: "apps/v1",
          kind: "Deployment",
          namespace: "kyverno",
          name: "kyverno-admission-controller",
        }) as any
      )?.status?.observedGeneration
        ? true
        : undefined,
    );
    await addCluster("brownfield", {}, kube);
    const body = await addonsOf("brownfield", (a) => a.length === 3 && a.every((x) => x.phase === "Ready"));
    const kyverno = body.status.addons.find((a: AddonStatus) => a.name === "kyverno");
    expect(kyverno).toMatchObject({ managed: false, versionFound: "1.14.0", reason: "Adopted" });
    expect(kyverno.message).toMatch(/not installed by Fleetplane: left alone/);
    const live = kube.store.get({
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace: "kyverno",
      name: "kyverno-admission-controller",
    }) as any;
    expect(live.spec.template.spec.containers[0].image).toBe("reg.kyverno.io/kyverno/kyverno:v1.14.0");
    expect(live.metadata.managedFields.some((m: { manager: string }) => m.manager === "fleetplane")).toBe(false);

    // Asked to, Fleetplane takes it over and brings it to the wanted version.
    const patched = await t.request("PATCH", "/v1/clusters/brownfield", {
      body: { addons: [{ name: "kyverno", adopt: true }] },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);
    const taken = await addonsOf(
      "brownfield",
      (a) =>
        a.find((x) => x.name === "kyverno")?.managed === true && a.find((x) => x.name === "kyverno")?.phase === "Ready",
    );
    expect(taken.status.addons.find((a: AddonStatus) => a.name === "kyverno").versionFound).toBe("1.15.2");
  });
});

describe("upgrades and removal", () => {
  it("installs Sealed Secrets into kube-system on request, leaving the cluster's own namespace alone", async () => {
    const kube = await addCluster("sealing", { addons: [{ name: "sealed-secrets" }] });
    const body = await addonsOf("sealing", (a) => a.length === 4 && a.every((x) => x.phase === "Ready"));
    expect(body.status.addons.find((a: AddonStatus) => a.name === "sealed-secrets")).toMatchObject({
      version: "0.36.4",
      versionFound: "0.36.4",
      managed: true,
    });
    expect(
      kube.store.get({
        apiVersion: "apps/v1",
        kind: "Deployment",
        namespace: "kube-system",
        name: "sealed-secrets-controller",
      }),
    ).toBeDefined();
    const crd = kube.store.get({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      name: "sealedsecrets.bitnami.com",
    }) as any;
    expect(crd.status.conditions.find((c: { type: string }) => c.type === "Established").status).toBe("True");
    // kube-system is the cluster's: Fleetplane neither labels it as its own nor watches it for drift.
    const system = kube.store.get({ apiVersion: "v1", kind: "Namespace", name: "kube-system" }) as any;
    expect(system.metadata.labels?.["app.kubernetes.io/managed-by"]).toBeUndefined();
    expect(kube.requests.some((r) => r.method === "PATCH" && r.path === "/api/v1/namespaces/kube-system")).toBe(false);
    const drift = await reconciled(t.request, "sealing");
    expect(drift.state).toBe("Ready");
  });

  it("upgrades an add-on when a cluster's version changes, and removes controllers but keeps CRDs", async () => {
    const kube = kubes.get("bare-1") as KubeEmulator;
    const patched = await t.request("PATCH", "/v1/clusters/bare-1", {
      body: {
        addons: [
          { name: "kyverno", version: "1.16.1" },
          { name: "external-secrets", enabled: false },
        ],
      },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);
    const body = await addonsOf(
      "bare-1",
      (a) =>
        a.length === 2 &&
        a.find((x) => x.name === "kyverno")?.versionFound === "1.16.1" &&
        a.every((x) => x.phase === "Ready"),
    );
    expect(body.status.addons.map((a: AddonStatus) => a.name)).toEqual(["flux", "kyverno"]);
    expect(
      kube.store.get({
        apiVersion: "apps/v1",
        kind: "Deployment",
        namespace: "external-secrets",
        name: "external-secrets",
      }),
    ).toBeUndefined();
    expect(
      kube.store.get({
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        name: "externalsecrets.external-secrets.io",
      }),
    ).toBeDefined();
  });

  it("deletes the CRDs too only when told to, and only with the add-on removed", async () => {
    expectProblem(
      await t.request("PATCH", "/v1/clusters/bare-1", {
        body: { addons: [{ name: "kyverno", removeCrds: true }] },
        headers: { "content-type": "application/merge-patch+json" },
      }),
      422,
      "invalid_addon",
    );
    const kube = kubes.get("bare-1") as KubeEmulator;
    const policies = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      name: "clusterpolicies.kyverno.io",
    };
    expect(kube.store.get(policies)).toBeDefined();
    const patched = await t.request("PATCH", "/v1/clusters/bare-1", {
      // A merge patch replaces the list: External Secrets stays removed by saying so again.
      body: {
        addons: [
          { name: "external-secrets", enabled: false },
          { name: "kyverno", enabled: false, removeCrds: true },
        ],
      },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);
    const manifests = await t.request("GET", "/v1/clusters/bare-1/manifests");
    expect(manifests.body.removedAddons).toEqual([
      { name: "external-secrets", removeCrds: false },
      { name: "kyverno", removeCrds: true },
    ]);
    const body = await addonsOf("bare-1", (a) => a.length === 1 && a[0]?.name === "flux");
    expect(body.status.addons.map((a: AddonStatus) => a.name)).toEqual(["flux"]);
    await eventually(async () => (kube.store.get(policies) === undefined ? true : undefined), 10_000, "CRD deleted");
    // External Secrets' CRDs, removed earlier without removeCrds, are still there.
    expect(
      kube.store.get({
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        name: "externalsecrets.external-secrets.io",
      }),
    ).toBeDefined();
    expect(body.status.addonCrdsKept).toEqual([
      { name: "external-secrets", version: "0.20.4", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });

  it("deletes CRDs kept at an earlier removal once asked, though the add-on is gone from status", async () => {
    const kube = kubes.get("bare-1") as KubeEmulator;
    const externalSecrets = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      name: "externalsecrets.external-secrets.io",
    };
    const patched = await t.request("PATCH", "/v1/clusters/bare-1", {
      body: {
        addons: [
          { name: "external-secrets", enabled: false, removeCrds: true },
          { name: "kyverno", enabled: false, removeCrds: true },
        ],
      },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);
    await eventually(
      async () => (kube.store.get(externalSecrets) === undefined ? true : undefined),
      10_000,
      "kept CRDs deleted",
    );
    const body = await addonsOf("bare-1", (_a, b) => (b.status.addonCrdsKept ?? []).length === 0);
    expect(body.status.addons.map((a: AddonStatus) => a.name)).toEqual(["flux"]);
    const events = await t.request("GET", `/v1/events?resource=${body.id}&reason=AddonRemoved&pageSize=100`);
    expect(events.body.items.map((e: { message: string }) => e.message)).toContain(
      "external-secrets's CRDs, kept on bare-1 when it was removed, are deleted with every object of their kinds",
    );
  });
});
