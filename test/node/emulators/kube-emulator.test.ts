/**
 * The kube emulator, driven only through the real @kubernetes/client-node,
 * so every assertion is about what a real client sees on the wire.
 */
import {
  ApiException,
  ApisApi,
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
  Watch,
} from "@kubernetes/client-node";
import { generate } from "selfsigned";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { crdsOf } from "../../emulators/addons/index.js";
import { type KubeEmulator, startKubeEmulator } from "../../emulators/kube/index.js";

function kubeConfig(
  emu: { url: string; caData: string; token: string },
  overrides: { caData?: string; token?: string } = {},
) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "emu", server: emu.url, caData: overrides.caData ?? emu.caData, skipTLSVerify: false }],
    users: [{ name: "emu-user", token: overrides.token ?? emu.token }],
    contexts: [{ name: "emu", cluster: "emu", user: "emu-user" }],
    currentContext: "emu",
  });
  return kc;
}

/** The Status body of a failed client-node call (ApiException carries the raw response text). */
function statusOf(err: unknown): {
  code: number;
  reason: string;
  message: string;
  details?: { causes?: unknown[]; name?: string };
} {
  expect(err).toBeInstanceOf(ApiException);
  const body = (err as ApiException<unknown>).body;
  return typeof body === "string" ? JSON.parse(body) : (body as never);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

interface Deployment extends KubernetesObject {
  spec?: { replicas?: number; selector?: unknown; template?: unknown };
  status?: { readyReplicas?: number; observedGeneration?: number };
}

const deploymentRef = { apiVersion: "apps/v1", kind: "Deployment", namespace: "team-a", name: "web" };

function desiredDeployment(replicas: number): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "team-a", labels: { app: "web" } },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
      },
    },
  };
}

