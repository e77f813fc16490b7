import { stringify } from "yaml";

export type OutputFormat = "table" | "json" | "yaml";

/** A table column: a header and how to read the cell from an item. */
export interface Column {
  header: string;
  // biome-ignore lint/suspicious/noExplicitAny: columns read whatever JSON the API returned.
  value: (item: any) => unknown;
}

export const col = (header: string, path: string): Column => ({
  header,
  value: (item) =>
    path.split(".").reduce<unknown>((v, key) => (v == null ? undefined : (v as Record<string, unknown>)[key]), item),
});

export const labelsText = (labels: Record<string, string> | undefined) =>
  Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

/** How long ago an ISO time was, the way people read ages in a table. */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return "";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function renderTable(items: unknown[], columns: Column[]): string {
  const rows = items.map((item) => columns.map((c) => cell(c.value(item))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((text, i) => (i === cells.length - 1 ? text : text.padEnd(widths[i]!)))
      .join("   ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join("\n");
}

/** Data for scripts (json, yaml) or people (a table of the columns). */
export function render(data: unknown, format: OutputFormat, columns: Column[] | undefined): string {
  if (format === "json") return JSON.stringify(data, null, 2);
  if (format === "yaml") return stringify(data).trimEnd();
  if (columns && data !== undefined && data !== null && typeof data === "object") {
    return renderTable(Array.isArray(data) ? data : [data], columns);
  }
  return typeof data === "string" ? data : stringify(data).trimEnd();
}
