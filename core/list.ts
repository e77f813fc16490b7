import { and, asc, gt, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { clampPageSize, decodePageToken, type Page, type PageRequest, toPage } from "./pagination";
import { parseLabelSelector, selectorToSql } from "./selector";
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
  const rows = await store
    .select()
    .from(table as SQLiteTable)
    .where(
      and(
        selectorToSql(table.labels, parseLabelSelector(filters.labelSelector)),
        ...(opts.where ?? []),
        after ? gt(table.id, after) : undefined,
      ),
    )
    .orderBy(asc(table.id))
    .limit(pageSize + 1);
  return toPage(rows as (T["$inferSelect"] & { id: string })[], pageSize, filters);
}
