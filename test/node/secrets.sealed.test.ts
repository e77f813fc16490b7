import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFluxController } from "../emulators/flux";
import type { KubeEmulator } from "../emulators/kube";
import { startSealedSecretsController, unseal } from "../emulators/sealed-secrets";
import { type Fleet, startFleet } from "./support/fleet";
import { eventually, expectProblem } from "./support/harness";

/**
 * Secrets delivered as Bitnami SealedSecrets, for fleets without a cloud secret store: each
 * value sealed for the cluster's own controller (its certificate read through the API server's
 * service proxy) and unsealed there by the emulated controller, written from the project's
 * algorithm. The value never reaches AWS, a response, a log line or the database in plaintext.
 */
let fleet: Fleet;
let kube: KubeEmulator;
let controller: ReturnType<typeof startSealedSecretsController>;
let flux: ReturnType<typeof startFluxController>;

const DB_URL = "postgres://app:s3cr3t-Value@db.internal:5432/payments";
const sealedRef = (name: string) => ({
  apiVersion: "bitnami.com/v1alpha1",
  kind: "SealedSecret",
  namespace: "payments",
  name,
});
const secretRef = (name: string) => ({ apiVersion: "v1", kind: "Secret", namespace: "payments", name });
const decoded = (secret: { data: Record<string, string> }) =>
  Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));

/** The Secret the controller made, once it holds `want`. */
const unsealedAs = (name: string, want: Record<string, string>) =>
  eventually(
    async () => {
      const secret = kube.store.get(secretRef(name)) as { data: Record<string, string> } | undefined;
      return secret && JSON.stringify(decoded(secret)) === JSON.stringify(want) ? secret : undefined;
    },
    20_000,
    `Secret ${name} unsealed with the expected value`,
  );

beforeAll(async () => {
  fleet = await startFleet();
  controller = startSealedSecretsController(fleet.clusters);
  // Flux's controllers, so a tenant's placement finishes (Ready) instead of looking again.
  flux = startFluxController(fleet.clusters, { delayMs: 5 });
  kube = await fleet.addCluster("sealed-1", { tier: "prod" }, { addons: [{ name: "sealed-secrets" }] });
  const tenant = await fleet.request("POST", "/v1/tenants", {
    body: {
      name: "team-payments",
      namespace: "payments",
      source: { url: "https://github.com/acme/payments-k8s" },
      placement: { labelSelector: "tier=prod" },
    },
  });
  expect(tenant.status).toBe(202);
}, 60_000);
afterAll(async () => {
  controller?.stop();
  flux?.stop();
  await fleet?.close();
});

