import { and, eq, inArray, isNull } from "drizzle-orm";
import { tenantPlacements, tenants } from "../../schema";
import type { ClusterRow } from "../clusters/read";
import type { Deps } from "../context";
import { type DesiredObject, type DesiredObjectSource, type DriftOwner, ownerOfCluster } from "../drift/sources";
import { policyOf } from "../drift/spec";
import { TENANT_KIND } from "../kinds";
import { renderGuardrails, renderTenantObjects } from "./manifests";

/** The tenants whose placement on the cluster has been applied at its current revision. */
export async function appliedTenants(deps: Deps, cluster: ClusterRow) {
  const placements = await deps.store
    .select()
    .from(tenantPlacements)
    .where(and(eq(tenantPlacements.clusterId, cluster.id), eq(tenantPlacements.desired, "present")));
  const applied = placements.filter((p) => p.appliedAt !== null && p.appliedRevision >= p.desiredRevision);
  if (applied.length === 0) return [];
  const rows = await deps.store
    .select()
    .from(tenants)
    .where(
      and(
        inArray(
          tenants.id,
          applied.map((p) => p.tenantId),
        ),
        isNull(tenants.deletionRequestedAt),
      ),
    );
  return rows.map((tenant) => ({ tenant, placement: applied.find((p) => p.tenantId === tenant.id)! }));
}

/** Each placed tenant's namespace, Flux account, binding, source and Kustomization, plus the shared guardrails. */
export const tenantSource: DesiredObjectSource = {
  name: "tenants",
  async collect(deps, cluster) {
    const placed = await appliedTenants(deps, cluster);
    if (placed.length === 0) return [];
    const clusterOwner = ownerOfCluster(cluster);
    const desired: DesiredObject[] = renderGuardrails().map((object) => ({
      object,
      owner: clusterOwner,
      applied: true,
    }));
    for (const { tenant } of placed) {
      const owner: DriftOwner = { type: TENANT_KIND, id: tenant.id, name: tenant.name, policy: policyOf(tenant.spec) };
      for (const object of renderTenantObjects(tenant)) desired.push({ object, owner, applied: true });
    }
    return desired;
  },
};
