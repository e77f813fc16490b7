import { GitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { eventually, expectProblem, startTestHost, type TestHost } from "./support/harness";

/**
 * Environments carry shared fleet-config values: a cluster's values override its
 * environment's, which override its class's; changing an environment re-applies the Flux
 * objects of every cluster in it.
 */
let t: TestHost;
let kube: KubeEmulator;
const gitRepository = {
  apiVersion: "source.toolkit.fluxcd.io/v1",
  kind: "GitRepository",
  namespace: "flux-system",
  name: "fleet-config",
};
const kustomization = {
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  namespace: "flux-system",
  name: "fleet-config",
};

beforeAll(async () => {
  t = await startTestHost({ FLEET_PROVIDER_POLL_MS: "50" });
  kube = await startKubeEmulator({ name: "prod-eu-west-1" });
  await t.request("POST", "/v1/cluster-classes", {
    body: {
      name: "imported-fleet",
      provider: "imported",
      fleetConfig: { url: "https://github.com/acme/fleet-config" },
      values: { log_level: "info", replicas: "2", region_bucket: "class-bucket" },
    },
  });
  const cluster = await t.request("POST", "/v1/clusters", {
    body: {
      name: "prod-eu-west-1",
      class: "imported-fleet",
      environment: "production",
      values: { region_bucket: "eu-bucket" },
      connection: { server: kube.url, caData: kube.caData, token: kube.token },
    },
  });
  expect(cluster.status).toBe(202);
  await eventually(async () => (kube.store.get(kustomization) ? true : undefined), 15_000, "bootstrap");
});
afterAll(async () => {
  await t.close();
  await kube.close();
});

const substitutes = () =>
  (kube.store.get(kustomization) as unknown as { spec: { postBuild: { substitute: Record<string, string> } } }).spec
    .postBuild.substitute;

describe("environments", () => {
  it("layer between class and cluster, visible in the manifests with where each value came from", async () => {
    const created = await t.request("POST", "/v1/environments", {
      body: { name: "production", description: "Customer traffic", values: { replicas: "5", log_level: "warn" } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "production",
      description: "Customer traffic",
      values: { replicas: "5", log_level: "warn" },
      status: { clusters: 1 },
    });
    const manifests = await t.request("GET", "/v1/clusters/prod-eu-west-1/manifests");
    expect(manifests.body.values).toMatchObject({ log_level: "warn", replicas: "5", region_bucket: "eu-bucket" });
    expect(manifests.body.valueSources).toMatchObject({
      log_level: "environment",
      replicas: "environment",
      region_bucket: "cluster",
      cluster_name: "fleetplane",
    });
    // The cluster re-applies: the live Kustomization substitutes the environment's values.
    await eventually(
      async () => (substitutes().replicas === "5" ? true : undefined),
      15_000,
      "environment values live",
    );
  });

  it("a change re-applies on the environment's clusters; its repository replaces the class's", async () => {
    const patched = await t.request("PATCH", "/v1/environments/production", {
      body: {
        values: { log_level: null, replicas: "7" },
        fleetConfig: { url: "https://github.com/acme/prod-fleet", branch: "release" },
      },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.generation).toBe(2);
    expect(patched.body.values).toEqual({ replicas: "7" });
    await eventually(async () => (substitutes().replicas === "7" ? true : undefined), 15_000, "patched values live");
    expect(substitutes().log_level).toBe("info");
    const repo = kube.store.get(gitRepository) as unknown as { spec: { url: string; ref: { branch: string } } };
    expect(repo.spec).toMatchObject({ url: "https://github.com/acme/prod-fleet", ref: { branch: "release" } });
    new GitRepository(repo as never).validate();
    const events = await t.request("GET", `/v1/events?resource=${patched.body.id}`);
    expect(events.body.items.map((e: { reason: string }) => e.reason)).toContain("Updated");
  });

  it("deleting it falls back to the class's values", async () => {
    const current = await t.request("GET", "/v1/environments/production");
    expectProblem(await t.request("DELETE", "/v1/environments/production", { headers: { "if-match": '"1"' } }), 412);
    const res = await t.request("DELETE", "/v1/environments/production", {
      headers: { "if-match": current.headers.get("etag") ?? "" },
    });
    expect(res.status).toBe(204);
    expectProblem(await t.request("GET", "/v1/environments/production"), 404);
    await eventually(
      async () => (substitutes().replicas === "2" ? true : undefined),
      15_000,
      "class values live again",
    );
    const manifests = await t.request("GET", "/v1/clusters/prod-eu-west-1/manifests");
    expect(manifests.body.valueSources.replicas).toBe("class");
  });

  it("refuses bad input and duplicates with problems, and tenant tokens may only read", async () => {
    expectProblem(await t.request("POST", "/v1/environments", { body: { name: "Prod_1" } }), 400);
    expectProblem(
      await t.request("POST", "/v1/environments", { body: { name: "qa", values: { "bad key": "x" } } }),
      400,
    );
    expectProblem(await t.request("POST", "/v1/environments", { body: { name: "qa", id: "env_x" } }), 400);
    // An add-on strategy is held to what an application's is: waves are reported and approved by name.
    const twice = await t.request("POST", "/v1/environments", {
      body: { name: "qa", addonStrategy: { waves: [{ name: "first" }, { name: "first", selector: "tier=2" }] } },
    });
    expectProblem(twice, 422, "duplicate_wave");
    expect(twice.body.errors[0].location).toBe("body.addonStrategy.waves[1].name");
    expect((await t.request("POST", "/v1/environments", { body: { name: "qa" } })).status).toBe(201);
    expectProblem(await t.request("POST", "/v1/environments", { body: { name: "qa" } }), 409);
    expectProblem(await t.request("PUT", "/v1/environments/qa", { body: { name: "qa-2" } }), 422);
    const tenant = await t.tenantToken("tnt_someone");
    expect((await t.request("GET", "/v1/environments/qa", { token: tenant })).status).toBe(200);
    expectProblem(await t.request("PATCH", "/v1/environments/qa", { token: tenant, body: { description: "x" } }), 403);
    const list = await t.request("GET", "/v1/environments?pageSize=1");
    expect(list.body.items).toHaveLength(1);
  });
});

describe("a cluster's own values", () => {
  it("re-apply on the cluster as soon as they change", async () => {
    const patched = await t.request("PATCH", "/v1/clusters/prod-eu-west-1", {
      body: { values: { region_bucket: "eu-bucket-2" } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status).toBe(200);
    await eventually(
      async () => (substitutes().region_bucket === "eu-bucket-2" ? true : undefined),
      15_000,
      "the cluster's new value live",
    );
  });
});
