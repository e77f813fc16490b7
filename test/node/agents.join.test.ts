import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentManifestObjects } from "./support/agent-manifest";
import { expectProblem, startTestHost, type TestHost } from "./support/harness";

/**
 * Joining a cluster through its agent: an agent-mode cluster gets a one-time join token and an
 * install manifest; the agent trades the token for its own credential and reports in with it.
 * No functions run here: joining needs none.
 */
let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ FLEET_PUBLIC_URL: "https://fleet.example.com" }, { runJobs: false });
  await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
});
afterAll(() => t.close());

async function agentCluster(name: string) {
  const res = await t.request("POST", "/v1/clusters", {
    body: { name, class: "imported", connection: { mode: "agent" }, labels: { network: "private" } },
  });
  expect(res.status).toBe(202);
  return res;
}

const asAgent = (credential: string, body: Record<string, unknown> = {}) =>
  t.request("POST", "/agent/v1/heartbeat", {
    token: credential,
    body: { version: "0.1.0", time: new Date().toISOString(), ...body },
  });

async function joined(name: string) {
  const created = await agentCluster(name);
  const join = await t.request("POST", "/agent/v1/join", {
    token: null,
    body: { token: created.body.agentJoin.token },
  });
  expect(join.status).toBe(200);
  return { id: created.body.id as string, credential: join.body.credential as string };
}

