/**
 * The object store of one emulated cluster: what etcd plus the generic
 * registry (k8s.io/apiserver/pkg/registry/generic) do in kube-apiserver.
 *
 * - One global resourceVersion counter, bumped on every write and delete.
 * - `metadata.uid`, `creationTimestamp`, `generation` (for types that have
 *   one: bumped when anything outside metadata/status changes) and
 *   `managedFields` (see fields.ts).
 * - No-op writes are not writes: if nothing changed (including field
 *   ownership) the stored object and its resourceVersion stay as they are,
 *   exactly like the real server, so repeated applies do not churn.
 * - Stored objects are never mutated, only replaced. That lets reads and
 *   watch events share them without copying.
 * - Every change is published to listeners (watch) and kept in a bounded
 *   history so watches can resume from a resourceVersion.
 */
import { randomUUID } from "node:crypto";
import { ApiError, errors } from "./errors.js";
import {
  applyConfig,
  decodeManagedFields,
  encodeManagedFields,
  type Manager,
  type Operation,
  recordUpdate,
  SYSTEM_METADATA,
  timestamp,
  type Writer,
} from "./fields.js";
import { clone, deepEqual, dropNulls, isObject, type JsonObject } from "./json.js";
import { jsonPatch, mergePatch, PATCH_CONTENT_TYPES } from "./patch.js";
import { CRDS, NAMESPACES, type ResourceType, ServedTypes, typesOfCrd } from "./resources.js";
import { labelsOf, parseFieldSelector, parseLabelSelector } from "./selectors.js";
import { applyDefaults, validate } from "./validation.js";

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Identifies an object the way tests think about it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  /** For namespaced kinds; defaults to "default". Ignored for cluster-scoped kinds. */
  namespace?: string;
  name: string;
}

export interface WriteOptions {
  /** Field manager recorded in managedFields. */
  manager: string;
  /** `dryRun=All`: run everything, store nothing. */
  dryRun?: boolean;
  /** Write through the `/status` subresource. */
  subresource?: "status";
}

export interface ListOptions {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continue?: string | null;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: EventType;
  /** resourceVersion of this change. */
  rv: number;
  /** Storage bucket (shared by all versions of a resource). */
  storageKey: string;
  object: KubeObject;
  /** State before the change, for MODIFIED and DELETED (lets filtered watches emit DELETED when an object stops matching). */
  previous?: KubeObject;
}

export interface StoreOptions {
  /** Create the objects a fresh cluster has (system namespaces, default service accounts, `kubernetes` service). Default true. */
  seed?: boolean;
  /** CA certificate published in every namespace's `kube-root-ca.crt` ConfigMap. */
  caPem?: string;
  /** How many changes are retained for watch resumption. */
  historySize?: number;
}

interface Bucket {
  objects: Map<string, KubeObject>;
  /** Sorted keys ("<namespace>/<name>"), rebuilt lazily after inserts/deletes. */
  sorted?: string[];
}

/** Namespaces the real server refuses to delete. */
const UNDELETABLE_NAMESPACES = new Set(["default", "kube-system", "kube-public"]);
const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
const GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function metaOf(obj: unknown): JsonObject {
  return isObject(obj) && isObject(obj.metadata) ? obj.metadata : {};
}

/** The object without metadata, status and type information: what `generation` tracks. */
function specPart(obj: JsonObject): JsonObject {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

/** Parse a `continue` token: base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`, the real format. */
function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { v?: string; start?: string };
    if (parsed.v !== "meta.k8s.io/v1" || typeof parsed.start !== "string") throw new Error("bad token");
    return parsed.start;
  } catch {
    throw errors.badRequest(
      "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
    );
  }
}

function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start: `${lastKey}\u0000` })).toString("base64");
}

export class KubeStore {
  /** What this server serves: the built-in types and the kinds of Established CRDs. */
  readonly types = new ServedTypes();
  private readonly buckets = new Map<string, Bucket>();
  private rv = 0;
  private readonly history: StoreEvent[] = [];
  private readonly historySize: number;
  /** Every change with rv > historyFloor is still in `history`. */
  private historyFloor = 0;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private seedSnapshot: Array<[string, KubeObject]> = [];
  private readonly caPem: string;
  private readonly seedEnabled: boolean;

