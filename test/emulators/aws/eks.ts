/**
 * Amazon EKS, `restJson1` protocol: clusters, managed nodegroups and updates.
 *
 * Asynchronous behaviour (CREATING → ACTIVE, update InProgress → Successful,
 * DELETING → gone) is driven by timestamps and settled lazily whenever the
 * state is looked at — by a request or by a test reading `emu.eks.*`. There
 * are no timers, so nothing leaks between tests and a slow CI machine can
 * only make things *later*, never out of order.
 *
 * Paths, member names and error codes follow the SDK's schema for EKS
 * (`@aws-sdk/client-eks`), e.g. `POST /clusters/{name}/updates` for
 * UpdateClusterVersion and 409 `ResourceInUseException`.
 */
import { randomUUID } from "node:crypto";
import type { EmulatorContext } from "./context";
import {
  AwsError,
  epochSeconds,
  optBoolean,
  optInteger,
  optObject,
  optString,
  optStringList,
  optStringMap,
  paginate,
  parseJsonObject,
  randomHex,
  reqString,
  restJson,
  restJsonError,
  type WireRequest,
  type WireResponse,
} from "./protocol";
import type { ServiceFrontend } from "./service";
import type { SigV4FailureKind } from "./sigv4";

/** Kubernetes versions the emulated EKS offers, oldest first. */
export const EKS_KUBERNETES_VERSIONS = [
  "1.28",
  "1.29",
  "1.30",
  "1.31",
  "1.32",
  "1.33",
  "1.34",
  "1.35",
  "1.36",
] as const;
/** What CreateCluster picks when no version is given (EKS's default lags the newest). */
export const EKS_DEFAULT_KUBERNETES_VERSION = "1.34";

/** HTTP status of each EKS error, from the `@httpError` traits in the EKS model. */
const EKS_ERROR_STATUS: Record<string, number> = {
  AccessDeniedException: 403,
  BadRequestException: 400,
  ClientException: 400,
  InvalidParameterException: 400,
  InvalidRequestException: 400,
  InvalidStateException: 400,
  NotFoundException: 404,
  ResourceInUseException: 409,
  ResourceLimitExceededException: 400,
  ResourceNotFoundException: 404,
  ResourcePropagationDelayException: 428,
  ServerException: 500,
  ServiceUnavailableException: 503,
  ThrottlingException: 429,
  UnsupportedAvailabilityZoneException: 400,
  // Not in the model: answered by AWS's front door before EKS proper.
  UnknownOperationException: 404,
  SerializationException: 400,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 400,
  InvalidSignatureException: 403,
};

export function eksError(code: string, message: string, fields: Record<string, unknown> = {}): AwsError {
  return new AwsError(code, message, EKS_ERROR_STATUS[code] ?? 400, fields);
}

const invalidParameter = (message: string, fields: Record<string, unknown> = {}) =>
  eksError("InvalidParameterException", message, fields);

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

export type ClusterStatus = "CREATING" | "ACTIVE" | "UPDATING" | "DELETING" | "FAILED";
export type NodegroupStatus = "CREATING" | "ACTIVE" | "UPDATING" | "DELETING";
export type UpdateStatus = "InProgress" | "Successful" | "Failed" | "Cancelled";

export interface Issue {
  code: string;
  message: string;
  resourceIds: string[];
}

export interface EksCluster {
  name: string;
  arn: string;
  /** ms since epoch */
  createdAt: number;
  version: string;
  platformVersion: string;
  roleArn: string;
  status: ClusterStatus;
  resourcesVpcConfig: {
    subnetIds: string[];
    securityGroupIds: string[];
    clusterSecurityGroupId: string;
    vpcId: string;
    endpointPublicAccess: boolean;
    endpointPrivateAccess: boolean;
    publicAccessCidrs: string[];
  };
  kubernetesNetworkConfig: { serviceIpv4Cidr: string; ipFamily: string; elasticLoadBalancing: { enabled: boolean } };
  logging: unknown;
  accessConfig: { authenticationMode: string; bootstrapClusterCreatorAdminPermissions: boolean };
  upgradePolicy: { supportType: string };
  tags: Record<string, string>;
  /** API server URL; reported once the cluster has been provisioned. */
  endpoint: string;
  certificateAuthorityData: string;
  oidcIssuer: string;
  health: { issues: Issue[] };
  clientRequestToken?: string;
  /** Whether the cluster ever became ACTIVE (decides whether endpoint/CA are reported). */
  provisioned: boolean;
  /** End of the current CREATING or DELETING phase (ms since epoch). */
  phaseEndsAt?: number;
  /** Set at creation when `faults.failClusterDuringCreate` named this cluster. */
  failsCreation: boolean;
}

export interface EksNodegroup {
  nodegroupName: string;
  nodegroupArn: string;
  clusterName: string;
  version: string;
  releaseVersion: string;
  createdAt: number;
  modifiedAt: number;
  status: NodegroupStatus;
  capacityType: string;
  scalingConfig: { minSize: number; maxSize: number; desiredSize: number };
  instanceTypes: string[];
  subnets: string[];
  amiType: string;
  nodeRole: string;
  labels: Record<string, string>;
  taints: unknown[];
  diskSize: number;
  tags: Record<string, string>;
  updateConfig: { maxUnavailable?: number; maxUnavailablePercentage?: number };
  autoScalingGroupName: string;
  health: { issues: Issue[] };
  clientRequestToken?: string;
  provisioned: boolean;
  phaseEndsAt?: number;
}

