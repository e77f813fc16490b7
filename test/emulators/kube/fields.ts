/**
 * Field ownership (`metadata.managedFields`) and server-side apply.
 *
 * Model: a field set is the set of *leaf paths* of an object, where a leaf is
 * anything that is not a non-empty map: scalars, lists and empty maps.
 * Paths are kept as JSON-encoded string arrays (`["spec","replicas"]`) so they
 * can live in a Set.
 *
 * Simplifications compared to structured-merge-diff (the library the real
 * server uses), all of them documented in the README of this folder:
 *  - Lists are atomic: owning `spec.template.spec.containers` means owning the
 *    whole list. The real server uses schema information to track associative
 *    lists per item (`k:{"name":"nginx"}`); without schemas (CRDs with no
 *    x-kubernetes-list-type) it does exactly what we do.
 *  - Maps are owned through their leaves only; the `.` marker the real server
 *    emits for maps created by an Update is not produced.
 *  - Owned fields always are leaves of the current object: after every write
 *    ownership of paths that stopped being leaves is dropped.
 */
import { deepEqual, deletePath, getPath, isObject, type JsonObject } from "./json.js";

export type Operation = "Apply" | "Update";

/** One manager's ownership, decoded from a managedFields entry. */
export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: Set<string>;
}

/** A `metadata.managedFields[]` entry as it appears on the wire. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: JsonObject;
  subresource?: string;
}

/** Who is writing: manager name, the operation, and the apiVersion / subresource of the request. */
export interface Writer {
  manager: string;
  apiVersion: string;
  subresource?: string;
}

/** metadata fields that are system-owned and never tracked (nor taken from apply configurations). */
export const SYSTEM_METADATA = [
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
] as const;
const IGNORED_METADATA = new Set<string>(["name", "namespace", ...SYSTEM_METADATA]);

/** RFC 3339 with second precision, the format of every Kubernetes timestamp. */
export function timestamp(): string {
  return `${new Date().toISOString().slice(0, 19)}Z`;
}

/**
 * The identity of a manager. Like the real server, Update entries are
 * distinguished by apiVersion too, Apply entries are not (so an applier keeps
 * one entry when it moves to a new version).
 */
export function managerId(m: {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
}): string {
  return `${m.manager}\u0000${m.operation}\u0000${m.subresource ?? ""}\u0000${m.operation === "Update" ? m.apiVersion : ""}`;
}

/** How conflict messages name a manager: `"kubectl-edit" using apps/v1`, or just `"fleetplane"` for appliers. */
export function describeManager(m: Manager): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === "Update") s += ` using ${m.apiVersion}`;
  return s;
}

/** `.spec.replicas`, the path format of conflict causes. */
export function formatPath(key: string): string {
  return (JSON.parse(key) as string[]).map((p) => `.${p}`).join("");
}

/** All leaf paths of an object (minus apiVersion, kind and system metadata) with their values. */
export function leafPaths(obj: JsonObject | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!obj) return out;
  const walk = (node: JsonObject, path: string[], top: boolean, meta: boolean) => {
    for (const [key, value] of Object.entries(node)) {
      if (top && (key === "apiVersion" || key === "kind")) continue;
      if (meta && IGNORED_METADATA.has(key)) continue;
      if (value === undefined) continue;
      const p = [...path, key];
      if (isObject(value) && Object.keys(value).length > 0) walk(value, p, false, top && key === "metadata");
      else out.set(JSON.stringify(p), value);
    }
  };
  walk(obj, [], true, false);
  return out;
}

// ---------------------------------------------------------------------------
// fieldsV1 encoding: {"f:spec":{"f:replicas":{}}}
// ---------------------------------------------------------------------------

export function encodeFields(fields: Set<string>): JsonObject {
  const root: JsonObject = {};
  for (const key of [...fields].sort()) {
    let node = root;
    for (const part of JSON.parse(key) as string[]) {
      const k = `f:${part}`;
      if (!isObject(node[k])) node[k] = {};
      node = node[k] as JsonObject;
    }
  }
  return root;
}

/**
 * Decode fieldsV1. Besides our own `f:` trees this accepts what a real
 * server writes: `.` (ownership of the node itself) is dropped, and list item
 * keys (`k:`, `v:`, `i:`) are folded into ownership of the whole list.
 */
export function decodeFields(tree: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string[]) => {
    const children = isObject(node) ? Object.keys(node).filter((k) => k.startsWith("f:")) : [];
    const listItems = isObject(node) && Object.keys(node).some((k) => /^[kvi]:/.test(k));
    if (path.length > 0 && (children.length === 0 || listItems)) {
      out.add(JSON.stringify(path));
      return;
    }
    for (const k of children) walk((node as JsonObject)[k], [...path, k.slice(2)]);
  };
  walk(tree, []);
  return out;
}

export function decodeManagedFields(obj: JsonObject | undefined): Manager[] {
  const entries = (obj?.metadata as JsonObject | undefined)?.managedFields;
  if (!Array.isArray(entries)) return [];
  return entries.filter(isObject).map((e) => ({
    manager: String(e.manager ?? ""),
    operation: e.operation === "Apply" ? "Apply" : "Update",
    apiVersion: String(e.apiVersion ?? ""),
    time: String(e.time ?? timestamp()),
    ...(e.subresource ? { subresource: String(e.subresource) } : {}),
    fields: decodeFields(e.fieldsV1),
  }));
}

