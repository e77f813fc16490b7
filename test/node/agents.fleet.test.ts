import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../agent/agent";
import { listen } from "../../entry/node";
import { agentWork } from "../../schema";
import { type ArgoCdController, startArgoCdController } from "../emulators/argocd";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { freePort } from "../support/net";
import { agentKubeconfig } from "./support/agent";
import { fluxReconciled, refs } from "./support/fleet";
import { fluxReady, GIT_REPOSITORY, KUSTOMIZATION } from "./support/gitops";
import { eventually, reconciled, startTestHost, type TestHost } from "./support/harness";

/**
 * A cluster Fleetplane cannot dial, managed end to end through its agent: the agent (the real
 * one, in this process) reaches an emulated cluster with a private CA through a kubeconfig and
 * Fleetplane over HTTP. The functions run unchanged: connect, the platform install, Flux's
 * bootstrap, drift detection and repair, all carried as work the agent pulls. Nothing in the
 * test dials the cluster on Fleetplane's behalf.
 */
let t: TestHost;
let server: Awaited<ReturnType<typeof listen>>;
let url: string;
const emulators: KubeEmulator[] = [];
const agents: Agent[] = [];
/** The clusters Argo CD runs on (emulated: it acts once its controller is installed there). */
const edge = new Map<string, KubeEmulator>();
let argo: ArgoCdController;

beforeAll(async () => {
  t = await startTestHost({
    FLEET_RECONCILE_INTERVAL_SECONDS: "3600",
    FLEET_PROVIDER_POLL_MS: "50",
    FLEET_SWEEP_INTERVAL_SECONDS: "1",
    FLEET_AGENT_SILENT_SECONDS: "2",
    FLEET_AGENT_CALL_TIMEOUT_SECONDS: "3",
    FLEET_ROLLOUT_TICK_MS: "40",
  });
  argo = startArgoCdController(edge);
  const port = await freePort();
  server = await listen(t.host, port, "127.0.0.1");
  url = `http://127.0.0.1:${port}`;
  const res = await t.request("POST", "/v1/cluster-classes", {
    body: { name: "gitops", provider: "imported", fleetConfig: { url: "https://github.com/acme/fleet-config" } },
  });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  argo?.stop();
  for (const agent of agents) agent.stop();
  server?.close();
  for (const emulator of emulators) await emulator.close();
  await t?.close();
}, 20_000);

function startAgent(kube: KubeEmulator, joinToken?: string): Agent {
  const agent = new Agent({
    url,
    joinToken,
    kubeconfig: agentKubeconfig(kube),
    namespace: "fleetplane-agent",
    version: "0.1.0",
    waitSeconds: 1,
    heartbeatMs: 300,
    log: () => {},
  });
  agents.push(agent);
  void agent.run().catch(() => {});
  return agent;
}

const clusterOf = async (name: string) => (await t.request("GET", `/v1/clusters/${name}`)).body;
const condition = (cluster: { status: { conditions: { type: string }[] } }, type: string) =>
  cluster.status.conditions.find((c) => c.type === type) as unknown as {
    status: string;
    reason: string;
    message: string;
  };

/** An emulated cluster registered in agent mode and joined by its agent. */
async function agentCluster(name: string, labels: Record<string, string> = {}) {
  const kube = await startKubeEmulator({ name });
  emulators.push(kube);
  edge.set(name, kube);
  const created = await t.request("POST", "/v1/clusters", {
    body: { name, class: "gitops", environment: "production", labels, connection: { mode: "agent" } },
  });
  expect(created.status).toBe(202);
  const agent = startAgent(kube, created.body.agentJoin.token);
  return { kube, agent };
}

