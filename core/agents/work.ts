import { and, asc, desc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { agentWork, clusterAgents } from "../../schema";
import type { Deps } from "../context";
import { sha256Hex } from "../crypto";
import { ConflictError, NotFoundError, StalledError, TransientError, UnprocessableError } from "../errors";
import { newId } from "../ids";
import { type Statement, writeBatch } from "../store";
import type { AgentPrincipal } from "./spec";

/**
 * The work channel of an agent-mode cluster. Every call a function makes to such a cluster
 * (apply, delete, get, list, version, API groups, a GET through the service proxy) becomes one
 * item of work; the agent asks for
 * work after the last `seq` it finished, does it in order against its local API server and
 * reports what the cluster answered, which the waiting function then reads. Delivery is at
 * least once: an agent that restarts asks again from where it was, and doing an item twice is
 * harmless (server-side apply; reads). Reports carry increasing numbers, so a replayed or
 * reordered report is refused instead of undoing a newer one.
 */

export type AgentWorkRow = typeof agentWork.$inferSelect;
export type AgentWorkOp = AgentWorkRow["op"];

interface KubeObjectLike {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** What a list asks for: a kind, optionally in one namespace and by label selector. */
export interface ListQuery {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
}

/** A GET through the API server's service proxy: a Service (`name` or `name:port`) and a path on it. */
export interface ProxyQuery {
  namespace: string;
  service: string;
  path: string;
}

/** The payload of each kind of work, as the agent receives it. */
export type AgentCall =
  | { op: "apply" | "delete" | "get"; object: KubeObjectLike & Record<string, unknown> }
  | { op: "list"; object: ListQuery }
  | { op: "proxyGet"; object: ProxyQuery }
  | { op: "version" | "apiGroups"; object: Record<string, never> };

export const objectKey = (o: KubeObjectLike) =>
  `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

function keyOf(call: AgentCall): string {
  if (call.op === "version" || call.op === "apiGroups") return call.op;
  if (call.op === "proxyGet")
    return `services/${call.object.namespace}/${call.object.service}/proxy${call.object.path}`;
  if (call.op === "list") {
    const q = call.object;
    return `${q.apiVersion}/${q.kind}/${q.namespace ?? ""}/*${q.labelSelector ? `?${q.labelSelector}` : ""}`;
  }
  return objectKey(call.object as KubeObjectLike);
}

const isSecret = (o: { apiVersion: string; kind: string }) => o.kind === "Secret" && o.apiVersion === "v1";

/** The most an agent is handed at once, and the longest a request for work is held open. */
export const WORK_PAGE = 100;
export const MAX_WAIT_MS = 25_000;

/**
 * Wake-ups inside one process: a queued item wakes the agent's held request for work, a report
 * wakes the calls waiting for answers, so on a host that serves both (Node) a call costs a
 * round trip to the agent rather than polling intervals. Across processes or isolates nothing
 * is shared and the waits fall back to polling the store.
 */
const sleepers = new Map<string, Set<() => void>>();
/**
 * How many wake-ups each key has had: a waiter notes it before looking at the store and sleeps
 * only if nothing woke the key since, so a wake-up landing between its look and its sleep is
 * not lost (it would otherwise wait out the whole pause). One number per cluster and key.
 */
const wakeups = new Map<string, number>();

const wakeupsOf = (key: string) => wakeups.get(key) ?? 0;

function wake(key: string): void {
  wakeups.set(key, wakeupsOf(key) + 1);
  for (const done of sleepers.get(key) ?? []) done();
}

function sleepUnlessWoken(key: string, ms: number, seen: number): Promise<void> {
  if (wakeupsOf(key) !== seen) return Promise.resolve();
  return new Promise((resolve) => {
    const set = sleepers.get(key) ?? new Set<() => void>();
    sleepers.set(key, set);
    const done = () => {
      clearTimeout(timer);
      set.delete(done);
      if (set.size === 0) sleepers.delete(key);
      resolve();
    };
    const timer = setTimeout(done, ms);
    set.add(done);
  });
}

const workWanted = (clusterId: string) => `work:${clusterId}`;
const answersFor = (clusterId: string) => `answers:${clusterId}`;

/** After a batch with queued work committed: the agent's held request (in this process) looks now. */
export function workQueued(clusterId: string): void {
  wake(workWanted(clusterId));
}

/** The answer to an agent's call for work lands within this, even when nothing wakes the caller. */
const ANSWER_POLL_MAX_MS = 250;

/**
 * One item of work, queued in the caller's batch. The same work still pending is queued once;
 * `seq` is the next in the cluster's order (computed inside the batch, so two writers cannot
 * take the same one: the unique index would refuse the second). Wrapped in an object because
 * a drizzle query is a thenable: returned bare from an async function it would run at once.
 */
export async function queueAgentWork(
  deps: Pick<Deps, "store">,
  clusterId: string,
  op: AgentWorkOp,
  object: AgentCall["object"],
  now: number,
): Promise<{ statement: Statement; digest: string }> {
  const call = { op, object } as AgentCall;
  // Secret values cross the channel in neither direction: they reach clusters as
  // ExternalSecrets, and what an agent reads back lands in our store.
  if ("kind" in call.object && isSecret(call.object as { apiVersion: string; kind: string })) {
    throw new StalledError(
      "AgentRefused",
      `Secrets do not travel through the agent (${op} ${keyOf(call)}): secrets reach clusters as ExternalSecrets`,
    );
  }
  const key = keyOf(call);
  const digest = await sha256Hex(`${op}\n${JSON.stringify(object)}`);
  const id = newId("awk", now);
  const statement = deps.store.run(sql`INSERT INTO ${agentWork}
      (id, cluster_id, seq, op, object_key, object, digest, state, created_at, updated_at)
    SELECT ${id}, ${clusterId},
      (SELECT COALESCE(MAX(seq), 0) + 1 FROM ${agentWork} WHERE cluster_id = ${clusterId}),
      ${op}, ${key}, ${JSON.stringify(object)}, ${digest}, 'Pending', ${now}, ${now}
    WHERE NOT EXISTS (SELECT 1 FROM ${agentWork}
      WHERE cluster_id = ${clusterId} AND digest = ${digest} AND state = 'Pending')`);
  return { statement, digest };
}

/** Pending work after `after`, in order. */
export async function pendingWork(deps: Pick<Deps, "store">, clusterId: string, after: number) {
  return deps.store
    .select()
    .from(agentWork)
    .where(and(eq(agentWork.clusterId, clusterId), gt(agentWork.seq, after), eq(agentWork.state, "Pending")))
    .orderBy(asc(agentWork.seq))
    .limit(WORK_PAGE);
}

/**
 * `GET /agent/v1/work`: pending work after `after`, held open up to `waitMs` while there is
 * none, so an idle agent costs one request per wait rather than one per second.
 */
export async function workFor(
  deps: Pick<Deps, "store" | "now" | "config">,
  agent: AgentPrincipal,
  after: number,
  waitMs: number,
): Promise<AgentWorkRow[]> {
  const deadline = deps.now() + Math.min(waitMs, MAX_WAIT_MS);
  const key = workWanted(agent.clusterId);
  for (;;) {
    const seen = wakeupsOf(key);
    const items = await pendingWork(deps, agent.clusterId, after);
    if (items.length > 0 || deps.now() >= deadline) return items;
    const pause = Math.min(deps.config.agentPollMs, Math.max(0, deadline - deps.now()));
    await sleepUnlessWoken(key, pause, seen);
  }
}

/** The agent of a cluster as a caller needs it: can it take work now, and if not, why. */
export async function agentAvailability(
  deps: Pick<Deps, "store" | "now" | "config">,
  cluster: { id: string; name: string },
): Promise<{ ok: true } | { ok: false; error: TransientError }> {
  const [row] = await deps.store
    .select({ joinedAt: clusterAgents.joinedAt, lastSeenAt: clusterAgents.lastSeenAt })
    .from(clusterAgents)
    .where(eq(clusterAgents.clusterId, cluster.id))
    .limit(1);
  if (!row?.joinedAt) {
    return {
      ok: false,
      error: new TransientError(
        "WaitingForAgent",
        `waiting for the agent on ${cluster.name} to join (apply its install manifest there)`,
      ),
    };
  }
  const seen = row.lastSeenAt ?? row.joinedAt;
  const silentFor = deps.now() - seen;
  if (silentFor > deps.config.agentSilentMs) {
    return {
      ok: false,
      error: new TransientError("AgentSilent", `waiting for the agent on ${cluster.name}, ${lastSeen(silentFor)}`),
    };
  }
  return { ok: true };
}

/** "last seen 3 min ago", in the coarsest unit that says it. */
export function lastSeen(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `last seen ${s} s ago`;
  if (s < 7200) return `last seen ${Math.round(s / 60)} min ago`;
  return `last seen ${Math.round(s / 3600)} h ago`;
}

/** What the cluster answered to one item, once the agent reported it. */
export type AgentAnswer = { ok: true; result: unknown } | { ok: false; status: number | null; message: string };

/**
 * Queues one call for a cluster's agent and waits for its answer, up to `timeoutMs`. The
 * same call already pending is joined rather than queued twice; its answer is the newest
 * item with that digest (the one pending when this call was made, or one finished since).
 */
export async function callAgent(
  deps: Pick<Deps, "store" | "now" | "config" | "log" | "agentDoorbell">,
  cluster: { id: string; name: string },
  call: AgentCall,
  timeoutMs: number,
): Promise<AgentAnswer> {
  const asked = deps.now();
  const key = answersFor(cluster.id);
  const { statement, digest } = await queueAgentWork(deps, cluster.id, call.op, call.object, asked);
  await writeBatch(deps.store, [statement]);
  workQueued(cluster.id);
  // A bell that does not ring costs latency, not correctness: the agent also looks on its own.
  await deps.agentDoorbell
    ?.ring(cluster.id)
    .catch((error: unknown) => deps.log.warn("agent doorbell failed", { cluster: cluster.name, error: String(error) }));
  const deadline = asked + timeoutMs;
  let wait = 20;
  for (;;) {
    const seen = wakeupsOf(key);
    const [item] = await deps.store
      .select({
        state: agentWork.state,
        result: agentWork.result,
        status: agentWork.status,
        message: agentWork.message,
      })
      .from(agentWork)
      .where(and(eq(agentWork.clusterId, cluster.id), eq(agentWork.digest, digest)))
      .orderBy(desc(agentWork.seq))
      .limit(1);
    if (item?.state === "Done") return { ok: true, result: item.result };
    if (item?.state === "Failed") return { ok: false, status: item.status, message: item.message ?? "failed" };
    if (deps.now() >= deadline) {
      const availability = await agentAvailability(deps, cluster);
      if (!availability.ok) throw availability.error;
      throw new TransientError(
        "AgentTimeout",
        `the agent on ${cluster.name} did not finish ${call.op} ${keyOf(call)} within ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    await sleepUnlessWoken(key, wait, seen);
    wait = Math.min(wait * 2, ANSWER_POLL_MAX_MS);
  }
}

export interface AgentReportInput {
  number: number;
  results: {
    id: string;
    ok: boolean;
    message?: string | undefined;
    status?: number | undefined;
    result?: unknown;
  }[];
}

/**
 * `POST /agent/v1/reports`: the outcome of work the agent did. Every item must be this
 * cluster's (another cluster's id is as unknown as a made-up one); the report's number must be
 * higher than the last accepted one, and moves it on in the same batch.
 */
export async function recordAgentReport(
  deps: Pick<Deps, "store" | "now">,
  agent: AgentPrincipal,
  report: AgentReportInput,
): Promise<{ accepted: number }> {
  const ids = [...new Set(report.results.map((r) => r.id))];
  const known =
    ids.length === 0
      ? []
      : await deps.store
          .select({ id: agentWork.id, op: agentWork.op, object: agentWork.object })
          .from(agentWork)
          .where(and(eq(agentWork.clusterId, agent.clusterId), inArray(agentWork.id, ids)));
  const mine = new Map(known.map((k) => [k.id, k]));
  const stranger = ids.find((id) => !mine.has(id));
  if (stranger) throw new NotFoundError("Agent work", stranger);
  report.results.forEach((result, index) => {
    const item = mine.get(result.id) as (typeof known)[number];
    if (result.ok && result.result !== undefined && carriesSecret(item.op, result.result)) {
      throw new UnprocessableError(
        "secret_refused",
        `The answer to ${result.id} carries a Secret, which Fleetplane never stores; nothing of the report was recorded`,
        [{ location: `body.results[${index}].result`, message: "a v1 Secret" }],
      );
    }
  });

  const now = deps.now();
  // The results go first, guarded on the report being newer than the last accepted one; the
  // number moves on last, in the same batch. Inside the batch both see the same row, so a
  // replayed report changes nothing (and a later guard could not tell it from this one).
  const newer = sql`EXISTS (SELECT 1 FROM ${clusterAgents}
    WHERE cluster_id = ${agent.clusterId} AND last_report < ${report.number})`;
  const statements: Statement[] = report.results.map((result) =>
    // Only pending work takes a verdict: a result for finished work changes nothing.
    deps.store
      .update(agentWork)
      .set({
        state: result.ok ? "Done" : "Failed",
        message: result.message ?? null,
        result: result.ok ? (result.result ?? null) : null,
        status: result.ok ? null : (result.status ?? null),
        updatedAt: now,
      })
      .where(and(eq(agentWork.id, result.id), eq(agentWork.state, "Pending"), newer)),
  );
  statements.push(
    deps.store
      .update(clusterAgents)
      .set({ lastReport: report.number, lastSeenAt: now, updatedAt: now })
      .where(and(eq(clusterAgents.clusterId, agent.clusterId), lt(clusterAgents.lastReport, report.number)))
      .returning({ clusterId: clusterAgents.clusterId }),
  );
  const results = await writeBatch(deps.store, statements);
  if ((results[results.length - 1] as unknown[]).length === 0) {
    throw new ConflictError(`Report ${report.number} is not newer than the last one accepted; it was not applied`);
  }
  wake(answersFor(agent.clusterId));
  return { accepted: report.results.length };
}

/** Whether an answer holds a v1 Secret (an agent that misbehaves, or a list of a kind that embeds one). */
function carriesSecret(op: AgentWorkOp, result: unknown): boolean {
  const items = op === "list" && Array.isArray(result) ? result : [result];
  return items.some((o) => typeof o === "object" && o !== null && isSecret(o as { apiVersion: string; kind: string }));
}

/** Finished work kept for this long (to read an answer, and to look back), then forgotten. */
export const FINISHED_WORK_KEPT_MS = 3_600_000;

/**
 * Forgets finished work past its keeping time, and gives up work pending for longer than
 * anyone waits for it (an agent back after a long silence would otherwise first do hours of
 * reads nobody reads; the functions that still want something ask again).
 */
export async function pruneAgentWork(deps: Pick<Deps, "store" | "now" | "config">): Promise<void> {
  const now = deps.now();
  await writeBatch(deps.store, [
    // The newest item of a cluster stays: the next `seq` is counted from it, and an agent asks
    // for work after the last `seq` it finished.
    deps.store.run(sql`DELETE FROM ${agentWork}
      WHERE state IN ('Done', 'Failed') AND updated_at < ${now - FINISHED_WORK_KEPT_MS}
        AND seq < (SELECT MAX(w.seq) FROM ${agentWork} w WHERE w.cluster_id = ${agentWork}.cluster_id)`),
    deps.store
      .update(agentWork)
      .set({ state: "Failed", message: "expired: no agent took it in time", updatedAt: now })
      .where(and(eq(agentWork.state, "Pending"), lt(agentWork.createdAt, now - deps.config.agentWorkExpiryMs))),
  ]);
}
