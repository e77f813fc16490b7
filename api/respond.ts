import type { Context } from "hono";
import { etagOf } from "../core/resource";

/** One resource, with its ETag, in the status the contract promises. */
export function resourceResponse<T extends { revision: number }, S extends 200 | 201 | 202 = 200>(
  c: Context,
  body: T,
  status: S = 200 as S,
) {
  c.header("etag", etagOf(body.revision));
  return c.json(body, status);
}

export function pageResponse<T, W>(c: Context, page: { items: T[]; nextPageToken?: string }, toWire: (item: T) => W) {
  return c.json(
    { items: page.items.map(toWire), ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) },
    200,
  );
}

/** One resource whose wire form is already JSON text (`wireJson`), with its ETag. */
export function wireResponse(c: Context, json: string, revision: number) {
  c.header("etag", etagOf(revision));
  return c.body(json, 200, { "content-type": "application/json" });
}

/** A page whose items are already wire JSON text (`listWirePage`): joined, not serialised again. */
export function wirePageResponse(c: Context, page: { items: string[]; nextPageToken?: string }) {
  const next = page.nextPageToken ? `,"nextPageToken":${JSON.stringify(page.nextPageToken)}` : "";
  return c.body(`{"items":[${page.items.join(",")}]${next}}`, 200, { "content-type": "application/json" });
}

/** A page whose items need the store to render (status derived on read). */
export async function pageResponseOf<T, W>(
  c: Context,
  page: { items: T[]; nextPageToken?: string },
  toWire: (item: T) => Promise<W>,
) {
  const items = await Promise.all(page.items.map(toWire));
  return c.json({ items, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) }, 200);
}
