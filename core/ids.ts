/**
 * Resource ids: a type prefix and a ULID (48-bit millisecond time + 80 random bits in Crockford
 * base32). They are generated in the app, not by the database, because D1 writes go out as one
 * batch and later statements of the batch must already know the id. Being time-ordered, they are
 * also the stable sort key for cursor pagination.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export type IdPrefix =
  | "env"
  | "ccl"
  | "cls"
  | "job"
  | "evt"
  | "tok"
  | "tnt"
  | "sec"
  | "app"
  | "ro"
  | "req"
  | "ntp"
  | "alr";

export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = crypto.getRandomValues(new Uint8Array(16));
  let rand = "";
  for (let i = 0; i < 16; i++) rand += ALPHABET[(random[i] as number) % 32];
  return `${prefix}_${time}${rand}`;
}

/** `{ref}` path parameters accept an id (always has `_`) or a DNS-1123 name (never has one). */
export function isId(ref: string): boolean {
  return ref.includes("_");
}
