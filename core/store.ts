import type { BatchItem } from "drizzle-orm/batch";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as schema from "../schema";
import { crashPoint } from "./crash-points";

export type Schema = typeof schema;

/**
 * The SQL store. On Node it is libSQL, on Workers D1; both are drizzle SQLite databases with
 * the same query builder and `batch`. D1 has no interactive transactions, so every multi-row
 * write in Fleetplane is one batch: all statements commit together or none do.
 */
export type Store = LibSQLDatabase<Schema>;
export type Statement = BatchItem<"sqlite">;

export async function writeBatch(store: Store, statements: Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  crashPoint("before-commit");
  const [first, ...rest] = statements;
  return store.batch([first as Statement, ...rest]);
}