describe("agents: a cluster managed through its agent", () => {
  it("connects, installs the platform, places a tenant, bootstraps Flux, and detects and repairs drift, all through the agent", async () => {
    // A tenant that exists before the cluster: it is placed once the agent joins.
    const tenant = await t.request("POST", "/v1/tenants", {
      body: {
        name: "team-private",
        namespace: "team-private",
        source: { url: "https://github.com/acme/private-k8s" },
        placement: { labelSelector: "tier=private" },
      },
    });
    expect(tenant.status).toBe(202);
    const { kube } = await agentCluster("private-1", { tier: "private" });
    const ready = await eventually(
      async () => {
        const cluster = await clusterOf("private-1");
        return condition(cluster, "Ready")?.status === "True" ? cluster : undefined;
      },
      15_000,
      "private-1 Ready through its agent",
    );
    expect(condition(ready, "Ready").reason).toBe("Connected");
    expect(ready.status.serverVersion).toMatch(/^v1\./);
    expect(condition(ready, "AgentConnected")).toMatchObject({ status: "True", reason: "AgentHeartbeat" });

    // The platform and Flux's bootstrap land on the cluster, applied by the agent as fleetplane.
    await eventually(async () => (kube.store.get(KUSTOMIZATION) ? true : undefined), 30_000, "Flux bootstrapped");
    const applied = kube.store.get(GIT_REPOSITORY) as { metadata: { managedFields: { manager: string }[] } };
    expect(applied.metadata.managedFields.map((m) => m.manager)).toContain("fleetplane");
    // Fleetplane holds no address of this cluster: every call was an item of the agent's work.
    const work = await t.host.deps.store.select().from(agentWork).where(eq(agentWork.clusterId, ready.id));
    expect(new Set(work.map((w) => w.op))).toEqual(new Set(["version", "apiGroups", "apply", "get", "list"]));
    expect(work.filter((w) => w.state === "Failed").map((w) => `${w.op} ${w.objectKey}: ${w.message}`)).toEqual([]);
    const placed = refs("team-private", "team-private");
    for (const ref of [placed.namespace, placed.account, placed.binding, placed.source, placed.kustomization]) {
      await eventually(async () => (kube.store.get(ref) ? true : undefined), 15_000, `${ref.kind} of the tenant`);
    }
    fluxReady(kube);
    fluxReconciled(kube, "team-private");
    expect((await reconciled(t.request, "private-1")).state).toBe("Ready");

    // Drift made on the cluster is seen through the agent, then repaired by it.
    kube.editAs("kubectl-edit", KUSTOMIZATION, { spec: { prune: false } });
    const drifted = await reconciled(t.request, "private-1");
    expect(drifted.state).toBe("Modified");
    expect(drifted.items[0]).toMatchObject({ type: "Modified", manager: { name: "kubectl-edit" } });
    const patched = await t.request("PATCH", "/v1/clusters/private-1", { body: { driftPolicy: "remediate" } });
    expect(patched.status).toBe(200);
    await reconciled(t.request, "private-1");
    await eventually(
      async () =>
        (kube.store.get(KUSTOMIZATION) as unknown as { spec: { prune: boolean } }).spec.prune === true
          ? true
          : undefined,
      15_000,
      "the repair applied by the agent",
    );
  }, 60_000);

  it("turns the cluster Unknown while its agent is silent, and back when it is heard again", async () => {
    const { kube, agent } = await agentCluster("private-2");
    await eventually(
      async () => (condition(await clusterOf("private-2"), "Ready")?.status === "True" ? true : undefined),
      15_000,
      "private-2 Ready",
    );
    agent.stop();
    const silent = await eventually(
      async () => {
        const cluster = await clusterOf("private-2");
        return cluster.status.phase === "Unknown" ? cluster : undefined;
      },
      10_000,
      "private-2 Unknown",
    );
    expect(condition(silent, "AgentConnected")).toMatchObject({ status: "False", reason: "AgentSilent" });
    expect(condition(silent, "Ready").message).toMatch(/^waiting for the agent on private-2, last seen \d+ s ago$/);

    // The agent comes back (resuming from its state Secret: no join token this time).
    startAgent(kube);
    const back = await eventually(
      async () => {
        const cluster = await clusterOf("private-2");
        return condition(cluster, "Ready")?.status === "True" && cluster.status.phase !== "Unknown"
          ? cluster
          : undefined;
      },
      15_000,
      "private-2 back",
    );
    expect(condition(back, "AgentConnected").status).toBe("True");
    const events = await t.request("GET", "/v1/events?reason=AgentReconnected");
    expect(events.body.items.map((e: { resource: { name: string } }) => e.resource.name)).toContain("private-2");
  }, 60_000);

  it("rolls a wave out through agents; a silent agent's cluster waits (or is skipped), and is no failure", async () => {
    await agentCluster("edge-1", { tier: "edge" });
    const second = await agentCluster("edge-2", { tier: "edge" });
    for (const name of ["edge-1", "edge-2"]) {
      await eventually(
        async () => (condition(await clusterOf(name), "AddonsReady")?.status === "True" ? true : undefined),
        30_000,
        `${name}'s platform through its agent`,
      );
    }
    second.agent.stop();
    await eventually(async () => ((await clusterOf("edge-2")).status.phase === "Unknown" ? true : undefined), 10_000);

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
    const waiting = await eventually(async () => {
      const res = await t.request("GET", rolloutPath);
      const clusters = res.body.status.waves[0].clusters as { cluster: string; state: string }[];
      return clusters.find((c) => c.cluster === "edge-1")?.state === "Succeeded" ? res.body : undefined;
    }, 20_000);
    expect(waiting.status.phase).toBe("Progressing");
    expect(waiting.status.waitingFor).toContainEqual(
      expect.stringMatching(/^waiting for the agent on edge-2, last seen \d+ s ago$/),
    );
    expect(waiting.status.waves[0].clusters.find((c: { cluster: string }) => c.cluster === "edge-2").state).toBe(
      "ToApply",
    );

    // Back: the wave finishes, the Application applied on edge-2 by its agent.
    startAgent(second.kube);
    const done = await eventually(async () => {
      const res = await t.request("GET", rolloutPath);
      return res.body.status.phase === "Succeeded" ? res.body : undefined;
    }, 30_000);
    expect(done.status.summary).toMatchObject({ Succeeded: 2, Failed: 0, TimeOut: 0 });
    const argoApp = { apiVersion: "argoproj.io/v1alpha1", kind: "Application", namespace: "argocd", name: "orders" };
    expect(second.kube.store.get(argoApp)).toBeDefined();

    // With unavailableClusters: skip, the next release leaves a silent cluster out instead.
    agents.at(-1)?.stop();
    await eventually(async () => ((await clusterOf("edge-2")).status.phase === "Unknown" ? true : undefined), 10_000);
    const patched = await t.request("PATCH", "/v1/applications/orders", {
      headers: { "content-type": "application/merge-patch+json" },
      body: {
        source: { targetRevision: "v1.1.0" },
        strategy: { waves: [{ name: "edge", selector: "tier=edge" }], unavailableClusters: "skip" },
      },
    });
    expect(patched.status).toBe(200);
    const skipped = await eventually(async () => {
      const res = await t.request("GET", `/v1/rollouts/${patched.body.status.latestRollout.id}`);
      return res.body.status.phase === "Succeeded" ? res.body : undefined;
    }, 30_000);
    expect(skipped.status.summary).toMatchObject({ Succeeded: 1, Skip: 1, Failed: 0 });
    const edge2 = skipped.status.waves[0].clusters.find((c: { cluster: string }) => c.cluster === "edge-2");
    expect(edge2.message).toMatch(/^skipped: waiting for the agent on edge-2/);
  }, 90_000);
});
