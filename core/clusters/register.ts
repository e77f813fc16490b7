import { clusters } from "../../schema";
import { requireAdmin } from "../access";
import { checkAddonRefs } from "../addons/validate";
import type { AgentJoinGrantValue } from "../agents/spec";
import { newJoinGrant } from "../agents/verbs";
import { createClusterClass, findClusterClass } from "../cluster-classes/verbs";
import type { Condition } from "../conditions";
import type { Ctx } from "../context";
import { AlreadyExistsError, UnprocessableError } from "../errors";
import { recordEvent } from "../events";
import { newId } from "../ids";
import { enqueueJob } from "../jobs/jobs";
import type { JobKind } from "../jobs/kinds";
import { CLUSTER_KIND } from "../kinds";
import { insertRow, type Statement, writeBatch } from "../store";
import { enqueueTenantPlacement } from "../tenants/placement";
import { checkOutboundUrl } from "../url-policy";
import { effectiveCluster, PROVISION_CLUSTER, parseMinor } from "./lifecycle";
import { type ClusterRow, findCluster } from "./read";
import type { ClusterCreateInput, ClusterCredentials } from "./spec";

export const CONNECT_CLUSTER = "connectCluster" satisfies JobKind;

type ClusterClassRow = NonNullable<Awaited<ReturnType<typeof findClusterClass>>>;
type Provider = NonNullable<ClusterCreateInput["provider"]>;
/** The input with its class resolved (named, or the built-in one). */
type ClassedInput = ClusterCreateInput & { class: string };

/**
 * Registers a cluster. The row, its first job and the audit event are one batch (the outbox):
 * either the cluster exists and its work is queued, or nothing was written. Imported clusters
 * are connected to; `eks` and `capi` clusters are provisioned.
 */
export async function registerCluster(ctx: Ctx, given: ClusterCreateInput): Promise<Registered> {
  requireAdmin(ctx, "Creating a cluster");
  const clusterClass = await classFor(ctx, given);
  const input: ClassedInput = { ...given, class: clusterClass.name };
  checkAddonRefs(ctx, input.addons, { layer: "override" });
  const provider = input.provider ?? (clusterClass.provider as Provider);
  if (provider !== clusterClass.provider) {
    throw new UnprocessableError(
      "provider_mismatch",
      `Cluster class ${clusterClass.name} is for provider "${clusterClass.provider}", not "${provider}"`,
      [{ location: "body.provider", message: `must be ${clusterClass.provider} for this class` }],
    );
  }
  if (provider !== "imported") return { row: await registerProvisioned(ctx, input, clusterClass, provider) };
  if (input.connection?.mode === "agent") return registerAgentMode(ctx, input, clusterClass);
  return { row: await registerImported(ctx, input, clusterClass) };
}

/** The class every existing cluster registered without one belongs to. */
export const BUILT_IN_CLASS = "imported";

/**
 * The cluster's class. An existing cluster needs none, as `argocd cluster add` needs nothing
 * beforehand: without `class` it joins the built-in `imported` class (defaults only), created on
 * first use. Provisioned clusters (eks, capi) take their settings from a class, so they name one.
 * The built-in class is written before the cluster is checked, so a registration refused later
 * still leaves it behind: it holds only defaults, and the next registration would make it anyway.
 */
async function classFor(ctx: Ctx, input: ClusterCreateInput): Promise<ClusterClassRow> {
  if (input.class === undefined && input.provider !== undefined && input.provider !== "imported") {
    throw new UnprocessableError("class_required", `A ${input.provider} cluster needs a class with its settings`, [
      { location: "body.class", message: `required for provider ${input.provider}` },
    ]);
  }
  const ref = input.class ?? BUILT_IN_CLASS;
  const found = await findClusterClass(ctx, ref);
  if (found) return found;
  if (input.class === undefined) {
    try {
      return await createClusterClass(ctx, { name: BUILT_IN_CLASS, provider: "imported" });
    } catch (error) {
      // Another registration created it first.
      if (!(error instanceof AlreadyExistsError)) throw error;
      const created = await findClusterClass(ctx, BUILT_IN_CLASS);
      if (created) return created;
      throw error;
    }
  }
  throw new UnprocessableError("invalid_reference", `Cluster class "${ref}" does not exist`, [
    { location: "body.class", message: "no such cluster class" },
  ]);
}

/** A registered cluster, and for an agent-mode one the join token its agent needs (shown once). */
export interface Registered {
  row: ClusterRow;
  join?: AgentJoinGrantValue;
}

