/**
 * Patch formats accepted by PATCH requests (other than server-side apply,
 * which lives in fields.ts/store.ts because it is about ownership, not just
 * document transformation).
 */
import { ApiError } from "./errors.js";
import { clone, deepEqual, isObject, type JsonObject } from "./json.js";

export const PATCH_CONTENT_TYPES = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

/**
 * JSON merge patch (RFC 7386): maps merge recursively, `null` deletes, any
 * other value (including arrays) replaces.
 *
 * Strategic merge patch is served with this too. The difference is only in
 * lists with patch merge keys (e.g. containers by name) and `$patch`
 * directives, which the emulator does not model: such lists are replaced as
 * a whole, like a merge patch would.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** Failure while applying a JSON patch: the real server answers 422 with the jsonpatch error text. */
function patchError(message: string): ApiError {
  return new ApiError(422, "Invalid", `the server rejected our request due to an error in our request: ${message}`);
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** Decode an RFC 6901 JSON pointer into reference tokens. */
function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw patchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Resolve the container holding the last token of `tokens`. */
function parentOf(doc: unknown, tokens: string[], pointer: string): { parent: unknown; key: string } {
  let cur = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i] as string;
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, pointer, false)];
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else throw patchError(`doc is missing path: "${pointer}"`);
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw patchError(`doc is missing path: "${pointer}"`);
  return { parent: cur, key: tokens[tokens.length - 1] as string };
}

function arrayIndex(arr: unknown[], token: string, pointer: string, forInsert: boolean): number {
  if (forInsert && token === "-") return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw patchError(`invalid array index in "${pointer}"`);
  const i = Number(token);
  if (i > arr.length || (!forInsert && i === arr.length)) throw patchError(`array index out of bounds in "${pointer}"`);
  return i;
}

function getAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, key, pointer, false)];
  const obj = parent as JsonObject;
  if (!Object.hasOwn(obj, key)) throw patchError(`doc is missing key: "${pointer}"`);
  return obj[key];
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw patchError("cannot remove the whole document");
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, pointer, false), 1)[0];
  const obj = parent as JsonObject;
  if (!Object.hasOwn(obj, key)) throw patchError(`Unable to remove nonexistent key: ${key}: missing value`);
  const old = obj[key];
  delete obj[key];
  return old;
}

/** Returns the new document (the root may be replaced by an add/replace at ""). */
function addAt(doc: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    if (replace) parent[arrayIndex(parent, key, pointer, false)] = value;
    else parent.splice(arrayIndex(parent, key, pointer, true), 0, value);
  } else {
    const obj = parent as JsonObject;
    if (replace && !Object.hasOwn(obj, key))
      throw patchError(`replace operation does not apply: doc is missing key: ${pointer}`);
    obj[key] = value;
  }
  return doc;
}

/** JSON patch (RFC 6902). Operates on a copy; `test` failures and bad paths are 422s. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new ApiError(400, "BadRequest", "json patch must be an array of operations");
  let doc = clone(target);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== "string" || typeof raw.path !== "string") {
      throw patchError('invalid operation: each operation needs "op" and "path"');
    }
    const op = raw as unknown as Operation;
    switch (op.op) {
      case "add":
        doc = addAt(doc, op.path, clone(op.value), false);
        break;
      case "replace":
        doc = addAt(doc, op.path, clone(op.value), true);
        break;
      case "remove":
        removeAt(doc, op.path);
        break;
      case "move": {
        if (op.from === undefined) throw patchError('move operation missing "from"');
        const v = removeAt(doc, op.from);
        doc = addAt(doc, op.path, v, false);
        break;
      }
      case "copy": {
        if (op.from === undefined) throw patchError('copy operation missing "from"');
        doc = addAt(doc, op.path, clone(getAt(doc, op.from)), false);
        break;
      }
      case "test":
        if (!deepEqual(getAt(doc, op.path), op.value)) throw patchError(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw patchError(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