/** What an update does to its resource when it completes. */
export type UpdateEffect =
  | { kind: "cluster-version"; version: string }
  | { kind: "nodegroup-version"; version: string; releaseVersion: string }
  | {
      kind: "nodegroup-config";
      scalingConfig?: EksNodegroup["scalingConfig"];
      addOrUpdateLabels?: Record<string, string>;
      removeLabels?: string[];
      updateConfig?: EksNodegroup["updateConfig"];
    };

export interface EksUpdate {
  id: string;
  clusterName: string;
  nodegroupName?: string;
  type: "VersionUpdate" | "ConfigUpdate";
  status: UpdateStatus;
  params: Array<{ type: string; value: string }>;
  createdAt: number;
  completesAt: number;
  errors: unknown[];
  clientRequestToken?: string;
  effect: UpdateEffect;
}

/**
 * All EKS resources of one emulator. The public getters settle due
 * transitions first, so tests always read the state a DescribeX would show.
 */
export class EksState {
  private readonly clusterMap = new Map<string, EksCluster>();
  /** clusterName → nodegroupName → nodegroup */
  private readonly nodegroupMap = new Map<string, Map<string, EksNodegroup>>();
  private readonly updateMap = new Map<string, EksUpdate>();

  get clusters(): Map<string, EksCluster> {
    this.settle(Date.now());
    return this.clusterMap;
  }

  get nodegroups(): Map<string, Map<string, EksNodegroup>> {
    this.settle(Date.now());
    return this.nodegroupMap;
  }

  get updates(): Map<string, EksUpdate> {
    this.settle(Date.now());
    return this.updateMap;
  }

  clear(): void {
    this.clusterMap.clear();
    this.nodegroupMap.clear();
    this.updateMap.clear();
  }

  /** Applies every transition due at `now`, in the order they became due. */
  settle(now: number): void {
    const dueUpdates = [...this.updateMap.values()]
      .filter((u) => u.status === "InProgress" && u.completesAt <= now)
      .sort((a, b) => a.completesAt - b.completesAt);
    for (const update of dueUpdates) this.completeUpdate(update);

    for (const [clusterName, nodegroups] of this.nodegroupMap) {
      for (const [name, ng] of nodegroups) {
        if (ng.phaseEndsAt === undefined || ng.phaseEndsAt > now) continue;
        if (ng.status === "CREATING") {
          Object.assign(ng, {
            status: "ACTIVE",
            provisioned: true,
            modifiedAt: ng.phaseEndsAt,
            phaseEndsAt: undefined,
          });
        } else if (ng.status === "DELETING") {
          nodegroups.delete(name);
          for (const [id, u] of this.updateMap) {
            if (u.clusterName === clusterName && u.nodegroupName === name) this.updateMap.delete(id);
          }
        }
      }
    }

    for (const [name, cluster] of this.clusterMap) {
      if (cluster.phaseEndsAt === undefined || cluster.phaseEndsAt > now) continue;
      if (cluster.status === "CREATING") {
        cluster.phaseEndsAt = undefined;
        if (cluster.failsCreation) {
          cluster.status = "FAILED";
          cluster.health.issues.push({
            code: "InsufficientFreeAddresses",
            message:
              "One or more of the subnets specified does not have enough free IP addresses to create the cluster.",
            resourceIds: [...cluster.resourcesVpcConfig.subnetIds],
          });
        } else {
          cluster.status = "ACTIVE";
          cluster.provisioned = true;
        }
      } else if (cluster.status === "DELETING") {
        this.clusterMap.delete(name);
        this.nodegroupMap.delete(name);
        for (const [id, u] of this.updateMap) if (u.clusterName === name) this.updateMap.delete(id);
      }
    }
  }

  private completeUpdate(update: EksUpdate): void {
    update.status = "Successful";
    const effect = update.effect;
    if (effect.kind === "cluster-version") {
      const cluster = this.clusterMap.get(update.clusterName);
      if (cluster) Object.assign(cluster, { version: effect.version, platformVersion: "eks.1", status: "ACTIVE" });
      return;
    }
    const ng = this.nodegroupMap.get(update.clusterName)?.get(update.nodegroupName ?? "");
    if (!ng) return;
    ng.status = "ACTIVE";
    ng.modifiedAt = update.completesAt;
    if (effect.kind === "nodegroup-version") {
      ng.version = effect.version;
      ng.releaseVersion = effect.releaseVersion;
    } else {
      if (effect.scalingConfig) ng.scalingConfig = effect.scalingConfig;
      if (effect.updateConfig) ng.updateConfig = effect.updateConfig;
      if (effect.addOrUpdateLabels) Object.assign(ng.labels, effect.addOrUpdateLabels);
      for (const key of effect.removeLabels ?? []) delete ng.labels[key];
    }
  }

  // Raw accessors for the API handlers, which settle once per request themselves.
  get rawClusters(): Map<string, EksCluster> {
    return this.clusterMap;
  }
  /** Nodegroups of a cluster (an empty, detached map when it has none). */
  rawNodegroupsOf(clusterName: string): ReadonlyMap<string, EksNodegroup> {
    return this.nodegroupMap.get(clusterName) ?? new Map();
  }
  addNodegroup(ng: EksNodegroup): void {
    let map = this.nodegroupMap.get(ng.clusterName);
    if (!map) {
      map = new Map();
      this.nodegroupMap.set(ng.clusterName, map);
    }
    map.set(ng.nodegroupName, ng);
  }
  get rawUpdates(): Map<string, EksUpdate> {
    return this.updateMap;
  }
}

