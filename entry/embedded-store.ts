import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
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
import Database from "libsql";
import type { Statement, Store } from "../core/store";
import * as schema from "../schema";

/**
 * The Node host's embedded store: libSQL's native, synchronous `Database` on a local file,
 * behind drizzle's SQLite session for synchronous drivers (the one drizzle writes for
 * better-sqlite3, whose API libSQL's `Database` shares).
 *
 * Why not `@libsql/client` here: for a local file it wraps the same native library in an async
 * API that prepares every statement anew and converts every row, about 90 µs for a point
 * select against about 5 µs for a statement prepared once (measured by `npm run bench`, B1).
 * SQLite in-process is synchronous anyway; the async wrapper only added the cost.
 *
 * The store keeps the query code of the other two stores (`@libsql/client` for a remote
 * `libsql://` or `http://` URL, D1 on Workers): queries are awaited, and raw SQL statements stay
 * lazy so they can be put in a batch. `batch` runs its statements in one `BEGIN IMMEDIATE`
 * transaction: all commit or none do, as libSQL's and D1's batches.
 */
type Session = BetterSQLiteSession<Record<string, unknown>, TablesRelationalConfig>;

class EmbeddedStore extends BaseSQLiteDatabase<"async", unknown, typeof schema> {
  constructor(
    private readonly sync: Session,
    private readonly db: Database.Database,
    dialect: SQLiteSyncDialect,
    relational: unknown,
  ) {
    // "async" only decides that `run`/`all`/`get`/`values` on raw SQL return lazy statements
    // (batchable, executed when awaited) rather than executing at once; every statement still
    // executes synchronously inside.
    super("async", dialect as never, sync as never, relational as never);
  }

  batch(statements: Statement[]): Promise<unknown[]> {
    try {
      return Promise.resolve(this.inTransaction(() => statements.map((statement) => this.execute(statement))));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private inTransaction<T>(work: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
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

/**
 * Statements prepared once per SQL text. drizzle's session asks the client to `prepare` on every
 * query; preparing is most of a point select's cost, and the hot paths (a get by id, a page of a
 * list, a token lookup, a job lease) repeat the same few texts. drizzle reads rows of a query
 * with selected fields through `raw()` and rows of raw SQL without it: each text keeps one
 * statement per mode, so a mode is never toggled on a shared statement. `get` reads all rows
 * (the callers' queries have `LIMIT 1`): libSQL's own `get` leaves the statement un-reset after
 * its first row, and a statement left active keeps a stale read open until its next use, which
 * made reads of a row just updated by a job miss the update. Bounded, oldest out:
 * texts with a varying number of `IN (…)` parameters would otherwise grow it without end.
 */
class StatementCache {
  private readonly statements = new Map<string, { plain?: Database.Statement; raw?: Database.Statement }>();

  constructor(
    private readonly db: Database.Database,
    private readonly capacity = 512,
  ) {}

  prepare(text: string) {
    const entry = this.entry(text);
    const plain = () => {
      entry.plain ??= this.db.prepare(text);
      return entry.plain;
    };
    return {
      run: (...params: unknown[]) => plain().run(params),
      all: (...params: unknown[]) => plain().all(params),
      get: (...params: unknown[]) => plain().all(params)[0],
      raw: () => {
        entry.raw ??= this.db.prepare(text).raw(true);
        const raw = entry.raw;
        return { all: (...params: unknown[]) => raw.all(params), get: (...params: unknown[]) => raw.all(params)[0] };
      },
    };
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
  const db = new Database(file);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA cache_size = -65536");
  db.exec("PRAGMA temp_store = MEMORY");

  const dialect = new SQLiteSyncDialect();
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational = { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
  const cache = new StatementCache(db);
  const client = { prepare: (text: string) => cache.prepare(text), transaction: db.transaction.bind(db) };
  const session = new BetterSQLiteSession(client as never, dialect, relational as never);
  const store = new EmbeddedStore(session, db, dialect, relational as never);
  dialect.migrate(readMigrationFiles({ migrationsFolder }), session as never, { migrationsFolder });
  return { store: store as unknown as Store, close: () => db.close() };
}
