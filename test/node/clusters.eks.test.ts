import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1";
import { GitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conditionOf, EKS_CLASS, type EksWorld, operationsOn, startEksWorld } from "./support/eks";
import { eventually, expectProblem } from "./support/harness";

let w: EksWorld;
const KUSTOMIZATION = {
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  namespace: "flux-system",
  name: "fleet-config",
};

beforeAll(async () => {
  w = await startEksWorld();
  expect((await w.t.request("POST", "/v1/cluster-classes", { body: EKS_CLASS })).status).toBe(201);
});
afterAll(async () => {
  await w.close();
});

const get = async (ref: string) => (await w.t.request("GET", `/v1/clusters/${ref}`)).body;
const settled = (ref: string, what: string, check: (c: any) => boolean, timeoutMs = 15_000) =>
  eventually(
    async () => {
      const cluster = await get(ref);
      return check(cluster) ? cluster : undefined;
    },
    timeoutMs,
    what,
  );

describe("an EKS cluster, the whole life through the API", () => {
  const body = {
    name: "prod-eu",
    class: "eks-standard",
    environment: "production",
    labels: { tier: "prod" },
    values: { tier: "gold" },
    eks: { securityGroupIds: ["sg-0def"] },
  };
  let id: string;

  it("answers 202 with the id readable at once and the fields exactly as written; a replay creates nothing", async () => {
    const headers = { "idempotency-key": "create-prod-eu-1" };
    const res = await w.t.request("POST", "/v1/clusters", { body, headers });
    expect(res.status).toBe(202);
    id = res.body.id;
    expect(res.body).toMatchObject({ ...body, provider: "eks" });
    expect(res.body.version).toBeUndefined(); // inherited from the class, never injected into spec
    expect(res.body.status.phase).toBe("Pending");
    expect((await w.t.request("GET", `/v1/clusters/${id}`)).status).toBe(200);

    const replay = await w.t.request("POST", "/v1/clusters", { body, headers });
    expect(replay.status).toBe(202);
    expect(replay.body.id).toBe(id);
    const list = await w.t.request("GET", "/v1/clusters");
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(["prod-eu"]);
  });

  it("provisions: CreateCluster, ACTIVE, one nodegroup per pool, then Flux bootstrapped → Provisioned", async () => {
    const cluster = await settled(id, "Provisioned", (c) => c.status.phase === "Provisioned");
    expect(conditionOf(cluster, "Ready")).toMatchObject({ status: "True", reason: "Provisioned" });
    expect(conditionOf(cluster, "ControlPlaneReady")).toMatchObject({ status: "True", reason: "ACTIVE" });
    expect(cluster.status).toMatchObject({ version: "1.29", serverVersion: "v1.29.8-eks" });
    expect(cluster.status.workers).toEqual([{ name: "worker", status: "ACTIVE", version: "1.29", replicas: 2 }]);

    const ops = operationsOn(w.aws, "prod-eu");
    expect(ops.filter((op) => op === "CreateCluster")).toHaveLength(1);
    expect(ops.indexOf("CreateNodegroup")).toBeGreaterThan(ops.indexOf("CreateCluster"));
    const eks = w.aws.eks.clusters.get("prod-eu");
    expect(eks?.tags).toEqual({ "fleetplane.io/cluster-id": id });
    expect(eks?.roleArn).toBe(EKS_CLASS.eks.roleArn);
    // The cluster's override replaced the class's security groups.
    expect(eks?.resourcesVpcConfig.securityGroupIds).toEqual(["sg-0def"]);
    expect(w.aws.eks.nodegroups.get("prod-eu")?.get("worker")?.scalingConfig.desiredSize).toBe(2);

    // Reached with an STS-presigned token (the emulator accepts nothing else): the add-ons are
    // installed on the bare API server, then Flux's objects applied.
    const kube = w.kubes.get("prod-eu");
    const applied = (await eventually(async () => {
      try {
        return kube?.store.get(KUSTOMIZATION);
      } catch {
        return undefined; // Flux's CRDs are not there yet
      }
    }, 15_000)) as any;
    const installed = (await w.t.request("GET", `/v1/clusters/${id}`)).body;
    expect(conditionOf(installed, "AddonsReady")).toMatchObject({ status: "True" });
    expect(applied.spec).toMatchObject({ path: "./clusters/production/prod-eu", prune: true });
    expect(applied.metadata.managedFields[0].manager).toBe("fleetplane");
    new Kustomization(applied).validate();
    const repo = kube?.store.get({
      ...KUSTOMIZATION,
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
    });
    new GitRepository(repo as never).validate();
    expect((repo as any).spec).toMatchObject({ url: EKS_CLASS.fleetConfig.url, ref: { branch: "main" } });
    const reconciled = await settled(id, "FluxReady", (c) => conditionOf(c, "FluxReady") !== undefined);
    expect(conditionOf(reconciled, "FluxReady")).toMatchObject({ status: "Unknown", reason: "Progressing" });
  });

  it("reports FluxReady from the Kustomization's status", async () => {
    w.kubes.get("prod-eu")?.setStatus(KUSTOMIZATION, {
      observedGeneration: 1,
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "ReconciliationSucceeded",
          message: "Applied revision: main@sha1:abc",
        },
      ],
    });
    expect((await w.t.request("POST", "/v1/clusters/prod-eu/reconcile")).status).toBe(202);
    const cluster = await settled("prod-eu", "FluxReady", (c) => conditionOf(c, "FluxReady")?.status === "True");
    expect(conditionOf(cluster, "FluxReady")).toMatchObject({
      reason: "ReconciliationSucceeded",
      message: "Applied revision: main@sha1:abc",
    });
  });

  it("shows every object it wants on the cluster, rendered, with the values that produced them", async () => {
    const res = await w.t.request("GET", "/v1/clusters/prod-eu/manifests");
    expect(res.status).toBe(200);
    expect(res.body.path).toBe("./clusters/production/prod-eu");
    expect(res.body.values).toEqual({
      logLevel: "info",
      tier: "gold",
      cluster_name: "prod-eu",
      cluster_environment: "production",
      cluster_region: "eu-west-1",
      cluster_version: "1.29",
    });
    expect(res.body.valueSources).toMatchObject({ logLevel: "class", tier: "cluster", cluster_name: "fleetplane" });
    expect(res.body.objects.map((o: { kind: string }) => o.kind)).toEqual([
      "Namespace",
      "GitRepository",
      "Kustomization",
    ]);
    new Kustomization(res.body.objects[2]).validate();
    expect(res.body.objects[2].spec.postBuild.substitute).toEqual(res.body.values);
    expectProblem(await w.t.request("GET", "/v1/clusters/nope/manifests"), 404, "not_found");
  });

  it("refuses an upgrade that skips a minor version or goes back", async () => {
    expectProblem(
      await w.t.request("PATCH", "/v1/clusters/prod-eu", { body: { version: "1.31" } }),
      422,
      "version_skew",
    );
    expectProblem(
      await w.t.request("PATCH", "/v1/clusters/prod-eu", { body: { version: "1.28" } }),
      422,
      "version_downgrade",
    );
  });

  it("upgrades 1.29 → 1.30: control plane first, then the workers, visible in AWS's request log", async () => {
    w.aws.timeScale.updateMs = 250;
    const res = await w.t.request("PATCH", "/v1/clusters/prod-eu", { body: { version: "1.30" } });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe("1.30");
    expect(res.body.status.phase).toBe("Upgrading");
    expect(conditionOf(res.body, "Reconciling")?.reason).toBe("ControlPlaneUpgradePending");

    const reasons = new Set<string>();
    const cluster = await settled("prod-eu", "upgraded", (c) => {
      const reconciling = conditionOf(c, "Reconciling");
      if (c.status.phase === "Upgrading" && reconciling) reasons.add(reconciling.reason);
      return c.status.phase === "Provisioned" && c.status.version === "1.30";
    });
    expect([...reasons]).toEqual(["ControlPlaneUpgradePending", "MachineDeploymentsUpgradePending"]);
    expect(conditionOf(cluster, "Reconciling")).toMatchObject({ status: "False", reason: "UpgradeComplete" });
    expect(cluster.status.operation).toBeUndefined();

    const ops = operationsOn(w.aws, "prod-eu");
    expect(ops.filter((op) => op === "UpdateClusterVersion")).toHaveLength(1);
    expect(ops.filter((op) => op === "UpdateNodegroupVersion")).toHaveLength(1);
    expect(ops.indexOf("UpdateNodegroupVersion")).toBeGreaterThan(ops.indexOf("UpdateClusterVersion"));
    expect(ops).toContain("DescribeUpdate");
    expect(w.aws.eks.clusters.get("prod-eu")?.version).toBe("1.30");
    expect(w.aws.eks.nodegroups.get("prod-eu")?.get("worker")?.version).toBe("1.30");
    // The new version flows into the fleet-config values on the cluster.
    // (re-applied by the reconcile that follows the add-on check)
    const applied = (await eventually(async () => {
      const live = w.kubes.get("prod-eu")?.store.get(KUSTOMIZATION) as any;
      return live?.spec.postBuild.substitute.cluster_version === "1.30" ? live : undefined;
    })) as any;
    expect(applied.spec.postBuild.substitute.cluster_version).toBe("1.30");
  });

  it("scales a pool and adds one (UpdateNodegroupConfig, CreateNodegroup), then removes it", async () => {
    w.aws.timeScale.updateMs = 50;
    const res = await w.t.request("PATCH", "/v1/clusters/prod-eu", {
      body: {
        workers: [
          { name: "worker", replicas: 3 },
          { name: "batch", replicas: 1, instanceType: "m7i.large" },
        ],
      },
    });
    expect(res.status).toBe(200);
    const scaled = await settled("prod-eu", "scaled", (c) =>
      c.status.workers?.length === 2 &&
      c.status.workers.every((p: { status: string }) => p.status === "ACTIVE") &&
      conditionOf(c, "Reconciling")?.reason === "ScaleComplete"
        ? c
        : false,
    );
    expect(scaled.status.workers).toEqual([
      { name: "worker", status: "ACTIVE", version: "1.30", replicas: 3 },
      { name: "batch", status: "ACTIVE", version: "1.30", replicas: 1 },
    ]);
    expect(w.aws.eks.nodegroups.get("prod-eu")?.get("worker")?.scalingConfig.desiredSize).toBe(3);
    expect(w.aws.eks.nodegroups.get("prod-eu")?.get("batch")?.instanceTypes).toEqual(["m7i.large"]);
    expect(operationsOn(w.aws, "prod-eu")).toContain("UpdateNodegroupConfig");

    expectProblem(
      await w.t.request("PATCH", "/v1/clusters/prod-eu", {
        body: { workers: [{ name: "worker", replicas: 3, instanceType: "m7i.xlarge" }] },
      }),
      422,
      "immutable_field",
    );
    await w.t.request("PATCH", "/v1/clusters/prod-eu", { body: { workers: [{ name: "worker", replicas: 3 }] } });
    await eventually(async () => (w.aws.eks.nodegroups.get("prod-eu")?.has("batch") ? undefined : true), 15_000);
    await settled("prod-eu", "one pool", (c) => c.status.workers?.length === 1 && c.status.operation === undefined);
  });

  it("deletes: nodegroups first, then the control plane; polls until gone; then 404", async () => {
    const res = await w.t.request("DELETE", "/v1/clusters/prod-eu");
    expect(res.status).toBe(202);
    expect(res.body.status.phase).toBe("Deleting");
    const again = await w.t.request("DELETE", "/v1/clusters/prod-eu");
    expect(again.status).toBe(202);
    await eventually(
      async () => ((await w.t.request("GET", `/v1/clusters/${id}`)).status === 404 ? true : undefined),
      15_000,
    );
    expect(w.aws.eks.clusters.has("prod-eu")).toBe(false);
    const ops = operationsOn(w.aws, "prod-eu");
    expect(ops.lastIndexOf("DeleteNodegroup")).toBeLessThan(ops.indexOf("DeleteCluster"));
    expect(ops.filter((op) => op === "DeleteCluster")).toHaveLength(1);
    expectProblem(await w.t.request("DELETE", "/v1/clusters/prod-eu"), 404, "not_found");
    const events = await w.t.request("GET", `/v1/events?resource=${id}`);
    expect(events.body.items.map((e: { reason: string }) => e.reason)).toEqual(
      expect.arrayContaining(["Registered", "Provisioned", "UpgradeComplete", "ScaleComplete", "Deleted"]),
    );
  });
});
