/**
 * Configuration and knobs shared by the emulated services. Kept apart from
 * index.ts so the service modules don't import the server that imports them.
 */

/** How long the asynchronous transitions of EKS resources take. */
export interface TimeScale {
  /** CREATING → ACTIVE (or FAILED) for clusters. */
  clusterCreateMs: number;
  /** CREATING → ACTIVE for managed nodegroups. */
  nodegroupCreateMs: number;
  /** InProgress → Successful for cluster and nodegroup updates. */
  updateMs: number;
  /** DELETING → gone for clusters and nodegroups. */
  deleteMs: number;
}

/** Misbehaviour that tests switch on; every field is read at request time. */
export interface Faults {
  /** The next N API calls (any service) are answered with that service's throttling error. */
  throttleNext: number;
  /**
   * Every CreateCluster fails with this error while it is set (clear it to
   * stop), e.g. `{ code: "ResourceLimitExceededException", message: "..." }`.
   * The HTTP status follows the EKS model for the code.
   */
  failCreateCluster?: { code: string; message: string };
  /** A cluster with this name is accepted, then goes FAILED instead of ACTIVE. */
  failClusterDuringCreate?: string;
  /** Added to every API response. */
  latencyMs: number;
  /** Fraction (0-1) of API calls answered with the service's internal error (HTTP 500) without running. */
  errorRate: number;
  /** Fraction (0-1) of API calls whose connection is destroyed before the call runs. */
  dropRate: number;
}

export function defaultFaults(): Faults {
  return { throttleNext: 0, latencyMs: 0, errorRate: 0, dropRate: 0 };
}

export interface CredentialEntry {
  accessKeyId: string;
  secretAccessKey: string;
  /** What GetCallerIdentity reports; default `arn:aws:iam::<account>:user/<accessKeyId>`. */
  arn?: string;
}

/** What the EKS API should report as a cluster's API server. */
export interface ClusterEndpoint {
  endpoint: string;
  /** Base64 of the PEM CA bundle, as in `cluster.certificateAuthority.data`. */
  certificateAuthorityData: string;
}

export interface EmulatorContext {
  accountId: string;
  region: string;
  timeScale: TimeScale;
  faults: Faults;
  credentials: CredentialEntry[];
  clusterEndpoint?: (clusterName: string) => ClusterEndpoint | undefined | Promise<ClusterEndpoint | undefined>;
}

export function secretFor(ctx: EmulatorContext, accessKeyId: string): string | undefined {
  return ctx.credentials.find((c) => c.accessKeyId === accessKeyId)?.secretAccessKey;
}
