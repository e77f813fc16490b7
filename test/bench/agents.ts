import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { inArray } from "drizzle-orm";
import { listen } from "../../entry/node";
import { clusters, jobs } from "../../schema";
import { startBundleServer } from "../emulators/addons";
import { freePort } from "../support/net";
import { startBenchHost } from "./host";

const ROOT = resolve(import.meta.dirname, "../..");

export interface B8Result {
  agents: number;
  idleSeconds: number;
  idleRps: number;
  idleCpuPercent: number;
  single: number;
  fleet: number;
  concurrency: number;
  ideal: number;
}

/**
 * B8: `agents` simulated cluster agents (test/bench/agent-swarm.ts, a process of its own)
 * against one Node host in this process.
 * - idle: once every cluster is joined, connected and its platform adopted, the requests per
 *   second the agents make and the host's CPU over `idleSeconds`;
 * - a write fanned out: a tenant placed on one cluster (its objects applied by that agent),
 *   then a tenant placed on all of them, each timed from the API call to the last cluster's
 *   Kustomization applied; the ideal is N × the single time ÷ the job concurrency.
 */
export async function benchB8(dir: string, opts: { agents: number; idleSeconds: number }): Promise<B8Result> {
  const bundles = await startBundleServer();
  const { host, call } = await startBenchHost(dir, { FLEET_ADDON_MIRROR: bundles.url, FLEET_PROVIDER_POLL_MS: "500" });
  const port = await freePort();
  const server = await listen(host, port, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  await call("POST", "/v1/cluster-classes", { name: "edge", provider: "imported" });
  const tokens: string[] = [];
  for (let i = 0; i < opts.agents; i++) {
    const created = await call("POST", "/v1/clusters", {
      name: `edge-${i}`,
      class: "edge",
      labels: { fleet: "bench", slot: i === 0 ? "one" : "many" },
      connection: { mode: "agent" },
    });
    tokens.push(created.agentJoin.token);
  }
  const tokensFile = join(dir, "tokens.json");
  await writeFile(tokensFile, JSON.stringify(tokens));

  const swarm = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/bench/agent-swarm.ts")], {
    cwd: ROOT,
    env: { ...process.env, SWARM_URL: url, SWARM_TOKENS: tokensFile },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let joined = false;
  let requests = 0;
  const applied = new Map<string, number[]>();
  createInterface({ input: swarm.stdout }).on("line", (line) => {
    const event = JSON.parse(line) as { event: string; kind?: string; name?: string; at?: number; total?: number };
    if (event.event === "joined") joined = true;
    if (event.event === "requests") requests = event.total ?? requests;
    if (event.event === "applied" && event.kind === "Kustomization" && event.name?.startsWith("bench-")) {
      const times = applied.get(event.name) ?? [];
      times.push(event.at ?? Date.now());
      applied.set(event.name, times);
    }
  });
  const until = async (check: () => Promise<boolean> | boolean, what: string, timeoutMs = 600_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`B8: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  try {
    await until(() => joined, "the agents to join");
    // Settled: every cluster connected through its agent with its platform adopted, no job left.
    await until(async () => {
      const rows = await host.deps.store.select({ status: clusters.status }).from(clusters);
      const ready = rows.filter((r) =>
        r.status.conditions?.some((c) => c.type === "AddonsReady" && c.status === "True"),
      ).length;
      if (ready < opts.agents) return false;
      const open = await host.deps.store
        .select({ id: jobs.id })
        .from(jobs)
        .where(inArray(jobs.state, ["Queued", "Running"]))
        .limit(1);
      return open.length === 0;
    }, "every cluster Ready with its platform");

    const requestsBefore = requests;
    const cpuBefore = process.cpuUsage();
    const idleStarted = performance.now();
    await new Promise((r) => setTimeout(r, opts.idleSeconds * 1000));
    const idleMs = performance.now() - idleStarted;
    const cpu = process.cpuUsage(cpuBefore);
    const idleRps = ((requests - requestsBefore) * 1000) / idleMs;
    const idleCpuPercent = ((cpu.user + cpu.system) / 1000 / idleMs) * 100;

    const place = async (name: string, selector: string, count: number) => {
      const started = Date.now();
      await call("POST", "/v1/tenants", {
        name,
        namespace: name,
        source: { url: `https://github.com/acme/${name}` },
        placement: { labelSelector: selector },
      });
      await until(() => (applied.get(name)?.length ?? 0) >= count, `${name} applied on ${count} cluster(s)`);
      return (Math.max(...(applied.get(name) ?? [])) - started) / 1000;
    };
    const single = await place("bench-one", "slot=one", 1);
    const fleet = await place("bench-all", "fleet=bench", opts.agents);
    const concurrency = host.deps.config.jobConcurrency;
    return {
      agents: opts.agents,
      idleSeconds: opts.idleSeconds,
      idleRps,
      idleCpuPercent,
      single,
      fleet,
      concurrency,
      ideal: (opts.agents * single) / concurrency,
    };
  } finally {
    swarm.kill("SIGKILL");
    server.close();
    await host.close();
    await bundles.close();
  }
}