// ---------------------------------------------------------------------------
// Wire shapes
// ---------------------------------------------------------------------------

function clusterShape(c: EksCluster): Record<string, unknown> {
  return {
    name: c.name,
    arn: c.arn,
    createdAt: epochSeconds(c.createdAt),
    version: c.version,
    platformVersion: c.platformVersion,
    roleArn: c.roleArn,
    status: c.status,
    resourcesVpcConfig: c.resourcesVpcConfig,
    kubernetesNetworkConfig: c.kubernetesNetworkConfig,
    logging: c.logging,
    accessConfig: c.accessConfig,
    upgradePolicy: c.upgradePolicy,
    tags: c.tags,
    health: c.health,
    ...(c.clientRequestToken ? { clientRequestToken: c.clientRequestToken } : {}),
    // While CREATING (and if creation FAILED) EKS has no API server to report.
    ...(c.provisioned
      ? {
          endpoint: c.endpoint,
          certificateAuthority: { data: c.certificateAuthorityData },
          identity: { oidc: { issuer: c.oidcIssuer } },
        }
      : { certificateAuthority: {} }),
  };
}

function nodegroupShape(ng: EksNodegroup): Record<string, unknown> {
  return {
    nodegroupName: ng.nodegroupName,
    nodegroupArn: ng.nodegroupArn,
    clusterName: ng.clusterName,
    version: ng.version,
    releaseVersion: ng.releaseVersion,
    createdAt: epochSeconds(ng.createdAt),
    modifiedAt: epochSeconds(ng.modifiedAt),
    status: ng.status,
    capacityType: ng.capacityType,
    scalingConfig: ng.scalingConfig,
    instanceTypes: ng.instanceTypes,
    subnets: ng.subnets,
    amiType: ng.amiType,
    nodeRole: ng.nodeRole,
    labels: ng.labels,
    ...(ng.taints.length > 0 ? { taints: ng.taints } : {}),
    diskSize: ng.diskSize,
    tags: ng.tags,
    updateConfig: ng.updateConfig,
    health: ng.health,
    ...(ng.provisioned ? { resources: { autoScalingGroups: [{ name: ng.autoScalingGroupName }] } } : {}),
  };
}

function updateShape(u: EksUpdate): Record<string, unknown> {
  return {
    id: u.id,
    status: u.status,
    type: u.type,
    params: u.params,
    createdAt: epochSeconds(u.createdAt),
    errors: u.errors,
  };
}

// ---------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const NODEGROUP_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SUBNET_ID = /^subnet-[0-9a-f]+$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]+$/;

function minorOf(version: string): number | undefined {
  const m = /^1\.(\d+)$/.exec(version);
  return m ? Number(m[1]) : undefined;
}

function isSupportedVersion(version: string): boolean {
  return (EKS_KUBERNETES_VERSIONS as readonly string[]).includes(version);
}

function validateSubnets(subnetIds: string[], fields: Record<string, unknown>): void {
  for (const id of subnetIds) {
    if (!SUBNET_ID.test(id)) {
      throw invalidParameter(
        `The subnet ID '${id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)`,
        fields,
      );
    }
  }
}

function validateScaling(sc: EksNodegroup["scalingConfig"], fields: Record<string, unknown>): void {
  const { minSize, maxSize, desiredSize } = sc;
  if (minSize < 0) throw invalidParameter("Minimum capacity must be greater than or equal to 0", fields);
  if (maxSize < 1) throw invalidParameter("Maximum capacity must be greater than or equal to 1", fields);
  if (minSize > maxSize)
    throw invalidParameter(`Minimum capacity ${minSize} can't be greater than max size ${maxSize}`, fields);
  if (desiredSize < minSize || desiredSize > maxSize) {
    throw invalidParameter(
      `Desired capacity ${desiredSize} can't be less than min size ${minSize} or greater than max size ${maxSize}`,
      fields,
    );
  }
}

function readScaling(
  raw: Record<string, unknown> | undefined,
  base: EksNodegroup["scalingConfig"],
): EksNodegroup["scalingConfig"] {
  if (!raw) return base;
  return {
    minSize: optInteger(raw, "minSize", invalidParameter) ?? base.minSize,
    maxSize: optInteger(raw, "maxSize", invalidParameter) ?? base.maxSize,
    desiredSize: optInteger(raw, "desiredSize", invalidParameter) ?? base.desiredSize,
  };
}

/** AMI release versions look like `1.31.3-20250103`: Kubernetes patch release + AMI build date. */
function releaseVersionFor(version: string, now: number): string {
  const date = new Date(now).toISOString().slice(0, 10).replace(/-/g, "");
  return `${version}.0-${date}`;
}

/** EKS list calls return at most 100 items per page unless asked for fewer. */
function queryMaxResults(req: WireRequest): number | undefined {
  const raw = req.query.get("maxResults");
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw invalidParameter("maxResults must be an integer between 1 and 100");
  }
  return n;
}

const badToken = () => invalidParameter("The nextToken provided is invalid.");

// ---------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------

type Handler = (req: WireRequest, params: string[]) => Promise<unknown> | unknown;

interface Route {
  method: string;
  pattern: RegExp;
  operation: string;
  handler: Handler;
  /** Body member naming the resource a create call is about (for the request log). */
  bodyTarget?: string;
}

export class EksApi implements ServiceFrontend {
  readonly name = "eks" as const;
  readonly signingName = "eks";
  private readonly routes: Route[];

