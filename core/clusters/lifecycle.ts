import type { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { clusterClasses } from "../../schema";
import type {
  CapiSettings,
  ClusterClassSpecFields,
  EksSettings,
  FleetConfigRepo,
  WorkerPool,
} from "../cluster-classes/spec";
import type { ClusterClassRow } from "../cluster-classes/verbs";
import type { Deps } from "../context";
import { StalledError, UnprocessableError } from "../errors";
import type { JobKind } from "../jobs/kinds";
import type { ClusterRow } from "./read";
import type { ClusterSpecFields } from "./spec";

/** Job kinds of the cluster lifecycle; the functions that run them live in functions/clusters. */
export const PROVISION_CLUSTER = "provisionCluster" satisfies JobKind;
export const UPGRADE_CLUSTER = "upgradeCluster" satisfies JobKind;
export const SCALE_CLUSTER = "scaleCluster" satisfies JobKind;
export const RECONCILE_CLUSTER = "reconcileCluster" satisfies JobKind;

/** Condition reasons while an upgrade runs, as Cluster API's topology controller names them. */
export const CONTROL_PLANE_UPGRADE_PENDING = "ControlPlaneUpgradePending";
export const MACHINE_DEPLOYMENTS_UPGRADE_PENDING = "MachineDeploymentsUpgradePending";

/**
 * What a cluster resolves to once its class is applied: the cluster's own fields win, the
 * class fills the gaps. The spec itself keeps only what the user wrote (Terraform compares it).
 */
export interface EffectiveCluster {
  provider: string;
  region: string | undefined;
  version: string | undefined;
  workers: z.infer<typeof WorkerPool>[];
  eks: Partial<z.infer<typeof EksSettings>>;
  capi: z.infer<typeof CapiSettings> | undefined;
  fleetConfig: z.infer<typeof FleetConfigRepo> | undefined;
  environment: string | undefined;
}

/** The cluster's own fields that decide what it is, each overriding its class's. */
type OwnFields = Pick<ClusterSpecFields, "region" | "version" | "workers" | "eks" | "environment">;
type ClassFields = Omit<ClusterClassSpecFields, "provider">;

export function effectiveCluster(
  cluster: { provider: string; spec: OwnFields },
  clusterClass: { spec: ClassFields } | undefined,
): EffectiveCluster {
  const own = cluster.spec;
  const inherited: ClassFields = clusterClass?.spec ?? {};
  return {
    provider: cluster.provider,
    region: own.region ?? inherited.region,
    version: own.version ?? inherited.version,
    workers: own.workers ?? inherited.workers ?? [],
    eks: { ...inherited.eks, ...own.eks },
    capi: inherited.capi,
    fleetConfig: inherited.fleetConfig,
    environment: own.environment,
  };
}

export async function findClassOf(deps: Deps, cluster: ClusterRow): Promise<ClusterClassRow | undefined> {
  const rows = await deps.store.select().from(clusterClasses).where(eq(clusterClasses.id, cluster.classId)).limit(1);
  return rows[0];
}

/** For functions: the class may have been deleted only if no cluster used it, so its absence is a bug to surface. */
export async function loadEffectiveCluster(deps: Deps, cluster: ClusterRow) {
  const clusterClass = await findClassOf(deps, cluster);
  if (!clusterClass) throw new StalledError("ClassMissing", `The class of cluster ${cluster.name} no longer exists`);
  return { clusterClass, effective: effectiveCluster(cluster, clusterClass) };
}

/** `1.30`, `v1.30.2` → `{major: 1, minor: 30}`. */
export function parseMinor(version: string): { major: number; minor: number } | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** EKS names versions by major.minor only. */
export function eksVersionOf(version: string): string {
  const parsed = parseMinor(version);
  return parsed ? `${parsed.major}.${parsed.minor}` : version;
}

/**
 * Kubernetes upgrades go one minor version at a time and never back (the control plane's
 * version-skew policy; EKS and Cluster API both refuse otherwise), so say so before starting.
 */
export function checkVersionChange(from: string, to: string): void {
  const a = parseMinor(from);
  const b = parseMinor(to);
  if (!a || !b) return;
  const location = [{ location: "body.version", message: `the cluster runs ${from}` }];
  if (b.major !== a.major || b.minor < a.minor) {
    throw new UnprocessableError(
      "version_downgrade",
      `Cannot go from Kubernetes ${from} to ${to}: downgrades are not possible`,
      location,
    );
  }
  if (b.minor > a.minor + 1) {
    throw new UnprocessableError(
      "version_skew",
      `Cannot go from Kubernetes ${from} to ${to} at once: upgrade one minor version at a time (next: ${a.major}.${a.minor + 1})`,
      location,
    );
  }
}
