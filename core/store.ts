import { is } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { SQLiteRaw } from "drizzle-orm/sqlite-core/query-builders/raw";
import type * as schema from "../schema";
import { crashPoint } from "./crash-points";

export type Schema = typeof schema;

/**
 * The SQL store. On Node it is a local SQLite file (`node:sqlite`) or a remote libSQL server, on
 * Workers D1; all are drizzle SQLite databases with the same query builder and `batch`. D1 has no interactive transactions, so every multi-row
 * write in Fleetplane is one batch: all statements commit together or none do.
 */
export type Store = LibSQLDatabase<Schema>;
export type Statement = BatchItem<"sqlite">;

export async function writeBatch(store: Store, statements: Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  crashPoint("before-commit");
  const prepared = statements.map((statement) => forBatch(store, statement));
  const [first, ...rest] = prepared;
  return store.batch([first as Statement, ...rest]);
}

interface RawSession {
  client?: { prepare?: unknown };
  prepareQuery(query: unknown, fields: undefined, method: string, arrayMode: boolean): unknown;
}

/**
 * drizzle's D1 batch binds parameters on a prepared D1 statement, which raw SQL
 * (`store.run(sql\`…\`)`, used for guarded inserts and upserts) does not carry: on D1 such a
 * statement is prepared through the session first, exactly as a query builder would be.
 * libSQL batches raw SQL as it is.
 */
function forBatch(store: Store, statement: Statement): Statement {
  if (!is(statement, SQLiteRaw)) return statement;
  const session = (store as unknown as { session: RawSession }).session;
  if (typeof session.client?.prepare !== "function") return statement;
  const query = (statement as unknown as { getQuery(): { method: string } }).getQuery();
  const prepared = session.prepareQuery(query, undefined, query.method, false);
  return { _prepare: () => prepared } as unknown as Statement;
}

const preparedByStore = new WeakMap<object, Map<unknown, unknown>>();

/**
 * A hot-path query built once per store and run with placeholders (`sql.placeholder`):
 * drizzle otherwise rebuilds a query's SQL from its builder on every call, which costs more
 * than the embedded store takes to run it. Keyed by the builder function, so each call site
 * passes a module-level function.
 */
export function prepared<Query>(store: Store, build: (store: Store) => Query): Query {
  let queries = preparedByStore.get(store);
  if (!queries) {
    queries = new Map();
    preparedByStore.set(store, queries);
  }
  let query = queries.get(build) as Query | undefined;
  if (query === undefined) {
    query = build(store);
    queries.set(build, query);
  }
  return query;
}
