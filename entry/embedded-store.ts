import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import type { Query } from "drizzle-orm";
import { BetterSQLiteSession } from "drizzle-orm/better-sqlite3/session";
import { is } from "drizzle-orm/entity";
import { readMigrationFiles } from "drizzle-orm/migrator";
import {
  createTableRelationsHelpers,
  extractTablesRelationalConfig,
  type TablesRelationalConfig,
} from "drizzle-orm/relations";
import { BaseSQLiteDatabase, SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { SQLiteRaw } from "drizzle-orm/sqlite-core/query-builders/raw";
import type { Statement, Store } from "../core/store";
import * as schema from "../schema";

/**
 * The Node host's embedded store: Node's own synchronous SQLite (`node:sqlite`) on a local file,
 * behind drizzle's SQLite session for synchronous drivers (the one drizzle writes for
 * better-sqlite3; the statement cache below gives `node:sqlite` that API).
 *
 * Why this driver: a point select by id with its statement prepared once costs about 6 µs here,
 * against about 15 µs on libSQL's native `Database` (the same SQLite, but every row crosses a
 * row-batching iterator) and about 90 µs on `@libsql/client`, which prepares every statement
 * anew behind an async API (measured by `npm run bench`, B1). SQLite in-process is synchronous
 * anyway; an async wrapper only adds cost.
 *
 * The store keeps the query code of the other two stores (`@libsql/client` for a remote
 * `libsql://` or `http://` URL, D1 on Workers): queries are awaited, and raw SQL statements stay
 * lazy so they can be put in a batch. `batch` runs its statements in one `BEGIN IMMEDIATE`
 * transaction: all commit or none do, as libSQL's and D1's batches.
 */
interface PendingBatch {
  statements: Statement[];
  resolve(results: unknown[]): void;
  reject(error: unknown): void;
}

type Session = BetterSQLiteSession<Record<string, unknown>, TablesRelationalConfig>;

class EmbeddedStore extends BaseSQLiteDatabase<"async", unknown, typeof schema> {
  constructor(
    private readonly sync: Session,
    private readonly db: DatabaseSync,
    dialect: SQLiteSyncDialect,
    relational: unknown,
  ) {
    // "async" only decides that `run`/`all`/`get`/`values` on raw SQL return lazy statements
    // (batchable, executed when awaited) rather than executing at once; every statement still
    // executes synchronously inside.
    super("async", dialect as never, sync as never, relational as never);
  }

  /** Batches waiting for the next group commit, in the order they were asked for. */
  private pending: PendingBatch[] = [];

  /**
   * Every batch is atomic, and the batches asked for in the same turn of the event loop commit
   * together (group commit): one `BEGIN IMMEDIATE … COMMIT` for all of them, each inside a
   * savepoint of its own, so a batch that fails (a constraint, a lost race) is rolled back alone
   * and the others still commit. A commit writes every page a batch touched to the WAL, one
   * system call per page; concurrent creates touch the same table and index pages, so a group
   * writes each of them once. No batch is answered before the commit that holds it.
   */
  batch(statements: Statement[]): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ statements, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.commitPending());
    });
  }

  commitPending(): void {
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    if (!this.db.isOpen) {
      for (const { reject } of group) reject(new Error("The store is closed"));
      return;
    }
    const settle: (() => void)[] = [];
    try {
      this.db.exec("BEGIN IMMEDIATE");
      for (const { statements, resolve, reject } of group) {
        this.db.exec("SAVEPOINT batch");
        try {
          const results = statements.map((statement) => this.execute(statement));
          this.db.exec("RELEASE batch");
          settle.push(() => resolve(results));
        } catch (error) {
          this.db.exec("ROLLBACK TO batch");
          this.db.exec("RELEASE batch");
          settle.push(() => reject(error));
        }
      }
      this.db.exec("COMMIT");
    } catch (error) {
      // The transaction itself failed (BEGIN or COMMIT): nothing of the group is stored.
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      for (const { reject } of group) reject(error);
      return;
    }
    for (const answer of settle) answer();
  }

  /** One statement of a batch, answered as libSQL's batch answers it (rows for `returning`). */
  private execute(statement: Statement): unknown {
    if (is(statement, SQLiteRaw)) {
      const query = (
        statement as unknown as { getQuery(): Query & { method: "run" | "all" | "get" | "values" } }
      ).getQuery();
      const prepared = this.sync.prepareQuery(query, undefined, "run", false);
      return prepared[query.method]();
    }
    const prepared = (
      statement as unknown as {
        _prepare(): { executeMethod: "run" | "all" | "get"; run(): unknown; all(): unknown; get(): unknown };
      }
    )._prepare();
    return prepared[prepared.executeMethod]();
  }
}

/** SQLite binds numbers, strings, bigints, bytes and null; drizzle may hand over booleans. */
function bindable(params: unknown[]): SQLInputValue[] {
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (typeof value === "boolean") params[i] = value ? 1 : 0;
    else if (value === undefined) params[i] = null;
  }
  return params as SQLInputValue[];
}

