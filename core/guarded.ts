import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Store } from "./store";

/**
 * `INSERT … SELECT … WHERE <guard>`: an insert that only happens if the guard holds when the
 * batch runs. D1 has no interactive transactions, so a write that must only count when a
 * compare-and-set matched puts its guarded side effects (jobs, events) *before* the CAS update
 * in one batch: inside the batch's transaction the guard and the CAS see the same row, so they
 * succeed or fail together and a lost race leaves nothing behind.
 */
export function insertIf<T extends SQLiteTable>(store: Store, table: T, values: T["$inferInsert"], guard: SQL) {
  const columns = getTableColumns(table);
  const entries = Object.entries(values as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const names = entries.map(([key]) => sql.identifier((columns[key] as { name: string }).name));
  const params = entries.map(([key, value]) => {
    const column = columns[key] as { mapToDriverValue(v: unknown): unknown };
    return value === null ? sql`NULL` : sql`${column.mapToDriverValue(value)}`;
  });
  return store.run(
    sql`INSERT INTO ${table} (${sql.join(names, sql`, `)}) SELECT ${sql.join(params, sql`, `)} WHERE ${guard}`,
  );
}

/** Guard that a row still has the revision the writer read. */
export function revisionIs(table: SQLiteTable, id: string, revision: number): SQL {
  return sql`EXISTS (SELECT 1 FROM ${table} WHERE id = ${id} AND revision = ${revision})`;
}
