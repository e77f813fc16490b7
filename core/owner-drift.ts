import { inArray } from "drizzle-orm";
import { driftReports } from "../schema";
import type { Condition } from "./conditions";
import type { Deps } from "./context";
import type { ObservedObject } from "./drift/report";

/** What the latest reconcile of one cluster found wrong with one owner's objects. */
export interface OwnerDrift {
  state: "Modified" | "OutOfSync";
  modified: number;
  missing: number;
}

/** D1 binds at most 100 parameters per statement. */
const CHUNK = 90;

/**
 * Drift per cluster and owning resource (tenant, secret, …), from the clusters' latest
 * reports. Owners' `Drifted` conditions and per-cluster states are derived from this when they
 * are read, so they can never disagree with the reports.
 */
export async function driftByClusterAndOwner(
  deps: Deps,
  clusterIds: string[],
): Promise<Map<string, Map<string, OwnerDrift>>> {
  const out = new Map<string, Map<string, OwnerDrift>>();
  const ids = [...new Set(clusterIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await deps.store
      .select({ clusterId: driftReports.clusterId, state: driftReports.state, objects: driftReports.objects })
      .from(driftReports)
      .where(inArray(driftReports.clusterId, ids.slice(i, i + CHUNK)));
    for (const row of rows) {
      // An unreachable cluster's old findings are not current drift.
      if (row.state === "Unknown") continue;
      const owners = new Map<string, OwnerDrift>();
      for (const object of row.objects as ObservedObject[]) {
        if (!object.drifted) continue;
        const entry = owners.get(object.owner.id) ?? { state: "OutOfSync", modified: 0, missing: 0 };
        if (object.missing) entry.missing++;
        else {
          entry.modified++;
          entry.state = "Modified";
        }
        owners.set(object.owner.id, entry);
      }
      out.set(row.clusterId, owners);
    }
  }
  return out;
}

/** `Drifted` for an owner from its drift on each cluster (by cluster name). */
export function ownerDriftedCondition(perCluster: [cluster: string, drift: OwnerDrift][], since: string): Condition {
  if (perCluster.length === 0) {
    return {
      type: "Drifted",
      status: "False",
      reason: "NoDrift",
      message: "its objects match on every cluster",
      lastTransitionTime: since,
    };
  }
  const parts = perCluster.map(
    ([cluster, d]) =>
      `${cluster}: ${[d.modified ? `${d.modified} changed` : "", d.missing ? `${d.missing} missing` : ""].filter(Boolean).join(", ")}`,
  );
  return {
    type: "Drifted",
    status: "True",
    reason: perCluster.some(([, d]) => d.state === "Modified") ? "Modified" : "OutOfSync",
    message: `objects drifted on ${perCluster.length} cluster(s): ${parts.join("; ")}; see GET /v1/clusters/{cluster}/drift`,
    lastTransitionTime: since,
  };
}
