import { eq } from "drizzle-orm";
import type { ClusterRow } from "../../core/clusters/read";
import { sha256Hex } from "../../core/crypto";
import { StalledError, TransientError, ValidationError } from "../../core/errors";
import { secretsAppliedOn } from "../../core/secrets/desired-objects";
import {
  SEALING_CERTIFICATE,
  type SealingKey,
  sealingKeyFromCertificate,
  sealingLabel,
  sealValue,
} from "../../core/secrets/sealing";
import { heldValueContext, type SecretRow } from "../../core/secrets/verbs";
import {
  FLEET_TENANT_LABEL,
  type KubeObject,
  renderSealedSecret,
  SEALED_FROM,
  SEALED_SECRET,
  sealedFrom,
  secretMarker,
} from "../../core/tenants/manifests";
import type { TenantRow } from "../../core/tenants/read";
import { tenantSecrets } from "../../schema";
import { classifyKubeError, type KubeAccess } from "../kube/access";
import type { FunctionDeps } from "../types";
import { apply } from "./apply";

/** A cluster's sealing key, and the fingerprint of the certificate it came from. */
export interface ClusterSealing {
  key: SealingKey;
  fingerprint: string;
}

/**
 * The cluster's current sealing certificate, read through the API server's service proxy as
 * `kubeseal --fetch-cert` does: read every time it is needed, so the controller's renewed
 * certificate is used from then on. A certificate that cannot seal is refused with its reason.
 */
export async function sealingKeyOf(deps: FunctionDeps, kube: KubeAccess, clusterName: string): Promise<ClusterSealing> {
  const certificate = await kube.serviceProxyGet(SEALING_CERTIFICATE).catch((error: unknown) => {
    const problem = classifyKubeError(error, clusterName);
    const message = `reading the sealed-secrets controller's certificate on ${clusterName}: ${problem.message}`;
    throw problem.retryable ? new TransientError(problem.code, message) : new StalledError(problem.code, message);
  });
  const key = await sealingKeyFromCertificate(certificate, new Date(deps.now())).catch((error: unknown) => {
    if (!(error instanceof ValidationError)) throw error;
    throw new StalledError("SealingCertificateInvalid", `Cluster ${clusterName}: ${error.message}`);
  });
  return { key, fingerprint: await sha256Hex(certificate.trim()) };
}

/** Whether a secret is sealed (again) on a cluster, given what its live SealedSecret says it was sealed from. */
type ResealWhen = (secret: SecretRow, live: { present: boolean; from: string | undefined }, from: string) => boolean;

/** The placement's rule: whatever is missing or was sealed from another version, scope or certificate. */
export const unlessCurrent: ResealWhen = (_secret, live, from) => live.from !== from;

/**
 * A tenant's sealed-secrets secrets on one cluster, sealed for its controller and applied as
 * SealedSecrets where `when` says so. Sealing makes new ciphertext every time, so what is
 * already sealed from the same version, scope and certificate is best left alone. Answers the
 * version each secret is at on the cluster, and which it sealed. The value is opened only here,
 * in memory, and never logged.
 */
export async function sealSecrets(
  deps: FunctionDeps,
  kube: KubeAccess,
  sealing: ClusterSealing,
  tenant: TenantRow,
  secrets: SecretRow[],
  when: ResealWhen,
): Promise<{ applied: Record<string, string>; sealed: SecretRow[] }> {
  const live = new Map(
    (
      await kube.list<KubeObject>(SEALED_SECRET.apiVersion, SEALED_SECRET.kind, {
        namespace: tenant.namespace,
        labelSelector: `${FLEET_TENANT_LABEL}=${tenant.name}`,
      })
    ).map((object) => [object.metadata.name, object.metadata.annotations?.[SEALED_FROM]]),
  );
  const box = await deps.secretBox();
  const applied: Record<string, string> = {};
  const sealed: SecretRow[] = [];
  for (const secret of secrets) {
    const from = sealedFrom(secret, sealing.fingerprint);
    if (when(secret, { present: live.has(secret.name), from: live.get(secret.name) }, from)) {
      if (!secret.sealedValue) throw new StalledError("InternalError", `Secret ${secret.name} has no value to seal`);
      const value = JSON.parse(await box.open(secret.sealedValue, heldValueContext(secret.id))) as Record<
        string,
        string
      >;
      const label = sealingLabel(secret.spec.scope ?? "strict", tenant.namespace, secret.name);
      const encryptedData: Record<string, string> = {};
      for (const [name, text] of Object.entries(value)) encryptedData[name] = await sealValue(sealing.key, text, label);
      await apply(kube, renderSealedSecret(tenant, secret, { encryptedData, from }));
      sealed.push(secret);
    }
    applied[secret.id] = secretMarker(secret);
  }
  return { applied, sealed };
}

/** A `sealedFrom` stamp without its certificate: the version and scope. */
const withoutCertificate = (from: string) => from.slice(0, from.lastIndexOf(";"));

/**
 * The scheduled reconcile's part: SealedSecrets sealed from the current version and scope but
 * with a certificate the controller has since renewed are sealed again with the new one
 * (maintenance, whatever the drift policy: the old key may be retired later), and the secrets
 * in `repair` (missing or changed where their policy is remediate) are sealed anew. A new version
 * or scope is left to the tenant's placement. Costs nothing on a cluster without sealed secrets.
 */
export async function resealOnCluster(
  deps: FunctionDeps,
  kube: KubeAccess,
  cluster: ClusterRow,
  repair: Set<string>,
): Promise<{ renewed: SecretRow[]; repaired: SecretRow[] }> {
  const onCluster = await secretsAppliedOn(deps, cluster, eq(tenantSecrets.source, "sealed"));
  if (onCluster.length === 0) return { renewed: [], repaired: [] };
  const sealing = await sealingKeyOf(deps, kube, cluster.name);
  const renewed: SecretRow[] = [];
  const repaired: SecretRow[] = [];
  const tenants = new Map(onCluster.map(({ tenant }) => [tenant.id, tenant]));
  for (const tenant of tenants.values()) {
    const secrets = onCluster.filter((applied) => applied.tenant.id === tenant.id).map((applied) => applied.secret);
    const { sealed } = await sealSecrets(deps, kube, sealing, tenant, secrets, (secret, live, from) => {
      if (repair.has(secret.id)) return true;
      return (
        live.from !== undefined && live.from !== from && withoutCertificate(live.from) === withoutCertificate(from)
      );
    });
    for (const secret of sealed) (repair.has(secret.id) ? repaired : renewed).push(secret);
  }
  return { renewed, repaired };
}
