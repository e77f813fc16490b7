import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../agent/agent";
import { SecretBox } from "../../core/crypto";
import { type BundleServer, startBundleServer } from "../emulators/addons";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { freePort } from "../support/net";
import { agentKubeconfig } from "./support/agent";
import { refs } from "./support/fleet";
import { eventually } from "./support/harness";

/**
 * The serverless host managing a cluster it cannot dial. Workers' `fetch` cannot trust a
 * cluster's own CA, so from Workers every cluster is reached through its agent: here the
 * Worker runs in workerd under `wrangler dev` (D1, Queues, the cron sweep), the agent in this
 * process, and the cluster is an emulated API server with a private CA that only the agent's
 * kubeconfig trusts. Join, the platform install and a tenant all go through the agent's pulls.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const ADMIN = "workers-agent-admin-token";
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");

let dir: string;
let bundles: BundleServer;
let kube: KubeEmulator;
let worker: ChildProcess | undefined;
let url: string;
let workerLog = "";
let workerExit: string | undefined;
const agents: Agent[] = [];

function run(args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(WRANGLER, args, {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk);
    });
    child.on("exit", (code) =>
      code === 0 ? done() : fail(new Error(`wrangler ${args[0]} exited ${code}: ${stderr}`)),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fleetplane-workers-agent-"));
  bundles = await startBundleServer();
  kube = await startKubeEmulator({ name: "private-edge" });
  const persist = join(dir, "state");
  await run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);
  const port = await freePort();
  const vars = {
    FLEET_ADMIN_TOKEN: ADMIN,
    FLEET_ENCRYPTION_KEY: SecretBox.generateKey(),
    FLEET_URL_ALLOW: "127.0.0.1",
    FLEET_ADDON_MIRROR: bundles.url,
    FLEET_JOB_BACKOFF_BASE_MS: "50",
    FLEET_JOB_BACKOFF_MAX_MS: "200",
    FLEET_PROVIDER_POLL_MS: "200",
    FLEET_AGENT_SILENT_SECONDS: "2",
    FLEET_AGENT_CALL_TIMEOUT_SECONDS: "5",
    FLEET_RATE_LIMIT_RPS: "0",
    FLEET_AGENT_POLL_MS: "60000",
  };
  worker = spawn(
    WRANGLER,
    [
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      persist,
      "--test-scheduled",
      "--show-interactive-dev-session=false",
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  // Kept so that a Worker that goes away mid-test says why, in the failure itself.
  const keep = (chunk: Buffer) => {
    workerLog = (workerLog + String(chunk)).slice(-4000);
  };
  worker.stdout?.on("data", keep);
  worker.stderr?.on("data", keep);
  worker.on("exit", (code, signal) => {
    workerExit = `wrangler dev exited (${code ?? signal}); its last output:\n${workerLog}`;
  });
  url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined),
    60_000,
    "wrangler dev serving",
  );
}, 120_000);

afterAll(async () => {
  for (const agent of agents) agent.stop();
  if (worker?.pid && workerExit === undefined) process.kill(-worker.pid, "SIGKILL");
  await kube?.close();
  await bundles?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown) {
  if (workerExit) throw new Error(workerExit);
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function startAgent(joinToken?: string): Agent {
  const agent = new Agent({
    url,
    joinToken,
    kubeconfig: agentKubeconfig(kube),
    namespace: "fleetplane-agent",
    version: "0.1.0",
    waitSeconds: 20,
    heartbeatMs: 500,
    log: () => {},
  });
  agents.push(agent);
  void agent.run().catch(() => {});
  return agent;
}

const conditionOf = (cluster: { status: { conditions: { type: string; status: string }[] } }, type: string) =>
  cluster.status.conditions.find((c) => c.type === type);

describe("agents: the Workers host reaches a private cluster through its agent", () => {
  it("joins, installs the platform and places a tenant through the agent; a silent agent turns it Unknown", async () => {
    expect((await api("POST", "/v1/cluster-classes", { name: "imported", provider: "imported" })).status).toBe(201);
    const created = await api("POST", "/v1/clusters", {
      name: "private-edge",
      class: "imported",
      labels: { tier: "edge" },
      connection: { mode: "agent" },
    });
    expect(created.status).toBe(202);
    const agent = startAgent(created.body.agentJoin.token);
    await eventually(async () => (agent.listening ? true : undefined), 30_000, "the agent's doorbell open");

    const ready = await eventually(
      async () => {
        const cluster = (await api("GET", "/v1/clusters/private-edge")).body;
        return conditionOf(cluster, "AddonsReady")?.status === "True" ? cluster : undefined;
      },
      90_000,
      "the platform installed through the agent",
    );
    expect(conditionOf(ready, "Ready")?.status).toBe("True");
    expect(ready.status.serverVersion).toMatch(/^v1\./);

    const tenant = await api("POST", "/v1/tenants", {
      name: "team-edge",
      namespace: "team-edge",
      source: { url: "https://github.com/acme/edge-k8s" },
      placement: { labelSelector: "tier=edge" },
    });
    expect(tenant.status).toBe(202);
    const placed = refs("team-edge", "team-edge");
    for (const ref of [placed.namespace, placed.account, placed.binding, placed.source, placed.kustomization]) {
      await eventually(async () => (kube.store.get(ref) ? true : undefined), 60_000, `${ref.kind} of the tenant`);
    }

    // The doorbell is for agents: a user token is refused.
    const asAdmin = await fetch(`${url}/agent/v1/doorbell`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(asAdmin.status).toBe(401);
    expect(asAdmin.headers.get("content-type")).toContain("application/problem+json");

    agent.stop();
    const silent = await eventually(
      async () => {
        // The cron sweep, as Cloudflare would run it every minute.
        await fetch(`${url}/__scheduled?cron=*+*+*+*+*`);
        const cluster = (await api("GET", "/v1/clusters/private-edge")).body;
        return cluster.status.phase === "Unknown" ? cluster : undefined;
      },
      30_000,
      "the cluster Unknown",
    );
    expect(conditionOf(silent, "AgentConnected")).toMatchObject({ status: "False", reason: "AgentSilent" });
  }, 180_000);
});