/** A query whose last parameter is its `LIMIT`, as drizzle writes `.limit(n)`. */
const LIMIT_PARAMETER = /^([\s\S]*) limit \?$/;

type Shape = "objects" | "arrays";

/**
 * Statements prepared once per SQL text. drizzle's session asks the client to `prepare` on every
 * query; preparing is most of a point select's cost, and the hot paths (a get by id, a page of a
 * list, a token lookup, a job lease) repeat the same few texts. drizzle reads rows of a query
 * with selected fields as arrays (`raw()`) and rows of raw SQL as objects: each text keeps one
 * statement per shape, so a shape is never toggled on a shared statement. `node:sqlite` resets a
 * statement when `get` returns, so a single-row read never holds a read transaction open.
 *
 * A `LIMIT ?` is written into the text as its number: SQLite re-prepares a statement whose
 * `LIMIT` is a bound parameter each time it is bound (measured: a point select by id took 20 µs
 * with `LIMIT ?` and 8 µs without), so each page size gets a statement of its own.
 *
 * Bounded, oldest out: texts with a varying number of `IN (…)` parameters, or page sizes, would
 * otherwise grow it without end.
 */
class StatementCache {
  private readonly statements = new Map<string, Partial<Record<Shape, StatementSync>>>();

  constructor(
    private readonly db: DatabaseSync,
    private readonly capacity = 512,
  ) {}

  prepare(text: string) {
    const limited = LIMIT_PARAMETER.exec(text)?.[1];
    const execute = (shape: Shape, method: "run" | "all" | "get", params: unknown[]) => {
      const limit = params[params.length - 1];
      if (limited !== undefined && Number.isSafeInteger(limit) && (limit as number) >= 0) {
        return this.statement(`${limited} limit ${limit}`, shape)[method](...bindable(params.slice(0, -1)));
      }
      return this.statement(text, shape)[method](...bindable(params));
    };
    const arrays = {
      all: (...params: unknown[]) => execute("arrays", "all", params),
      get: (...params: unknown[]) => execute("arrays", "get", params),
    };
    return {
      run: (...params: unknown[]) => execute("objects", "run", params),
      all: (...params: unknown[]) => execute("objects", "all", params),
      get: (...params: unknown[]) => execute("objects", "get", params),
      raw: () => arrays,
    };
  }

  private statement(text: string, shape: Shape): StatementSync {
    const entry = this.entry(text);
    let statement = entry[shape];
    if (!statement) {
      statement = this.db.prepare(text);
      if (shape === "arrays") statement.setReturnArrays(true);
      entry[shape] = statement;
    }
    return statement;
  }

  private entry(text: string) {
    let entry = this.statements.get(text);
    if (entry) {
      // Map keeps insertion order: re-inserting marks it the most recently used.
      this.statements.delete(text);
    } else {
      entry = {};
      if (this.statements.size >= this.capacity) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
    }
    this.statements.set(text, entry);
    return entry;
  }
}

export interface EmbeddedStoreHandle {
  store: Store;
  close(): void;
}

/**
 * Opens (creating it if needed) the database file and applies the migrations.
 *
 * Pragmas, and why:
 * - `journal_mode = WAL`: readers proceed while a writer commits (the API reads while the job
 *   runner writes, and several processes may share the file).
 * - `synchronous = NORMAL`: with WAL, a commit is durable once the WAL is synced at checkpoint;
 *   a power cut may lose the last commits but never corrupts the file. Every write path is
 *   at-least-once and idempotent, so a lost commit is redone by its job or the sweep.
 * - `busy_timeout = 5000`: another process's write lock is waited for, not failed on.
 * - `cache_size = -65536` (64 MiB of page cache) and `temp_store = MEMORY`: list pages and
 *   sorts stay in memory.
 */
export function openEmbeddedStore(path: string, migrationsFolder: string): EmbeddedStoreHandle {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA cache_size = -65536");
  db.exec("PRAGMA temp_store = MEMORY");

  const dialect = new SQLiteSyncDialect();
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational = { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
  const cache = new StatementCache(db);
  // No interactive transactions: D1 has none, so every store writes through `batch`.
  const client = {
    prepare: (text: string) => cache.prepare(text),
    transaction: () => {
      throw new Error("The store writes atomically through batch(), not interactive transactions");
    },
  };
  const session = new BetterSQLiteSession(client as never, dialect, relational as never);
  const store = new EmbeddedStore(session, db, dialect, relational as never);
  dialect.migrate(readMigrationFiles({ migrationsFolder }), session as never, { migrationsFolder });
  return {
    store: store as unknown as Store,
    close: () => {
      // Batches already asked for commit before the file closes, rather than fail after it.
      store.commitPending();
      db.close();
    },
  };
}
