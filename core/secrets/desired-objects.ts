import { and, inArray, isNull, type SQL } from "drizzle-orm";
import { tenantSecrets } from "../../schema";
import { effectiveCluster, findClassOf } from "../clusters/lifecycle";
import type { ClusterRow } from "../clusters/read";
import type { Deps } from "../context";
import { type DesiredObject, type DesiredObjectSource, type DriftOwner, ownerOfCluster } from "../drift/sources";
import { policyOf } from "../drift/spec";
import { SECRET_KIND } from "../kinds";
import { appliedTenants } from "../tenants/desired-objects";
import { renderExternalSecret, renderSealedSecret, renderSecretStore, secretMarker } from "../tenants/manifests";

/**
 * The secrets of the tenants applied on a cluster, at the version the cluster was given: a
 * rotation still being applied there is the placement's work, not something to compare.
 */
export async function secretsAppliedOn(deps: Deps, cluster: ClusterRow, where?: SQL) {
  const placed = await appliedTenants(deps, cluster);
  if (placed.length === 0) return [];
  const rows = await deps.store
    .select()
    .from(tenantSecrets)
    .where(
      and(
        inArray(
          tenantSecrets.tenantId,
          placed.map((p) => p.tenant.id),
        ),
        isNull(tenantSecrets.deletionRequestedAt),
        where,
      ),
    );
  return rows.flatMap((secret) => {
    const { tenant, placement } = placed.find((p) => p.tenant.id === secret.tenantId)!;
    return placement.appliedSecrets[secret.id] === secretMarker(secret) ? [{ tenant, secret }] : [];
  });
}

/**
 * One ExternalSecret per External Secrets secret applied to the cluster and the
 * ClusterSecretStore they share, and one SealedSecret per sealed secret (without its ciphertext).
 */
export const secretSource: DesiredObjectSource = {
  name: "secrets",
  async collect(deps, cluster) {
    const applied = await secretsAppliedOn(deps, cluster);
    const desired: DesiredObject[] = [];
    for (const { tenant, secret } of applied) {
      const owner: DriftOwner = { type: SECRET_KIND, id: secret.id, name: secret.name, policy: policyOf(secret.spec) };
      desired.push(
        secret.source === "sealed"
          ? {
              object: renderSealedSecret(tenant, secret),
              owner,
              applied: true,
              sealedSecret: { tenantId: tenant.id, secretId: secret.id },
            }
          : { object: renderExternalSecret(tenant, secret), owner, applied: true },
      );
    }
    if (desired.some((d) => !d.sealedSecret)) {
      const region =
        effectiveCluster(cluster, await findClassOf(deps, cluster)).region ?? (await deps.secretsManager.region());
      desired.unshift({ object: renderSecretStore(region), owner: ownerOfCluster(cluster), applied: true });
    }
    return desired;
  },
};
