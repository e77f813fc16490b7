import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SecretBox } from "../../core/crypto";
import { type AwsEmulator, startAwsEmulator, verifyEksToken } from "../emulators/aws";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { checkLedger, drainJobs, duplicateSideEffects, duplicateTransitions } from "./support/checks";
import { bootstrapPlatformNamespaces, emulateFlux } from "./support/flux";
import { freePort, type HostProcess, killAllHosts, startHostProcess } from "./support/host-process";
import { Ledger, pickWorkload, type Send, seededRandom, type World } from "./support/workloads";

/**
 * kill -9 of the real Node host, over and over, under a mixed workload: imported and EKS
 * clusters created, patched and deleted, tenants and tenant secrets written. Each life of the
 * host ends in a SIGKILL, either at a crash point (before a commit, after a commit before
 * its dispatch, after a function changed a cluster but before its job completed) or at a
 * random moment. After the last restart, every acknowledged write must exist exactly once,
 * every job must end, nothing may be Running, and no side effect may have happened twice at
 * the emulators.
 */
/** At least 200; RELIABILITY_CRASH_INJECTIONS lowers it while working on the test itself. */
const INJECTIONS = Number(process.env.RELIABILITY_CRASH_INJECTIONS ?? 200);
const ADMIN = "reliability-crash-admin-token";
const SEED = Number(process.env.RELIABILITY_SEED ?? 8);
/** The Node runner's sweep runs every poll; a dead host's leases lapse after one lease. */
const LEASE_SECONDS = 1;
const SWEEP_PERIOD_MS = 10_000;

const POINTS = ["before-commit", "before-dispatch", "function-applied"] as const;
const kills: Record<string, number> = { "before-commit": 0, "before-dispatch": 0, "function-applied": 0, timed: 0 };

let dir: string;
let port: number;
let aws: AwsEmulator;
const kubes = new Map<string, KubeEmulator>();
let stopFlux: () => void;
const key = SecretBox.generateKey();
const random = seededRandom(SEED);
const ledger = new Ledger();
let summary = "";
/** Set when the test ends (or times out), so no further host lives are started. */
let finished = false;

const env = (crashAt?: string): Record<string, string> => ({
  DATABASE_URL: `file:${join(dir, "fleet.db")}`,
  FLEET_ADMIN_TOKEN: ADMIN,
  FLEET_ENCRYPTION_KEY: key,
  FLEET_URL_ALLOW: "127.0.0.1",
  FLEET_RATE_LIMIT_RPS: "0",
  FLEET_JOB_CONCURRENCY: "4",
  FLEET_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
  FLEET_JOB_BACKOFF_BASE_MS: "50",
  FLEET_JOB_BACKOFF_MAX_MS: "200",
  FLEET_PROVIDER_POLL_MS: "50",
  FLEET_KUBE_TIMEOUT_MS: "3000",
  AWS_REGION: "eu-west-1",
  AWS_ENDPOINT_URL_EKS: aws.url,
  AWS_ENDPOINT_URL_STS: aws.url,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
  AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "secret",
  LOG_LEVEL: "error",
  ...(crashAt ? { FLEET_TEST_CRASH_AT: crashAt } : {}),
});