describe("secrets delivered as SealedSecrets", () => {
  it("seals each key for the cluster's controller, which unseals it into the Secret; nothing else holds the value", async () => {
    const created = await fleet.request("POST", "/v1/tenants/team-payments/secrets", {
      body: { name: "db", delivery: "sealed-secrets", data: { url: DB_URL, user: "app" } },
    });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ delivery: "sealed-secrets", keys: ["url", "user"] });
    expect(created.body.scope).toBeUndefined(); // strict, the default, is not written back
    expect(created.body.secretsManager).toBeUndefined();

    await unsealedAs("db", { url: DB_URL, user: "app" });
    const sealed = kube.store.get(sealedRef("db")) as any;
    expect(Object.keys(sealed.spec.encryptedData)).toEqual(["url", "user"]);
    expect(sealed.metadata.labels).toMatchObject({ "fleetplane.io/tenant": "team-payments" });
    expect(sealed.metadata.annotations["sealedsecrets.bitnami.com/namespace-wide"]).toBeUndefined();
    // Strict scope: sealed for this name in this namespace, as the controller's label says.
    const [pair] = controller.keysOf("sealed-1");
    expect(unseal(pair!.privateKey, sealed.spec.encryptedData.url, "payments/db").toString()).toBe(DB_URL);
    expect(() => unseal(pair!.privateKey, sealed.spec.encryptedData.url, "payments/other")).toThrow();
    expect(
      kube.store.get({
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        namespace: "payments",
        name: "db",
      }),
    ).toBeUndefined();

    const got = await eventually(async () => {
      const res = await fleet.request("GET", "/v1/tenants/team-payments/secrets/db");
      return res.body.status.phase === "Ready" ? res : undefined;
    });
    expect(got.body.status.clusters).toEqual([{ cluster: "sealed-1", clusterId: expect.any(String), state: "Ready" }]);

    // Not in AWS, not in any response, log line or the database files.
    expect(fleet.aws.secrets.size).toBe(0);
    for (const res of fleet.responses) expect(res.text).not.toContain("s3cr3t-Value");
    expect(fleet.t.logs.join("\n")).not.toContain("s3cr3t-Value");
    for (const file of ["fleet.db", "fleet.db-wal"]) {
      const bytes = await readFile(join(fleet.t.dir, file)).catch(() => Buffer.alloc(0));
      expect(bytes.includes("s3cr3t-Value"), file).toBe(false);
    }
  }, 30_000);

  it("a rotation seals the new value everywhere; the controller's new certificate is used from then on", async () => {
    const before = (kube.store.get(sealedRef("db")) as any).metadata.annotations["fleetplane.io/sealed-from"];
    await controller.rotate("sealed-1");
    const rotated = await fleet.request("PUT", "/v1/tenants/team-payments/secrets/db", {
      body: { name: "db", delivery: "sealed-secrets", data: { url: `${DB_URL}-2`, user: "app" } },
    });
    expect(rotated.status).toBe(200);
    await unsealedAs("db", { url: `${DB_URL}-2`, user: "app" });
    const sealed = kube.store.get(sealedRef("db")) as any;
    const after = sealed.metadata.annotations["fleetplane.io/sealed-from"];
    expect(after).not.toBe(before);
    // Sealed with the newest key: the previous one cannot open it.
    const [previous, newest] = controller.keysOf("sealed-1");
    expect(unseal(newest!.privateKey, sealed.spec.encryptedData.url, "payments/db").toString()).toBe(`${DB_URL}-2`);
    expect(() => unseal(previous!.privateKey, sealed.spec.encryptedData.url, "payments/db")).toThrow();
    const events = await fleet.request("GET", `/v1/events?resource=${rotated.body.id}`);
    expect(events.body.items.map((e: { reason: string }) => e.reason)).toContain("SecretRotated");
  }, 30_000);

  it("a settings change that does not touch the value or its scope leaves the sealed ciphertext alone", async () => {
    const before = kube.store.get(sealedRef("db")) as any;
    const updated = await fleet.request("PUT", "/v1/tenants/team-payments/secrets/db", {
      body: { name: "db", delivery: "sealed-secrets", labels: { app: "payments" } },
    });
    expect(updated.status).toBe(200);
    await eventually(async () => {
      const res = await fleet.request("GET", "/v1/tenants/team-payments/secrets/db");
      return res.body.status.phase === "Ready" && res.body.labels.app === "payments" ? true : undefined;
    });
    const after = kube.store.get(sealedRef("db")) as any;
    expect(after.spec.encryptedData).toEqual(before.spec.encryptedData);
  }, 30_000);

  it("namespace-wide and cluster-wide scopes are sealed with their labels and annotated as kubeseal does", async () => {
    const created = await fleet.request("POST", "/v1/tenants/team-payments/secrets", {
      body: { name: "shared", delivery: "sealed-secrets", scope: "namespace-wide", data: { token: "t-1" } },
    });
    expect(created.status).toBe(202);
    expect(created.body.scope).toBe("namespace-wide");
    await unsealedAs("shared", { token: "t-1" });
    const sealed = kube.store.get(sealedRef("shared")) as any;
    expect(sealed.metadata.annotations["sealedsecrets.bitnami.com/namespace-wide"]).toBe("true");
    expect(sealed.spec.template.metadata.annotations["sealedsecrets.bitnami.com/namespace-wide"]).toBe("true");
    const newest = controller.keysOf("sealed-1").at(-1)!;
    expect(unseal(newest.privateKey, sealed.spec.encryptedData.token, "payments").toString()).toBe("t-1");

    const wide = await fleet.request("PUT", "/v1/tenants/team-payments/secrets/shared", {
      body: { name: "shared", delivery: "sealed-secrets", scope: "cluster-wide" },
    });
    expect(wide.status).toBe(200);
    const rescoped = await eventually(async () => {
      const live = kube.store.get(sealedRef("shared")) as any;
      return live?.metadata.annotations["sealedsecrets.bitnami.com/cluster-wide"] === "true" ? live : undefined;
    });
    // A new scope is a new label: sealed again, from the value Fleetplane holds.
    expect(unseal(newest.privateKey, rescoped.spec.encryptedData.token, "").toString()).toBe("t-1");
    expect(rescoped.metadata.annotations["sealedsecrets.bitnami.com/namespace-wide"]).toBeUndefined();
  }, 30_000);

  it("DELETE removes the SealedSecret from the cluster and the secret with it", async () => {
    const res = await fleet.request("DELETE", "/v1/tenants/team-payments/secrets/shared");
    expect(res.status).toBe(202);
    await eventually(async () => {
      const got = await fleet.request("GET", "/v1/tenants/team-payments/secrets/shared");
      return got.status === 404 ? true : undefined;
    });
    expect(kube.store.get(sealedRef("shared"))).toBeUndefined();
    expect(kube.store.get(sealedRef("db"))).toBeDefined();
  }, 30_000);
});

