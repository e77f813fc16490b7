import { isNull } from "drizzle-orm";
import { clusters } from "../../schema";
import { family, series } from "../prometheus";
import type { Store } from "../store";

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
  const lines: string[] = [];
  family(
    lines,
    "fleetplane_cluster_addon_info",
    "gauge",
    "A platform add-on on a cluster: the version wanted and found, and its phase.",
  );
  for (const row of rows) {
    for (const addon of row.status.addons ?? []) {
      const labels = {
        cluster: row.name,
        addon: addon.name,
        version: addon.version,
        version_found: addon.versionFound ?? "",
        phase: addon.phase,
        managed: String(addon.managed),
      };
      lines.push(series("fleetplane_cluster_addon_info", labels, 1));
    }
  }
  return lines;
}
