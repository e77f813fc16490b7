import { addonReadyOn } from "../addons/desired";
import { type DesiredObjectSource, ownerOfCluster } from "../drift/sources";
import type { KubeObject } from "../tenants/manifests";
import { clusterManifests } from "./manifests";

/** Flux's fleet-config namespace, GitRepository and Kustomization (the cluster's bootstrap). */
export const clusterBootstrapSource: DesiredObjectSource = {
  name: "cluster-bootstrap",
  async collect(deps, cluster) {
    const manifests = await clusterManifests(deps, cluster);
    // Before Flux runs there, its kinds are not served: nothing of it can be drift yet.
    if (!addonReadyOn(cluster.status, manifests.addons, "flux")) return [];
    const owner = ownerOfCluster(cluster);
    return manifests.objects.map((object) => ({ object: object as unknown as KubeObject, owner, applied: false }));
  },
};
