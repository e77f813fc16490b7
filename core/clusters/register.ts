import { clusters } from "../../schema";
import { requireAdmin } from "../access";
import { findClusterClass } from "../cluster-classes/verbs";
import type { Ctx } from "../context";
import { AlreadyExistsError, NotSupportedError, UnprocessableError } from "../errors";
import { recordEvent } from "../events";
import { newId } from "../ids";
import { enqueueJob } from "../jobs/jobs";
import { writeBatch } from "../store";
import { checkOutboundUrl } from "../url-policy";
import { CLUSTER_KIND, type ClusterRow, findCluster } from "./read";
import type { ClusterCreateInput, ClusterCredentials } from "./spec";

export const CONNECT_CLUSTER = "connectCluster";

/**
 * Registers a cluster. The row, its first job and the audit event are one batch (the outbox):
 * either the cluster exists and its work is queued, or nothing was written.
 */
export async function registerCluster(ctx: Ctx, input: ClusterCreateInput): Promise<ClusterRow> {
  requireAdmin(ctx, "Creating a cluster");
  const clusterClass = await findClusterClass(ctx, input.class);
  if (!clusterClass) {
    throw new UnprocessableError("invalid_reference", `Cluster class "${input.class}" does not exist`, [
      { location: "body.class", message: "no such cluster class" },
    ]);
  }
  const provider = input.provider ?? (clusterClass.provider as ClusterCreateInput["provider"] & string);
  if (provider !== clusterClass.provider) {
    throw new UnprocessableError(
      "provider_mismatch",
      `Cluster class ${clusterClass.name} is for provider "${clusterClass.provider}", not "${provider}"`,
      [{ location: "body.provider", message: `must be ${clusterClass.provider} for this class` }],
    );
  }
  if (provider !== "imported") {
    throw new NotSupportedError(
      `Provider "${provider}" is not yet supported: provisioning arrives with the cluster lifecycle; register existing clusters with provider "imported"`,
      [{ location: "body.provider", message: "not yet supported" }],
    );
  }
  const { connection } = input;
  if (!connection) {
    throw new UnprocessableError(
      "connection_required",
      "Imported clusters need connection.server and connection.token",
      [{ location: "body.connection", message: "required for imported clusters" }],
    );
  }
  for (const field of ["version", "workers"] as const) {
    if (input[field] !== undefined) {
      throw new UnprocessableError(
        "not_applicable",
        `${field} is managed by the owner of an imported cluster; Fleetplane reports it in status`,
        [{ location: `body.${field}`, message: "not applicable to imported clusters" }],
      );
    }
  }
  const server = checkOutboundUrl(connection.server, {
    purpose: "cluster endpoint",
    allow: ctx.config.urlAllow,
    location: "body.connection.server",
  });
  if (await findCluster(ctx, input.name)) {
    throw new AlreadyExistsError(`A cluster named "${input.name}" already exists`);
  }

  const now = ctx.now();
  const id = newId("cls", now);
  const credentials: ClusterCredentials = { server: server.toString().replace(/\/$/, ""), token: connection.token };
  if (connection.caData) credentials.caData = connection.caData;
  const box = await ctx.secretBox();
  // The cluster id is the associated data, so a sealed blob cannot be moved to another cluster.
  const sealed = await box.seal(JSON.stringify(credentials), id);

  const { name, labels, connection: _writeOnly, ...rest } = input;
  const spec = { ...rest, provider, connection: { server: connection.server } };
  const row: ClusterRow = {
    id,
    name,
    labels: labels ?? {},
    spec,
    status: {
      phase: "Pending",
      conditions: [
        {
          type: "Ready",
          status: "Unknown",
          reason: "Connecting",
          message: "Waiting for the first connection to the API server",
          lastTransitionTime: new Date(now).toISOString(),
        },
      ],
      observedGeneration: 0,
    },
    generation: 1,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    classId: clusterClass.id,
    provider,
    environment: input.environment ?? null,
    region: input.region ?? null,
    phase: "Pending",
    credentials: sealed,
    deletionRequestedAt: null,
  };
  const job = enqueueJob(
    ctx.store,
    ctx.config,
    { kind: CONNECT_CLUSTER, clusterId: id, resourceType: CLUSTER_KIND, resourceId: id },
    now,
  );
  try {
    await writeBatch(ctx.store, [
      ctx.store.insert(clusters).values(row),
      job.insert,
      recordEvent(ctx.store, {
        reason: "Registered",
        resourceType: CLUSTER_KIND,
        resourceId: id,
        resourceName: name,
        message: `imported cluster ${name} registered at ${connection.server}`,
        actor: ctx.principal,
        requestId: ctx.requestId,
        at: now,
      }),
    ]);
  } catch (error) {
    if (await findCluster(ctx, input.name))
      throw new AlreadyExistsError(`A cluster named "${input.name}" already exists`);
    throw error;
  }
  await ctx.dispatcher.dispatch([job.id]);
  return row;
}
