import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentAvailability, callAgent, queueAgentWork, workQueued } from "../../core/agents/work";
import { writeBatch } from "../../core/store";
import { agentWork } from "../../schema";
import { ADMIN_TOKEN, eventually, expectProblem, startTestHost, type TestHost } from "./support/harness";

/**
 * The work channel of agent-mode clusters, spoken as an agent speaks it over HTTP: work comes
 * in order and at least once, reports finish it, and nothing reaches another cluster's work.
 */
let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
  await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
});
afterAll(() => t.close());

async function joinedAgent(name: string) {
  const created = await t.request("POST", "/v1/clusters", {
    body: { name, class: "imported", connection: { mode: "agent" } },
  });
  expect(created.status).toBe(202);
  const join = await t.request("POST", "/agent/v1/join", {
    token: null,
    body: { token: created.body.agentJoin.token },
  });
  expect(join.status).toBe(200);
  const credential = join.body.credential as string;
  return {
    clusterId: created.body.id as string,
    credential,
    work: (query = "after=0&wait=0") => t.request("GET", `/agent/v1/work?${query}`, { token: credential }),
    report: (body: unknown) => t.request("POST", "/agent/v1/reports", { token: credential, body }),
  };
}

const configMap = (name: string, data: Record<string, string> = { color: "blue" }) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default" },
  data,
});

async function queue(
  clusterId: string,
  object: ReturnType<typeof configMap>,
  op: "apply" | "delete" | "get" = "apply",
) {
  const { statement } = await queueAgentWork(t.host.deps, clusterId, op, object, Date.now());
  await writeBatch(t.host.deps.store, [statement]);
  workQueued(clusterId);
}

const stateOf = async (id: string) =>
  (await t.host.deps.store.select().from(agentWork).where(eq(agentWork.id, id)))[0]?.state;

