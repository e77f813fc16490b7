import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { agentWork, clusterAgents } from "../../schema";
import type { Deps } from "../context";
import { sha256Hex } from "../crypto";
import { ConflictError, NotFoundError } from "../errors";
import { newId } from "../ids";
import { type Statement, writeBatch } from "../store";
import type { AgentPrincipal } from "./verbs";

/**
 * The work channel of an agent-mode cluster. Functions queue work (apply or delete one object)
 * in the same batch as the decision it carries out; the agent asks for work after the last
 * `seq` it finished, does it in order and reports back. Delivery is at least once: an agent
 * that restarts asks again from where it was, and applying an object twice is harmless
 * (server-side apply). Reports carry increasing numbers, so a replayed or reordered report is
 * refused instead of undoing a newer one.
 */

export type AgentWorkRow = typeof agentWork.$inferSelect;
export type AgentWorkOp = AgentWorkRow["op"];

interface KubeObjectLike {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

export const objectKey = (o: KubeObjectLike) =>
  `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** The most an agent is handed at once, and the longest a request for work is held open. */
export const WORK_PAGE = 100;
export const MAX_WAIT_MS = 25_000;
const POLL_MS = 250;

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
  object: KubeObjectLike & Record<string, unknown>,
  now: number,
): Promise<{ statement: Statement }> {
  // Values from our store never travel to an agent: secrets reach clusters as ExternalSecrets.
  if (object.kind === "Secret" && object.apiVersion === "v1" && op === "apply") {
    throw new Error(`refusing to send Secret ${objectKey(object)} to an agent: secrets go as ExternalSecrets`);
  }
  const key = objectKey(object);
  const digest = await sha256Hex(`${op}\n${JSON.stringify(object)}`);
  const id = newId("awk", now);
  const statement = deps.store.run(sql`INSERT INTO ${agentWork}
      (id, cluster_id, seq, op, object_key, object, digest, state, created_at, updated_at)
    SELECT ${id}, ${clusterId},
      (SELECT COALESCE(MAX(seq), 0) + 1 FROM ${agentWork} WHERE cluster_id = ${clusterId}),
      ${op}, ${key}, ${JSON.stringify(object)}, ${digest}, 'Pending', ${now}, ${now}
    WHERE NOT EXISTS (SELECT 1 FROM ${agentWork}
      WHERE cluster_id = ${clusterId} AND digest = ${digest} AND state = 'Pending')`);
  return { statement };
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
  deps: Pick<Deps, "store" | "now">,
  agent: AgentPrincipal,
  after: number,
  waitMs: number,
): Promise<AgentWorkRow[]> {
  const deadline = deps.now() + Math.min(waitMs, MAX_WAIT_MS);
  for (;;) {
    const items = await pendingWork(deps, agent.clusterId, after);
    if (items.length > 0 || deps.now() >= deadline) return items;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export interface AgentReportInput {
  number: number;
  results: { id: string; ok: boolean; message?: string | undefined }[];
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
          .select({ id: agentWork.id, state: agentWork.state })
          .from(agentWork)
          .where(and(eq(agentWork.clusterId, agent.clusterId), inArray(agentWork.id, ids)));
  const mine = new Map(known.map((k) => [k.id, k.state]));
  const stranger = ids.find((id) => !mine.has(id));
  if (stranger) throw new NotFoundError("Agent work", stranger);

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
      .set({ state: result.ok ? "Done" : "Failed", message: result.message ?? null, updatedAt: now })
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
  return { accepted: report.results.length };
}