  constructor(
    private readonly ctx: EmulatorContext,
    readonly state: EksState,
  ) {
    const seg = "([^/]+)";
    const route = (method: string, path: string, operation: string, handler: Handler, bodyTarget?: string): Route => ({
      method,
      pattern: new RegExp(`^${path.replace(/\{\w+\}/g, seg)}$`),
      operation,
      handler,
      ...(bodyTarget ? { bodyTarget } : {}),
    });
    this.routes = [
      route("POST", "/clusters", "CreateCluster", (r) => this.createCluster(r), "name"),
      route("GET", "/clusters", "ListClusters", (r) => this.listClusters(r)),
      route("GET", "/clusters/{name}", "DescribeCluster", (r, [n]) => this.describeCluster(r, n as string)),
      route("DELETE", "/clusters/{name}", "DeleteCluster", (r, [n]) => this.deleteCluster(r, n as string)),
      route("POST", "/clusters/{name}/updates", "UpdateClusterVersion", (r, [n]) =>
        this.updateClusterVersion(r, n as string),
      ),
      route("GET", "/clusters/{name}/updates", "ListUpdates", (r, [n]) => this.listUpdates(r, n as string)),
      route("GET", "/clusters/{name}/updates/{updateId}", "DescribeUpdate", (r, [n, u]) =>
        this.describeUpdate(r, n as string, u as string),
      ),
      route(
        "POST",
        "/clusters/{name}/node-groups",
        "CreateNodegroup",
        (r, [n]) => this.createNodegroup(r, n as string),
        "nodegroupName",
      ),
      route("GET", "/clusters/{name}/node-groups", "ListNodegroups", (r, [n]) => this.listNodegroups(r, n as string)),
      route("GET", "/clusters/{name}/node-groups/{ng}", "DescribeNodegroup", (r, [n, g]) =>
        this.describeNodegroup(r, n as string, g as string),
      ),
      route("DELETE", "/clusters/{name}/node-groups/{ng}", "DeleteNodegroup", (r, [n, g]) =>
        this.deleteNodegroup(r, n as string, g as string),
      ),
      route("POST", "/clusters/{name}/node-groups/{ng}/update-version", "UpdateNodegroupVersion", (r, [n, g]) =>
        this.updateNodegroupVersion(r, n as string, g as string),
      ),
      route("POST", "/clusters/{name}/node-groups/{ng}/update-config", "UpdateNodegroupConfig", (r, [n, g]) =>
        this.updateNodegroupConfig(r, n as string, g as string),
      ),
    ];
  }

  /** EKS owns every REST path under /clusters (its other resources live there too). */
  match(req: WireRequest) {
    if (req.headers["x-amz-target"] !== undefined) return undefined;
    if (!/^\/clusters(\/|$)/.test(req.rawPath)) return undefined;
    for (const route of this.routes) {
      if (route.method !== req.method) continue;
      const m = route.pattern.exec(req.rawPath);
      if (!m) continue;
      const params = m.slice(1).map(decodePathLabel);
      const targetParts = route.bodyTarget ? [...params, peekMember(req.body, route.bodyTarget)] : params;
      const target = targetParts.filter((p) => p !== undefined && p !== "").join("/");
      return {
        operation: route.operation,
        ...(target ? { target } : {}),
        handle: async (): Promise<WireResponse> => {
          this.state.settle(req.now);
          return restJson(await route.handler(req, params));
        },
      };
    }
    return {
      operation: "UnknownOperation",
      handle: async (): Promise<WireResponse> => {
        throw eksError("UnknownOperationException", `The emulator does not implement ${req.method} ${req.rawPath}`);
      },
    };
  }

  renderError(err: AwsError): WireResponse {
    return restJsonError(err);
  }

  throttlingError(): AwsError {
    return eksError("ThrottlingException", "Rate exceeded");
  }

  internalError(message: string): AwsError {
    return eksError("ServerException", message);
  }

  authError(kind: SigV4FailureKind, message: string): AwsError {
    if (kind === "missing") return eksError("MissingAuthenticationTokenException", message);
    if (kind === "incomplete") return eksError("IncompleteSignatureException", message);
    return eksError("InvalidSignatureException", message);
  }

  // --- lookups ------------------------------------------------------------

  private cluster(name: string): EksCluster {
    const cluster = this.state.rawClusters.get(name);
    if (!cluster) {
      throw eksError("ResourceNotFoundException", `No cluster found for name: ${name}.`, { clusterName: name });
    }
    return cluster;
  }

  private nodegroup(clusterName: string, name: string): EksNodegroup {
    this.cluster(clusterName);
    const ng = this.state.rawNodegroupsOf(clusterName).get(name);
    if (!ng) {
      throw eksError("ResourceNotFoundException", `No node group found for name: ${name}.`, {
        clusterName,
        nodegroupName: name,
      });
    }
    return ng;
  }

  /** Mutations need a settled, ACTIVE cluster; say why not in EKS's terms. */
  private requireActiveCluster(cluster: EksCluster): void {
    if (cluster.status === "ACTIVE") return;
    const fields = { clusterName: cluster.name };
    if (cluster.status === "UPDATING") {
      const update = [...this.state.rawUpdates.values()].find(
        (u) => u.clusterName === cluster.name && !u.nodegroupName && u.status === "InProgress",
      );
      throw eksError(
        "ResourceInUseException",
        `Cluster ${cluster.name} currently has update ${update?.id ?? ""} in progress`,
        fields,
      );
    }
    if (cluster.status === "FAILED") {
      throw eksError("InvalidRequestException", `Cluster ${cluster.name} is in FAILED state`, fields);
    }
    throw eksError("ResourceInUseException", `Cluster ${cluster.name} is in ${cluster.status} state`, fields);
  }

