import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen } from "../../entry/node";
import { agentWork } from "../../schema";
import { type ArgoCdController, startArgoCdController } from "../emulators/argocd";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { freePort } from "../support/net";
import { spawnAgent, writeAgentKubeconfig } from "./support/agent-process";
import { eventually, startTestHost, type TestHost } from "./support/harness";

/**
 * The agent process killed with SIGKILL in the middle of a rollout wave: its cluster has the
 * release applied and Argo CD is still syncing it, so the wave is waiting on the cluster's
 * health, asked through the agent. A new agent process (no join token: its credential and
 * progress are in its state Secret) picks the wave up where it was; the wave finishes, and no
 * write the dead agent had reported is done again.
 */
const RELEASE_PATH = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/orders";

let t: TestHost;
let server: Awaited<ReturnType<typeof listen>>;
let url: string;
let kube: KubeEmulator;
let kubeconfigPath: string;
let argo: ArgoCdController;
const processes: ChildProcess[] = [];

beforeAll(async () => {
  t = await startTestHost({
    FLEET_RECONCILE_INTERVAL_SECONDS: "3600",
    FLEET_PROVIDER_POLL_MS: "50",
    FLEET_SWEEP_INTERVAL_SECONDS: "1",
    FLEET_AGENT_SILENT_SECONDS: "3",
    FLEET_AGENT_CALL_TIMEOUT_SECONDS: "3",
    FLEET_ROLLOUT_TICK_MS: "40",
  });
  const port = await freePort();
  server = await listen(t.host, port, "127.0.0.1");
  url = `http://127.0.0.1:${port}`;
  kube = await startKubeEmulator({ name: "edge-crash" });
  argo = startArgoCdController(new Map([["edge-crash", kube]]));
  kubeconfigPath = join(t.dir, "kubeconfig.yaml");
  await writeAgentKubeconfig(kubeconfigPath, kube, "edge-crash");
  const res = await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  argo?.stop();
  for (const child of processes) child.kill("SIGKILL");
  server?.close();
  await kube?.close();
  await t?.close();
}, 20_000);

function startAgentProcess(env: Record<string, string> = {}): ChildProcess {
  const child = spawnAgent(url, kubeconfigPath, env);
  processes.push(child);
  return child;
}

/** Server-side applies the cluster received for Fleetplane since `since` (not the agent's own state). */
const appliesSince = (since: number) =>
  kube.requests.filter((r) => r.method === "PATCH" && r.at >= since && !r.path.includes("fleetplane-agent"));

describe("the agent process killed mid-wave", () => {
  it("resumes the wave from where it was, and nothing it reported is applied twice", async () => {
    const created = await t.request("POST", "/v1/clusters", {
      body: { name: "edge-crash", class: "imported", labels: { tier: "edge" }, connection: { mode: "agent" } },
    });
    expect(created.status).toBe(202);
    const clusterId = created.body.id as string;
    let agent = startAgentProcess({ FLEETPLANE_JOIN_TOKEN: created.body.agentJoin.token });
    await eventually(
      async () => {
        const cluster = (await t.request("GET", "/v1/clusters/edge-crash")).body;
        return cluster.status.conditions.find((c: { type: string; status: string }) => c.type === "AddonsReady")
          ?.status === "True"
          ? true
          : undefined;
      },
      60_000,
      "the platform installed through the agent process",
    );

    // Argo CD keeps the release syncing, so the wave waits on the cluster's health.
    argo.outcome = () => "Progressing";
    const app = await t.request("POST", "/v1/applications", {
      body: {
        name: "orders",
        source: { repoURL: "https://github.com/acme/apps", path: "apps/orders", targetRevision: "v1.0.0" },
        destination: { namespace: "orders" },
        targets: { labelSelector: "tier=edge" },
        strategy: { waves: [{ name: "edge", selector: "tier=edge" }] },
      },
    });
    expect(app.status).toBe(201);
    const rolloutPath = `/v1/rollouts/${app.body.status.latestRollout.id}`;
    const applied = async () => {
      const rows = await t.host.deps.store.select().from(agentWork).where(eq(agentWork.clusterId, clusterId));
      return rows.find((w) => w.op === "apply" && w.objectKey.endsWith("/Application/argocd/orders"));
    };
    await eventually(async () => ((await applied())?.state === "Done" ? true : undefined), 60_000, "release applied");
    await eventually(async () => (argo.synced.some((s) => s.startsWith("edge-crash/")) ? true : undefined), 10_000);
    const midWave = (await t.request("GET", rolloutPath)).body;
    expect(midWave.status.phase).toBe("Progressing");

    agent.kill("SIGKILL");
    await new Promise((done) => agent.once("exit", done));
    // A report the dead agent sent just before it died may still be landing.
    await new Promise((done) => setTimeout(done, 200));
    const reportedBeforeKill = new Set(
      (await t.host.deps.store.select().from(agentWork).where(eq(agentWork.clusterId, clusterId)))
        .filter((w) => w.state === "Done")
        .map((w) => w.id),
    );
    // While it is gone the wave waits for it (an unavailable cluster is no failure)...
    await eventually(
      async () => {
        const res = (await t.request("GET", rolloutPath)).body;
        return res.status.waitingFor.some((w: string) => /^waiting for the agent on edge-crash/.test(w))
          ? res
          : undefined;
      },
      20_000,
      "the wave waiting for the dead agent",
    );

    // ...and a new process takes up where the dead one was.
    argo.outcome = () => "Healthy";
    const restartedAt = Date.now();
    agent = startAgentProcess();
    const done = await eventually(
      async () => {
        const res = (await t.request("GET", rolloutPath)).body;
        return res.status.phase === "Succeeded" ? res : undefined;
      },
      60_000,
      "the wave finished after the restart",
    );
    expect(done.status.summary).toMatchObject({ Succeeded: 1, Failed: 0 });

    // The new agent did each write the dead one had not reported exactly once, and none it had:
    // at least once means an item in flight at the kill is done again, never a reported one.
    // (The sync applies the release again on each look at its health; each is an item of its own.)
    const work = await t.host.deps.store.select().from(agentWork).where(eq(agentWork.clusterId, clusterId));
    const left = work.filter((w) => w.op === "apply" && !reportedBeforeKill.has(w.id));
    const after = appliesSince(restartedAt);
    expect(after).toHaveLength(left.length);
    expect(after.filter((r) => r.path === RELEASE_PATH)).toHaveLength(
      left.filter((w) => w.objectKey.endsWith("/Application/argocd/orders")).length,
    );
    expect(left.length).toBeGreaterThan(0);
    expect(reportedBeforeKill.size).toBeGreaterThan(0);
    expect(work.filter((w) => w.state === "Failed").map((w) => `${w.op} ${w.objectKey}: ${w.message}`)).toEqual([]);
  }, 150_000);
});