describe("kube emulator (via @kubernetes/client-node)", () => {
  let emu: KubeEmulator;
  let kc: KubeConfig;
  let objects: KubernetesObjectApi;

  beforeAll(async () => {
    emu = await startKubeEmulator({ name: "test-cluster", gitVersion: "v1.30.2" });
    kc = kubeConfig(emu);
    objects = KubernetesObjectApi.makeApiClient(kc);
  });

  afterAll(async () => {
    await emu?.close();
  });

  beforeEach(() => {
    emu.reset();
    // Most cases here write Deployments' status themselves; the rollout case turns the controller back on.
    emu.controls.deploymentRolloutMs = 60_000;
  });

  it("serves HTTPS with a CA a kubeconfig can carry", () => {
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(emu.caData, "base64").toString()).toContain("BEGIN CERTIFICATE");
  });

  it("reports its version", async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version).toMatchObject({ major: "1", minor: "30", gitVersion: "v1.30.2", platform: "linux/amd64" });
  });

  it("serves a custom kind only once its CRD is Established, as a bare API server does", async () => {
    const before = await kc.makeApiClient(ApisApi).getAPIVersions();
    expect(before.groups.map((g) => g.name)).not.toContain("kustomize.toolkit.fluxcd.io");
    await expect(objects.list("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "default")).rejects.toMatchObject({
      code: 404,
    });
    const [crd] = crdsOf("kyverno");
    emu.controls.heldCrds.add(crd?.metadata.name as string);
    await objects.create(crd as never);
    await new Promise((r) => setTimeout(r, 50));
    await expect(objects.list("kyverno.io/v1", "ClusterPolicy")).rejects.toMatchObject({ code: 404 });
    emu.controls.heldCrds.clear();
    emu.controls.changed();
    await eventuallyTrue(async () => (await objects.list("kyverno.io/v1", "ClusterPolicy")).items.length === 0);
    // Deleting the CRD takes its kind (and every object of it) away again.
    await objects.delete(crd as never);
    await expect(objects.list("kyverno.io/v1", "ClusterPolicy")).rejects.toMatchObject({ code: 404 });
  });

  it("refuses annotations over 256 KiB, so a big CRD cannot be applied client-side", async () => {
    const [crd] = crdsOf("kyverno");
    const lastApplied = JSON.stringify({ ...crd, padding: "x".repeat(300 * 1024) });
    const annotated = {
      ...crd,
      metadata: {
        ...crd?.metadata,
        annotations: { "kubectl.kubernetes.io/last-applied-configuration": lastApplied },
      },
    };
    const status = statusOf(await failure(objects.create(annotated as never)));
    expect(status).toMatchObject({ code: 422, reason: "Invalid" });
    expect(status.message).toContain("metadata.annotations: Too long");
  });

  it("rolls a Deployment out asynchronously, or keeps it unavailable when told to", async () => {
    emu.controls.deploymentRolloutMs = 20;
    await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    const created = (await objects.create(desiredDeployment(1) as never)) as Deployment;
    expect(created.status).toBeUndefined();
    await eventuallyTrue(async () => {
      const live = emu.store.get(deploymentRef) as unknown as {
        status?: { conditions?: { type: string; status: string }[] };
      };
      return live.status?.conditions?.some((c) => c.type === "Available" && c.status === "True") ?? false;
    });
    emu.controls.failingDeployments.set("team-a/web", "Unavailable");
    emu.controls.changed();
    await eventuallyTrue(async () => {
      const live = emu.store.get(deploymentRef) as unknown as {
        status?: { conditions?: { type: string; reason?: string }[] };
      };
      return live.status?.conditions?.some((c) => c.reason === "MinimumReplicasUnavailable") ?? false;
    });
  });

  it("serves discovery for core, built-in and CRD groups", async () => {
    for (const crd of [...crdsOf("flux"), ...crdsOf("external-secrets"), ...crdsOf("argo-cd")]) {
      await objects.create(crd as never);
    }
    await eventuallyTrue(async () =>
      (await kc.makeApiClient(ApisApi).getAPIVersions()).groups.some((g) => g.name === "argoproj.io"),
    );
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    expect(names).toEqual(
      expect.arrayContaining(["apps", "rbac.authorization.k8s.io", "kustomize.toolkit.fluxcd.io", "argoproj.io"]),
    );
    const es = groups.groups.find((g) => g.name === "external-secrets.io");
    expect(es?.versions.map((v) => v.version)).toEqual(["v1", "v1beta1"]);
    expect(es?.preferredVersion?.version).toBe("v1");

    const core = await kc.makeApiClient(CoreV1Api).getAPIResources();
    const ns = core.resources.find((r) => r.name === "namespaces");
    expect(ns).toMatchObject({ kind: "Namespace", namespaced: false, singularName: "namespace" });
    expect(core.resources.find((r) => r.name === "pods/status")?.verbs).toEqual(["get", "patch", "update"]);
  });

  it("creates, reads and lists with label selectors and limit/continue paging", async () => {
    await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    for (const [name, tier] of [
      ["cm-a", "web"],
      ["cm-b", "db"],
      ["cm-c", "web"],
      ["cm-d", "web"],
    ]) {
      await objects.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: "team-a", labels: { tier } },
        data: { k: "v" },
      } as KubernetesObject);
    }

    const read = await objects.read({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cm-b", namespace: "team-a" },
    });
    expect(read.metadata?.uid).toBeTruthy();
    expect(read.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect((read as unknown as { data: unknown }).data).toEqual({ k: "v" });

    const web = await objects.list("v1", "ConfigMap", "team-a", undefined, undefined, undefined, undefined, "tier=web");
    expect(web.items.map((i) => i.metadata?.name)).toEqual(["cm-a", "cm-c", "cm-d"]);
    const notWeb = await objects.list(
      "v1",
      "ConfigMap",
      "team-a",
      undefined,
      undefined,
      undefined,
      undefined,
      "tier notin (web),tier",
    );
    expect(notWeb.items.map((i) => i.metadata?.name)).toEqual(["cm-b"]);

    // kube-root-ca.crt is created in every namespace, as by the real root-CA publisher.
    const page1 = await objects.list(
      "v1",
      "ConfigMap",
      "team-a",
      undefined,
      undefined,
      undefined,
      undefined,
      "tier",
      2,
    );
    expect(page1.items.map((i) => i.metadata?.name)).toEqual(["cm-a", "cm-b"]);
    expect(page1.metadata?._continue).toBeTruthy();
    const page2 = await objects.list(
      "v1",
      "ConfigMap",
      "team-a",
      undefined,
      undefined,
      undefined,
      undefined,
      "tier",
      2,
      page1.metadata?._continue,
    );
    expect(page2.items.map((i) => i.metadata?.name)).toEqual(["cm-c", "cm-d"]);
    expect(page2.metadata?._continue).toBeFalsy();

    const dup = await failure(
      objects.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm-a", namespace: "team-a" } }),
    );
    expect(statusOf(dup)).toMatchObject({ code: 409, reason: "AlreadyExists", details: { name: "cm-a" } });
    const missingNs = await failure(
      objects.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "nope" } }),
    );
    expect(statusOf(missingNs)).toMatchObject({
      code: 404,
      reason: "NotFound",
      message: 'namespaces "nope" not found',
    });

    expect(
      emu.store.get({ apiVersion: "v1", kind: "ConfigMap", namespace: "team-a", name: "cm-d" })?.metadata.labels,
    ).toEqual({ tier: "web" });
  });

  it("server-side apply: ownership, conflicts, force and managedFields", async () => {
    await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    const created = await objects.patch(
      desiredDeployment(2),
      undefined,
      undefined,
      "fleetplane",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec?.replicas).toBe(2);
    expect(emu.requests.at(-1)).toMatchObject({
      method: "PATCH",
      fieldManager: "fleetplane",
      contentType: "application/apply-patch+yaml",
    });

    // Re-applying the same configuration is a no-op: no new resourceVersion.
    const again = await objects.patch(
      desiredDeployment(2),
      undefined,
      undefined,
      "fleetplane",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(again.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

    // Someone scales the deployment by hand.
    emu.editAs("kubectl-edit", deploymentRef, { spec: { replicas: 5 } });

    const conflict = await failure(
      objects.patch(desiredDeployment(2), undefined, undefined, "fleetplane", false, PatchStrategy.ServerSideApply),
    );
    const status = statusOf(conflict);
    expect(status).toMatchObject({ code: 409, reason: "Conflict" });
    expect(status.details?.causes).toEqual([
      { type: "FieldManagerConflict", message: 'conflict with "kubectl-edit" using apps/v1', field: ".spec.replicas" },
    ]);
    expect(emu.store.get(deploymentRef)?.spec).toMatchObject({ replicas: 5 });

    const live = emu.store.get(deploymentRef);
    const entries = (live?.metadata.managedFields ?? []) as Array<{ manager: string; operation: string }>;
    const managers = entries.map((m) => `${m.manager}/${m.operation}`);
    expect(managers).toEqual(["fleetplane/Apply", "kubectl-edit/Update"]);

    // Forcing takes the field back; kubectl-edit owned nothing else and disappears.
    const forced = await objects.patch(
      desiredDeployment(2),
      undefined,
      undefined,
      "fleetplane",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(forced.spec?.replicas).toBe(2);
    expect(forced.metadata?.generation).toBe(3);
    const forcedEntries = forced.metadata?.managedFields ?? [];
    expect(forcedEntries.map((m) => m.manager)).toEqual(["fleetplane"]);
    expect(forcedEntries[0]?.fieldsV1).toMatchObject({
      "f:spec": { "f:replicas": {} },
      "f:metadata": { "f:labels": { "f:app": {} } },
    });

    // Fields the applier stops sending are removed.
    const slimmer = desiredDeployment(2);
    slimmer.metadata = { name: "web", namespace: "team-a" };
    const pruned = await objects.patch(
      slimmer,
      undefined,
      undefined,
      "fleetplane",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(pruned.metadata?.labels).toBeUndefined();
  });

  it("status subresource changes only status and does not bump generation", async () => {
    await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    const created = await objects.patch(
      desiredDeployment(1),
      undefined,
      undefined,
      "fleetplane",
      true,
      PatchStrategy.ServerSideApply,
    );
    const updated = emu.setStatus(deploymentRef, { readyReplicas: 1, observedGeneration: 1 });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));
    expect(updated.metadata.generation).toBe(1);

    const read = (await objects.read({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "team-a" },
    })) as Deployment;
    expect(read.status).toEqual({ readyReplicas: 1, observedGeneration: 1 });

    // Writes to the main resource ignore .status.
    const withStatus = { ...desiredDeployment(1), status: { readyReplicas: 99 } };
    const replaced = (await objects.replace(withStatus)) as Deployment;
    expect(replaced.status?.readyReplicas).toBe(1);
  });

  it("rejects a stale resourceVersion on replace", async () => {
    await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    const cm = await objects.create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", namespace: "team-a" },
    });
    await objects.patch(
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "c", namespace: "team-a" },
        data: { a: "1" },
      } as KubernetesObject,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    const stale = await failure(objects.replace(cm));
    expect(statusOf(stale)).toMatchObject({ code: 409, reason: "Conflict" });
  });

  it("streams watch events", async () => {
    await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    const list = await objects.list("v1", "ConfigMap", "team-a");
    const events: string[] = [];
    const done = new Promise<void>((resolve) => {
      void new Watch(kc).watch(
        "/api/v1/namespaces/team-a/configmaps",
        { resourceVersion: list.metadata?.resourceVersion },
        (type, obj: KubernetesObject) => {
          events.push(`${type} ${obj.metadata?.name}`);
          if (type === "DELETED") resolve();
        },
        () => {},
      );
    });
    await new Promise((r) => setTimeout(r, 50));
    await objects.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "w", namespace: "team-a" } });
    await objects.delete({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "w", namespace: "team-a" } });
    await done;
    expect(events).toEqual(["ADDED w", "DELETED w"]);
  });

  it("deleting a namespace deletes what is in it", async () => {
    await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    await objects.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "team-a" } });
    await objects.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } });
    expect(emu.store.list({ apiVersion: "v1", kind: "ConfigMap", namespace: "team-a" })).toEqual([]);
    const gone = await failure(objects.read({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } }));
    expect(statusOf(gone)).toMatchObject({
      code: 404,
      reason: "NotFound",
      details: { name: "team-a", kind: "namespaces" },
    });
  });

  it("answers 401 to a wrong token", async () => {
    // The generated typed APIs drop the body of a 401; KubernetesObjectApi keeps it.
    const typed = await failure(kubeConfig(emu, { token: "wrong" }).makeApiClient(CoreV1Api).listNamespace());
    expect((typed as ApiException<unknown>).code).toBe(401);
    // KubernetesObjectApi keeps it (here the failing request is its discovery call, GET /api/v1).
    const bad = KubernetesObjectApi.makeApiClient(kubeConfig(emu, { token: "wrong" }));
    const err = await failure(bad.list("v1", "Namespace"));
    expect(statusOf(err)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
  });

  it("accepts a client certificate its CA signed instead of a token, and refuses one it did not", async () => {
    const withCert = (certData: string, keyData: string) => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: "emu", server: emu.url, caData: emu.caData, skipTLSVerify: false }],
        users: [{ name: "admin", certData, keyData }],
        contexts: [{ name: "emu", cluster: "emu", user: "admin" }],
        currentContext: "emu",
      });
      return kc.makeApiClient(CoreV1Api);
    };
    const ok = await withCert(emu.clientCertData, emu.clientKeyData).listNamespace();
    expect(ok.items.length).toBeGreaterThan(0);
    const stranger = await generate([{ name: "commonName", value: "kubernetes-admin" }], {
      keyType: "ec",
      algorithm: "sha256",
    });
    const refused = await failure(
      withCert(
        Buffer.from(stranger.cert).toString("base64"),
        Buffer.from(stranger.private).toString("base64"),
      ).listNamespace(),
    );
    expect((refused as ApiException<unknown>).code).toBe(401);
  });

  it("fails TLS verification with the wrong CA", async () => {
    const other = await generate([{ name: "commonName", value: "someone-else" }], {
      keyType: "ec",
      algorithm: "sha256",
    });
    const api = kubeConfig(emu, { caData: Buffer.from(other.cert).toString("base64") }).makeApiClient(VersionApi);
    const err = (await failure(api.getCode())) as Error & { cause?: { code?: string } };
    expect(err).not.toBeInstanceOf(ApiException);
    expect(err.cause?.code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });

  it("injects faults", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    emu.faults.errorRate = 1;
    const err = await failure(core.listNamespace());
    expect([500, 503]).toContain((err as ApiException<unknown>).code);
    emu.faults.errorRate = 0;

    emu.faults.down = true;
    const down = (await failure(core.listNamespace())) as Error;
    expect(down).not.toBeInstanceOf(ApiException);
    expect(down.message).toMatch(/fetch failed|socket|closed|ECONNRESET/i);
    emu.faults.down = false;

    emu.faults.latencyMs = 100;
    const started = Date.now();
    await core.listNamespace();
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});

async function eventuallyTrue(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