  private requireActiveNodegroup(ng: EksNodegroup): void {
    if (ng.status === "ACTIVE") return;
    throw eksError("ResourceInUseException", `Nodegroup ${ng.nodegroupName} is in ${ng.status} state`, {
      clusterName: ng.clusterName,
      nodegroupName: ng.nodegroupName,
    });
  }

  private findUpdateByToken(clusterName: string, nodegroupName: string | undefined, token: string | undefined) {
    if (!token) return undefined;
    return [...this.state.rawUpdates.values()].find(
      (u) => u.clusterName === clusterName && u.nodegroupName === nodegroupName && u.clientRequestToken === token,
    );
  }

  private startUpdate(
    req: WireRequest,
    fields: Pick<EksUpdate, "clusterName" | "nodegroupName" | "type" | "params" | "effect" | "clientRequestToken">,
  ): EksUpdate {
    const update: EksUpdate = {
      id: randomUUID(),
      status: "InProgress",
      createdAt: req.now,
      completesAt: req.now + this.ctx.timeScale.updateMs,
      errors: [],
      ...fields,
    };
    this.state.rawUpdates.set(update.id, update);
    return update;
  }

  // --- clusters -------------------------------------------------------------

  private async createCluster(req: WireRequest) {
    const input = parseJsonObject(req.body, (m) => eksError("SerializationException", m));
    const name = reqString(input, "name", invalidParameter);
    const fields = { clusterName: name };
    if (!CLUSTER_NAME.test(name)) {
      throw invalidParameter(
        `The cluster name '${name}' is invalid: it must start with an alphanumeric character, contain only alphanumerics, hyphens and underscores, and be at most 100 characters.`,
        fields,
      );
    }
    const roleArn = reqString(input, "roleArn", invalidParameter);
    if (!ROLE_ARN.test(roleArn)) throw invalidParameter(`Role ARN ${roleArn} is not a valid IAM role ARN.`, fields);

    const vpc = optObject(input, "resourcesVpcConfig", invalidParameter);
    if (!vpc) throw invalidParameter("resourcesVpcConfig is required.", fields);
    const subnetIds = optStringList(vpc, "subnetIds", invalidParameter) ?? [];
    // Real EKS needs subnets in two availability zones; two subnets is the observable minimum.
    if (subnetIds.length < 2) throw invalidParameter("Subnets specified must be in at least two different AZs", fields);
    validateSubnets(subnetIds, fields);
    const securityGroupIds = optStringList(vpc, "securityGroupIds", invalidParameter) ?? [];
    for (const id of securityGroupIds) {
      if (!SECURITY_GROUP_ID.test(id)) {
        throw invalidParameter(
          `The security group '${id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)`,
          fields,
        );
      }
    }

    const version = optString(input, "version", invalidParameter) ?? EKS_DEFAULT_KUBERNETES_VERSION;
    if (!isSupportedVersion(version)) throw invalidParameter(`unsupported Kubernetes version ${version}`, fields);

    const token = optString(input, "clientRequestToken", invalidParameter);
    const existing = this.state.rawClusters.get(name);
    if (existing) {
      // Same idempotency token ⇒ this is a retry of the call that created it.
      if (token && existing.clientRequestToken === token) return { cluster: clusterShape(existing) };
      throw eksError("ResourceInUseException", `Cluster already exists with name: ${name}`, fields);
    }

    const fault = this.ctx.faults.failCreateCluster;
    if (fault) throw eksError(fault.code, fault.message, fields);

    const access = optObject(input, "accessConfig", invalidParameter) ?? {};
    const network = optObject(input, "kubernetesNetworkConfig", invalidParameter) ?? {};
    const upgradePolicy = optObject(input, "upgradePolicy", invalidParameter) ?? {};
    const clusterId = randomHex(32).toUpperCase();
    const provided = await this.ctx.clusterEndpoint?.(name);

    const cluster: EksCluster = {
      name,
      arn: `arn:aws:eks:${this.ctx.region}:${this.ctx.accountId}:cluster/${name}`,
      createdAt: req.now,
      version,
      platformVersion: "eks.1",
      roleArn,
      status: "CREATING",
      resourcesVpcConfig: {
        subnetIds,
        securityGroupIds,
        clusterSecurityGroupId: `sg-${randomHex(17)}`,
        vpcId: `vpc-${randomHex(17)}`,
        endpointPublicAccess: optBoolean(vpc, "endpointPublicAccess", invalidParameter) ?? true,
        endpointPrivateAccess: optBoolean(vpc, "endpointPrivateAccess", invalidParameter) ?? false,
        publicAccessCidrs: optStringList(vpc, "publicAccessCidrs", invalidParameter) ?? ["0.0.0.0/0"],
      },
      kubernetesNetworkConfig: {
        serviceIpv4Cidr: optString(network, "serviceIpv4Cidr", invalidParameter) ?? "10.100.0.0/16",
        ipFamily: optString(network, "ipFamily", invalidParameter) ?? "ipv4",
        elasticLoadBalancing: { enabled: false },
      },
      logging: input.logging ?? {
        clusterLogging: [
          { types: ["api", "audit", "authenticator", "controllerManager", "scheduler"], enabled: false },
        ],
      },
      accessConfig: {
        // CreateCluster's documented API default (the console defaults differently).
        authenticationMode: optString(access, "authenticationMode", invalidParameter) ?? "CONFIG_MAP",
        bootstrapClusterCreatorAdminPermissions:
          optBoolean(access, "bootstrapClusterCreatorAdminPermissions", invalidParameter) ?? true,
      },
      upgradePolicy: { supportType: optString(upgradePolicy, "supportType", invalidParameter) ?? "EXTENDED" },
      tags: optStringMap(input, "tags", invalidParameter) ?? {},
      endpoint: provided?.endpoint ?? `https://${clusterId}.gr7.${this.ctx.region}.eks.amazonaws.com`,
      certificateAuthorityData: provided?.certificateAuthorityData ?? (await generateClusterCa()),
      oidcIssuer: `https://oidc.eks.${this.ctx.region}.amazonaws.com/id/${clusterId}`,
      health: { issues: [] },
      ...(token ? { clientRequestToken: token } : {}),
      provisioned: false,
      phaseEndsAt: req.now + this.ctx.timeScale.clusterCreateMs,
      failsCreation: this.ctx.faults.failClusterDuringCreate === name,
    };
    this.state.rawClusters.set(name, cluster);
    return { cluster: clusterShape(cluster) };
  }

