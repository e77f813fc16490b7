import { and, asc, eq, getTableColumns, getTableName, gt, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { resourceLabels } from "../schema/labels";
import { clampPageSize, decodePageToken, type Page, type PageRequest, toPage } from "./pagination";
import { parseLabelSelector, type Requirement, selectorToSql } from "./selector";
import type { Store } from "./store";

/** A resource table: rows with an id to page by and labels to select on. */
type ResourceTable = SQLiteTable & { id: SQLiteColumn; labels: SQLiteColumn };

export interface ListQuery extends PageRequest {
  labelSelector?: string | undefined;
}

/**
 * One page of a resource collection, read the way every list endpoint reads: the label
 * selector, the collection's own filters (`where`, named in `filters` so a page token only
 * works with the filters it was issued for), ordered by id.
 */
export async function listPage<T extends ResourceTable>(
  store: Store,
  table: T,
  query: ListQuery,
  opts: { filters?: Record<string, string>; where?: (SQL | undefined)[] } = {},
): Promise<Page<T["$inferSelect"]>> {
  const pageSize = clampPageSize(query.pageSize);
  const filters = { labelSelector: query.labelSelector ?? "", ...opts.filters };
  const after = decodePageToken(query.pageToken, filters);
  const requirements = parseLabelSelector(filters.labelSelector);
  // With a `key=value` requirement the page is read from the label index in id order, so it
  // costs O(page) however large the collection; the other requirements are probes per row.
  const driver = requirements.find((req): req is Requirement & { values: [string] } => req.op === "=");
  const rows = driver
    ? await store
        .select(getTableColumns(table as SQLiteTable))
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
    : await store
        .select()
        .from(table as SQLiteTable)
        .where(and(selectorToSql(table, requirements), ...(opts.where ?? []), after ? gt(table.id, after) : undefined))
        .orderBy(asc(table.id))
        .limit(pageSize + 1);
  return toPage(rows as (T["$inferSelect"] & { id: string })[], pageSize, filters);
}
