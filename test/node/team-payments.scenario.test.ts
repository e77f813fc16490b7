import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1";
import { GitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretVersionByStage } from "../emulators/aws";
import type { KubeEmulator } from "../emulators/kube";
import {
  dataFilesText,
  externalSecretRef,
  type Fleet,
  fluxReconciled,
  refs,
  startFleet,
  waitForStates,
} from "./support/fleet";
import { eventually } from "./support/harness";

/**
 * A team-payments tenant, end to end against emulated clusters and AWS: onboarding on
 * the matching clusters with exactly the Pattern 2 objects, db-password wired and rotated, a
 * cluster joining later getting both, labels moving it, offboarding leaving nothing behind,
 * and the secret values nowhere but in Secrets Manager.
 */
const PASSWORD = "s3cr3t-Payments-Leak-Canary-7f3a91";
const ROTATED = "r0tated-Payments-Leak-Canary-c4e812";
const TENANT = {
  name: "team-payments",
  namespace: "team-payments",
  source: {
    url: "https://github.com/acme/payments-k8s",
    branch: "main",
    path: "./k8s",
    secretRef: "team-payments-github-token",
  },
  placement: { labelSelector: "tier=prod" },
  healthChecks: [{ apiVersion: "apps/v1", kind: "Deployment", name: "payments-api" }],
  interval: "5m",
};
const R = refs("team-payments", "team-payments");

let fleet: Fleet;
let eu: KubeEmulator;
let us: KubeEmulator;
let staging: KubeEmulator;

beforeAll(async () => {
  fleet = await startFleet();
  eu = await fleet.addCluster("prod-eu-west-1", { tier: "prod", region: "eu-west-1" });
  us = await fleet.addCluster("prod-us-east-1", { tier: "prod", region: "us-east-1" });
  staging = await fleet.addCluster("staging-1", { tier: "staging" });
});
afterAll(() => fleet.close());

const tenantObjects = (kube: KubeEmulator) => Object.values(R).map((ref) => kube.store.get(ref));