  private listClusters(req: WireRequest) {
    const names = [...this.state.rawClusters.keys()];
    const { page, nextToken } = paginate(
      names,
      queryMaxResults(req) ?? 100,
      req.query.get("nextToken") ?? undefined,
      badToken,
    );
    return { clusters: page, ...(nextToken ? { nextToken } : {}) };
  }

  private describeCluster(_req: WireRequest, name: string) {
    return { cluster: clusterShape(this.cluster(name)) };
  }

  private deleteCluster(req: WireRequest, name: string) {
    const cluster = this.cluster(name);
    const fields = { clusterName: name };
    if (cluster.status === "DELETING") return { cluster: clusterShape(cluster) };
    // EKS refuses to orphan managed nodegroups: they must be deleted first.
    if (this.state.rawNodegroupsOf(name).size > 0) {
      throw eksError("ResourceInUseException", "Cluster has nodegroups attached", fields);
    }
    if (cluster.status === "CREATING" || cluster.status === "UPDATING") this.requireActiveCluster(cluster);
    Object.assign(cluster, { status: "DELETING", phaseEndsAt: req.now + this.ctx.timeScale.deleteMs });
    return { cluster: clusterShape(cluster) };
  }

  private updateClusterVersion(req: WireRequest, name: string) {
    const cluster = this.cluster(name);
    const fields = { clusterName: name };
    const input = parseJsonObject(req.body, (m) => eksError("SerializationException", m));
    const version = reqString(input, "version", invalidParameter);
    const token = optString(input, "clientRequestToken", invalidParameter);
    const force = optBoolean(input, "force", invalidParameter) ?? false;

    const retried = this.findUpdateByToken(name, undefined, token);
    if (retried) return { update: updateShape(retried) };
    this.requireActiveCluster(cluster);

    // The control plane moves one minor version at a time, forwards only.
    const from = minorOf(cluster.version);
    const to = minorOf(version);
    if (!isSupportedVersion(version) || from === undefined || to !== from + 1) {
      throw invalidParameter(
        `Unsupported Kubernetes minor version update from ${cluster.version} to ${version}`,
        fields,
      );
    }
    // Upgrade readiness: EKS blocks a control-plane upgrade while managed
    // nodegroups still run an older version than the control plane (the
    // upgrade would leave kubelets two minors behind). `force` overrides
    // upgrade-blocking readiness checks, as in the real API.
    const behind = [...this.state.rawNodegroupsOf(name).values()].filter((ng) => ng.version !== cluster.version);
    if (behind.length > 0 && !force) {
      throw eksError(
        "InvalidRequestException",
        `Nodegroups [${behind.map((ng) => ng.nodegroupName).join(", ")}] must be on Kubernetes version ${cluster.version} before the cluster can be updated to ${version}`,
        fields,
      );
    }

    const update = this.startUpdate(req, {
      clusterName: name,
      type: "VersionUpdate",
      params: [
        { type: "Version", value: version },
        { type: "PlatformVersion", value: "eks.1" },
      ],
      effect: { kind: "cluster-version", version },
      ...(token ? { clientRequestToken: token } : {}),
    });
    cluster.status = "UPDATING";
    return { update: updateShape(update) };
  }

  private describeUpdate(req: WireRequest, name: string, updateId: string) {
    this.cluster(name);
    const nodegroupName = req.query.get("nodegroupName") ?? undefined;
    if (nodegroupName !== undefined) this.nodegroup(name, nodegroupName);
    const update = this.state.rawUpdates.get(updateId);
    if (!update || update.clusterName !== name || update.nodegroupName !== nodegroupName) {
      throw eksError("ResourceNotFoundException", `No update found for ID: ${updateId}.`, {
        clusterName: name,
        ...(nodegroupName ? { nodegroupName } : {}),
      });
    }
    return { update: updateShape(update) };
  }

  private listUpdates(req: WireRequest, name: string) {
    this.cluster(name);
    const nodegroupName = req.query.get("nodegroupName") ?? undefined;
    if (nodegroupName !== undefined) this.nodegroup(name, nodegroupName);
    const ids = [...this.state.rawUpdates.values()]
      .filter((u) => u.clusterName === name && u.nodegroupName === nodegroupName)
      .map((u) => u.id);
    const { page, nextToken } = paginate(
      ids,
      queryMaxResults(req) ?? 100,
      req.query.get("nextToken") ?? undefined,
      badToken,
    );
    return { updateIds: page, ...(nextToken ? { nextToken } : {}) };
  }