  constructor(opts: StoreOptions = {}) {
    this.historySize = opts.historySize ?? 500;
    this.caPem = opts.caPem ?? "";
    this.seedEnabled = opts.seed ?? true;
    if (this.seedEnabled) this.seed();
    this.historyFloor = this.rv;
    this.history.length = 0;
  }

  // -------------------------------------------------------------------------
  // Test-facing reads (return copies, addressed by ObjectRef)
  // -------------------------------------------------------------------------

  /** Current resourceVersion of the cluster. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /** A copy of the object, or undefined. */
  get(ref: ObjectRef): KubeObject | undefined {
    const rt = this.typeOf(ref);
    const obj = this.bucket(rt).objects.get(keyOf(rt.namespaced ? (ref.namespace ?? "default") : "", ref.name));
    return obj ? clone(this.present(obj, rt)) : undefined;
  }

  /** Copies of all objects of a kind (optionally in one namespace), ordered by namespace/name. */
  list(filter: { apiVersion: string; kind: string; namespace?: string }): KubeObject[] {
    const rt = this.typeOf(filter);
    return this.listPage(rt, rt.namespaced ? filter.namespace : undefined, {}).items.map((o) => clone(o));
  }

  /** Number of stored objects, all kinds. */
  get size(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.objects.size;
    return n;
  }

  // -------------------------------------------------------------------------
  // Protocol operations (used by the HTTP layer); objects returned are the
  // stored (shared, read-only) instances, presented in the requested version.
  // -------------------------------------------------------------------------

  read(rt: ResourceType, namespace: string, name: string): KubeObject {
    const obj = this.bucket(rt).objects.get(keyOf(namespace, name));
    if (!obj) throw errors.notFound(rt, name);
    return this.present(obj, rt);
  }

  /**
   * A page of a list, ordered by namespace/name. `namespace` undefined means
   * all namespaces (or a cluster-scoped type). Selectors are applied before
   * `limit`, so a page always holds `limit` matches when that many remain.
   *
   * Simplification: continuing a list reads the current state rather than a
   * snapshot at the first page's resourceVersion.
   */
  listPage(rt: ResourceType, namespace: string | undefined, opts: ListOptions): ListResult {
    const matchLabels = parseLabelSelector(opts.labelSelector);
    const matchFields = parseFieldSelector(opts.fieldSelector);
    const bucket = this.bucket(rt);
    const keys = this.sortedKeys(bucket);
    let start = 0;
    if (opts.continue) {
      const from = decodeContinue(opts.continue);
      start = lowerBound(keys, from);
    }
    const prefix = namespace === undefined ? "" : `${namespace}/`;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Number.POSITIVE_INFINITY;
    const items: KubeObject[] = [];
    let lastKey = "";
    let i = start;
    for (; i < keys.length && items.length < limit; i++) {
      const key = keys[i] as string;
      if (prefix && !key.startsWith(prefix)) continue;
      const obj = bucket.objects.get(key) as KubeObject;
      if (!matchLabels(labelsOf(obj)) || !matchFields(obj)) continue;
      items.push(this.present(obj, rt));
      lastKey = key;
    }
    const result: ListResult = { items, resourceVersion: String(this.rv) };
    if (items.length === limit) {
      // Only hand out a token if something after this page actually matches.
      let remaining = 0;
      for (let j = i; j < keys.length; j++) {
        const key = keys[j] as string;
        if (prefix && !key.startsWith(prefix)) continue;
        const obj = bucket.objects.get(key) as KubeObject;
        if (matchLabels(labelsOf(obj)) && matchFields(obj)) remaining++;
      }
      if (remaining > 0) {
        result.continue = encodeContinue(this.rv, lastKey);
        // The real server only knows the remaining count when no selector filters the list.
        if (!opts.labelSelector && !opts.fieldSelector) result.remainingItemCount = remaining;
      }
    }
    return result;
  }