describe("agents: joining", () => {
  it("an agent-mode cluster answers its join token once and waits for its agent", async () => {
    const res = await agentCluster("private-1");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body.connection).toEqual({ mode: "agent" });
    expect(res.body.agentJoin.token).toMatch(new RegExp(`^fpj_${res.body.id}\\.`));
    expect(res.body.agentJoin.manifest).toBe(`/v1/clusters/${res.body.id}/agent-manifest`);
    expect(Date.parse(res.body.agentJoin.expiresAt)).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);
    const ready = res.body.status.conditions.find((c: { type: string }) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "Unknown", reason: "WaitingForAgent" });
    const read = await t.request("GET", "/v1/clusters/private-1");
    expect(read.body).not.toHaveProperty("agentJoin");
    expect(read.text).not.toContain(res.body.agentJoin.token);
  });

  it("refuses server, CA or token in agent mode, and a direct connection without them", async () => {
    const agentWithServer = await t.request("POST", "/v1/clusters", {
      body: { name: "mixed", class: "imported", connection: { mode: "agent", server: "https://10.0.0.1:6443" } },
    });
    expectProblem(agentWithServer, 400, "validation_failed");
    expect(agentWithServer.body.errors[0].location).toBe("body.connection.server");
    const directWithout = await t.request("POST", "/v1/clusters", {
      body: { name: "bare", class: "imported", connection: { mode: "direct" } },
    });
    expectProblem(directWithout, 400, "validation_failed");
    expect(directWithout.body.errors.map((e: { location: string }) => e.location).sort()).toEqual([
      "body.connection.server",
      "body.connection.token",
    ]);
  });

  it("serves an install manifest that joins with one kubectl apply", async () => {
    const created = await agentCluster("private-2");
    const res = await t.request(
      "GET",
      "/v1/clusters/private-2/agent-manifest?image=registry.local/fleetplane/agent:dev",
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/yaml/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const objects = agentManifestObjects(res.text);
    const secret = objects[4];
    expect(secret.stringData).toEqual({
      FLEETPLANE_URL: "https://fleet.example.com",
      FLEETPLANE_JOIN_TOKEN: created.body.agentJoin.token,
      FLEETPLANE_CLUSTER: "private-2",
    });
    const container = objects[5].spec.template.spec.containers[0];
    expect(container.image).toBe("registry.local/fleetplane/agent:dev");
    expect(container.resources.limits).toEqual({ cpu: "500m", memory: "256Mi" });
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(objects[5].spec.template.spec.serviceAccountName).toBe(objects[1].metadata.name);
  });

  it("keeps the manifest from tenants and from clusters reached directly", async () => {
    await agentCluster("private-3");
    const tenant = await t.tenantToken("tnt_someone");
    expectProblem(await t.request("GET", "/v1/clusters/private-3/agent-manifest", { token: tenant }), 403, "forbidden");
    expectProblem(await t.request("POST", "/v1/clusters/private-3/agent-join", { token: tenant }), 403, "forbidden");
    const direct = await t.request("POST", "/v1/clusters", {
      body: { name: "direct-1", class: "imported", connection: { server: "https://127.0.0.1:6443", token: "x" } },
    });
    expect(direct.status).toBe(202);
    expect(direct.body).not.toHaveProperty("agentJoin");
    expectProblem(await t.request("GET", "/v1/clusters/direct-1/agent-manifest"), 422, "not_applicable");
    expectProblem(await t.request("GET", "/v1/clusters/nope/agent-manifest"), 404, "not_found");
  });

  it("a join token works once; the manifest then says the agent has joined", async () => {
    const created = await agentCluster("private-4");
    const token = created.body.agentJoin.token;
    const first = await t.request("POST", "/agent/v1/join", { token: null, body: { token } });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.body.cluster).toEqual({ id: created.body.id, name: "private-4" });
    expect(first.body.credential).toMatch(new RegExp(`^fpa_${created.body.id}\\.`));
    expectProblem(await t.request("POST", "/agent/v1/join", { token: null, body: { token } }), 401, "unauthorized");
    expectProblem(await t.request("GET", "/v1/clusters/private-4/agent-manifest"), 409, "conflict");
    const forged = `fpj_${created.body.id}.not-the-secret`;
    expectProblem(await t.request("POST", "/agent/v1/join", { token: null, body: { token: forged } }), 401);
  });

  it("a heartbeat sets AgentConnected, the agent's version and its clock skew", async () => {
    const { credential } = await joined("private-5");
    const ahead = new Date(Date.now() + 5_000).toISOString();
    const res = await asAgent(credential, { version: "0.1.1", time: ahead });
    expect(res.status).toBe(200);
    expect(res.body.cluster.name).toBe("private-5");
    const cluster = (await t.request("GET", "/v1/clusters/private-5")).body;
    expect(cluster.status.conditions.find((c: { type: string }) => c.type === "AgentConnected")).toMatchObject({
      status: "True",
      reason: "AgentHeartbeat",
    });
    expect(cluster.status.agent.version).toBe("0.1.1");
    expect(cluster.status.agent.clockSkewMs).toBeGreaterThan(3_000);
    expect(cluster.status.agent.clockSkewMs).toBeLessThan(7_000);
    expect(Date.parse(cluster.status.agent.joinedAt)).toBeLessThanOrEqual(
      Date.parse(cluster.status.agent.lastHeartbeatAt),
    );
  });

  it("an agent is not a user and a user is not an agent", async () => {
    const { credential } = await joined("private-6");
    expectProblem(await t.request("GET", "/v1/clusters/private-6", { token: credential }), 401, "unauthorized");
    expectProblem(await asAgent("test-admin-token-0123456789"), 401, "unauthorized");
    expectProblem(await asAgent(await t.tenantToken("tnt_someone")), 401, "unauthorized");
    expectProblem(await asAgent(`${credential}x`), 401, "unauthorized");
    expectProblem(await t.request("POST", "/agent/v1/heartbeat", { token: null, body: {} }), 401, "unauthorized");
  });

  it("bad heartbeats are 400 problems and change nothing", async () => {
    const { credential } = await joined("private-7");
    expectProblem(await asAgent(credential, { time: "yesterday" }), 400, "validation_failed");
    expectProblem(await asAgent(credential, { extra: true }), 400, "validation_failed");
    const cluster = (await t.request("GET", "/v1/clusters/private-7")).body;
    expect(cluster.status).not.toHaveProperty("agent");
  });

  it("a new join token re-joins the agent and retires the old credential", async () => {
    const { credential } = await joined("private-8");
    const grant = await t.request("POST", "/v1/clusters/private-8/agent-join");
    expect(grant.status).toBe(201);
    expect((await asAgent(credential)).status).toBe(200);
    const rejoin = await t.request("POST", "/agent/v1/join", { token: null, body: { token: grant.body.token } });
    expect(rejoin.status).toBe(200);
    expectProblem(await asAgent(credential), 401, "unauthorized");
    expect((await asAgent(rejoin.body.credential)).status).toBe(200);
  });

  it("deleting the cluster revokes its agent at once", async () => {
    const { credential } = await joined("private-9");
    expect((await t.request("DELETE", "/v1/clusters/private-9")).status).toBe(202);
    expectProblem(await asAgent(credential), 401, "unauthorized");
  });
});