describe("agents: the work channel", () => {
  it("hands work over in order, the same pending work once, and again from where the agent left off", async () => {
    const agent = await joinedAgent("work-order");
    await queue(agent.clusterId, configMap("a"));
    await queue(agent.clusterId, configMap("b"));
    await queue(agent.clusterId, configMap("a"));
    const all = await agent.work();
    expect(all.status).toBe(200);
    expect(
      all.body.items.map((i: { seq: number; object: { metadata: { name: string } } }) => [
        i.seq,
        i.object.metadata.name,
      ]),
    ).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
    expect(all.body.after).toBe(2);
    // An agent that restarts after finishing seq 1 asks from there.
    const rest = await agent.work("after=1&wait=0");
    expect(rest.body.items.map((i: { seq: number }) => i.seq)).toEqual([2]);
    expect((await agent.work("after=2&wait=0")).body).toEqual({ items: [], after: 2 });
  });

  it("holds a request open while there is no work, and answers as soon as some is queued", async () => {
    const agent = await joinedAgent("work-wait");
    const asked = agent.work("after=0&wait=10");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await queue(agent.clusterId, configMap("late"));
    const res = await asked;
    expect(res.body.items.map((i: { object: { metadata: { name: string } } }) => i.object.metadata.name)).toEqual([
      "late",
    ]);
  });

  it("reports finish work; a replayed or older report is refused and changes nothing", async () => {
    const agent = await joinedAgent("work-report");
    await queue(agent.clusterId, configMap("one"));
    await queue(agent.clusterId, configMap("two"));
    const [one, two] = (await agent.work()).body.items as { id: string }[];
    if (!one || !two) throw new Error("expected two items of work");

    expect((await agent.report({ number: 1, results: [{ id: one.id, ok: true }] })).body).toEqual({ accepted: 1 });
    expect(await stateOf(one.id)).toBe("Done");
    expect((await agent.work()).body.items.map((i: { id: string }) => i.id)).toEqual([two.id]);

    expectProblem(await agent.report({ number: 1, results: [{ id: two.id, ok: true }] }), 409, "conflict");
    expect(await stateOf(two.id)).toBe("Pending");

    const failed = await agent.report({ number: 3, results: [{ id: two.id, ok: false, message: "admission denied" }] });
    expect(failed.status).toBe(200);
    const [row] = await t.host.deps.store.select().from(agentWork).where(eq(agentWork.id, two.id));
    expect([row?.state, row?.message]).toEqual(["Failed", "admission denied"]);
    // Number 2 is now older than 3: refused, even though it was never used.
    expectProblem(await agent.report({ number: 2, results: [] }), 409, "conflict");
  });

  it("another cluster's work is as unknown as made-up work", async () => {
    const mine = await joinedAgent("work-mine");
    const theirs = await joinedAgent("work-theirs");
    await queue(theirs.clusterId, configMap("private"));
    const [item] = (await theirs.work()).body.items as { id: string }[];
    if (!item) throw new Error("expected their work");
    expect((await mine.work()).body.items).toEqual([]);
    expectProblem(await mine.report({ number: 1, results: [{ id: item.id, ok: true }] }), 404, "not_found");
    expect(await stateOf(item.id)).toBe("Pending");
    // The refused report did not use up its number either.
    expect((await mine.report({ number: 1, results: [] })).status).toBe(200);
  });

  it("never carries a Secret: not to an agent, not back from one", async () => {
    const agent = await joinedAgent("work-secret");
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, data: { password: "aHVudGVyMg==" } };
    for (const op of ["apply", "get", "delete"] as const) {
      await expect(queueAgentWork(t.host.deps, agent.clusterId, op, secret, Date.now())).rejects.toThrow(
        /ExternalSecrets/,
      );
    }
    await expect(
      queueAgentWork(t.host.deps, agent.clusterId, "list", { apiVersion: "v1", kind: "Secret" }, Date.now()),
    ).rejects.toThrow(/ExternalSecrets/);
    // An answer that holds one anyway is refused whole, and its number is not used up.
    await queue(agent.clusterId, configMap("innocent"), "get");
    const [item] = (await agent.work()).body.items as { id: string }[];
    if (!item) throw new Error("expected the read");
    const smuggled = await agent.report({ number: 1, results: [{ id: item.id, ok: true, result: secret }] });
    expectProblem(smuggled, 422, "secret_refused");
    expect(await stateOf(item.id)).toBe("Pending");
    const [row] = await t.host.deps.store.select().from(agentWork).where(eq(agentWork.id, item.id));
    expect(JSON.stringify(row)).not.toContain("aHVudGVyMg==");
    expect((await agent.report({ number: 1, results: [] })).status).toBe(200);
  });

  it("a call waits for the agent's answer: what the cluster said, or its refusal with the API server's status", async () => {
    const agent = await joinedAgent("work-answer");
    const cluster = { id: agent.clusterId, name: "work-answer" };
    const read = callAgent(t.host.deps, cluster, { op: "get", object: configMap("seen") }, 5_000);
    const refused = callAgent(t.host.deps, cluster, { op: "apply", object: configMap("denied") }, 5_000);
    const items = await eventually(async () => {
      const res = await agent.work();
      return res.body.items.length === 2 ? (res.body.items as { id: string; op: string }[]) : undefined;
    });
    expect(items.map((i) => i.op)).toEqual(["get", "apply"]);
    const [get, apply] = items as unknown as [{ id: string }, { id: string }];
    const live = { ...configMap("seen"), metadata: { name: "seen", namespace: "default", resourceVersion: "7" } };
    const report = await agent.report({
      number: 1,
      results: [
        { id: get.id, ok: true, result: live },
        { id: apply.id, ok: false, status: 403, message: "configmaps is forbidden" },
      ],
    });
    expect(report.status).toBe(200);
    expect(await read).toEqual({ ok: true, result: live });
    expect(await refused).toEqual({ ok: false, status: 403, message: "configmaps is forbidden" });
  });

  it("a call to an agent that never joined, or went silent, says so at once", async () => {
    const created = await t.request("POST", "/v1/clusters", {
      body: { name: "work-never", class: "imported", connection: { mode: "agent" } },
    });
    const cluster = { id: created.body.id as string, name: "work-never" };
    const never = await agentAvailability(t.host.deps, cluster);
    expect(never.ok).toBe(false);
    expect(never.ok === false && never.error.code).toBe("WaitingForAgent");
    const agent = await joinedAgent("work-quiet");
    const later = { ...t.host.deps, now: () => Date.now() + 180_000 };
    const quiet = await agentAvailability(later, { id: agent.clusterId, name: "work-quiet" });
    expect(quiet.ok === false && [quiet.error.code, quiet.error.message]).toEqual([
      "AgentSilent",
      "waiting for the agent on work-quiet, last seen 3 min ago",
    ]);
  });

  it("bad requests are 400 problems, and user tokens are not agents", async () => {
    const agent = await joinedAgent("work-bad");
    expectProblem(await agent.report({ number: 0, results: [] }), 400, "validation_failed");
    expectProblem(await agent.report({ number: 1, results: [{ id: "x", ok: "yes" }] }), 400, "validation_failed");
    expectProblem(
      await agent.report({ number: 1, results: [{ id: "x", ok: true, message: "m".repeat(5000) }] }),
      400,
      "validation_failed",
    );
    expectProblem(await agent.work("after=-1"), 400, "validation_failed");
    expectProblem(await agent.work("wait=600"), 400, "validation_failed");
    expectProblem(await t.request("GET", "/agent/v1/work", { token: ADMIN_TOKEN }), 401, "unauthorized");
    expectProblem(
      await t.request("POST", "/agent/v1/reports", { token: ADMIN_TOKEN, body: { number: 5, results: [] } }),
      401,
    );
  });

  it("the Node host has no doorbell: its agents hold requests for work, which it wakes itself", async () => {
    const agent = await joinedAgent("work-doorbell");
    const res = await t.request("GET", "/agent/v1/doorbell", { token: agent.credential });
    expectProblem(res, 404, "not_offered");
    expect(res.body.detail).toContain("hold GET /agent/v1/work open");
    expectProblem(await t.request("GET", "/agent/v1/doorbell", { token: ADMIN_TOKEN }), 401, "unauthorized");
  });
});
