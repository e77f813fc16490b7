import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SecretBox } from "../../core/crypto";
import { type BundleServer, startBundleServer } from "../emulators/addons";
import { type AwsEmulator, startAwsEmulator, verifyEksToken } from "../emulators/aws";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { freePort } from "../support/net";
import { checkLedger, drainJobs, duplicateSideEffects, duplicateTransitions } from "./support/checks";
import { emulateFlux } from "./support/flux";
import { type HostProcess, killAllHosts, startHostProcess } from "./support/host-process";
import { Ledger, pickWorkload, type Send, seededRandom, type World } from "./support/workloads";

/**
 * kill -9 of the real Node host, over and over, under a mixed workload: imported and EKS
 * clusters created, patched and deleted, tenants and tenant secrets written. Each life of the
 * host ends in a SIGKILL, either at a crash point (before a commit, after a commit before
 * its dispatch, after a function changed a cluster but before its job completed) or at a
 * random moment. After the last restart, every acknowledged write must exist exactly once,
 * every job must end, nothing may be Running, and no side effect may have happened twice at
 * the emulators.
 *
 * The kills run in independent lanes (each its own database, host, emulators and ledger), so
 * one lane's host restarts while the other's works: restarts dominate the cost.
 */
/** At least 200 in all; RELIABILITY_CRASH_INJECTIONS lowers it while working on the test itself. */
const INJECTIONS = Number(process.env.RELIABILITY_CRASH_INJECTIONS ?? 200);
const LANES = 2;
const ADMIN = "reliability-crash-admin-token";
const SEED = Number(process.env.RELIABILITY_SEED ?? 8);
/** A dead host's leases lapse after one lease; then the next sweep takes the jobs over. */
const LEASE_SECONDS = 1;
/**
 * The sweep period the bound below is measured in: FLEET_SWEEP_INTERVAL_SECONDS at its default.
 * The Node runner also sweeps on every poll, so two periods bound the backlog the kills left.
 */
const SWEEP_SECONDS = 30;
const POINTS = ["before-commit", "before-dispatch", "function-applied"] as const;

const kills: Record<string, number> = { "before-commit": 0, "before-dispatch": 0, "function-applied": 0, timed: 0 };
const timing = { start: 0, life: 0 };
/** Set when the test ends (or times out), so no further host lives are started. */
let finished = false;
const lanes: Lane[] = [];
const summaries: string[] = [];

class Lane {
  readonly kubes = new Map<string, KubeEmulator>();
  readonly ledger = new Ledger();
  readonly random: () => number;
  readonly key = SecretBox.generateKey();
  dir = "";
  port = 0;
  aws!: AwsEmulator;
  /** The add-on releases the host installs the platform from (there is no internet in tests). */
  bundles!: BundleServer;
  private stopFlux: () => void = () => undefined;

  constructor(readonly index: number) {
    this.random = seededRandom(SEED * 100 + index);
  }

  env(crashAt?: string): Record<string, string> {
    return {
      DATABASE_URL: `file:${join(this.dir, "fleet.db")}`,
      FLEET_ADMIN_TOKEN: ADMIN,
      FLEET_ENCRYPTION_KEY: this.key,
      FLEET_URL_ALLOW: "127.0.0.1",
      FLEET_RATE_LIMIT_RPS: "0",
      FLEET_JOB_CONCURRENCY: "8",
      FLEET_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      FLEET_SWEEP_INTERVAL_SECONDS: String(SWEEP_SECONDS),
      FLEET_JOB_BACKOFF_BASE_MS: "50",
      FLEET_JOB_BACKOFF_MAX_MS: "200",
      FLEET_PROVIDER_POLL_MS: "50",
      FLEET_KUBE_TIMEOUT_MS: "3000",
      FLEET_ADDON_MIRROR: this.bundles.url,
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL_EKS: this.aws.url,
      AWS_ENDPOINT_URL_STS: this.aws.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: this.aws.url,
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      LOG_LEVEL: "error",
      ...(crashAt ? { FLEET_TEST_CRASH_AT: crashAt } : {}),
    };
  }