describe("SealedSecrets and the scheduled reconcile", () => {
  /** Asks for a reconcile of sealed-1 and answers its drift report once it has run. */
  async function reconciled() {
    const askedAt = Date.now();
    expect((await fleet.request("POST", "/v1/clusters/sealed-1/reconcile")).status).toBe(202);
    return eventually(async () => {
      const res = await fleet.request("GET", "/v1/clusters/sealed-1/drift");
      return res.body.reconciledAt && Date.parse(res.body.reconciledAt) >= askedAt ? res.body : undefined;
    }, 15_000);
  }

  it("finds nothing to say about a SealedSecret as it was sealed, and does not seal it again", async () => {
    const before = kube.store.get(sealedRef("db")) as any;
    const report = await reconciled();
    expect(report.items.filter((i: { kind: string }) => i.kind === "SealedSecret")).toEqual([]);
    expect((kube.store.get(sealedRef("db")) as any).spec.encryptedData).toEqual(before.spec.encryptedData);
  }, 30_000);

  it("seals again with the controller's renewed certificate, without anyone writing the secret", async () => {
    await controller.rotate("sealed-1");
    await reconciled();
    const newest = controller.keysOf("sealed-1").at(-1)!;
    const sealed = await eventually(async () => {
      const live = kube.store.get(sealedRef("db")) as any;
      try {
        return unseal(newest.privateKey, live.spec.encryptedData.url, "payments/db").toString() === `${DB_URL}-2`
          ? live
          : undefined;
      } catch {
        return undefined;
      }
    });
    expect(sealed.metadata.annotations["fleetplane.io/sealed-from"]).toMatch(/;strict;[0-9a-f]{64}$/);
    await unsealedAs("db", { url: `${DB_URL}-2`, user: "app" });
    const events = (await fleet.request("GET", "/v1/events?pageSize=500")).body.items as any[];
    expect(events.find((e) => e.reason === "SecretResealed")?.message).toMatch(
      /^sealed db again on cluster sealed-1 with its sealed-secrets controller's renewed certificate$/,
    );
  }, 30_000);

  it("reports a deleted SealedSecret as drift; with driftPolicy remediate it is sealed and applied again", async () => {
    // The tenant's placement has finished (Flux says Ready): nothing but the reconcile looks now.
    await eventually(async () => {
      const res = await fleet.request("GET", "/v1/tenants/team-payments");
      return res.body.status.clusters[0]?.state === "Ready" ? true : undefined;
    }, 20_000);
    expect(kube.remove(sealedRef("db"))).toBe(true);
    const report = await reconciled();
    expect(report.items).toContainEqual(
      expect.objectContaining({
        type: "Missing",
        kind: "SealedSecret",
        name: "db",
        owner: expect.objectContaining({ type: "Secret" }),
      }),
    );
    expect(kube.store.get(sealedRef("db"))).toBeUndefined(); // report: left as it is

    const remediate = await fleet.request("PUT", "/v1/tenants/team-payments/secrets/db", {
      body: { name: "db", delivery: "sealed-secrets", labels: { app: "payments" }, driftPolicy: "remediate" },
    });
    expect(remediate.status).toBe(200);
    // The placement the write starts puts it back; delete it again for the reconcile to repair.
    await eventually(async () => kube.store.get(sealedRef("db")));
    expect(kube.remove(sealedRef("db"))).toBe(true);
    await reconciled();
    const repaired = await eventually(async () => kube.store.get(sealedRef("db")) as any);
    const newest = controller.keysOf("sealed-1").at(-1)!;
    expect(unseal(newest.privateKey, repaired.spec.encryptedData.url, "payments/db").toString()).toBe(`${DB_URL}-2`);
    const events = (await fleet.request("GET", "/v1/events?pageSize=500")).body.items as any[];
    expect(events.find((e) => e.reason === "DriftRepaired" && e.diff?.kind === "SealedSecret")).toBeDefined();
    const clean = await reconciled();
    expect(clean.items.filter((i: { kind: string }) => i.kind === "SealedSecret")).toEqual([]);
  }, 60_000);
});