function sender(host: HostProcess): Send {
  return async (method, path, body, headers) => {
    const res = await fetch(`${host.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fleetplane-reliability-crash-"));
  port = await freePort();
  aws = await startAwsEmulator({
    clusterEndpoint: async (name) => {
      const kube = await startKubeEmulator({
        name,
        gitVersion: "v1.29.8-eks",
        authenticate: async (token) => (await verifyEksToken(aws, token, name)).ok,
      });
      kubes.set(name, kube);
      return { endpoint: kube.url, certificateAuthorityData: kube.caData };
    },
  });
  stopFlux = emulateFlux(() => kubes.values());
  const host = await startHostProcess(env(), port);
  const send = sender(host);
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
  await host.kill9();
});

afterAll(async () => {
  finished = true;
  await killAllHosts();
  stopFlux?.();
  console.log(summary || "crash: did not finish");
  await aws?.close();
  await Promise.all([...kubes.values()].map((k) => k.close()));
  await rm(dir, { recursive: true, force: true });
});

/** One life of the host: start, run workload until it dies (or is killed), make sure it is dead. */
async function oneLife(i: number): Promise<void> {
  const point = i % 4 < 3 ? POINTS[i % 4] : undefined;
  const nth = 1 + Math.floor(random() * 3);
  const host = await startHostProcess(env(point ? `${point}:${nth}` : undefined), port);
  const send = sender(host);
  const world: World = {
    send,
    ledger,
    random,
    aws,
    async newKube(name) {
      const kube = await startKubeEmulator({ name });
      bootstrapPlatformNamespaces(kube);
      kubes.set(name, kube);
      return kube;
    },
  };
  // Random-timed kills land anywhere: in a request, in a function, between the two.
  const timer = point ? undefined : setTimeout(() => void host.kill9(), 20 + random() * 200);
  const lanes = Array.from({ length: 2 }, async () => {
    for (let op = 0; op < 3 && host.alive; op++) await pickWorkload(random).run(world);
  });
  await Promise.all(lanes);
  if (host.alive && point) {
    // The crash point may come from the runner a little after the requests.
    await Promise.race([host.exited, new Promise((r) => setTimeout(r, 150))]);
  }
  const died = !host.alive;
  await host.kill9();
  if (timer) clearTimeout(timer);
  kills[point && died ? point : "timed"] = (kills[point && died ? point : "timed"] ?? 0) + 1;
}

describe("crashes: kill -9 of the Node host under a mixed workload", () => {
  it(`${INJECTIONS} kills, then one clean restart: nothing lost, nothing doubled, nothing left Running`, async () => {
    for (let i = 0; i < INJECTIONS && !finished; i++) await oneLife(i);

    const host = await startHostProcess(env(), port);
    const send = sender(host);
    try {
      const restartedAt = Date.now();
      const jobs = await drainJobs(send, 2 * SWEEP_PERIOD_MS);
      const drainMs = Date.now() - restartedAt;
      const running = jobs.filter((j) => j.state === "Running");
      const failed = jobs.filter((j) => j.state === "Failed");
      const ledgerReport = await checkLedger(send, ledger);
      const effects = duplicateSideEffects(aws, kubes.values());
      const transitions = await duplicateTransitions(send);
      summary =
        `crash: ${INJECTIONS} kill -9 injections (${Object.entries(kills)
          .map(([k, n]) => `${k} ${n}`)
          .join(
            ", ",
          )}), ${ledger.requests} workload requests (${ledger.answered} answered, ${ledger.unanswered} cut off), ` +
        `${ledgerReport.resources} resources (${ledgerReport.acknowledged} acknowledged creates), ${jobs.length} jobs ` +
        `(${failed.length} failed) all terminal ${drainMs} ms after the last restart, ` +
        `${effects.counted} side effects + ${transitions.counted} one-time events counted, ` +
        `duplicates found: ${effects.duplicates.length + transitions.duplicates.length}, ledger problems: ${ledgerReport.problems.length}`;
      expect(ledgerReport.problems).toEqual([]);
      expect(effects.duplicates).toEqual([]);
      expect(transitions.duplicates).toEqual([]);
      expect(running).toEqual([]);
      expect(failed.map((j) => `${j.kind}: ${j.lastError}`)).toEqual([]);
      // Each kind of kill happened, not just the timed fallback.
      for (const point of POINTS) expect(kills[point], point).toBeGreaterThan(0);
      expect(Object.values(kills).reduce((a, b) => a + b, 0)).toBe(INJECTIONS);
    } finally {
      await host.kill9();
    }
  });
});