  async open(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), "fleetplane-reliability-crash-"));
    this.port = await freePort();
    const aws: AwsEmulator = await startAwsEmulator({
      clusterEndpoint: async (name) => {
        const kube = await startKubeEmulator({
          name,
          gitVersion: "v1.29.8-eks",
          authenticate: async (token) => (await verifyEksToken(aws, token, name)).ok,
        });
        this.kubes.set(name, kube);
        return { endpoint: kube.url, certificateAuthorityData: kube.caData };
      },
    });
    this.aws = aws;
    this.bundles = await startBundleServer();
    this.stopFlux = emulateFlux(() => this.kubes.values());
    const host = await startHostProcess(this.env(), this.port);
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
  }

  /** One life of the host: start, run workload until it dies (or is killed), make sure it is dead. */
  async oneLife(i: number): Promise<void> {
    const point = i % 4 < 3 ? POINTS[i % 4] : undefined;
    const nth = 1 + Math.floor(this.random() * 3);
    const startedAt = Date.now();
    const host = await startHostProcess(this.env(point ? `${point}:${nth}` : undefined), this.port);
    timing.start += Date.now() - startedAt;
    if (finished) return void (await host.kill9());
    const world: World = {
      send: sender(host),
      ledger: this.ledger,
      random: this.random,
      aws: this.aws,
      newKube: async (name) => {
        const kube = await startKubeEmulator({ name });
        this.kubes.set(name, kube);
        return kube;
      },
    };
    // Random-timed kills land anywhere: in a request, in a function, between the two.
    const timer = point ? undefined : setTimeout(() => void host.kill9(), 20 + this.random() * 200);
    const writers = Array.from({ length: 2 }, async () => {
      for (let op = 0; op < 3 && host.alive; op++) await pickWorkload(this.random).run(world);
    });
    await Promise.all(writers);
    if (host.alive && point) {
      // The crash point may come from the runner a little after the requests.
      await Promise.race([host.exited, new Promise((r) => setTimeout(r, 150))]);
    }
    timing.life += Date.now() - startedAt;
    const died = !host.alive;
    await host.kill9();
    if (timer) clearTimeout(timer);
    const kind = point && died ? point : "timed";
    kills[kind] = (kills[kind] ?? 0) + 1;
  }

  /** The clean restart after the last kill, and every check. */
  async verify() {
    const host = await startHostProcess(this.env(), this.port);
    const send = sender(host);
    try {
      const restartedAt = Date.now();
      const jobs = await drainJobs(send, 2 * SWEEP_SECONDS * 1000);
      return {
        drainMs: Date.now() - restartedAt,
        jobs,
        ledger: await checkLedger(send, this.ledger),
        effects: duplicateSideEffects(this.aws, this.kubes.values()),
        transitions: await duplicateTransitions(send),
      };
    } finally {
      await host.kill9();
    }
  }

  async close(): Promise<void> {
    this.stopFlux();
    await this.bundles?.close();
    await this.aws?.close();
    await Promise.all([...this.kubes.values()].map((k) => k.close()));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

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

afterAll(async () => {
  finished = true;
  await killAllHosts();
  console.log(summaries.join("\n") || "crash: did not finish");
  await Promise.all(lanes.map((lane) => lane.close()));
});

describe("crashes: kill -9 of the Node host under a mixed workload", () => {
  it(`${INJECTIONS} kills, then one clean restart: nothing lost, nothing doubled, nothing left Running`, async () => {
    for (let i = 0; i < LANES; i++) lanes.push(new Lane(i));
    await Promise.all(lanes.map((lane) => lane.open()));
    let next = 0;
    await Promise.all(
      lanes.map(async (lane) => {
        while (!finished) {
          const i = next++;
          if (i >= INJECTIONS) return;
          await lane.oneLife(i);
        }
      }),
    );

    const reports = await Promise.all(lanes.map((lane) => lane.verify()));
    const all = <T>(pick: (r: (typeof reports)[number]) => T[]) => reports.flatMap(pick);
    const jobs = all((r) => r.jobs);
    const failed = jobs.filter((j) => j.state === "Failed");
    const problems = all((r) => r.ledger.problems);
    const duplicates = [...all((r) => r.effects.duplicates), ...all((r) => r.transitions.duplicates)];
    const requests = lanes.reduce((n, l) => n + l.ledger.requests, 0);
    const answered = lanes.reduce((n, l) => n + l.ledger.answered, 0);
    const refused = lanes.reduce((n, l) => n + l.ledger.refused, 0);
    const sum = (pick: (r: (typeof reports)[number]) => number) => reports.reduce((n, r) => n + pick(r), 0);
    summaries.push(
      `crash: ${INJECTIONS} kill -9 injections in ${LANES} lanes (${Object.entries(kills)
        .map(([k, n]) => `${k} ${n}`)
        .join(
          ", ",
        )}), ${requests} workload requests (${answered} answered, ${requests - answered - refused} cut off by a kill, ${refused} refused by a dead host), ` +
        `${sum((r) => r.ledger.resources)} resources (${sum((r) => r.ledger.acknowledged)} acknowledged creates), ` +
        `${jobs.length} jobs (${failed.length} failed) all terminal within ${Math.max(...reports.map((r) => r.drainMs))} ms ` +
        `of the last restart, ${sum((r) => r.effects.counted + r.transitions.counted)} side effects and one-time events counted, ` +
        `${(timing.start / INJECTIONS).toFixed(0)} ms per start, ${(timing.life / INJECTIONS).toFixed(0)} ms per life, ` +
        `duplicates found: ${duplicates.length}, ledger problems: ${problems.length}`,
    );
    expect(problems).toEqual([]);
    expect(duplicates).toEqual([]);
    expect(jobs.filter((j) => j.state === "Running")).toEqual([]);
    expect(failed.map((j) => `${j.kind}: ${j.lastError}`)).toEqual([]);
    // Each kind of kill happened, not just the timed fallback.
    for (const point of POINTS) expect(kills[point], point).toBeGreaterThan(0);
    expect(Object.values(kills).reduce((a, b) => a + b, 0)).toBe(INJECTIONS);
    // Restarts are CPU-bound: on a busy shared machine they take several times longer.
  }, 480_000);
});
