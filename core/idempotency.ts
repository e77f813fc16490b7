import { and, eq, lt } from "drizzle-orm";
import { idempotencyKeys } from "../schema";
import type { Store } from "./store";

/**
 * The store half of `Idempotency-Key`: one row per (credential, key) that is
 * claimed when the first request starts and completed with its response. The HTTP half, which
 * decides what to replay or refuse, is the API's middleware.
 */
export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

const TTL_MS = 24 * 60 * 60 * 1000;

export interface KeyRef {
  principalId: string;
  key: string;
}

const whereKey = (ref: KeyRef) =>
  and(eq(idempotencyKeys.principalId, ref.principalId), eq(idempotencyKeys.key, ref.key));

/** Claims the key for a request now starting; `false` when someone holds it already. */
export async function claimKey(
  store: Store,
  ref: KeyRef,
  request: { method: string; path: string; requestHash: string },
  now: number,
): Promise<boolean> {
  const claimed = await store
    .insert(idempotencyKeys)
    .values({ ...ref, ...request, state: "InFlight", createdAt: now, expiresAt: now + TTL_MS })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return claimed.length > 0;
}

export async function findKey(store: Store, ref: KeyRef): Promise<IdempotencyRecord | undefined> {
  const [existing] = await store.select().from(idempotencyKeys).where(whereKey(ref)).limit(1);
  return existing;
}

/**
 * Takes over an expired or abandoned claim, with a compare-and-set on when it was made, so two
 * retries of an abandoned request do not both run; `false` when another retry took it first.
 */
export async function retakeKey(
  store: Store,
  ref: KeyRef,
  previous: Pick<IdempotencyRecord, "createdAt">,
  request: { path: string; requestHash: string },
  now: number,
): Promise<boolean> {
  const taken = await store
    .update(idempotencyKeys)
    .set({ ...request, state: "InFlight", createdAt: now, expiresAt: now + TTL_MS, responseBody: null })
    .where(and(whereKey(ref), eq(idempotencyKeys.createdAt, previous.createdAt)))
    .returning({ key: idempotencyKeys.key });
  return taken.length > 0;
}

/** Forgets a claim whose request must run again when retried (a server error, a rate limit). */
export async function forgetKey(store: Store, ref: KeyRef): Promise<void> {
  await store.delete(idempotencyKeys).where(whereKey(ref));
}

/** Remembers the response to replay; a `null` body means it carried a secret and is not kept. */
export async function completeKey(
  store: Store,
  ref: KeyRef,
  response: { status: number; headers: Record<string, string>; body: string | null },
): Promise<void> {
  await store
    .update(idempotencyKeys)
    .set({
      state: "Completed",
      responseStatus: response.status,
      responseHeaders: response.headers,
      responseBody: response.body,
    })
    .where(whereKey(ref));
}

export async function dropExpiredKeys(store: Store, now: number): Promise<void> {
  await store.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now));
}
