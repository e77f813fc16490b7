/**
 * Prometheus text exposition, shared by every part that exports series: label values escaped
 * as the format requires, one sample per line, HELP and TYPE before each family.
 */

export function escapeLabelValue(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

/** `{a="1",b="2"}`, or nothing for no labels. */
export function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

export function series(name: string, labels: Record<string, string>, value: number): string {
  return `${name}${labelText(labels)} ${value}`;
}

export function family(lines: string[], name: string, type: "gauge" | "counter" | "histogram", help: string) {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}
