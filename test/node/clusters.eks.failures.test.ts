import { CreateClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { leaseAndRun } from "../../functions/engine";
import { conditionOf, EKS_CLASS, type EksWorld, operationsOn, startEksWorld } from "./support/eks";
import { eventually } from "./support/harness";

let w: EksWorld;

beforeAll(async () => {
  w = await startEksWorld({ FLEET_JOB_MAX_ATTEMPTS: "3" });
  await w.t.request("POST", "/v1/cluster-classes", { body: EKS_CLASS });
});
afterEach(() => {
  w.aws.faults.throttleNext = 0;
  delete w.aws.faults.failCreateCluster;
  delete w.aws.faults.failClusterDuringCreate;
  Object.assign(w.aws.timeScale, { clusterCreateMs: 50, nodegroupCreateMs: 50, updateMs: 50, deleteMs: 50 });
});
afterAll(async () => {
  await w.close();
});

const create = async (name: string, extra: Record<string, unknown> = {}) => {
  const res = await w.t.request("POST", "/v1/clusters", { body: { name, class: "eks-standard", ...extra } });
  expect(res.status).toBe(202);
  return res.body.id as string;
};
const phaseOf = async (ref: string) => (await w.t.request("GET", `/v1/clusters/${ref}`)).body;
const untilPhase = (ref: string, phase: string, timeoutMs = 15_000) =>
  eventually(
    async () => {
      const cluster = await phaseOf(ref);
      return cluster.status?.phase === phase ? cluster : undefined;
    },
    timeoutMs,
    `${ref} ${phase}`,
  );
const untilGone = (ref: string) =>
  eventually(async () => ((await w.t.request("GET", `/v1/clusters/${ref}`)).status === 404 ? true : undefined), 15_000);
const eksClient = () =>
  new EKSClient({
    region: "eu-west-1",
    endpoint: w.aws.url,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  });

describe("EKS failure paths", () => {
  it("rides out AWS throttling (the SDK retries, then the job backs off)", async () => {
    w.aws.faults.throttleNext = 6;
    await create("throttled");
    await untilPhase("throttled", "Provisioned");
    const throttled = w.aws.requests.filter((r) => r.status === 429 || r.status === 400);
    expect(throttled.length).toBeGreaterThanOrEqual(6);
    expect(operationsOn(w.aws, "throttled").filter((op) => op === "CreateCluster").length).toBeGreaterThanOrEqual(1);
    expect(w.aws.eks.clusters.size).toBeGreaterThan(0);
  });

  it("CreateCluster refused for quota: Failed with AWS's reason, nothing left behind, deletable", async () => {
    w.aws.faults.failCreateCluster = {
      code: "ResourceLimitExceededException",
      message: "Cluster limit exceeded for account",
    };
    await create("over-quota");
    const failed = await untilPhase("over-quota", "Failed");
    expect(conditionOf(failed, "Ready")).toMatchObject({
      status: "False",
      reason: "ResourceLimitExceededException",
      message: expect.stringContaining("Cluster limit exceeded"),
    });
    expect(conditionOf(failed, "Stalled")?.status).toBe("True");
    expect(w.aws.eks.clusters.has("over-quota")).toBe(false);
    expect(operationsOn(w.aws, "over-quota")).not.toContain("CreateNodegroup");
    expect((await w.t.request("DELETE", "/v1/clusters/over-quota")).status).toBe(202);
    await untilGone("over-quota");
  });

  it("CreateCluster refused for a bad subnet override: Failed with InvalidParameterException", async () => {
    await create("one-subnet", { eks: { subnetIds: ["subnet-0a1b2c"] } });
    const failed = await untilPhase("one-subnet", "Failed");
    expect(conditionOf(failed, "Ready")).toMatchObject({
      reason: "InvalidParameterException",
      message: expect.stringContaining("at least two different AZs"),
    });
    expect(operationsOn(w.aws, "one-subnet")).not.toContain("CreateNodegroup");
  });

  it("a cluster that goes FAILED while creating: Failed with the health issue, no nodegroups", async () => {
    w.aws.faults.failClusterDuringCreate = "doomed";
    await create("doomed");
    const failed = await untilPhase("doomed", "Failed");
    expect(conditionOf(failed, "Ready")).toMatchObject({
      reason: "InsufficientFreeAddresses",
      message: expect.stringContaining("FAILED"),
    });
    expect(w.aws.eks.nodegroups.get("doomed")?.size ?? 0).toBe(0);
    // Deleting a FAILED cluster removes it from AWS too.
    await w.t.request("DELETE", "/v1/clusters/doomed");
    await untilGone("doomed");
    expect(w.aws.eks.clusters.has("doomed")).toBe(false);
  });

  it("deletes a cluster while it is still provisioning: waits for CREATING to end, removes it, no orphans", async () => {
    w.aws.timeScale.clusterCreateMs = 400;
    await create("hasty");
    await untilPhase("hasty", "Provisioning");
    expect((await w.t.request("DELETE", "/v1/clusters/hasty")).status).toBe(202);
    expect((await w.t.request("DELETE", "/v1/clusters/hasty")).status).toBe(202);
    await untilGone("hasty");
    expect(w.aws.eks.clusters.has("hasty")).toBe(false);
    expect(w.aws.eks.nodegroups.get("hasty")?.size ?? 0).toBe(0);
    expect(operationsOn(w.aws, "hasty").filter((op) => op === "DeleteCluster")).toHaveLength(1);
  });

  it("never adopts an EKS cluster of the same name that is not ours, and leaves it alone on delete", async () => {
    await eksClient().send(
      new CreateClusterCommand({
        name: "taken",
        roleArn: EKS_CLASS.eks.roleArn,
        resourcesVpcConfig: { subnetIds: EKS_CLASS.eks.subnetIds },
      }),
    );
    await create("taken");
    const failed = await untilPhase("taken", "Failed");
    expect(conditionOf(failed, "Ready")?.reason).toBe("NameTaken");
    await w.t.request("DELETE", "/v1/clusters/taken");
    await untilGone("taken");
    expect(w.aws.eks.clusters.has("taken")).toBe(true);
  });
});

describe("EKS crash safety", () => {
  let h: EksWorld;
  beforeAll(async () => {
    h = await startEksWorld({}, { runJobs: false });
    await h.t.request("POST", "/v1/cluster-classes", { body: EKS_CLASS });
  });
  afterAll(async () => {
    await h.close();
  });
  const jobsOf = async (name: string, kind: string) =>
    (await h.t.request("GET", `/v1/jobs?cluster=${name}&kind=${kind}`)).body.items as { id: string; state: string }[];

  it("a host killed between CreateCluster and recording it: the next run finds the cluster and carries on", async () => {
    const res = await h.t.request("POST", "/v1/clusters", { body: { name: "survivor", class: "eks-standard" } });
    const id = res.body.id as string;
    // What the dead host had sent: CreateCluster with our tag and idempotency token, never recorded.
    await new EKSClient({
      region: "eu-west-1",
      endpoint: h.aws.url,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    }).send(
      new CreateClusterCommand({
        name: "survivor",
        version: "1.29",
        roleArn: EKS_CLASS.eks.roleArn,
        resourcesVpcConfig: { subnetIds: EKS_CLASS.eks.subnetIds },
        tags: { "fleetplane.io/cluster-id": id },
        clientRequestToken: id,
      }),
    );
    h.t.host.runner.start();
    await eventually(async () => {
      const cluster = (await h.t.request("GET", "/v1/clusters/survivor")).body;
      return cluster.status.phase === "Provisioned" ? cluster : undefined;
    }, 15_000);
    expect(operationsOn(h.aws, "survivor").filter((op) => op === "CreateCluster")).toHaveLength(1);
    expect(h.aws.eks.clusters.get("survivor")?.tags).toEqual({ "fleetplane.io/cluster-id": id });
  });

  it("an upgrade interrupted after the control plane step resumes with the workers, never repeating it", async () => {
    await h.t.host.runner.stop();
    h.aws.timeScale.updateMs = 200;
    const res = await h.t.request("PATCH", "/v1/clusters/survivor", { body: { version: "1.30" } });
    expect(res.body.status.phase).toBe("Upgrading");
    const [job] = await jobsOf("survivor", "upgradeCluster");
    // One run: UpdateClusterVersion is sent and recorded; then the host "dies".
    const first = await leaseAndRun(job?.id ?? "", "doomed-host", h.t.host.deps);
    expect(first?.outcome.state).toBe("Queued");
    expect(operationsOn(h.aws, "survivor").filter((op) => op === "UpdateClusterVersion")).toHaveLength(1);
    const midway = (await h.t.request("GET", "/v1/clusters/survivor")).body;
    expect(midway.status.operation).toMatchObject({ type: "upgrade", step: "ControlPlane", target: "1.30" });
    await eventually(async () => (h.aws.eks.clusters.get("survivor")?.version === "1.30" ? true : undefined), 5000);

    h.t.host.runner.start();
    const done = await eventually(async () => {
      const cluster = (await h.t.request("GET", "/v1/clusters/survivor")).body;
      return cluster.status.phase === "Provisioned" && cluster.status.version === "1.30" ? cluster : undefined;
    }, 15_000);
    expect(done.status.workers[0]).toMatchObject({ name: "worker", version: "1.30" });
    const ops = operationsOn(h.aws, "survivor");
    expect(ops.filter((op) => op === "UpdateClusterVersion")).toHaveLength(1);
    expect(ops.filter((op) => op === "UpdateNodegroupVersion")).toHaveLength(1);
    // The job is marked done in its own write, just after the one that made the cluster Provisioned.
    await eventually(
      async () => ((await jobsOf("survivor", "upgradeCluster"))[0]?.state === "Succeeded" ? true : undefined),
      5000,
    );
  });
});
