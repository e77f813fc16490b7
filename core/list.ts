import { and, asc, eq, getTableColumns, getTableName, gt, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { resourceLabels } from "../schema/labels";
import { clampPageSize, decodePageToken, type Page, type PageRequest, toPage } from "./pagination";
import { type ResourceRow, type WireValues, wireJson } from "./resource";
import { parseLabelSelector, type Requirement, selectorToSql } from "./selector";
import type { Store } from "./store";

/** A resource table: rows with an id to page by and labels to select on. */
type ResourceTable = SQLiteTable & { id: SQLiteColumn; labels: SQLiteColumn };

/** The columns every resource shares, which are all its plain wire form is made of. */
const WIRE_COLUMNS = [
  "id",
  "name",
  "labels",
  "spec",
  "status",
  "generation",
  "revision",
  "createdAt",
  "updatedAt",
] as const satisfies readonly (keyof ResourceRow)[];

/** A row as a list reads it with `wireColumns`: what the wire form needs and nothing else. */
export type WireRow<T extends ResourceTable> = Pick<T["$inferSelect"], (typeof WIRE_COLUMNS)[number]>;

/**
 * Only the columns of the wire form. A list whose items render from these alone reads them and
 * leaves the rest in the store: less for SQLite to hand over and for the mapper to convert (a
 * page of 100 clusters read a third faster), and columns such as a cluster's sealed credentials
 * never leave the store on a list.
 */
export function wireColumns(table: ResourceTable): Record<string, SQLiteColumn> {
  const columns = getTableColumns(table);
  return Object.fromEntries(WIRE_COLUMNS.map((key) => [key, columns[key] as SQLiteColumn]));
}

export interface ListQuery extends PageRequest {
  labelSelector?: string | undefined;
}

interface ListOptions {
  filters?: Record<string, string>;
  where?: (SQL | undefined)[];
  columns?: Record<string, SQLiteColumn>;
}

/**
 * One page of a resource collection, read the way every list endpoint reads: the label
 * selector, the collection's own filters (`where`, named in `filters` so a page token only
 * works with the filters it was issued for), ordered by id.
 */
export async function listPage<T extends ResourceTable, Row = T["$inferSelect"]>(
  store: Store,
  table: T,
  query: ListQuery,
  opts: ListOptions = {},
): Promise<Page<Row>> {
  const { select, pageSize, filters } = pageQuery(store, table, query, opts);
  return toPage((await select) as (Row & { id: string })[], pageSize, filters);
}

/**
 * A page of a collection whose items are the plain wire form (`toWire`), each rendered
 * straight from the stored columns as JSON text (`wireJson`): a page of 100 skips mapping every
 * row to objects, parsing its spec, labels and status, and serialising them again.
 */
export async function listWirePage<T extends ResourceTable>(
  store: Store,
  table: T,
  query: ListQuery,
  opts: Omit<ListOptions, "columns"> = {},
): Promise<Page<string>> {
  const { select, pageSize, filters } = pageQuery(store, table, query, { ...opts, columns: wireColumns(table) });
  const rows = (await select.values()) as WireValues[];
  const page = toPage(
    rows.map((values) => ({ id: values[0], values })),
    pageSize,
    filters,
  );
  return { ...page, items: page.items.map((row) => wireJson(row.values)) };
}

function pageQuery<T extends ResourceTable>(store: Store, table: T, query: ListQuery, opts: ListOptions) {
  const pageSize = clampPageSize(query.pageSize);
  const filters = { labelSelector: query.labelSelector ?? "", ...opts.filters };
  const after = decodePageToken(query.pageToken, filters);
  const requirements = parseLabelSelector(filters.labelSelector);
  // With a `key=value` requirement the page is read from the label index in id order, so it
  // costs O(page) however large the collection; the other requirements are probes per row.
  const columns = opts.columns ?? getTableColumns(table as SQLiteTable);
  const driver = requirements.find((req): req is Requirement & { values: [string] } => req.op === "=");
  const select = driver
    ? store
        .select(columns)
        .from(resourceLabels)
        .innerJoin(table as SQLiteTable, eq(table.id, resourceLabels.resourceId))
        .where(
          and(
            eq(resourceLabels.resource, getTableName(table)),
            eq(resourceLabels.key, driver.key),
            eq(resourceLabels.value, driver.values[0]),
            after ? gt(resourceLabels.resourceId, after) : undefined,
            selectorToSql(table, requirements, driver),
            ...(opts.where ?? []),
          ),
        )
        .orderBy(asc(resourceLabels.resourceId))
        .limit(pageSize + 1)
    : store
        .select(columns)
        .from(table as SQLiteTable)
        .where(and(selectorToSql(table, requirements), ...(opts.where ?? []), after ? gt(table.id, after) : undefined))
        .orderBy(asc(table.id))
        .limit(pageSize + 1);
  return { select, pageSize, filters };
}