describe("secrets delivered as SealedSecrets: what is refused", () => {
  const create = (body: Record<string, unknown>) =>
    fleet.request("POST", "/v1/tenants/team-payments/secrets", { body: { name: "refused", ...body } });

  it("External Secrets' settings, a reference instead of a value, or a scope without sealing", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ delivery: "sealed-secrets", remoteRef: { key: "prod/db" } }, "not_applicable", "body.remoteRef"],
      [
        { delivery: "sealed-secrets", data: { a: "b" }, refreshInterval: "1h" },
        "not_applicable",
        "body.refreshInterval",
      ],
      [
        { delivery: "sealed-secrets", data: { a: "b" }, creationPolicy: "Merge" },
        "not_applicable",
        "body.creationPolicy",
      ],
      [{ delivery: "sealed-secrets" }, "value_or_reference", "body.data"],
      [{ scope: "strict", data: { a: "b" } }, "not_applicable", "body.scope"],
    ];
    for (const [body, code, location] of cases) {
      const res = await create(body);
      expectProblem(res, 422, code);
      expect(
        res.body.errors.map((e: { location: string }) => e.location),
        JSON.stringify(body),
      ).toContain(location);
    }
    const bad = await create({ delivery: "sealed-secrets", scope: "everywhere", data: { a: "b" } });
    expect(bad.status).toBe(400);
    expect((await fleet.request("GET", "/v1/tenants/team-payments/secrets/refused")).status).toBe(404);
  });

  it("the delivery of an existing secret cannot change", async () => {
    const res = await fleet.request("PUT", "/v1/tenants/team-payments/secrets/db", {
      body: { name: "db", data: { url: "x" } },
    });
    expectProblem(res, 422, "immutable_field");
    expect(res.body.errors[0].location).toBe("body.delivery");
  });

  it("a cluster without the sealed-secrets add-on says which add-on it needs", async () => {
    const plain = await fleet.addCluster("plain-1", { tier: "plain" });
    await fleet.request("POST", "/v1/tenants", {
      body: {
        name: "team-plain",
        namespace: "plain",
        source: { url: "https://github.com/acme/plain-k8s" },
        placement: { labelSelector: "tier=plain" },
      },
    });
    await fleet.request("POST", "/v1/tenants/team-plain/secrets", {
      body: { name: "key", delivery: "sealed-secrets", data: { key: "k" } },
    });
    const state = await eventually(
      async () => {
        const res = await fleet.request("GET", "/v1/tenants/team-plain");
        const there = res.body.status.clusters.find((c: { cluster: string }) => c.cluster === "plain-1");
        return there?.state === "ErrApplied" ? there : undefined;
      },
      30_000,
      "the placement refused for the missing API",
    );
    expect(state.message).toMatch(
      /MissingAPIs: .*does not serve bitnami\.com; install the sealed-secrets add-on there/,
    );
    expect(plain.store.list({ apiVersion: "v1", kind: "Secret" }).length).toBe(0);
  }, 40_000);
});
