import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Every labelled resource's labels, one row per key, so a label selector is an index lookup
 * rather than a JSON scan of every row. Rows are written by triggers on each resource table
 * (migration `0010_label_index`), inside the statement that writes the resource: no
 * write path can forget them, and they commit or roll back with it on every store.
 */
export const resourceLabels = sqliteTable(
  "resource_labels",
  {
    /** The resource's table name: `clusters`, `tenants`, … */
    resource: text("resource").notNull(),
    resourceId: text("resource_id").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [
    // One label of one resource: what `key`, `!key` and `key!=v` look up per row.
    primaryKey({ columns: [t.resource, t.resourceId, t.key] }),
    // A page of `key=v` read in id order straight from the index, O(page).
    index("resource_labels_by_value").on(t.resource, t.key, t.value, t.resourceId),
  ],
);
