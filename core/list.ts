import { and, asc, eq, getTableColumns, getTableName, gt, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { resourceLabels } from "../schema/labels";
import { clampPageSize, decodePageToken, type Page, type PageRequest, toPage } from "./pagination";
import { type ResourceRow, type WireValues, wireJson } from "./resource";
import { parseLabelSelector, type Requirement, selectorToSql } from "./selector";
import { prepared, type Store } from "./store";

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
  let columns = wireColumnsByTable.get(table);
  if (!columns) {
    const all = getTableColumns(table);
    columns = Object.fromEntries(WIRE_COLUMNS.map((key) => [key, all[key] as SQLiteColumn]));
    wireColumnsByTable.set(table, columns);
  }
  return columns;
}
const wireColumnsByTable = new WeakMap<ResourceTable, Record<string, SQLiteColumn>>();

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
  const plan = pagePlan(query, opts);
  const rows = await pageSelect(store, table, plan, opts);
  return toPage(rows as (Row & { id: string })[], plan.pageSize, plan.filters);
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
  const plan = pagePlan(query, opts);
  const { driver, after } = plan;
  const onlyDriver = driver && plan.requirements.length === 1 && !opts.where?.some((w) => w !== undefined);
  const rows = (
    onlyDriver
      ? await prepared(store, indexedWirePage(table, after !== undefined)).values({
          key: driver.key,
          value: driver.values[0],
          after,
          limit: plan.pageSize + 1,
        })
      : await pageSelect(store, table, plan, { ...opts, columns: wireColumns(table) }).values()
  ) as WireValues[];
  const page = toPage(
    rows.map((values) => ({ id: values[0], values })),
    plan.pageSize,
    plan.filters,
  );
  return { ...page, items: page.items.map((row) => wireJson(row.values)) };
}

type PagePlan = ReturnType<typeof pagePlan>;

function pagePlan(query: ListQuery, opts: ListOptions) {
  const pageSize = clampPageSize(query.pageSize);
  const filters = { labelSelector: query.labelSelector ?? "", ...opts.filters };
  const after = decodePageToken(query.pageToken, filters);
  const requirements = parseLabelSelector(filters.labelSelector);
  const driver = requirements.find((req): req is Requirement & { values: [string] } => req.op === "=");
  return { pageSize, filters, after, requirements, driver };
}

/**
 * The query of one page. With a `key=value` requirement the page is read from the label index
 * in id order, so it costs O(page) however large the collection; the other requirements are
 * probes per row.
 */
function pageSelect<T extends ResourceTable>(store: Store, table: T, plan: PagePlan, opts: ListOptions) {
  const { driver, after, requirements, pageSize } = plan;
  const columns = opts.columns ?? getTableColumns(table as SQLiteTable);
  return driver
    ? fromLabelIndex(store, table, columns, { key: driver.key, value: driver.values[0], after }, pageSize + 1, [
        selectorToSql(table, requirements, driver),
        ...(opts.where ?? []),
      ])
    : store
        .select(columns)
        .from(table as SQLiteTable)
        .where(and(selectorToSql(table, requirements), ...(opts.where ?? []), after ? gt(table.id, after) : undefined))
        .orderBy(asc(table.id))
        .limit(pageSize + 1);
}

/** Values of a page read from the label index, or placeholders for a query prepared once. */
interface IndexTerm {
  key: string | Placeholder;
  value: string | Placeholder;
  after: string | Placeholder | undefined;
}

/** A page's rows in id order from the label index: those labelled `key=value`, after `after`. */
function fromLabelIndex(
  store: Store,
  table: ResourceTable,
  columns: Record<string, SQLiteColumn>,
  term: IndexTerm,
  limit: number | Placeholder,
  where: (SQL | undefined)[] = [],
) {
  return store
    .select(columns)
    .from(resourceLabels)
    .innerJoin(table as SQLiteTable, eq(table.id, resourceLabels.resourceId))
    .where(
      and(
        eq(resourceLabels.resource, getTableName(table)),
        eq(resourceLabels.key, term.key),
        eq(resourceLabels.value, term.value),
        term.after !== undefined ? gt(resourceLabels.resourceId, term.after) : undefined,
        ...where,
      ),
    )
    .orderBy(asc(resourceLabels.resourceId))
    .limit(limit);
}

/**
 * The commonest page, one `key=value` selector and nothing else, as a query prepared once per
 * table (first page, and pages after a token): building a page's SQL took as long as SQLite
 * took to read its 100 rows.
 */
function indexedWirePage(table: ResourceTable, paged: boolean) {
  const byTable = indexedWirePages.get(table) ?? new Map<boolean, (store: Store) => IndexedWirePage>();
  indexedWirePages.set(table, byTable);
  let build = byTable.get(paged);
  if (!build) {
    const term = {
      key: sql.placeholder("key"),
      value: sql.placeholder("value"),
      after: paged ? sql.placeholder("after") : undefined,
    };
    build = (store: Store) =>
      fromLabelIndex(store, table, wireColumns(table), term, sql.placeholder("limit")).prepare();
    byTable.set(paged, build);
  }
  return build;
}
type IndexedWirePage = { values(placeholders: Record<string, unknown>): Promise<unknown[]> };
const indexedWirePages = new WeakMap<ResourceTable, Map<boolean, (store: Store) => IndexedWirePage>>();
