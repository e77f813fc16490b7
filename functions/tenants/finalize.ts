import { and, eq, isNull, notInArray, sql } from "drizzle-orm";
import { recordEvent } from "../../core/events";
import { SECRET_KIND, TENANT_KIND } from "../../core/kinds";
import { RECOVERY_WINDOW_DAYS } from "../../core/secrets/secrets-manager";

import type { Statement } from "../../core/store";
import { writeBatch } from "../../core/store";
import { FINALIZE_TENANT } from "../../core/tenants/placement";
import { findTenant } from "../../core/tenants/read";
import { clusters, tenantPlacements, tenantSecrets, tenants, tokens } from "../../schema";
import type { ClusterFunction } from "../types";

/**
 * finalizeTenant: the last step of deletions that had to wait for the clusters. A deleted
 * secret goes once no cluster holds its ExternalSecret any more: its value is scheduled for
 * deletion in Secrets Manager (with a recovery window) and its row removed. An offboarded
 * tenant goes once no cluster holds it: its secrets the same way, its tokens revoked, its row
 * removed, after which GET answers 404. It reads everything afresh, so it can run any number
 * of times, and the placeTenant functions queue it whenever they finish a removal.
 */
export const finalizeTenant: ClusterFunction = {
  kind: FINALIZE_TENANT,
  async run(job, deps) {
    const tenant = await findTenant(deps, job.resourceId);
    if (!tenant) return { outcome: "done", message: "tenant already gone" };
    // Placements on clusters that left the fleet hold nothing any more.
    await deps.store
      .delete(tenantPlacements)
      .where(
        and(
          eq(tenantPlacements.tenantId, tenant.id),
          notInArray(tenantPlacements.clusterId, deps.store.select({ id: clusters.id }).from(clusters)),
        ),
      );
    const placements = await deps.store.select().from(tenantPlacements).where(eq(tenantPlacements.tenantId, tenant.id));
    const offboarded = tenant.deletionRequestedAt !== null && placements.length === 0;
    const secrets = await deps.store.select().from(tenantSecrets).where(eq(tenantSecrets.tenantId, tenant.id));
    const held = new Set(placements.flatMap((p) => Object.keys(p.appliedSecrets)));
    const releasable = secrets.filter((s) => offboarded || (s.deletionRequestedAt !== null && !held.has(s.id)));

    const now = deps.now();
    const statements: Statement[] = [];
    for (const secret of releasable) {
      // A referenced (remoteRef) secret was never ours to delete.
      if (secret.source === "managed" && secret.remoteName) {
        await deps.secretsManager.scheduleDeletion(secret.remoteName, RECOVERY_WINDOW_DAYS);
      }
      statements.push(
        deps.store.delete(tenantSecrets).where(eq(tenantSecrets.id, secret.id)),
        recordEvent(deps.store, {
          reason: "SecretDeleted",
          resourceType: SECRET_KIND,
          resourceId: secret.id,
          resourceName: `${tenant.name}/${secret.name}`,
          message:
            secret.source === "managed"
              ? `secret ${secret.name} removed from every cluster; ${secret.remoteName} scheduled for deletion in ${RECOVERY_WINDOW_DAYS} days`
              : `secret ${secret.name} removed from every cluster`,
          actor: "system",
          at: now,
        }),
      );
    }
    if (offboarded) {
      statements.push(
        deps.store
          .update(tokens)
          .set({ revokedAt: now })
          .where(and(eq(tokens.tenantId, tenant.id), isNull(tokens.revokedAt))),
        deps.store
          .delete(tenants)
          .where(
            and(
              eq(tenants.id, tenant.id),
              sql`NOT EXISTS (SELECT 1 FROM tenant_placements WHERE tenant_id = ${tenant.id})`,
            ),
          ),
        recordEvent(deps.store, {
          reason: "Offboarded",
          resourceType: TENANT_KIND,
          resourceId: tenant.id,
          resourceName: tenant.name,
          message: `tenant ${tenant.name} offboarded: removed from every cluster, ${releasable.length} secret(s) released, tokens revoked`,
          actor: "system",
          at: now,
        }),
      );
    }
    if (statements.length > 0) await writeBatch(deps.store, statements);
    return {
      outcome: "done",
      message: offboarded ? "tenant offboarded" : `${releasable.length} secret(s) released`,
    };
  },
};