  // --- nodegroups -------------------------------------------------------------

  private createNodegroup(req: WireRequest, clusterName: string) {
    const cluster = this.cluster(clusterName);
    const input = parseJsonObject(req.body, (m) => eksError("SerializationException", m));
    const name = reqString(input, "nodegroupName", invalidParameter);
    const fields = { clusterName, nodegroupName: name };
    if (!NODEGROUP_NAME.test(name)) throw invalidParameter(`The nodegroup name '${name}' is invalid.`, fields);
    const subnets = optStringList(input, "subnets", invalidParameter) ?? [];
    if (subnets.length === 0) throw invalidParameter("subnets is required.", fields);
    validateSubnets(subnets, fields);
    const nodeRole = reqString(input, "nodeRole", invalidParameter);
    if (!ROLE_ARN.test(nodeRole)) throw invalidParameter(`Role ARN ${nodeRole} is not a valid IAM role ARN.`, fields);
    const scalingConfig = readScaling(optObject(input, "scalingConfig", invalidParameter), {
      minSize: 1,
      maxSize: 2,
      desiredSize: 2,
    });
    validateScaling(scalingConfig, fields);

    const token = optString(input, "clientRequestToken", invalidParameter);
    const nodegroups = this.state.rawNodegroupsOf(clusterName);
    const existing = nodegroups.get(name);
    if (existing) {
      if (token && existing.clientRequestToken === token) return { nodegroup: nodegroupShape(existing) };
      throw eksError(
        "ResourceInUseException",
        `NodeGroup already exists with name ${name} and cluster name ${clusterName}`,
        fields,
      );
    }
    this.requireActiveCluster(cluster);

    const version = optString(input, "version", invalidParameter) ?? cluster.version;
    const vMinor = minorOf(version);
    const cMinor = minorOf(cluster.version) as number;
    if (!isSupportedVersion(version) || vMinor === undefined || vMinor > cMinor) {
      throw invalidParameter(
        `Requested Nodegroup version ${version} is invalid: it must be a supported version no newer than the cluster's ${cluster.version}`,
        fields,
      );
    }
    const id = randomUUID();
    const nodegroup: EksNodegroup = {
      nodegroupName: name,
      nodegroupArn: `arn:aws:eks:${this.ctx.region}:${this.ctx.accountId}:nodegroup/${clusterName}/${name}/${id}`,
      clusterName,
      version,
      releaseVersion: optString(input, "releaseVersion", invalidParameter) ?? releaseVersionFor(version, req.now),
      createdAt: req.now,
      modifiedAt: req.now,
      status: "CREATING",
      capacityType: optString(input, "capacityType", invalidParameter) ?? "ON_DEMAND",
      scalingConfig,
      instanceTypes: optStringList(input, "instanceTypes", invalidParameter) ?? ["t3.medium"],
      subnets,
      amiType: optString(input, "amiType", invalidParameter) ?? "AL2023_x86_64_STANDARD",
      nodeRole,
      labels: optStringMap(input, "labels", invalidParameter) ?? {},
      taints: Array.isArray(input.taints) ? input.taints : [],
      diskSize: optInteger(input, "diskSize", invalidParameter) ?? 20,
      tags: optStringMap(input, "tags", invalidParameter) ?? {},
      updateConfig: (optObject(input, "updateConfig", invalidParameter) as EksNodegroup["updateConfig"]) ?? {
        maxUnavailable: 1,
      },
      autoScalingGroupName: `eks-${name}-${id}`,
      health: { issues: [] },
      ...(token ? { clientRequestToken: token } : {}),
      provisioned: false,
      phaseEndsAt: req.now + this.ctx.timeScale.nodegroupCreateMs,
    };
    this.state.addNodegroup(nodegroup);
    return { nodegroup: nodegroupShape(nodegroup) };
  }

  private listNodegroups(req: WireRequest, clusterName: string) {
    this.cluster(clusterName);
    const names = [...this.state.rawNodegroupsOf(clusterName).keys()];
    const { page, nextToken } = paginate(
      names,
      queryMaxResults(req) ?? 100,
      req.query.get("nextToken") ?? undefined,
      badToken,
    );
    return { nodegroups: page, ...(nextToken ? { nextToken } : {}) };
  }

  private describeNodegroup(_req: WireRequest, clusterName: string, name: string) {
    return { nodegroup: nodegroupShape(this.nodegroup(clusterName, name)) };
  }

  private deleteNodegroup(req: WireRequest, clusterName: string, name: string) {
    const ng = this.nodegroup(clusterName, name);
    if (ng.status === "DELETING") return { nodegroup: nodegroupShape(ng) };
    this.requireActiveNodegroup(ng);
    Object.assign(ng, { status: "DELETING", modifiedAt: req.now, phaseEndsAt: req.now + this.ctx.timeScale.deleteMs });
    return { nodegroup: nodegroupShape(ng) };
  }

