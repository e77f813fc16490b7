import { isNull } from "drizzle-orm";
import { clusters } from "../../schema";
import type { Store } from "../store";
import type { AddonStatusValue } from "./spec";

const escapeLabel = (value: string) => value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");

/**
 * One series per add-on per cluster, in the shape of kube-state-metrics' `*_info` series: the
 * labels carry the state (version wanted and found, phase), the value is always 1, so
 * `fleetplane_cluster_addon_info{phase=~"Degraded|Failed"}` selects what needs a person.
 */
export async function addonSeries(store: Store): Promise<string[]> {
  const rows = await store
    .select({ name: clusters.name, status: clusters.status })
    .from(clusters)
    .where(isNull(clusters.deletionRequestedAt));
  rows.sort((a, b) => a.name.localeCompare(b.name));
  const lines = [
    "# HELP fleetplane_cluster_addon_info A platform add-on on a cluster: the version wanted and found, and its phase.",
    "# TYPE fleetplane_cluster_addon_info gauge",
  ];
  for (const row of rows) {
    for (const addon of ((row.status as { addons?: AddonStatusValue[] }).addons ?? []) as AddonStatusValue[]) {
      const labels = [
        `cluster="${escapeLabel(row.name)}"`,
        `addon="${escapeLabel(addon.name)}"`,
        `version="${escapeLabel(addon.version)}"`,
        `version_found="${escapeLabel(addon.versionFound ?? "")}"`,
        `phase="${addon.phase}"`,
        `managed="${addon.managed}"`,
      ];
      lines.push(`fleetplane_cluster_addon_info{${labels.join(",")}} 1`);
    }
  }
  return lines;
}
