import { getTableColumns, getTableName, is } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
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

interface InsertText {
  sql: string;
  columns: { mapToDriverValue(value: unknown): unknown }[];
  keys: string[];
}

const insertTexts = new WeakMap<SQLiteTable, Map<string, InsertText>>();

/**
 * The insert of one row as a batch statement, for the rows every create writes (the resource,
 * its job, its audit event). drizzle's insert builder rebuilds the statement's SQL from the
 * table's columns on every call, which costs more than the embedded store takes to run it;
 * here the text is built once per table and set of columns given, and each call only maps its
 * values as drizzle would (`mapToDriverValue`: JSON, timestamps, booleans). Every store runs
 * it: it is the same session statement drizzle's batch prepares for a builder.
 *
 * Columns left out take their SQL default, as with the builder; a column with a default made
 * in JavaScript (`$defaultFn`) would be frozen into the cached text, so it is refused.
 */
export function insertRow<T extends SQLiteTable>(store: Store, table: T, values: T["$inferInsert"]): Statement {
  const given = values as Record<string, unknown>;
  const keys = Object.keys(given).filter((key) => given[key] !== undefined);
  const text = insertText(table, keys);
  const params = text.keys.map((key, i) => {
    const value = given[key];
    return value === null ? null : text.columns[i]!.mapToDriverValue(value);
  });
  const session = (store as unknown as { session: RawSession }).session;
  const statement = {
    _prepare: () => session.prepareQuery({ sql: text.sql, params }, undefined, "run", false),
    // Awaited on its own it runs, as a query builder does: alone, in a batch of one.
    // biome-ignore lint/suspicious/noThenProperty: the statement keeps drizzle's builder contract
    then: (onDone?: (value: unknown) => unknown, onError?: (error: unknown) => unknown) =>
      writeBatch(store, [statement as unknown as Statement])
        .then((results) => results[0])
        .then(onDone, onError),
  };
  return statement as unknown as Statement;
}

function insertText(table: SQLiteTable, keys: string[]): InsertText {
  let texts = insertTexts.get(table);
  if (!texts) {
    texts = new Map();
    insertTexts.set(table, texts);
  }
  const shape = keys.join(",");
  let text = texts.get(shape);
  if (!text) {
    const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
    for (const [key, column] of Object.entries(columns)) {
      if (!keys.includes(key) && (column.defaultFn || column.onUpdateFn)) {
        throw new Error(`insertRow cannot leave out ${getTableName(table)}.${key}: its default is made in JavaScript`);
      }
    }
    const picked = keys.map((key) => {
      const column = columns[key];
      if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
      return column;
    });
    const names = picked.map((column) => `"${column.name}"`).join(", ");
    text = {
      sql: `insert into "${getTableName(table)}" (${names}) values (${picked.map(() => "?").join(", ")})`,
      columns: picked,
      keys,
    };
    texts.set(shape, text);
  }
  return text;
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
