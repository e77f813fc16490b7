/**
 * Small helpers for JSON values (what Kubernetes objects are on the wire).
 */

export type JsonObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep clone of a JSON value (objects in the store are plain JSON, so structuredClone is exact). */
export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Structural equality of JSON values; object key order is irrelevant, array order matters. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a);
  const bo = b as JsonObject;
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) {
    if (!Object.hasOwn(bo, k) || !deepEqual((a as JsonObject)[k], bo[k])) return false;
  }
  return true;
}

export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/**
 * Delete the value at `path`, then delete parent maps that became empty
 * because of it (so removing the last label does not leave `labels: {}`).
 */
export function deletePath(obj: JsonObject, path: readonly string[]): void {
  const parents: JsonObject[] = [];
  let cur: JsonObject = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const next = cur[path[i] as string];
    if (!isObject(next)) return;
    parents.push(cur);
    cur = next;
  }
  const last = path[path.length - 1];
  if (last === undefined || !Object.hasOwn(cur, last)) return;
  delete cur[last];
  for (let i = parents.length - 1; i >= 0; i--) {
    const parent = parents[i] as JsonObject;
    const key = path[i] as string;
    const child = parent[key];
    if (isObject(child) && Object.keys(child).length === 0) delete parent[key];
    else break;
  }
}

/** Remove `null` values from maps, recursively (they mean "unset" in apply configurations). */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v;
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === null) continue;
    out[k] = dropNulls(val);
  }
  return out;
}
