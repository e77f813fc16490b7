import type { ClusterRow } from "../../core/clusters/read";
import type { ClusterCredentials } from "../../core/clusters/spec";
import type { Deps } from "../../core/context";
import { StalledError } from "../../core/errors";
import type { KubeTarget } from "../kube/access";

/** Opens the sealed credentials of an imported cluster, only for the duration of one call. */
export async function kubeTargetOf(deps: Deps, cluster: ClusterRow): Promise<KubeTarget> {
  if (!cluster.credentials) {
    throw new StalledError("NoCredentials", `Cluster ${cluster.name} has no stored connection`);
  }
  let credentials: ClusterCredentials;
  try {
    const box = await deps.secretBox();
    credentials = JSON.parse(await box.open(cluster.credentials, cluster.id)) as ClusterCredentials;
  } catch {
    throw new StalledError(
      "CredentialsUnreadable",
      "The stored connection cannot be decrypted with the current FLEET_ENCRYPTION_KEY; set connection.token again",
    );
  }
  return {
    server: credentials.server,
    token: credentials.token,
    ...(credentials.caData ? { caData: credentials.caData } : {}),
  };
}
