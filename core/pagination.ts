import { base64UrlDecode, base64UrlEncode } from "./crypto";
import { ValidationError } from "./errors";

/**
 * Opaque cursor pagination over id-ordered rows. A token remembers the last id returned and a
 * fingerprint of the filters it was issued for: reusing it with other filters would silently
 * skip or repeat rows, so that is refused instead.
 */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface PageRequest {
  pageSize?: number | undefined;
  pageToken?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

interface Cursor {
  v: 1;
  after: string;
  f: string;
}

function fingerprint(filters: unknown): string {
  // FNV-1a over the JSON form: small, stable, and good enough to notice changed filters.
  let hash = 0x811c9dc5;
  for (const ch of JSON.stringify(filters ?? null)) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function clampPageSize(size: number | undefined): number {
  if (size === undefined) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(size)));
}

export function encodePageToken(after: string, filters: unknown): string {
  const cursor: Cursor = { v: 1, after, f: fingerprint(filters) };
  return base64UrlEncode(encoder.encode(JSON.stringify(cursor)));
}

export function decodePageToken(token: string | undefined, filters: unknown): string | undefined {
  if (token === undefined || token === "") return undefined;
  const invalid = (why: string) =>
    new ValidationError(`Invalid pageToken: ${why}`, [{ location: "query.pageToken", message: why }]);
  let cursor: Partial<Cursor>;
  try {
    if (token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) throw new Error();
    cursor = JSON.parse(decoder.decode(base64UrlDecode(token)));
  } catch {
    throw invalid("not a token this API issued");
  }
  if (cursor?.v !== 1 || typeof cursor.after !== "string" || typeof cursor.f !== "string") {
    throw invalid("not a token this API issued");
  }
  if (cursor.f !== fingerprint(filters)) {
    throw invalid("the token was issued for different filters; start again without it");
  }
  return cursor.after;
}

/** Rows were fetched with `limit pageSize + 1`; the extra row only says another page exists. */
export function toPage<T extends { id: string }>(rows: T[], pageSize: number, filters: unknown): Page<T> {
  if (rows.length <= pageSize) return { items: rows };
  const items = rows.slice(0, pageSize);
  return { items, nextPageToken: encodePageToken((items[items.length - 1] as T).id, filters) };
}