export function encodeManagedFields(managers: Manager[]): ManagedFieldsEntry[] {
  return managers.map((m) => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    time: m.time,
    fieldsType: "FieldsV1",
    fieldsV1: encodeFields(m.fields),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
}

/** Drop ownership of paths that are no longer leaves of the object, and managers left with nothing. */
function prune(managers: Manager[], leaves: Map<string, unknown>): Manager[] {
  for (const m of managers) for (const p of m.fields) if (!leaves.has(p)) m.fields.delete(p);
  return managers.filter((m) => m.fields.size > 0);
}

function cloneManagers(managers: Manager[]): Manager[] {
  return managers.map((m) => ({ ...m, fields: new Set(m.fields) }));
}

/**
 * Ownership after a non-apply write (create, PUT, PATCH) by `writer`:
 * every field the write added or changed moves to the writer's Update entry
 * (taken away from whoever owned it, without conflicts, as the real server
 * does for updates); removed fields are owned by nobody.
 */
export function recordUpdate(
  current: Manager[],
  oldObj: JsonObject | undefined,
  newObj: JsonObject,
  writer: Writer,
): Manager[] {
  const managers = cloneManagers(current);
  const oldLeaves = leafPaths(oldObj);
  const newLeaves = leafPaths(newObj);
  const changed = new Set<string>();
  for (const [p, v] of newLeaves) if (!oldLeaves.has(p) || !deepEqual(oldLeaves.get(p), v)) changed.add(p);
  let removed = false;
  for (const p of oldLeaves.keys()) if (!newLeaves.has(p)) removed = true;
  if (changed.size === 0 && !removed) return prune(managers, newLeaves);

  const me = { ...writer, operation: "Update" as const };
  const id = managerId(me);
  let mine = managers.find((m) => managerId(m) === id);
  for (const m of managers) if (m !== mine) for (const p of changed) m.fields.delete(p);
  if (!mine) {
    mine = { ...me, time: timestamp(), fields: new Set() };
    managers.push(mine);
  }
  for (const p of changed) mine.fields.add(p);
  mine.time = timestamp();
  return prune(managers, newLeaves);
}

/** Merge an apply configuration into an object: maps merge recursively, everything else replaces. */
function mergeApply(base: JsonObject, config: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(config)) {
    const cur = out[k];
    out[k] = isObject(cur) && isObject(v) ? mergeApply(cur, v) : structuredClone(v);
  }
  return out;
}

export interface Conflict {
  /** As printed in messages: `"kubectl-edit" using v1`. */
  manager: string;
  /** `.spec.replicas` */
  field: string;
}

export interface ApplyResult {
  object: JsonObject;
  managers: Manager[];
  conflicts: Conflict[];
}

/**
 * Server-side apply of `config` by `writer` onto `live` (undefined = create).
 *
 * 1. Fields the writer applied last time but no longer sends are removed,
 *    unless another manager owns them too (shared ownership keeps them).
 * 2. The configuration is merged in.
 * 3. Any field owned by another manager whose value changed is a conflict;
 *    with `force` the field changes hands, otherwise the caller answers 409.
 *    (Setting a field to the value it already has is not a conflict: both
 *    managers then share it, as in Kubernetes.)
 * 4. The writer's Apply entry becomes exactly the set of fields it sent.
 *
 * `transform` runs on the merged object before ownership is computed; the
 * store uses it for defaulting and resetting fields the endpoint may not
 * change (e.g. `.status` on the main resource).
 */
export function applyConfig(
  live: JsonObject | undefined,
  config: JsonObject,
  current: Manager[],
  writer: Writer,
  force: boolean,
  transform: (candidate: JsonObject) => JsonObject = (o) => o,
): ApplyResult {
  const managers = cloneManagers(current);
  const me = { ...writer, operation: "Apply" as const };
  const id = managerId(me);
  const mine = managers.find((m) => managerId(m) === id);
  const others = managers.filter((m) => m !== mine);
  const applied = leafPaths(config);

  let candidate: JsonObject = structuredClone(live ?? {});
  if (mine) {
    for (const p of mine.fields) {
      if (applied.has(p) || others.some((m) => m.fields.has(p))) continue;
      deletePath(candidate, JSON.parse(p) as string[]);
    }
  }
  candidate = transform(mergeApply(candidate, config));

  const liveLeaves = leafPaths(live);
  const conflicts: Conflict[] = [];
  const conflicting: Array<[Manager, string]> = [];
  for (const m of others) {
    for (const p of m.fields) {
      const before = liveLeaves.get(p);
      const after = getPath(candidate, JSON.parse(p) as string[]);
      if (deepEqual(before, after)) continue;
      // Adding keys to a map someone owns as an (empty) map is a merge, not a conflict.
      if (isObject(before) && Object.keys(before).length === 0 && isObject(after)) continue;
      conflicts.push({ manager: describeManager(m), field: formatPath(p) });
      conflicting.push([m, p]);
    }
  }
  if (conflicts.length > 0 && !force) return { object: candidate, managers: current, conflicts };
  for (const [m, p] of conflicting) m.fields.delete(p);

  const newLeaves = leafPaths(candidate);
  const fields = new Set(applied.keys());
  const contentChanged =
    newLeaves.size !== liveLeaves.size || [...newLeaves].some(([p, v]) => !deepEqual(liveLeaves.get(p), v));
  if (mine) {
    const fieldsChanged = fields.size !== mine.fields.size || [...fields].some((p) => !mine.fields.has(p));
    mine.fields = fields;
    mine.apiVersion = writer.apiVersion;
    if (fieldsChanged || contentChanged) mine.time = timestamp();
  } else {
    managers.push({ ...me, time: timestamp(), fields });
  }
  return { object: candidate, managers: prune(managers, newLeaves), conflicts: [] };
}
