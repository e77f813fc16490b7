import { loadEffectiveCluster } from "../../core/clusters/lifecycle";
import type { ClusterRow } from "../../core/clusters/read";
import type { ClusterCredentials } from "../../core/clusters/spec";
import type { Deps } from "../../core/context";
import { StalledError } from "../../core/errors";
import type { KubeTarget } from "../kube/access";
import type { FunctionDeps } from "../types";

/**
 * How to reach a cluster's API server, by provider: imported clusters with their sealed
 * credentials, EKS clusters with DescribeCluster and an STS token, Cluster API clusters with
 * the kubeconfig Secret Cluster API writes on the management cluster.
 */
export async function kubeTargetOf(deps: FunctionDeps, cluster: ClusterRow): Promise<KubeTarget> {
  if (cluster.provider === "imported") return importedKubeTarget(deps, cluster);
  const { effective } = await loadEffectiveCluster(deps, cluster);
  // The AWS SDK loads only when an EKS cluster is first reached.
  if (cluster.provider === "eks") return (await import("./eks")).eksKubeTarget(deps, cluster, effective);
  // A Cluster API cluster is reached through its management cluster, itself reached by this
  // function: capi.ts calls back into it, so it loads on first use rather than in a cycle.
  return (await import("./capi")).capiKubeTarget(deps, cluster, effective);
}

/** Opens the sealed credentials of an imported cluster, only for the duration of one call. */
export async function importedKubeTarget(deps: Deps, cluster: ClusterRow): Promise<KubeTarget> {
  if (cluster.spec.connection?.mode === "agent") {
    // Nothing dials an agent-mode cluster: its calls go through the agent's outbound channel.
    return {
      server: `${cluster.name} (through its agent)`,
      agent: { clusterId: cluster.id, clusterName: cluster.name },
    };
  }
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
