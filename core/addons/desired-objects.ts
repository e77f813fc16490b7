import { MANAGED_BY } from "../clusters/manifests";
import { type DesiredObject, type DesiredObjectSource, ownerOfCluster } from "../drift/sources";
import type { KubeObject } from "../tenants/manifests";
import { findBundle } from "./bundles";
import { CLUSTER_NAMESPACES, catalogEntry } from "./catalog";

/**
 * The controllers of every add-on Fleetplane installed and saw Ready: a controller deleted or
 * edited on the cluster is drift like any other object, repaired under `remediate`.
 */
export const addonSource: DesiredObjectSource = {
  name: "addons",
  async collect(deps, cluster) {
    const installed = (cluster.status.addons ?? []).filter((a) => a.managed && a.phase === "Ready" && a.sha256);
    const owner = ownerOfCluster(cluster);
    const desired: DesiredObject[] = [];
    for (const addon of installed) {
      const bundle = await findBundle(deps, addon.sha256 as string);
      const namespace = catalogEntry(addon.name)?.namespace ?? addon.name;
      // The namespace Fleetplane created for a bundle that has none is Fleetplane's too.
      const bundled = bundle?.objects.some((o) => o.kind === "Namespace" && o.metadata.name === namespace);
      if (bundle && !bundled && !CLUSTER_NAMESPACES.has(namespace)) {
        desired.push({
          object: {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: namespace, labels: { ...MANAGED_BY } },
          } as never,
          owner,
          applied: true,
        });
      }
      for (const object of bundle?.objects ?? []) {
        if (object.apiVersion !== "apps/v1" || object.kind !== "Deployment") continue;
        const placed = {
          ...object,
          metadata: { ...object.metadata, namespace: object.metadata.namespace ?? namespace },
        };
        desired.push({ object: placed as unknown as KubeObject, owner, applied: true });
      }
    }
    return desired;
  },
};
