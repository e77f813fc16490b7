import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { ConflictError, PreconditionFailedError } from "./errors";
import type { Store } from "./store";

/** What a write attempt answers when its compare-and-set found the row moved on. */
export const LOST_RACE = Symbol("lost race");

const ATTEMPTS = 5;

/** `If-Match`: the write is refused (412) unless the caller saw the revision that is stored. */
export function requireRevision(current: { revision: number }, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && current.revision !== ifMatch) {
    throw new PreconditionFailedError(`Revision is ${current.revision}, not ${ifMatch}`);
  }
}

/**
 * The read-modify-write every verb that changes a resource shares. `write` ends in a
 * compare-and-set on the revision it read (its guarded side effects in the same batch) and
 * answers `LOST_RACE` when another writer got there first. With `If-Match` the loser gets 412,
 * since the caller asked about one revision; without it the whole decision is taken again on
 * the fresh row, a few times, then the caller is told to try again (409) rather than spin.
 */
export async function writeWithRevision<R extends { revision: number }, T>(
  subject: { what: string; doing: string; ifMatch: number | undefined },
  read: () => Promise<R>,
  write: (current: R) => Promise<T | typeof LOST_RACE>,
): Promise<T> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await read();
    requireRevision(current, subject.ifMatch);
    const result = await write(current);
    if (result !== LOST_RACE) return result;
    if (subject.ifMatch !== undefined) {
      throw new PreconditionFailedError(`The ${subject.what} changed while it was being ${subject.doing}`);
    }
  }
  throw new ConflictError(`The ${subject.what} is being changed by others; try again`);
}

type Revisioned = SQLiteTable & { id: SQLiteColumn; revision: SQLiteColumn };

/** The condition of a compare-and-set: the row still has the revision the writer read. */
export function atRevision(table: Revisioned, row: { id: string; revision: number }): SQL {
  return sql`${table.id} = ${row.id} AND ${table.revision} = ${row.revision}`;
}

/**
 * The compare-and-set update a verb ends its batch with: `set` lands, and the revision moves
 * on, only if the row still has the revision the writer read. Put it last in the batch and
 * read its answer with `casOutcome`.
 */
export function casUpdate<T extends Revisioned>(
  store: Store,
  table: T,
  row: { id: string; revision: number },
  set: SQLiteUpdateSetSource<T>,
) {
  const next = { ...set, revision: row.revision + 1 } as SQLiteUpdateSetSource<T>;
  return store.update(table).set(next).where(atRevision(table, row)).returning();
}

/** What the batch's last statement, a `casUpdate`, answered: the updated row, or `LOST_RACE`. */
export function casOutcome<R>(results: unknown[]): R | typeof LOST_RACE {
  return (results[results.length - 1] as R[])[0] ?? LOST_RACE;
}