  /** POST: create. */
  create(rt: ResourceType, namespace: string, body: unknown, opts: WriteOptions): KubeObject {
    const obj = this.checkBody(rt, body);
    const meta = metaOf(obj);
    this.checkNamespace(rt, namespace, meta);
    if (!meta.name && typeof meta.generateName === "string" && meta.generateName) {
      meta.name = meta.generateName + randomSuffix();
    }
    const name = String(meta.name ?? "");
    if (name && this.bucket(rt).objects.has(keyOf(namespace, name))) throw errors.alreadyExists(rt, name);
    this.requireNamespace(rt, namespace);
    if (rt.hasStatus) delete obj.status;
    this.prepare(rt, namespace, obj);
    validate(rt, obj);
    const managers = recordUpdate([], undefined, obj, this.writer(rt, opts));
    const created = this.commit(rt, undefined, obj, managers, opts);
    if (rt === NAMESPACES && !opts.dryRun && this.seedEnabled) this.namespaceControllers(name);
    return this.present(created, rt);
  }

  /** PUT: replace (main resource or status subresource). */
  replace(rt: ResourceType, namespace: string, name: string, body: unknown, opts: WriteOptions): KubeObject {
    const obj = this.checkBody(rt, body);
    const meta = metaOf(obj);
    this.checkNamespace(rt, namespace, meta);
    if (meta.name !== undefined && meta.name !== name) {
      throw errors.badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
      );
    }
    const old = this.bucket(rt).objects.get(keyOf(namespace, name));
    if (!old) throw errors.notFound(rt, name);
    if (meta.resourceVersion === undefined || meta.resourceVersion === "") {
      // Built-in types allow unconditional updates; custom resources do not.
      if (!rt.builtin) {
        throw errors.invalid(rt, name, [
          {
            reason: "FieldValueInvalid",
            message: "Invalid value: 0x0: must be specified for an update",
            field: "metadata.resourceVersion",
          },
        ]);
      }
    } else if (String(meta.resourceVersion) !== old.metadata.resourceVersion) {
      throw errors.conflict(rt, name);
    }
    return this.present(this.update(rt, namespace, name, old, obj, opts), rt);
  }

  /** PATCH with a JSON, merge or strategic-merge patch (apply is `apply`). */
  patch(
    rt: ResourceType,
    namespace: string,
    name: string,
    contentType: string,
    patch: unknown,
    opts: WriteOptions,
  ): KubeObject {
    const old = this.bucket(rt).objects.get(keyOf(namespace, name));
    if (!old) throw errors.notFound(rt, name);
    const current = this.present(old, rt);
    let patched: unknown;
    if (contentType === PATCH_CONTENT_TYPES.json) patched = jsonPatch(current, patch);
    else {
      if (!isObject(patch))
        throw errors.badRequest("json: cannot unmarshal non-object into Go value of type map[string]interface {}");
      patched = mergePatch(current, patch);
    }
    const obj = this.checkBody(rt, patched);
    const meta = metaOf(obj);
    if (meta.name !== name)
      throw errors.badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
      );
    this.checkNamespace(rt, namespace, meta);
    if (String(meta.resourceVersion ?? old.metadata.resourceVersion) !== old.metadata.resourceVersion) {
      throw errors.conflict(rt, name);
    }
    return this.present(this.update(rt, namespace, name, old, obj, opts), rt);
  }

  /** PATCH with `application/apply-patch+yaml`: server-side apply; creates the object if absent. */
  apply(
    rt: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    opts: WriteOptions & { force?: boolean },
  ): KubeObject {
    if (!isObject(body)) throw errors.badRequest("error decoding YAML: apply configuration must be an object");
    if (typeof body.apiVersion !== "string" || !body.apiVersion)
      throw errors.badRequest("apiVersion must be set in the apply configuration");
    if (typeof body.kind !== "string" || !body.kind) {
      throw errors.badRequest(`error decoding YAML: Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    }
    const config = this.checkBody(rt, dropNulls(body));
    const meta = metaOf(config);
    if (meta.name !== undefined && meta.name !== name) {
      throw errors.badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
      );
    }
    this.checkNamespace(rt, namespace, meta);
    const old = this.bucket(rt).objects.get(keyOf(namespace, name));
    if (meta.resourceVersion !== undefined && (!old || String(meta.resourceVersion) !== old.metadata.resourceVersion)) {
      throw errors.conflict(rt, name);
    }
    if (!old) {
      if (opts.subresource) throw errors.notFound(rt, name);
      this.requireNamespace(rt, namespace);
    }
    for (const f of SYSTEM_METADATA) delete meta[f];
    meta.name = name;
    if (rt.namespaced) meta.namespace = namespace;
    else delete meta.namespace;

    // What this endpoint may change: only .status through /status, everything but .status otherwise.
    let scoped: JsonObject = config;
    if (opts.subresource === "status")
      scoped = { apiVersion: rt.groupVersion, kind: rt.kind, metadata: { name }, status: config.status };
    else if (rt.hasStatus) delete scoped.status;
    if (scoped.status === undefined) delete scoped.status;

    const live = old ? (this.present(old, rt) as JsonObject) : undefined;
    const result = applyConfig(
      live,
      scoped,
      decodeManagedFields(old),
      this.writer(rt, opts),
      opts.force === true,
      (candidate) => {
        candidate.apiVersion = rt.groupVersion;
        candidate.kind = rt.kind;
        if (old && rt.hasStatus && opts.subresource !== "status") {
          if (old.status === undefined) delete candidate.status;
          else candidate.status = old.status;
        }
        return opts.subresource === "status" ? candidate : this.prepare(rt, namespace, candidate);
      },
    );
    if (result.conflicts.length > 0) throw errors.applyConflict(result.conflicts);
    validate(rt, result.object);
    const written = this.commit(rt, old, result.object, result.managers, opts);
    if (!old && rt === NAMESPACES && !opts.dryRun && this.seedEnabled) this.namespaceControllers(name);
    return this.present(written, rt);
  }

  /** DELETE one object. Deleting a namespace deletes everything in it first. Returns the deleted object. */
  delete(
    rt: ResourceType,
    namespace: string,
    name: string,
    opts: { dryRun?: boolean; preconditions?: { uid?: string; resourceVersion?: string } } = {},
  ): KubeObject {
    const old = this.bucket(rt).objects.get(keyOf(namespace, name));
    if (!old) throw errors.notFound(rt, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw errors.conflict(
        rt,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(
        rt,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    }
    if (rt === NAMESPACES && UNDELETABLE_NAMESPACES.has(name)) {
      throw new ApiError(403, "Forbidden", `namespaces "${name}" is forbidden: this namespace may not be deleted`, {
        name,
        kind: "namespaces",
      });
    }
    if (opts.dryRun) return this.present(old, rt);
    if (rt === CRDS) {
      // Deleting a CRD deletes every object of its kind, as the real server's finalizer does.
      const storageKey = typesOfCrd(old)[0]?.storageKey;
      const objects = storageKey ? this.buckets.get(storageKey) : undefined;
      if (storageKey && objects) for (const key of this.sortedKeys(objects)) this.removeKey(storageKey, objects, key);
    }
    if (rt === NAMESPACES) {
      // Namespace deletion is immediate here (no Terminating phase / finalizers).
      for (const [storageKey, bucket] of this.buckets) {
        if (storageKey === NAMESPACES.storageKey) continue;
        for (const key of this.sortedKeys(bucket))
          if (key.startsWith(`${name}/`)) this.removeKey(storageKey, bucket, key);
      }
    }
    const bucket = this.bucket(rt);
    return this.present(this.removeKey(rt.storageKey, bucket, keyOf(namespace, name)) as KubeObject, rt);
  }

  /** DELETE on a collection: deletes every match, returns them. */
  deleteCollection(
    rt: ResourceType,
    namespace: string | undefined,
    opts: ListOptions & { dryRun?: boolean },
  ): KubeObject[] {
    const { items } = this.listPage(rt, namespace, {
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
    });
    const deleted: KubeObject[] = [];
    for (const item of items) {
      const m = item.metadata;
      if (rt === NAMESPACES && UNDELETABLE_NAMESPACES.has(m.name)) continue;
      deleted.push(this.delete(rt, m.namespace ?? "", m.name, { dryRun: opts.dryRun }));
    }
    return deleted;
  }

  // -------------------------------------------------------------------------
  // Test control surface
  // -------------------------------------------------------------------------

  /**
   * Change an object as another field manager, e.g. `kubectl-edit`.
   * "Update" merge-patches the object (it must exist); "Apply" server-side
   * applies `patch` (plus apiVersion/kind/name) with force, creating the
   * object if needed.
   */
  editAs(manager: string, ref: ObjectRef, patch: JsonObject, operation: Operation = "Update"): KubeObject {
    const rt = this.typeOf(ref);
    const ns = rt.namespaced ? (ref.namespace ?? "default") : "";
    if (operation === "Apply") {
      const metadata = {
        ...(isObject(patch.metadata) ? patch.metadata : {}),
        name: ref.name,
        ...(rt.namespaced ? { namespace: ns } : {}),
      };
      const config = { ...patch, apiVersion: ref.apiVersion, kind: ref.kind, metadata };
      return clone(this.apply(rt, ns, ref.name, config, { manager, force: true }));
    }
    return clone(this.patch(rt, ns, ref.name, PATCH_CONTENT_TYPES.merge, patch, { manager }));
  }

  /** Replace `.status` as a controller would (through the status subresource when the type has one). */
  setStatus(ref: ObjectRef, status: unknown, manager = "emulator-controller"): KubeObject {
    const rt = this.typeOf(ref);
    const ns = rt.namespaced ? (ref.namespace ?? "default") : "";
    const old = this.bucket(rt).objects.get(keyOf(ns, ref.name));
    if (!old) throw errors.notFound(rt, ref.name);
    const next = { ...this.present(old, rt), status: clone(status) };
    return clone(
      this.present(
        this.update(rt, ns, ref.name, old, next, { manager, subresource: rt.hasStatus ? "status" : undefined }),
        rt,
      ),
    );
  }

  /** Delete an object (cascading for namespaces). Returns false if it did not exist. */
  remove(ref: ObjectRef): boolean {
    const rt = this.typeOf(ref);
    const ns = rt.namespaced ? (ref.namespace ?? "default") : "";
    if (!this.bucket(rt).objects.has(keyOf(ns, ref.name))) return false;
    this.delete(rt, ns, ref.name);
    return true;
  }

  /** Back to the state of a fresh cluster: client-created objects are gone, seeded ones restored. */
  reset(): void {
    this.buckets.clear();
    this.types.clearCustom();
    for (const [storageKey, obj] of this.seedSnapshot) {
      const bucket = this.bucketByKey(storageKey);
      bucket.objects.set(keyOf(obj.metadata.namespace ?? "", obj.metadata.name), obj);
      bucket.sorted = undefined;
    }
    this.history.length = 0;
    this.historyFloor = this.rv;
  }

  // -------------------------------------------------------------------------
  // Watch support
  // -------------------------------------------------------------------------

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes after `rv`, or an Expired error if they are no longer retained. */
  eventsSince(rv: number): StoreEvent[] {
    if (rv < this.historyFloor) throw errors.expired(rv, this.historyFloor + 1);
    return this.history.filter((e) => e.rv > rv);
  }

  /** Objects of a type, for a watch's initial ADDED events. */
  snapshot(rt: ResourceType): KubeObject[] {
    const bucket = this.bucket(rt);
    return this.sortedKeys(bucket).map((k) => bucket.objects.get(k) as KubeObject);
  }

  /** Re-render a stored object in the version a client asked for (storage is shared across versions). */
  present(obj: KubeObject, rt: ResourceType): KubeObject {
    return obj.apiVersion === rt.groupVersion ? obj : { ...obj, apiVersion: rt.groupVersion };
  }

  // -------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------

  typeOf(ref: { apiVersion: string; kind: string }): ResourceType {
    const rt = this.types.byKind(ref.apiVersion, ref.kind);
    if (!rt)
      throw new ApiError(
        404,
        "NotFound",
        `the server doesn't have a resource type for ${ref.apiVersion} ${ref.kind}`,
        {},
      );
    return rt;
  }

  private bucket(rt: ResourceType): Bucket {
    return this.bucketByKey(rt.storageKey);
  }

  private bucketByKey(storageKey: string): Bucket {
    let b = this.buckets.get(storageKey);
    if (!b) {
      b = { objects: new Map() };
      this.buckets.set(storageKey, b);
    }
    return b;
  }

  private sortedKeys(bucket: Bucket): string[] {
    bucket.sorted ??= [...bucket.objects.keys()].sort();
    return bucket.sorted;
  }

  private writer(rt: ResourceType, opts: WriteOptions): Writer {
    return {
      manager: opts.manager,
      apiVersion: rt.groupVersion,
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
    };
  }

  /** A request body must be an object whose apiVersion/kind (when given) match the URL. Returns a private copy. */
  private checkBody(rt: ResourceType, body: unknown): JsonObject {
    if (!isObject(body)) throw errors.badRequest("the body of the request must be a JSON object");
    if (body.kind !== undefined && body.kind !== rt.kind) {
      throw errors.badRequest(
        `the kind in the data (${String(body.kind)}) does not match the expected kind (${rt.kind})`,
      );
    }
    if (body.apiVersion !== undefined && body.apiVersion !== rt.groupVersion) {
      throw errors.badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${rt.groupVersion})`,
      );
    }
    if (body.metadata !== undefined && !isObject(body.metadata)) throw errors.badRequest("metadata must be an object");
    const obj = clone(body);
    obj.apiVersion = rt.groupVersion;
    obj.kind = rt.kind;
    obj.metadata ??= {};
    return obj;
  }

  private checkNamespace(rt: ResourceType, namespace: string, meta: JsonObject): void {
    if (!rt.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace !== undefined && meta.namespace !== "" && meta.namespace !== namespace) {
      throw errors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    meta.namespace = namespace;
  }

  private requireNamespace(rt: ResourceType, namespace: string): void {
    if (rt.namespaced && !this.bucket(NAMESPACES).objects.has(keyOf("", namespace))) {
      throw errors.notFound(NAMESPACES, namespace);
    }
  }

  /** Strip what clients may not set, then default. Mutates and returns `obj`. */
  private prepare(rt: ResourceType, namespace: string, obj: JsonObject): JsonObject {
    const meta = obj.metadata as JsonObject;
    for (const f of SYSTEM_METADATA) delete meta[f];
    if (rt.namespaced) meta.namespace = namespace;
    return applyDefaults(rt, obj);
  }

  /** Shared tail of PUT, PATCH and setStatus. */
  private update(
    rt: ResourceType,
    namespace: string,
    name: string,
    old: KubeObject,
    body: JsonObject,
    opts: WriteOptions,
  ): KubeObject {
    let next: JsonObject;
    if (opts.subresource === "status") {
      // The status endpoint changes .status and nothing else.
      next = { ...clone(old), apiVersion: rt.groupVersion };
      if (body.status === undefined) delete next.status;
      else next.status = clone(body.status);
    } else {
      next = clone(body);
      (next.metadata as JsonObject).name = name;
      if (rt.hasStatus) {
        // ...and the main endpoint ignores .status for types that have the subresource.
        if (old.status === undefined) delete next.status;
        else next.status = clone(old.status);
      }
      this.prepare(rt, namespace, next);
    }
    validate(rt, next);
    const managers = recordUpdate(decodeManagedFields(old), old, next, this.writer(rt, opts));
    return this.commit(rt, old, next, managers, opts);
  }

  /**
   * Persist `next` (replacing `old`, or creating): fill system metadata,
   * skip no-ops, bump resourceVersion/generation, publish the event.
   */
  private commit(
    rt: ResourceType,
    old: KubeObject | undefined,
    next: JsonObject,
    managers: Manager[],
    opts: WriteOptions,
  ): KubeObject {
    const { apiVersion: _a, kind: _k, metadata: userMeta, ...body } = next;
    const { name, generateName, namespace, ...restMeta } = userMeta as JsonObject;
    for (const f of SYSTEM_METADATA) delete restMeta[f];
    const oldGeneration = old?.metadata.generation ?? 0;
    const specChanged = !old || !deepEqual(specPart(old as JsonObject), specPart(next));
    const metadata: ObjectMeta = {
      name: String(name),
      ...(generateName !== undefined ? { generateName } : {}),
      ...(rt.namespaced ? { namespace: String(namespace) } : {}),
      uid: old?.metadata.uid ?? randomUUID(),
      resourceVersion: old?.metadata.resourceVersion ?? "",
      ...(rt.hasGeneration ? { generation: specChanged ? oldGeneration + 1 : oldGeneration } : {}),
      creationTimestamp: old?.metadata.creationTimestamp ?? timestamp(),
      ...restMeta,
      ...(managers.length ? { managedFields: encodeManagedFields(managers) } : {}),
    };
    const candidate: KubeObject = { apiVersion: rt.groupVersion, kind: rt.kind, metadata, ...body };
    if (old && deepEqual(candidate, this.present(old, rt))) return old; // no-op: nothing is written
    if (opts.dryRun) return candidate;

    metadata.resourceVersion = String(++this.rv);
    const bucket = this.bucket(rt);
    const key = keyOf(rt.namespaced ? String(namespace) : "", metadata.name);
    if (!old) bucket.sorted = undefined;
    bucket.objects.set(key, candidate);
    if (rt === CRDS) this.types.track(metadata.name, candidate);
    this.publish({
      type: old ? "MODIFIED" : "ADDED",
      rv: this.rv,
      storageKey: rt.storageKey,
      object: candidate,
      previous: old,
    });
    return candidate;
  }

  private removeKey(storageKey: string, bucket: Bucket, key: string): KubeObject | undefined {
    const old = bucket.objects.get(key);
    if (!old) return undefined;
    bucket.objects.delete(key);
    bucket.sorted = undefined;
    if (storageKey === CRDS.storageKey) this.types.track(old.metadata.name, undefined);
    // The DELETED event carries the resourceVersion of the deletion, like etcd's delete revision.
    const gone: KubeObject = { ...old, metadata: { ...old.metadata, resourceVersion: String(++this.rv) } };
    this.publish({ type: "DELETED", rv: this.rv, storageKey, object: gone, previous: old });
    return gone;
  }

  private publish(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      this.historyFloor = (dropped[dropped.length - 1] as StoreEvent).rv;
    }
    for (const listener of this.listeners) listener(event);
  }

  /** System write used for seeding and emulated controllers. */
  private systemCreate(apiVersion: string, kind: string, obj: JsonObject, manager: string): void {
    const rt = this.types.byKind(apiVersion, kind) as ResourceType;
    const namespace = rt.namespaced ? String(metaOf(obj).namespace) : "";
    if (this.bucket(rt).objects.has(keyOf(namespace, String(metaOf(obj).name)))) return;
    this.create(rt, namespace, { apiVersion, kind, ...obj }, { manager });
  }

  /**
   * What controllers do for every new namespace in a real cluster: the
   * service-account controller creates `default`, the root-CA publisher
   * creates `kube-root-ca.crt`.
   */
  private namespaceControllers(namespace: string): void {
    this.systemCreate("v1", "ServiceAccount", { metadata: { name: "default", namespace } }, "kube-controller-manager");
    this.systemCreate(
      "v1",
      "ConfigMap",
      {
        metadata: {
          name: "kube-root-ca.crt",
          namespace,
          annotations: {
            "kubernetes.io/description":
              "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
          },
        },
        data: { "ca.crt": this.caPem },
      },
      "kube-controller-manager",
    );
  }

  /** The objects every fresh cluster has. Snapshotted so reset() can restore them exactly. */
  private seed(): void {
    for (const name of SYSTEM_NAMESPACES) {
      this.create(NAMESPACES, "", { metadata: { name } }, { manager: "kube-apiserver" });
    }
    this.systemCreate(
      "v1",
      "Service",
      {
        metadata: {
          name: "kubernetes",
          namespace: "default",
          labels: { component: "apiserver", provider: "kubernetes" },
        },
        spec: {
          clusterIP: "10.96.0.1",
          clusterIPs: ["10.96.0.1"],
          ipFamilies: ["IPv4"],
          ipFamilyPolicy: "SingleStack",
          internalTrafficPolicy: "Cluster",
          ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
        },
      },
      "kube-apiserver",
    );
    this.seedSnapshot = [];
    for (const [storageKey, bucket] of this.buckets) {
      for (const obj of bucket.objects.values()) this.seedSnapshot.push([storageKey, obj]);
    }
  }
}

/** First index whose key is >= `target` in a sorted array. */
function lowerBound(keys: string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function randomSuffix(): string {
  let s = "";
  for (let i = 0; i < 5; i++) s += GENERATE_NAME_ALPHABET[Math.floor(Math.random() * GENERATE_NAME_ALPHABET.length)];
  return s;
}
