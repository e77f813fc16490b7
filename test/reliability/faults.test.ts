import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsEmulator, startAwsEmulator, verifyEksToken } from "../emulators/aws";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { startTestHost, type TestHost } from "../node/support/harness";
import { allJobs, checkLedger, drainJobs, duplicateSideEffects, duplicateTransitions } from "./support/checks";
import { emulateFlux } from "./support/flux";
import { Ledger, pickWorkload, type Send, seededRandom, WORKLOADS, type World } from "./support/workloads";

/**
 * The mixed workload with both emulators misbehaving: 20% of calls fail, every call is slow,
 * and some connections are dropped. Everything converges or fails with a reason the owner
 * shows; no job is lost and no acknowledged write is missing or doubled.
 */
/** Workload requests sent while the faults are on. */
const OPERATIONS = 30;
const ERROR_RATE = 0.2;
const DROP_RATE = 0.05;
const LATENCY_MS = 10;

let t: TestHost;
let aws: AwsEmulator;
const kubes = new Map<string, KubeEmulator>();
let stopFlux: () => void;
const ledger = new Ledger();
const random = seededRandom(2020);
let summary = "faults: did not finish";

function misbehave(kube: KubeEmulator) {
  kube.faults.errorRate = ERROR_RATE;
  kube.faults.dropRate = DROP_RATE;
  kube.faults.latencyMs = LATENCY_MS;
}

const send: Send = async (method, path, body, headers) => {
  const res = await t.request(method, path, {
    ...(body !== undefined ? { body } : {}),
    ...(headers ? { headers } : {}),
  });
  return { status: res.status, body: res.body };
};

beforeAll(async () => {
  aws = await startAwsEmulator({
    clusterEndpoint: async (name) => {
      const kube = await startKubeEmulator({
        name,
        gitVersion: "v1.29.8-eks",
        authenticate: async (token) => (await verifyEksToken(aws, token, name)).ok,
      });
      misbehave(kube);
      kubes.set(name, kube);
      return { endpoint: kube.url, certificateAuthorityData: kube.caData };
    },
  });
  t = await startTestHost({
    AWS_REGION: "eu-west-1",
    AWS_ENDPOINT_URL_EKS: aws.url,
    AWS_ENDPOINT_URL_STS: aws.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    FLEET_PROVIDER_POLL_MS: "30",
    FLEET_KUBE_TIMEOUT_MS: "2000",
  });
  stopFlux = emulateFlux(() => kubes.values());
  expect((await send("POST", "/v1/cluster-classes", { name: "imported", provider: "imported" })).status).toBe(201);
  const eks = await send("POST", "/v1/cluster-classes", {
    name: "eks-standard",
    provider: "eks",
    region: "eu-west-1",
    version: "1.29",
    workers: [{ name: "worker", replicas: 2 }],
    eks: {
      roleArn: "arn:aws:iam::123456789012:role/eks-cluster",
      nodeRoleArn: "arn:aws:iam::123456789012:role/eks-node",
      subnetIds: ["subnet-0a1b2c", "subnet-0d4e5f"],
    },
    fleetConfig: { url: "https://github.com/acme/fleet-config", branch: "main" },
  });
  expect(eks.status).toBe(201);
  aws.faults.errorRate = ERROR_RATE;
  aws.faults.dropRate = DROP_RATE;
  aws.faults.latencyMs = LATENCY_MS;
});

afterAll(async () => {
  stopFlux?.();
  console.log(summary);
  await t?.close();
  await aws?.close();
  await Promise.all([...kubes.values()].map((k) => k.close()));
});

describe("faults: 20% of emulator calls fail, every call is slow, connections drop", () => {
  it("the mixed workload converges or fails visibly; no job is lost, nothing is doubled", async () => {
    const world: World = {
      send,
      ledger,
      random,
      aws,
      async newKube(name) {
        const kube = await startKubeEmulator({ name });
        misbehave(kube);
        kubes.set(name, kube);
        return kube;
      },
    };
    const lanes = Array.from({ length: 3 }, async () => {
      // Rows that find no target yet (a patch before any create) send nothing; count requests.
      while (ledger.requests < OPERATIONS) await pickWorkload(random).run(world);
    });
    await Promise.all(lanes);
    // EKS clusters for certain, so the AWS side of the faults is exercised on every run.
    const eksRow = WORKLOADS.find((w) => w.name === "create EKS cluster");
    await Promise.all([eksRow?.run(world), eksRow?.run(world)]);

    // Every answer is a success or a problem that says what went wrong, never a bare 500.
    const answers = [...ledger.resources.values()].flatMap((r) => r.attempts.map((a) => a.status));
    const serverErrors = answers.filter((s) => s !== undefined && s >= 500 && s !== 502 && s !== 503);
    expect(serverErrors).toEqual([]);

    const jobs = await drainJobs(send, 150_000);
    expect(jobs.filter((j) => j.state === "Running")).toEqual([]);
    const failed = jobs.filter((j) => j.state === "Failed");
    // A failed job shows on its owner: a JobFailed event for that resource, with the reason.
    const events = (await send("GET", "/v1/events?pageSize=500")).body.items as {
      reason: string;
      message: string;
      resource: { id: string };
    }[];
    if (failed.length) console.log(failed.map((j) => `${j.kind}: ${j.lastError}`).join("\n"));
    for (const job of failed) {
      expect(job.lastError, job.id).toMatch(/\S+: \S+/);
      const shown = events.find((e) => e.reason === "JobFailed" && e.resource.id === job.resource?.id);
      expect(shown, `${job.kind} ${job.id} failed without a JobFailed event on its owner`).toBeDefined();
    }
    const ledgerReport = await checkLedger(send, ledger);
    expect(ledgerReport.problems).toEqual([]);
    const effects = duplicateSideEffects(aws, kubes.values());
    const transitions = await duplicateTransitions(send);
    expect(effects.duplicates).toEqual([]);
    expect(transitions.duplicates).toEqual([]);

    const kubeCalls = [...kubes.values()].reduce((n, k) => n + k.requests.length, 0);
    const kubeFailures = [...kubes.values()].reduce(
      (n, k) => n + k.requests.filter((r) => r.status === undefined || r.status >= 500).length,
      0,
    );
    const awsFailures = aws.requests.filter((r) => r.status >= 500).length;
    const all = await allJobs(send);
    summary =
      `faults: ${ledger.requests} workload requests (${answers.filter((s) => s !== undefined && s >= 500).length} answered 502/503), ` +
      `${kubeCalls} kube calls (${kubeFailures} failed or dropped), ${aws.requests.length} AWS calls (${awsFailures} failed), ` +
      `${all.length} jobs: ${all.filter((j) => j.state === "Succeeded").length} succeeded, ${failed.length} failed visibly, ` +
      `${all.filter((j) => j.state === "Cancelled").length} cancelled, 0 lost; duplicates found: ${effects.duplicates.length + transitions.duplicates.length}`;
  });
});
