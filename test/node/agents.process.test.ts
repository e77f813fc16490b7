import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueAgentWork, workQueued } from "../../core/agents/work";
import { writeBatch } from "../../core/store";
import { listen } from "../../entry/node";
import { agentWork } from "../../schema";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { freePort } from "../support/net";
import { spawnAgent, writeAgentKubeconfig } from "./support/agent-process";
import { eventually, startTestHost, type TestHost } from "./support/harness";

/**
 * The agent as it runs: a process of its own, reaching an emulated cluster through a
 * kubeconfig with the cluster's private CA, and Fleetplane over HTTP. It joins with the token
 * from the create answer, does queued work in order and resumes after kill -9 without the
 * (used) join token and without doing finished work again.
 */
const configMapRef = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", name });

let t: TestHost;
let server: Awaited<ReturnType<typeof listen>>;
let url: string;
let kube: KubeEmulator;
let kubeconfigPath: string;
const agents: ChildProcess[] = [];

beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
  const port = await freePort();
  server = await listen(t.host, port, "127.0.0.1");
  url = `http://127.0.0.1:${port}`;
  kube = await startKubeEmulator({ name: "behind-nat" });
  kubeconfigPath = join(t.dir, "kubeconfig.yaml");
  await writeAgentKubeconfig(kubeconfigPath, kube, "behind-nat");
  await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
});
afterAll(async () => {
  for (const agent of agents) agent.kill("SIGKILL");
  server?.close();
  await kube?.close();
  await t?.close();
});

function startAgent(env: Record<string, string>): ChildProcess {
  const child = spawnAgent(url, kubeconfigPath, env);
  agents.push(child);
  return child;
}

async function queue(clusterId: string, name: string, data: Record<string, string>) {
  const object = { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data };
  const { statement } = await queueAgentWork(t.host.deps, clusterId, "apply", object, Date.now());
  await writeBatch(t.host.deps.store, [statement]);
  workQueued(clusterId);
}

const applies = (name: string) =>
  kube.requests.filter((r) => r.method === "PATCH" && r.path.includes(`/configmaps/${name}`)).length;

describe("the agent process", () => {
  it("joins, does queued work through its kubeconfig, and resumes after kill -9 without repeating it", async () => {
    const created = await t.request("POST", "/v1/clusters", {
      body: { name: "behind-nat", class: "imported", connection: { mode: "agent" } },
    });
    expect(created.status).toBe(202);
    const clusterId = created.body.id as string;
    await queue(clusterId, "first", { step: "1" });

    const agent = startAgent({ FLEETPLANE_JOIN_TOKEN: created.body.agentJoin.token });
    const applied = await eventually(async () => kube.store.get(configMapRef("first")) as any, 20_000, "first applied");
    expect(applied.data).toEqual({ step: "1" });
    expect(applied.metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain("fleetplane");
    await eventually(async () => {
      const [row] = await t.host.deps.store.select().from(agentWork).where(eq(agentWork.clusterId, clusterId));
      return row?.state === "Done" ? row : undefined;
    });
    const connected = await eventually(async () => {
      const cluster = (await t.request("GET", "/v1/clusters/behind-nat")).body;
      return cluster.status.agent?.version ? cluster : undefined;
    });
    expect(connected.status.conditions.find((c: { type: string }) => c.type === "AgentConnected").status).toBe("True");

    agent.kill("SIGKILL");
    await new Promise((done) => agent.once("exit", done));
    await queue(clusterId, "second", { step: "2" });
    // No join token this time: the credential and progress come from the agent's state Secret.
    startAgent({});
    await eventually(async () => kube.store.get(configMapRef("second")), 20_000, "second applied");
    expect(applies("first")).toBe(1);
    expect(applies("second")).toBe(1);
  }, 60_000);
});
