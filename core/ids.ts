/**
 * Resource ids: a type prefix and a ULID (48-bit millisecond time + 80 random bits in Crockford
 * base32). They are generated in the app, not by the database, because D1 writes go out as one
 * batch and later statements of the batch must already know the id. Being time-ordered, they are
 * also the stable sort key for cursor pagination.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export type IdPrefix =
  | "env"
  | "awk"
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

/**
 * Ids minted in the same millisecond by one process count up from the previous one (as
 * monotonic ULIDs do) instead of taking fresh random bits, so things written together, such
 * as the events of one write, list in the order they happened, not in a random order.
 */
let lastTime = -1;
let lastRand: number[] = [];

/** The ten base-32 digits of a millisecond time that start an id. */
function timeDigits(ms: number): string {
  let time = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

/** The smallest id of this type minted at `ms`: a bound for reading ids by time. */
export function idFloor(prefix: IdPrefix, ms: number): string {
  return `${prefix}_${timeDigits(Math.max(0, Math.floor(ms)))}${"0".repeat(16)}`;
}

/** When an id was minted (ms). */
export function timeOfId(id: string): number {
  const digits = id.slice(id.indexOf("_") + 1, id.indexOf("_") + 11);
  let t = 0;
  for (const ch of digits) t = t * 32 + ALPHABET.indexOf(ch);
  return t;
}

export function newId(prefix: IdPrefix, now = Date.now()): string {
  const time = timeDigits(now);
  const rand = now === lastTime ? nextOf(lastRand) : [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b % 32);
  lastTime = now;
  lastRand = rand;
  return `${prefix}_${time}${rand.map((d) => ALPHABET[d]).join("")}`;
}

/** The next 80-bit value in base 32 digits (wrapping would need 2^80 ids in one millisecond). */
function nextOf(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    next[i] = ((next[i] as number) + 1) % 32;
    if (next[i] !== 0) break;
  }
  return next;
}

/** `{ref}` path parameters accept an id (always has `_`) or a DNS-1123 name (never has one). */
export function isId(ref: string): boolean {
  return ref.includes("_");
}