describe("team-payments: the whole life of a tenant", () => {
  let tenantId: string;

  it("onboards with 202, placement queued on the matching clusters only", async () => {
    const res = await fleet.request("POST", "/v1/tenants", { body: TENANT });
    expect(res.status).toBe(202);
    tenantId = res.body.id;
    expect(tenantId).toMatch(/^tnt_/);
    const { name: _n, ...spec } = TENANT;
    expect(res.body).toMatchObject({ name: "team-payments", ...spec, labels: {} });
    expect(res.body.status.clusters.map((c: { cluster: string }) => c.cluster)).toEqual([
      "prod-eu-west-1",
      "prod-us-east-1",
    ]);
    expect(res.body.status.phase).toBe("Pending");
  });

  it("applies exactly the Pattern 2 objects on each matching cluster and nothing on the others", async () => {
    await waitForStates(fleet.request, "team-payments", { "prod-eu-west-1": "Pending", "prod-us-east-1": "Pending" });
    for (const kube of [eu, us]) {
      const [namespace, account, binding, source, kustomization] = tenantObjects(kube) as any[];
      expect(namespace.metadata.labels).toMatchObject({ "toolkit.fluxcd.io/tenant": "team-payments" });
      expect(account.metadata).toMatchObject({ name: "team-payments-flux", namespace: "flux-system" });
      expect(binding.subjects).toEqual([
        { kind: "ServiceAccount", name: "team-payments-flux", namespace: "flux-system" },
      ]);
      expect(binding.roleRef).toEqual({
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "flux-tenant-role",
      });
      expect(source.spec).toEqual({
        interval: "1m",
        url: "https://github.com/acme/payments-k8s",
        ref: { branch: "main" },
        secretRef: { name: "team-payments-github-token" },
      });
      expect(kustomization.spec).toEqual({
        targetNamespace: "team-payments",
        serviceAccountName: "team-payments-flux",
        sourceRef: { kind: "GitRepository", name: "team-payments" },
        path: "./k8s",
        prune: true,
        interval: "5m",
        healthChecks: [{ apiVersion: "apps/v1", kind: "Deployment", name: "payments-api", namespace: "team-payments" }],
      });
      // The upstream Flux schemas accept what was applied.
      new GitRepository(source).validate();
      new Kustomization(kustomization).validate();
      // Written by server-side apply as fleetplane.
      expect(kustomization.metadata.managedFields[0]).toMatchObject({ manager: "fleetplane", operation: "Apply" });
      // Guardrails once per cluster.
      const policy = kube.store.get({
        apiVersion: "kyverno.io/v1",
        kind: "ClusterPolicy",
        name: "restrict-flux-tenant-namespace",
      }) as any;
      expect(policy.spec.rules[0].validate.pattern.spec.targetNamespace).toBe("?*");
      const lockdown = kube.store.get({
        apiVersion: "kyverno.io/v1",
        kind: "ClusterPolicy",
        name: "flux-multi-tenancy",
      }) as any;
      expect(lockdown.spec.rules.map((r: { name: string }) => r.name)).toEqual(
        expect.arrayContaining(["serviceAccountName", "kustomizationSourceRefNamespace"]),
      );
    }
    expect(tenantObjects(staging).every((o) => o === undefined)).toBe(true);
  });

  it("reports Flux's verdict per cluster and summarises it", async () => {
    fluxReconciled(eu, "team-payments");
    fluxReconciled(us, "team-payments", false, "Health check failed: Deployment/team-payments/payments-api");
    const tenant = await waitForStates(fleet.request, "team-payments", {
      "prod-eu-west-1": "Ready",
      "prod-us-east-1": "NotReady",
    });
    const ready = tenant.status.conditions.find((c: { type: string }) => c.type === "Ready");
    expect(ready.message).toMatch(/^1\/2 clusters ready; prod-us-east-1: NotReady: HealthCheckFailed/);
    fluxReconciled(us, "team-payments");
    const fixed = await waitForStates(fleet.request, "team-payments", {
      "prod-eu-west-1": "Ready",
      "prod-us-east-1": "Ready",
    });
    expect(fixed.status.phase).toBe("Ready");
    expect(fixed.status.conditions[0]).toMatchObject({ status: "True", message: "2/2 clusters ready" });
  });

  let versionId: string;
  it("stores db-password in Secrets Manager only and wires an ExternalSecret on every cluster", async () => {
    const res = await fleet.request("POST", "/v1/tenants/team-payments/secrets", {
      body: {
        name: "db-password",
        namespace: "team-payments",
        data: { password: PASSWORD },
        refreshInterval: "1h",
        creationPolicy: "Owner",
      },
    });
    expect(res.status).toBe(202);
    expect(res.text).not.toContain(PASSWORD);
    expect(res.body).toMatchObject({
      name: "db-password",
      namespace: "team-payments",
      refreshInterval: "1h",
      creationPolicy: "Owner",
      keys: ["password"],
      tenant: tenantId,
    });
    expect(res.body.data).toBeUndefined();
    versionId = res.body.secretsManager.versionId;
    const stored = fleet.aws.secrets.get("fleetplane/team-payments/db-password");
    expect(stored?.arn).toBe(res.body.secretsManager.arn);
    expect(JSON.parse(secretVersionByStage(stored!)?.secretString ?? "{}")).toEqual({ password: PASSWORD });
    expect(stored?.tags).toEqual(
      expect.arrayContaining([
        { Key: "fleetplane:tenant", Value: "team-payments" },
        { Key: "fleetplane:secret", Value: "db-password" },
      ]),
    );
    for (const kube of [eu, us]) {
      const es = (await eventually(async () =>
        kube.store.get(externalSecretRef("team-payments", "db-password")),
      )) as any;
      expect(es.spec).toEqual({
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: "fleetplane-aws-secrets-manager" },
        target: { name: "db-password", creationPolicy: "Owner" },
        data: [
          {
            secretKey: "password",
            remoteRef: {
              key: "fleetplane/team-payments/db-password",
              property: "password",
              version: `uuid/${versionId}`,
            },
          },
        ],
      });
      expect(es.metadata.annotations["force-sync"]).toBe(versionId);
      const store = kube.store.get({
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        name: "fleetplane-aws-secrets-manager",
      }) as any;
      expect(store.spec.provider.aws).toMatchObject({ service: "SecretsManager", region: "eu-west-1" });
    }
    expect(staging.store.get(externalSecretRef("team-payments", "db-password"))).toBeUndefined();
    const secret = await eventually(async () => {
      const got = await fleet.request("GET", "/v1/tenants/team-payments/secrets/db-password");
      return got.body.status.phase === "Ready" ? got.body : undefined;
    });
    expect(secret.status.clusters.map((c: { state: string }) => c.state)).toEqual(["Ready", "Ready"]);
  });

  it("rotates: a new version in Secrets Manager and a forced refresh on every cluster", async () => {
    const res = await fleet.request("PUT", "/v1/tenants/team-payments/secrets/db-password", {
      body: {
        name: "db-password",
        namespace: "team-payments",
        data: { password: ROTATED },
        refreshInterval: "1h",
        creationPolicy: "Owner",
      },
    });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(ROTATED);
    const next = res.body.secretsManager.versionId;
    expect(next).not.toBe(versionId);
    const stored = fleet.aws.secrets.get("fleetplane/team-payments/db-password")!;
    expect(JSON.parse(secretVersionByStage(stored)?.secretString ?? "{}")).toEqual({ password: ROTATED });
    expect(secretVersionByStage(stored, "AWSPREVIOUS")?.versionId).toBe(versionId);
    for (const kube of [eu, us]) {
      await eventually(async () => {
        const es = kube.store.get(externalSecretRef("team-payments", "db-password")) as any;
        return es?.metadata.annotations["force-sync"] === next && es.spec.data[0].remoteRef.version === `uuid/${next}`
          ? es
          : undefined;
      });
    }
    versionId = next;
  });

  it("a cluster that joins later gets the tenant and its secret", async () => {
    const ap = await fleet.addCluster("prod-ap-south-1", { tier: "prod" });
    await eventually(async () => ap.store.get(externalSecretRef("team-payments", "db-password")));
    expect(tenantObjects(ap).every((o) => o !== undefined)).toBe(true);
    fluxReconciled(ap, "team-payments");
    await waitForStates(fleet.request, "team-payments", {
      "prod-ap-south-1": "Ready",
      "prod-eu-west-1": "Ready",
      "prod-us-east-1": "Ready",
    });
  });

  it("follows label changes: matching adds the tenant, no longer matching removes it", async () => {
    expect(
      (await fleet.request("PATCH", "/v1/clusters/staging-1", { body: { labels: { tier: "prod" } } })).status,
    ).toBe(200);
    await eventually(async () => staging.store.get(externalSecretRef("team-payments", "db-password")));
    expect(tenantObjects(staging).every((o) => o !== undefined)).toBe(true);
    await fleet.request("PATCH", "/v1/clusters/staging-1", { body: { labels: { tier: "staging" } } });
    await eventually(async () => (tenantObjects(staging).every((o) => o === undefined) ? true : undefined));
    expect(staging.store.get(externalSecretRef("team-payments", "db-password"))).toBeUndefined();
    const tenant = await eventually(async () => {
      const res = await fleet.request("GET", "/v1/tenants/team-payments");
      return res.body.status.clusters.length === 3 ? res.body : undefined;
    });
    expect(tenant.status.clusters.map((c: { cluster: string }) => c.cluster)).not.toContain("staging-1");
  });

  it("offboards: every cluster clean, then 404; the value scheduled for deletion, the tokens revoked", async () => {
    const token = await fleet.request("POST", "/v1/tenants/team-payments/tokens", { body: { name: "payments-ci" } });
    expect(token.status).toBe(201);
    const res = await fleet.request("DELETE", "/v1/tenants/team-payments");
    expect(res.status).toBe(202);
    expect(res.body.status.phase).toBe("Deleting");
    await eventually(async () => {
      const got = await fleet.request("GET", "/v1/tenants/team-payments");
      return got.status === 404 ? true : undefined;
    }, 20_000);
    for (const kube of fleet.clusters.values()) {
      expect(tenantObjects(kube).every((o) => o === undefined)).toBe(true);
      expect(kube.store.get(externalSecretRef("team-payments", "db-password"))).toBeUndefined();
    }
    const stored = fleet.aws.secrets.get("fleetplane/team-payments/db-password");
    expect(stored?.deletedAt).toBeDefined();
    expect((stored?.purgeAt ?? 0) - (stored?.deletedAt ?? 0)).toBe(7 * 24 * 3600 * 1000);
    const refused = await fleet.request("GET", "/v1/tenants", { token: token.body.token });
    expect(refused.status).toBe(401);
    const events = await fleet.request("GET", `/v1/events?resource=${tenantId}`);
    expect(events.body.items.map((e: { reason: string }) => e.reason)).toEqual(
      expect.arrayContaining(["Onboarded", "Removed", "Offboarded"]),
    );
  });

  it("the secret values were never in the database, the logs, the jobs or any response", async () => {
    const jobs = await fleet.request("GET", "/v1/jobs?pageSize=500");
    expect(jobs.body.items.some((j: { kind: string }) => j.kind === "placeTenant")).toBe(true);
    const haystacks = {
      database: await dataFilesText(fleet.t.dir),
      logs: fleet.t.logs.join("\n"),
      responses: fleet.responses.map((r) => `${JSON.stringify(Object.fromEntries(r.headers))}\n${r.text}`).join("\n"),
    };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const value of [PASSWORD, ROTATED]) {
        expect(text.includes(value), `${value} found in ${where}`).toBe(false);
        // Nor encoded: JSON escapes and base64 are how values usually slip out.
        expect(text.includes(Buffer.from(value).toString("base64")), `base64 of ${value} in ${where}`).toBe(false);
      }
    }
    // The scan itself works: the database does hold what should be there.
    expect(haystacks.database).toContain("fleetplane/team-payments/db-password");
  });
});