/**
 * An imported cluster reached through its agent: nothing to dial and no credentials to keep.
 * It waits for its agent to join with the token the install manifest carries.
 */
async function registerAgentMode(ctx: Ctx, input: ClassedInput, clusterClass: ClusterClassRow) {
  refuseProviderManaged(input);
  await requireFreeName(ctx, input.name);
  const id = newId("cls", ctx.now());
  const { name, labels, connection: _mode, ...rest } = input;
  const row = newClusterRow(ctx, {
    id,
    name,
    labels: labels ?? {},
    spec: { ...rest, provider: "imported", connection: { mode: "agent" } },
    classId: clusterClass.id,
    provider: "imported",
    environment: input.environment,
    region: input.region,
    credentials: null,
    ready: {
      reason: "WaitingForAgent",
      message: `Waiting for the agent to join: kubectl apply -f the manifest at /v1/clusters/${id}/agent-manifest`,
    },
  });
  const { statement, grant } = await newJoinGrant(ctx, id, row.createdAt);
  await insertCluster(ctx, row, `imported cluster ${name} registered; it joins through its agent`, [statement]);
  return { row, join: grant };
}

async function registerImported(ctx: Ctx, input: ClassedInput, clusterClass: ClusterClassRow) {
  const { connection } = input;
  // The schema asks a direct connection for both; an absent connection is caught here.
  if (!connection?.server || !connection.token) {
    throw new UnprocessableError(
      "connection_required",
      "Imported clusters need connection.server and connection.token (or connection.mode: agent)",
      [{ location: "body.connection", message: "required for imported clusters" }],
    );
  }
  refuseProviderManaged(input);
  const server = checkOutboundUrl(connection.server, {
    purpose: "cluster endpoint",
    allow: ctx.config.urlAllow,
    location: "body.connection.server",
  });
  await requireFreeName(ctx, input.name);

  const now = ctx.now();
  const id = newId("cls", now);
  const credentials: ClusterCredentials = { server: server.toString().replace(/\/$/, ""), token: connection.token };
  if (connection.caData) credentials.caData = connection.caData;
  const box = await ctx.secretBox();
  // The cluster id is the associated data, so a sealed blob cannot be moved to another cluster.
  const sealed = await box.seal(JSON.stringify(credentials), id);

  const { name, labels, connection: _writeOnly, ...rest } = input;
  const row = newClusterRow(ctx, {
    id,
    name,
    labels: labels ?? {},
    spec: { ...rest, provider: "imported", connection: { server: connection.server } },
    classId: clusterClass.id,
    provider: "imported",
    environment: input.environment,
    region: input.region,
    credentials: sealed,
    ready: { reason: "Connecting", message: "Waiting for the first connection to the API server" },
  });
  return insertWithFirstJob(ctx, row, CONNECT_CLUSTER, `imported cluster ${name} registered at ${connection.server}`);
}

/**
 * `eks` and `capi`: everything the provisioning function will need is checked here, so a
 * cluster that is accepted can be built (what is left is what only the provider can refuse).
 */
async function registerProvisioned(
  ctx: Ctx,
  input: ClassedInput,
  clusterClass: ClusterClassRow,
  provider: "eks" | "capi",
) {
  if (input.connection !== undefined) {
    throw new UnprocessableError(
      "not_applicable",
      `connection is for imported clusters; ${provider} clusters are reached through their provider`,
      [{ location: "body.connection", message: "not applicable" }],
    );
  }
  const effective = effectiveCluster({ provider, spec: input }, clusterClass);
  if (effective.version !== undefined && !parseMinor(effective.version)) {
    throw new UnprocessableError("invalid_version", `Kubernetes version ${effective.version} is not valid`, [
      { location: "body.version", message: "must look like 1.30" },
    ]);
  }
  if (provider === "eks") {
    const missing: string[] = [];
    if (!effective.eks.roleArn) missing.push("roleArn");
    if (!effective.eks.subnetIds?.length) missing.push("subnetIds");
    if (effective.workers.length > 0 && !effective.eks.nodeRoleArn) missing.push("nodeRoleArn");
    if (missing.length > 0) {
      throw new UnprocessableError(
        "eks_settings_required",
        `EKS needs ${missing.join(", ")}: set them in the class's eks settings or in the cluster's eks overrides`,
        missing.map((field) => ({ location: `body.eks.${field}`, message: "required" })),
      );
    }
  } else {
    if (input.eks !== undefined) {
      throw new UnprocessableError("not_applicable", "eks settings are for provider eks only", [
        { location: "body.eks", message: "not applicable" },
      ]);
    }
    if (!effective.capi) {
      throw new UnprocessableError(
        "capi_settings_required",
        `Cluster class ${clusterClass.name} has no capi settings`,
        [{ location: "body.class", message: "the class needs capi.managementCluster and capi.topologyClass" }],
      );
    }
    const management = await findCluster(ctx, effective.capi.managementCluster);
    if (!management || management.deletionRequestedAt !== null) {
      throw new UnprocessableError(
        "invalid_reference",
        `Management cluster "${effective.capi.managementCluster}" of class ${clusterClass.name} is not in the fleet`,
        [{ location: "body.class", message: "the class's management cluster does not exist" }],
      );
    }
  }
  await requireFreeName(ctx, input.name);

  const now = ctx.now();
  const { name, labels, ...rest } = input;
  const row = newClusterRow(ctx, {
    id: newId("cls", now),
    name,
    labels: labels ?? {},
    spec: { ...rest, provider },
    classId: clusterClass.id,
    provider,
    environment: input.environment,
    region: input.region,
    credentials: null,
    ready: { reason: "Pending", message: "Waiting for provisioning to start" },
  });
  return insertWithFirstJob(ctx, row, PROVISION_CLUSTER, `${provider} cluster ${name} requested`);
}