  private updateNodegroupVersion(req: WireRequest, clusterName: string, name: string) {
    const cluster = this.cluster(clusterName);
    const ng = this.nodegroup(clusterName, name);
    const fields = { clusterName, nodegroupName: name };
    const input = parseJsonObject(req.body, (m) => eksError("SerializationException", m));
    const token = optString(input, "clientRequestToken", invalidParameter);
    const retried = this.findUpdateByToken(clusterName, name, token);
    if (retried) return { update: updateShape(retried) };
    this.requireActiveCluster(cluster);
    this.requireActiveNodegroup(ng);

    // Without a version EKS moves the nodegroup to the control plane's version.
    const version = optString(input, "version", invalidParameter) ?? cluster.version;
    const vMinor = minorOf(version);
    const cMinor = minorOf(cluster.version) as number;
    const ngMinor = minorOf(ng.version) as number;
    if (!isSupportedVersion(version) || vMinor === undefined) {
      throw invalidParameter(`Requested Nodegroup version ${version} is not a supported Kubernetes version`, fields);
    }
    // Kubelets may never be newer than the API server.
    if (vMinor > cMinor) {
      throw invalidParameter(
        `Requested Nodegroup version ${version} is newer than the cluster's Kubernetes version ${cluster.version}. Update the cluster first.`,
        fields,
      );
    }
    if (vMinor < ngMinor) {
      throw invalidParameter(
        `Requested Nodegroup version ${version} is older than the nodegroup's current version ${ng.version}`,
        fields,
      );
    }
    const releaseVersion = optString(input, "releaseVersion", invalidParameter) ?? releaseVersionFor(version, req.now);
    const update = this.startUpdate(req, {
      clusterName,
      nodegroupName: name,
      type: "VersionUpdate",
      params: [
        { type: "Version", value: version },
        { type: "ReleaseVersion", value: releaseVersion },
      ],
      effect: { kind: "nodegroup-version", version, releaseVersion },
      ...(token ? { clientRequestToken: token } : {}),
    });
    ng.status = "UPDATING";
    ng.modifiedAt = req.now;
    return { update: updateShape(update) };
  }

  private updateNodegroupConfig(req: WireRequest, clusterName: string, name: string) {
    const cluster = this.cluster(clusterName);
    const ng = this.nodegroup(clusterName, name);
    const fields = { clusterName, nodegroupName: name };
    const input = parseJsonObject(req.body, (m) => eksError("SerializationException", m));
    const token = optString(input, "clientRequestToken", invalidParameter);
    const retried = this.findUpdateByToken(clusterName, name, token);
    if (retried) return { update: updateShape(retried) };
    this.requireActiveCluster(cluster);
    this.requireActiveNodegroup(ng);

    const params: Array<{ type: string; value: string }> = [];
    const effect: Extract<UpdateEffect, { kind: "nodegroup-config" }> = { kind: "nodegroup-config" };

    const rawScaling = optObject(input, "scalingConfig", invalidParameter);
    if (rawScaling) {
      const scaling = readScaling(rawScaling, ng.scalingConfig);
      validateScaling(scaling, fields);
      effect.scalingConfig = scaling;
      for (const [key, type] of [
        ["minSize", "MinSize"],
        ["maxSize", "MaxSize"],
        ["desiredSize", "DesiredSize"],
      ] as const) {
        if (rawScaling[key] !== undefined) params.push({ type, value: String(scaling[key]) });
      }
    }
    const labels = optObject(input, "labels", invalidParameter);
    if (labels) {
      const add = optStringMap(labels, "addOrUpdateLabels", invalidParameter);
      const remove = optStringList(labels, "removeLabels", invalidParameter);
      if (add && Object.keys(add).length > 0) {
        effect.addOrUpdateLabels = add;
        params.push({ type: "LabelsToAdd", value: JSON.stringify(add) });
      }
      if (remove && remove.length > 0) {
        effect.removeLabels = remove;
        params.push({ type: "LabelsToRemove", value: JSON.stringify(remove) });
      }
    }
    const updateConfig = optObject(input, "updateConfig", invalidParameter);
    if (updateConfig) {
      const maxUnavailable = optInteger(updateConfig, "maxUnavailable", invalidParameter);
      const maxUnavailablePercentage = optInteger(updateConfig, "maxUnavailablePercentage", invalidParameter);
      if (maxUnavailable !== undefined) {
        effect.updateConfig = { maxUnavailable };
        params.push({ type: "MaxUnavailable", value: String(maxUnavailable) });
      } else if (maxUnavailablePercentage !== undefined) {
        effect.updateConfig = { maxUnavailablePercentage };
        params.push({ type: "MaxUnavailablePercentage", value: String(maxUnavailablePercentage) });
      }
    }
    if (params.length === 0) throw invalidParameter("No changes needed", fields);

    const update = this.startUpdate(req, {
      clusterName,
      nodegroupName: name,
      type: "ConfigUpdate",
      params,
      effect,
      ...(token ? { clientRequestToken: token } : {}),
    });
    ng.status = "UPDATING";
    ng.modifiedAt = req.now;
    return { update: updateShape(update) };
  }
}

/** Path labels arrive percent-encoded; a malformed escape is kept verbatim (and then simply not found). */
function decodePathLabel(label: string): string {
  try {
    return decodeURIComponent(label);
  } catch {
    return label;
  }
}

function peekMember(body: Buffer, member: string): string | undefined {
  try {
    const value = (JSON.parse(body.toString("utf8")) as Record<string, unknown>)[member];
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every EKS cluster has its own CA (subject CN=kubernetes); hand out a real,
 * parseable one so code that builds kubeconfigs or TLS contexts from
 * `certificateAuthority.data` is exercised for real.
 */
async function generateClusterCa(): Promise<string> {
  const { generate } = await import("selfsigned");
  const pems = await generate([{ name: "commonName", value: "kubernetes" }], {
    keyType: "ec",
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
    ],
  });
  return Buffer.from(pems.cert).toString("base64");
}
