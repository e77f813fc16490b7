import { and, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { agentWork, clusterAgents } from "../../schema";
import { requireAdmin } from "../access";
import { type ClusterRow, findCluster, getCluster } from "../clusters/read";
import { clusterStatusStatement } from "../clusters/status";
import { getCondition } from "../conditions";
import type { Ctx, Deps } from "../context";
import { constantTimeEqual, randomSecret, sha256Hex } from "../crypto";
import { ConflictError, UnauthorizedError, UnprocessableError } from "../errors";
import { recordEvent } from "../events";
import { enqueueJob } from "../jobs/jobs";
import type { JobKind } from "../jobs/kinds";
import { CLUSTER_KIND } from "../kinds";
import { type Statement, writeBatch } from "../store";
import { enqueueTenantPlacement } from "../tenants/placement";
import type { AgentJoinGrantValue, AgentPrincipal } from "./spec";
import { lastSeen } from "./work";

/**
 * Joining a cluster through its agent. A join token (`fpj_<cluster id>.<secret>`) is kept
 * sealed so the install manifest can carry it until it is used, and works once: using it mints
 * the agent's credential (`fpa_<cluster id>.<secret>`), of which only the hash is kept. Both
 * name their cluster, so a lookup is one row and a credential can only ever reach that cluster.
 */
const JOIN_PREFIX = "fpj_";
const CREDENTIAL_PREFIX = "fpa_";

export type AgentRow = typeof clusterAgents.$inferSelect;

/** The cluster id a join token or credential names, or undefined when it is not one of ours. */
function clusterIdOf(token: string, prefix: string): string | undefined {
  if (!token.startsWith(prefix)) return undefined;
  const dot = token.indexOf(".");
  return dot > prefix.length ? token.slice(prefix.length, dot) : undefined;
}

/** The connect function's job kind (named here: the cluster registration imports this module). */
const CONNECT_CLUSTER = "connectCluster" satisfies JobKind;

const joinAad = (clusterId: string) => `agent-join:${clusterId}`;
const manifestPath = (clusterId: string) => `/v1/clusters/${clusterId}/agent-manifest`;

/**
 * A fresh join token for an agent-mode cluster: the statement that stores it (sealed; a new
 * token replaces an unused one) and the grant shown once to whoever asked.
 */
export async function newJoinGrant(
  deps: Pick<Deps, "secretBox" | "store" | "config">,
  clusterId: string,
  now: number,
): Promise<{ statement: Statement; grant: AgentJoinGrantValue }> {
  const token = `${JOIN_PREFIX}${clusterId}.${randomSecret()}`;
  const sealed = await (await deps.secretBox()).seal(token, joinAad(clusterId));
  const expiresAt = now + deps.config.agentJoinTtlMs;
  const statement = deps.store
    .insert(clusterAgents)
    .values({ clusterId, joinToken: sealed, joinExpiresAt: expiresAt, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: clusterAgents.clusterId,
      set: { joinToken: sealed, joinExpiresAt: expiresAt, updatedAt: now },
    });
  return {
    statement,
    grant: { token, expiresAt: new Date(expiresAt).toISOString(), manifest: manifestPath(clusterId) },
  };
}

function isAgentMode(cluster: ClusterRow): boolean {
  return cluster.spec.connection?.mode === "agent";
}

async function agentRow(deps: Pick<Deps, "store">, clusterId: string): Promise<AgentRow | undefined> {
  const [row] = await deps.store.select().from(clusterAgents).where(eq(clusterAgents.clusterId, clusterId)).limit(1);
  return row;
}

/** `POST /v1/clusters/{ref}/agent-join`: a new join token (to re-join, or after one expired). */
export async function grantAgentJoin(ctx: Ctx, ref: string): Promise<AgentJoinGrantValue> {
  requireAdmin(ctx, "Joining a cluster's agent");
  const cluster = await agentModeCluster(ctx, ref);
  const { statement, grant } = await newJoinGrant(ctx, cluster.id, ctx.now());
  await writeBatch(ctx.store, [statement]);
  return grant;
}

async function agentModeCluster(ctx: Ctx, ref: string): Promise<ClusterRow> {
  const cluster = await getCluster(ctx, ref);
  if (!isAgentMode(cluster)) {
    throw new UnprocessableError(
      "not_applicable",
      `Cluster ${cluster.name} is reached directly, not through an agent`,
      [{ location: "path.ref", message: "not an agent-mode cluster" }],
    );
  }
  if (cluster.deletionRequestedAt !== null) throw new ConflictError(`Cluster ${cluster.name} is being deleted`);
  return cluster;
}

/** The unused, unexpired join token of an agent-mode cluster, for its install manifest. */
export async function pendingJoinToken(ctx: Ctx, ref: string): Promise<{ cluster: ClusterRow; token: string }> {
  requireAdmin(ctx, "Reading a cluster's agent manifest");
  const cluster = await agentModeCluster(ctx, ref);
  const row = await agentRow(ctx, cluster.id);
  if (!row?.joinToken || row.joinExpiresAt === null) {
    throw new ConflictError(
      `The agent of ${cluster.name} has joined with its token; POST /v1/clusters/${cluster.id}/agent-join for a new one`,
    );
  }
  if (row.joinExpiresAt <= ctx.now()) {
    throw new ConflictError(
      `The join token of ${cluster.name} expired; POST /v1/clusters/${cluster.id}/agent-join for a new one`,
    );
  }
  const token = await (await ctx.secretBox()).open(row.joinToken, joinAad(cluster.id));
  return { cluster, token };
}

const REFUSED = "The join token is not valid (unknown, used or expired)";

/**
 * `POST /agent/v1/join`: the join token becomes the agent's credential, once. The update is a
 * compare-and-set on the sealed token, so two agents racing with one token cannot both win.
 */
export async function joinAgent(deps: Deps, token: string): Promise<{ cluster: AgentPrincipal; credential: string }> {
  const clusterId = clusterIdOf(token, JOIN_PREFIX);
  const row = clusterId ? await agentRow(deps, clusterId) : undefined;
  const cluster = clusterId ? await findCluster(deps, clusterId) : undefined;
  const now = deps.now();
  if (!clusterId || !row?.joinToken || !cluster || cluster.deletionRequestedAt !== null) {
    throw new UnauthorizedError(REFUSED);
  }
  if (row.joinExpiresAt === null || row.joinExpiresAt <= now) throw new UnauthorizedError(REFUSED);
  const expected = await (await deps.secretBox()).open(row.joinToken, joinAad(clusterId));
  if (!constantTimeEqual(token, expected)) throw new UnauthorizedError(REFUSED);

  const credential = `${CREDENTIAL_PREFIX}${clusterId}.${randomSecret()}`;
  // Everything in the batch hangs on the token still being the one checked: of two agents
  // racing with it, the loser writes nothing.
  const unused = sql`EXISTS (SELECT 1 FROM ${clusterAgents}
    WHERE cluster_id = ${clusterId} AND join_token = ${row.joinToken})`;
  // The first contact goes the way a directly reached cluster's registration does: the
  // connect function reads the version and API groups (now through the agent), sets Ready and
  // hands the cluster to the add-on install.
  const connect = enqueueJob(
    deps.store,
    deps.config,
    { kind: CONNECT_CLUSTER, clusterId, resourceType: CLUSTER_KIND, resourceId: clusterId },
    now,
    unused,
  );
  // Tenants whose selector matches the cluster are placed on it once its agent is there.
  const placement = enqueueTenantPlacement(deps, clusterId, now, unused);
  const results = await writeBatch(deps.store, [
    connect.insert,
    placement.insert,
    recordEvent(
      deps.store,
      {
        reason: "AgentJoined",
        resourceType: CLUSTER_KIND,
        resourceId: cluster.id,
        resourceName: cluster.name,
        message: `the agent of cluster ${cluster.name} joined`,
        actor: "system",
        at: now,
      },
      unused,
    ),
    deps.store
      .update(clusterAgents)
      .set({
        joinToken: null,
        joinExpiresAt: null,
        credentialHash: await sha256Hex(credential),
        joinedAt: now,
        lastSeenAt: now,
        updatedAt: now,
      })
      .where(and(eq(clusterAgents.clusterId, clusterId), eq(clusterAgents.joinToken, row.joinToken)))
      .returning({ clusterId: clusterAgents.clusterId }),
  ]);
  if ((results[results.length - 1] as unknown[]).length === 0) throw new UnauthorizedError(REFUSED);
  await deps.dispatcher.dispatch([connect.id, placement.id]);
  return { cluster: { clusterId: cluster.id, clusterName: cluster.name }, credential };
}

/**
 * The agent a bearer credential belongs to. A cluster being deleted has no agent any more:
 * its credential stops working the moment deletion is requested.
 */
export async function authenticateAgent(deps: Deps, bearer: string): Promise<AgentPrincipal | undefined> {
  const clusterId = clusterIdOf(bearer, CREDENTIAL_PREFIX);
  if (!clusterId) return undefined;
  const row = await agentRow(deps, clusterId);
  if (!row?.credentialHash) return undefined;
  if (!constantTimeEqual(await sha256Hex(bearer), row.credentialHash)) return undefined;
  const cluster = await findCluster(deps, clusterId);
  if (!cluster || cluster.deletionRequestedAt !== null) return undefined;
  return { clusterId: cluster.id, clusterName: cluster.name };
}

/** How stale `status.agent.lastHeartbeatAt` may get before a heartbeat refreshes it. */
export const HEARTBEAT_STATUS_REFRESH_MS = 5 * 60_000;

/**
 * `POST /agent/v1/heartbeat`: the agent is alive. Its row always records when it was heard;
 * the cluster's status (version, clock skew, `AgentConnected`) is written only when something
 * there changes, or every few minutes, so an idle fleet of agents does not rewrite every
 * cluster (and bump its revision) twice a minute. An agent heard again after it was found
 * silent brings its cluster back: the connect function runs again through it.
 */
export async function agentHeartbeat(
  deps: Deps,
  agent: AgentPrincipal,
  input: { version: string; time: string },
): Promise<{ time: string }> {
  const now = deps.now();
  const cluster = await findCluster(deps, agent.clusterId);
  const row = await agentRow(deps, agent.clusterId);
  if (!cluster || !row) throw new UnauthorizedError("The agent's cluster is gone");
  const clockSkewMs = Date.parse(input.time) - now;
  const statements: Statement[] = [
    deps.store
      .update(clusterAgents)
      .set({ lastSeenAt: now, version: input.version, clockSkewMs, silentSince: null, updatedAt: now })
      .where(eq(clusterAgents.clusterId, agent.clusterId)),
  ];
  const shown = cluster.status.agent;
  const connected = getCondition(cluster.status.conditions, "AgentConnected")?.status === "True";
  const fresh =
    connected &&
    shown?.version === input.version &&
    Math.abs((shown.clockSkewMs ?? 0) - clockSkewMs) < 1_000 &&
    shown.lastHeartbeatAt !== undefined &&
    now - Date.parse(shown.lastHeartbeatAt) < HEARTBEAT_STATUS_REFRESH_MS;
  if (!fresh) {
    statements.push(
      clusterStatusStatement(deps, cluster, {
        conditions: [
          {
            type: "AgentConnected",
            status: "True",
            reason: "AgentHeartbeat",
            message: `agent ${input.version} is connected`,
          },
        ],
        fields: {
          agent: {
            version: input.version,
            ...(row.joinedAt !== null ? { joinedAt: new Date(row.joinedAt).toISOString() } : {}),
            lastHeartbeatAt: new Date(now).toISOString(),
            clockSkewMs,
          },
        },
      }),
    );
  }
  const jobIds: string[] = [];
  if (row.silentSince !== null && cluster.deletionRequestedAt === null) {
    const connect = enqueueJob(
      deps.store,
      deps.config,
      { kind: CONNECT_CLUSTER, clusterId: cluster.id, resourceType: CLUSTER_KIND, resourceId: cluster.id },
      now,
    );
    statements.push(
      connect.insert,
      recordEvent(deps.store, {
        reason: "AgentReconnected",
        resourceType: CLUSTER_KIND,
        resourceId: cluster.id,
        resourceName: cluster.name,
        message: `the agent of cluster ${cluster.name} is back after ${lastSeen(
          now - (row.lastSeenAt ?? row.silentSince),
        )
          .replace("last seen ", "")
          .replace(" ago", "")} of silence`,
        actor: "system",
        at: now,
      }),
    );
    jobIds.push(connect.id);
  }
  await writeBatch(deps.store, statements);
  await deps.dispatcher.dispatch(jobIds);
  return { time: new Date(now).toISOString() };
}

/**
 * Finds agents not heard from for longer than `agentSilentMs` and turns their clusters
 * `Unknown` (`AgentConnected` False, Ready Unknown, both `AgentSilent`): what Fleetplane knows
 * of such a cluster is as old as the agent's last word. Each agent is marked once per silence.
 */
export async function markSilentAgents(deps: Deps): Promise<number> {
  const now = deps.now();
  const silent = await deps.store
    .select()
    .from(clusterAgents)
    .where(
      and(
        isNotNull(clusterAgents.joinedAt),
        isNull(clusterAgents.silentSince),
        lt(clusterAgents.lastSeenAt, now - deps.config.agentSilentMs),
      ),
    )
    .limit(500);
  for (const row of silent) {
    const cluster = await findCluster(deps, row.clusterId);
    const since = row.lastSeenAt ?? row.joinedAt ?? now;
    const stillSilent = sql`EXISTS (SELECT 1 FROM ${clusterAgents}
      WHERE cluster_id = ${row.clusterId} AND silent_since IS NULL AND last_seen_at = ${since})`;
    const statements: Statement[] = [
      deps.store
        .update(clusterAgents)
        .set({ silentSince: now, updatedAt: now })
        .where(and(eq(clusterAgents.clusterId, row.clusterId), isNull(clusterAgents.silentSince))),
    ];
    if (cluster && cluster.deletionRequestedAt === null) {
      const message = `waiting for the agent on ${cluster.name}, ${lastSeen(now - since)}`;
      statements.unshift(
        clusterStatusStatement(deps, cluster, {
          phase: "Unknown",
          conditions: [
            { type: "AgentConnected", status: "False", reason: "AgentSilent", message },
            { type: "Ready", status: "Unknown", reason: "AgentSilent", message },
          ],
        }),
        recordEvent(
          deps.store,
          {
            type: "Warning",
            reason: "AgentSilent",
            resourceType: CLUSTER_KIND,
            resourceId: cluster.id,
            resourceName: cluster.name,
            message: `the agent of cluster ${cluster.name} went silent (${lastSeen(now - since)}); its cluster is Unknown until it is heard again`,
            actor: "system",
            at: now,
          },
          stillSilent,
        ),
      );
    }
    await writeBatch(deps.store, statements);
  }
  return silent.length;
}

/** The statements that forget a cluster's agent (join token, credential, work) with the cluster. */
export function forgetAgent(deps: Pick<Deps, "store">, clusterId: string): Statement[] {
  return [
    deps.store.delete(clusterAgents).where(eq(clusterAgents.clusterId, clusterId)),
    deps.store.delete(agentWork).where(eq(agentWork.clusterId, clusterId)),
  ];
}