/** What the owner of an imported cluster manages is not Fleetplane's to set. */
function refuseProviderManaged(input: ClusterCreateInput) {
  for (const field of ["version", "workers", "eks"] as const) {
    if (input[field] !== undefined) {
      throw new UnprocessableError(
        "not_applicable",
        `${field} is managed by the owner of an imported cluster; Fleetplane reports it in status`,
        [{ location: `body.${field}`, message: "not applicable to imported clusters" }],
      );
    }
  }
}

async function requireFreeName(ctx: Ctx, name: string) {
  if (await findCluster(ctx, name)) throw new AlreadyExistsError(`A cluster named "${name}" already exists`);
}

function newClusterRow(
  ctx: Ctx,
  fields: Pick<ClusterRow, "id" | "name" | "labels" | "spec" | "classId" | "provider" | "credentials"> & {
    environment: string | undefined;
    region: string | undefined;
    ready: { reason: string; message: string };
  },
): ClusterRow {
  const now = ctx.now();
  const ready: Condition = {
    type: "Ready",
    status: "Unknown",
    ...fields.ready,
    lastTransitionTime: new Date(now).toISOString(),
  };
  return {
    id: fields.id,
    name: fields.name,
    labels: fields.labels,
    spec: fields.spec,
    status: { phase: "Pending", conditions: [ready], observedGeneration: 0 },
    generation: 1,
    revision: 1,
    createdAt: now,
    updatedAt: now,
    classId: fields.classId,
    provider: fields.provider,
    environment: fields.environment ?? null,
    region: fields.region ?? null,
    phase: "Pending",
    credentials: fields.credentials,
    deletionRequestedAt: null,
  };
}

async function insertWithFirstJob(ctx: Ctx, row: ClusterRow, kind: JobKind, message: string): Promise<ClusterRow> {
  const job = enqueueJob(
    ctx.store,
    ctx.config,
    { kind, clusterId: row.id, resourceType: CLUSTER_KIND, resourceId: row.id },
    row.createdAt,
  );
  // Tenants whose selector matches the new cluster are placed by their own job, committed here.
  const placement = enqueueTenantPlacement(ctx, row.id, row.createdAt);
  await insertCluster(ctx, row, message, [job.insert, placement.insert]);
  await ctx.dispatcher.dispatch([job.id, placement.id]);
  return row;
}

/** The cluster row, what comes with it and its audit event, in one batch. */
async function insertCluster(ctx: Ctx, row: ClusterRow, message: string, withIt: Statement[]): Promise<void> {
  try {
    await writeBatch(ctx.store, [
      insertRow(ctx.store, clusters, row),
      ...withIt,
      recordEvent(ctx.store, {
        reason: "Registered",
        resourceType: CLUSTER_KIND,
        resourceId: row.id,
        resourceName: row.name,
        message,
        actor: ctx.principal,
        requestId: ctx.requestId,
        at: row.createdAt,
      }),
    ]);
  } catch (error) {
    // Two creates racing past the name check: the unique index decides.
    if (await findCluster(ctx, row.name)) throw new AlreadyExistsError(`A cluster named "${row.name}" already exists`);
    throw error;
  }
}
