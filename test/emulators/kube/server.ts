/**
 * The HTTP(S) front of one emulated cluster: authentication, fault
 * injection, routing of the kube-apiserver URL space onto the store, watch
 * streams, and the `/_emulator/*` control API.
 *
 * Built directly on node:http/node:https rather than a framework: the
 * request path is a handful of string operations, which keeps a thousand
 * emulators in one process cheap.
 */
import { createHash, randomUUID, X509Certificate } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { Controls } from "./controllers.js";
import { ApiError, errors, successStatus } from "./errors.js";
import type { Operation } from "./fields.js";
import { isObject, type JsonObject } from "./json.js";
import { PATCH_CONTENT_TYPES } from "./patch.js";
import type { ResourceType } from "./resources.js";
import { labelsOf, parseFieldSelector, parseLabelSelector } from "./selectors.js";
import type { KubeObject, KubeStore, ObjectRef, StoreEvent, WriteOptions } from "./store.js";

/** Largest request body accepted, like the real server's 3 MiB limit. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;
const PATCH_TYPES = new Set<string>(Object.values(PATCH_CONTENT_TYPES));
const HEALTH_PATHS = new Set(["/healthz", "/livez", "/readyz"]);

export interface RequestLogEntry {
  method: string;
  /** Path without the query string, e.g. /apis/apps/v1/namespaces/default/deployments/web. */
  path: string;
  /** Raw query string, if any. */
  query?: string;
  /** Date.now() when the request arrived. */
  at: number;
  /** The `fieldManager` query parameter as sent by the client. */
  fieldManager?: string;
  contentType?: string;
  userAgent?: string;
  /** HTTP status answered; undefined if the connection was dropped or is a running watch. */
  status?: number;
}

/**
 * Fault injection knobs. Plain writable properties, except that setting
 * `down` to true also kills every open connection immediately.
 */
export class Faults {
  /** Delay added before every response. */
  latencyMs = 0;
  /** Fraction (0..1) of requests answered with a 500 or 503 Status. */
  errorRate = 0;
  /** Fraction (0..1) of requests whose socket is destroyed without a response. */
  dropRate = 0;
  #down = false;
  readonly #onDown: () => void;

  constructor(onDown: () => void) {
    this.#onDown = onDown;
  }

  /** While true every request's connection is destroyed (the control API keeps working). */
  get down(): boolean {
    return this.#down;
  }
  set down(value: boolean) {
    this.#down = value;
    if (value) this.#onDown();
  }

  set(partial: Partial<{ latencyMs: number; errorRate: number; dropRate: number; down: boolean }>): void {
    if (partial.latencyMs !== undefined) this.latencyMs = partial.latencyMs;
    if (partial.errorRate !== undefined) this.errorRate = partial.errorRate;
    if (partial.dropRate !== undefined) this.dropRate = partial.dropRate;
    if (partial.down !== undefined) this.down = partial.down;
  }

  clear(): void {
    this.set({ latencyMs: 0, errorRate: 0, dropRate: 0, down: false });
  }

  toJSON() {
    return { latencyMs: this.latencyMs, errorRate: this.errorRate, dropRate: this.dropRate, down: this.down };
  }
}

export interface KubeServerOptions {
  name: string;
  token: string;
  /**
   * Decides API requests' bearer tokens instead of comparing with `token`, e.g. to accept EKS
   * tokens (`verifyEksToken`). The control API still takes `token`.
   */
  authenticate?: (token: string) => boolean | Promise<boolean>;
  gitVersion: string;
  /** PEM key/cert for HTTPS; plain HTTP when absent. */
  /** With `ca`, client certificates that CA signed are accepted in place of the bearer token. */
  tls?: { key: string; cert: string; ca?: string };
  store: KubeStore;
  /** Request log entries kept; older ones are dropped so long benchmarks do not grow without bound. 0 disables the log. */
  requestLogLimit: number;
}

/** `/version` body derived from a gitVersion such as "v1.30.2". */
export function versionInfo(gitVersion: string) {
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? "1",
    minor: m?.[2] ?? "30",
    gitVersion,
    gitCommit: createHash("sha1").update(gitVersion).digest("hex"),
    gitTreeState: "clean",
    buildDate: "2024-06-11T20:20:00Z",
    goVersion: "go1.22.4",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

/** Real servers default the field manager to the user agent's program name ("kubectl-edit/v1.30.2 (...)" → "kubectl-edit"). */
function managerFromUserAgent(userAgent: string | undefined): string {
  const prefix = (userAgent ?? "").split("/")[0]?.trim();
  return (prefix || "unknown").slice(0, 128);
}

function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Strip TypeMeta from list items of built-in types: the real server's typed lists do not carry it per item. */
function listItem(obj: KubeObject, rt: ResourceType): unknown {
  if (!rt.builtin) return obj;
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Route {
  rt: ResourceType;
  /** Namespace from the URL; undefined for cluster-scoped types and all-namespace lists. */
  namespace?: string;
  name?: string;
  subresource?: "status";
}

/**
 * What a Service's pods answer through the API server's service proxy: given the path after
 * `/proxy` and the method, the backend's response.
 */
export type ServiceBackend = (
  method: string,
  path: string,
) =>
  | { status: number; body: string; contentType?: string }
  | Promise<{ status: number; body: string; contentType?: string }>;

const SERVICE_PROXY = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/;

export class KubeServer {
  readonly store: KubeStore;
  /**
   * Backends reachable through `/api/v1/namespaces/<ns>/services/[scheme:]<name>[:port]/proxy/…`,
   * keyed `<ns>/<name>`: what an emulated controller serves (the sealed-secrets controller's
   * certificate). As on a real cluster, the Service must exist and its controller must run.
   */
  readonly services = new Map<string, { backend: ServiceBackend; ready: () => boolean }>();
  readonly faults: Faults;
  /** The emulated controllers' steering, when they run (set by startKubeEmulator). */
  controls: Controls | undefined;
  readonly requests: RequestLogEntry[] = [];
  readonly name: string;
  readonly token: string;
  private readonly authenticate: ((token: string) => boolean | Promise<boolean>) | undefined;
  private readonly clientCa: X509Certificate | undefined;
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  /** Connections (TLS handshakes, for HTTPS) accepted since the server started. */
  connectionsAccepted = 0;
  private readonly watches = new Set<ServerResponse>();
  private readonly versionJson: string;
  private readonly tls: boolean;
  private readonly requestLogLimit: number;
  private address = "";
  /** The control request that sets `down` must survive the connection massacre it triggers. */
  private sparedSocket: Socket | undefined;

  constructor(opts: KubeServerOptions) {
    this.store = opts.store;
    this.name = opts.name;
    this.token = opts.token;
    this.authenticate = opts.authenticate;
    this.clientCa = opts.tls?.ca ? new X509Certificate(opts.tls.ca) : undefined;
    this.tls = !!opts.tls;
    this.requestLogLimit = opts.requestLogLimit;
    this.versionJson = JSON.stringify(versionInfo(opts.gitVersion));
    this.faults = new Faults(() => this.dropAllConnections());
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => this.fail(res, err, undefined));
    };
    this.server = opts.tls
      ? https.createServer(
          {
            key: opts.tls.key,
            cert: opts.tls.cert,
            // Ask for a client certificate but let bearer-token clients in without one, as kube-apiserver
            // does. It is checked against the CA per request (passing `ca` here would also change the
            // chain the server presents).
            ...(opts.tls.ca ? { requestCert: true, rejectUnauthorized: false } : {}),
          },
          handler,
        )
      : http.createServer(handler);
    // Track the sockets requests arrive on (TLS sockets for HTTPS) so `down` can kill them all.
    this.server.on(opts.tls ? "secureConnection" : "connection", (socket: Socket) => {
      this.connectionsAccepted++;
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    // TLS handshake failures (e.g. a client that does not trust our CA) are the client's problem, not ours.
    this.server.on("tlsClientError", () => {});
    this.server.on("clientError", (_err, socket) => socket.destroy());
  }

  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        const addr = this.server.address() as AddressInfo;
        const h = addr.address.includes(":") ? `[${addr.address}]` : addr.address;
        this.address = `${h}:${addr.port}`;
        resolve(`${this.tls ? "https" : "http"}://${this.address}`);
      });
    });
  }

  async close(): Promise<void> {
    this.endWatches();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Clear client-made state: objects (back to the seed), faults, request log, watches. */
  reset(): void {
    this.endWatches();
    this.store.reset();
    this.faults.clear();
    this.requests.length = 0;
  }

  private dropAllConnections(): void {
    for (const socket of this.sockets) if (socket !== this.sparedSocket) socket.destroy();
    this.watches.clear();
  }

  private endWatches(): void {
    for (const res of this.watches) res.end();
    this.watches.clear();
  }

  // -------------------------------------------------------------------------
  // Request pipeline
  // -------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rawPath = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
    // "/apis/" and "/version/" (as client-node's generated APIs send them) mean "/apis" and "/version".
    const path = rawPath.length > 1 && rawPath.endsWith("/") ? rawPath.slice(0, -1) : rawPath;
    const method = (req.method ?? "GET").toUpperCase();

    if (path === "/_emulator" || path.startsWith("/_emulator/")) {
      // The control API is exempt from faults and from the request log.
      if (!this.authorized(req)) return this.send(res, 401, JSON.stringify(errors.unauthorized().status));
      return this.control(req, res, method, path, query);
    }

    const entry: RequestLogEntry = { method, path, at: Date.now() };
    if (q >= 0) entry.query = url.slice(q + 1);
    const fm = query.get("fieldManager");
    if (fm !== null) entry.fieldManager = fm;
    if (req.headers["content-type"]) entry.contentType = req.headers["content-type"];
    if (req.headers["user-agent"]) entry.userAgent = req.headers["user-agent"];
    if (this.requestLogLimit > 0) {
      this.requests.push(entry);
      // Trim in batches so a full log does not cost an O(n) splice per request.
      if (this.requests.length > this.requestLogLimit * 1.1)
        this.requests.splice(0, this.requests.length - this.requestLogLimit);
    }

    if (this.faults.down || (this.faults.dropRate > 0 && Math.random() < this.faults.dropRate)) {
      req.socket.destroy();
      return;
    }
    const body = await this.readBody(req);
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    if (this.faults.down) {
      req.socket.destroy();
      return;
    }
    if (this.faults.errorRate > 0 && Math.random() < this.faults.errorRate) {
      const err = Math.random() < 0.5 ? errors.internal("injected fault") : errors.unavailable();
      return this.send(res, err.code, JSON.stringify(err.status), entry);
    }

    try {
      if (HEALTH_PATHS.has(path)) return this.send(res, 200, "ok", entry, "text/plain; charset=utf-8");
      if (!(await this.authorizedApi(req))) throw errors.unauthorized();
      await this.route(req, res, method, path, query, body, entry);
    } catch (err) {
      this.fail(res, err, entry);
    }
  }

  private async authorizedApi(req: IncomingMessage): Promise<boolean> {
    // x509 client certificate authentication: a certificate the cluster CA signed.
    const socket = req.socket as TLSSocket;
    const peer = socket.encrypted ? socket.getPeerX509Certificate() : undefined;
    if (peer && this.clientCa && peer.checkIssued(this.clientCa) && peer.verify(this.clientCa.publicKey)) return true;
    if (!this.authenticate) return this.authorized(req);
    const match = /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
    return match ? this.authenticate((match[1] as string).trim()) : false;
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? "";
    const space = header.indexOf(" ");
    // The scheme is case-insensitive, as in the real bearer-token authenticator.
    return (
      space > 0 && header.slice(0, space).toLowerCase() === "bearer" && header.slice(space + 1).trim() === this.token
    );
  }

  private readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(errors.tooLarge());
          req.resume();
          return;
        }
        chunks.push(chunk);
      });
      req.on("end", () => resolve(chunks.length ? Buffer.concat(chunks) : undefined));
      req.on("error", reject);
    });
  }

  private send(
    res: ServerResponse,
    code: number,
    body: string,
    entry?: RequestLogEntry,
    contentType = "application/json",
  ): void {
    if (entry) entry.status = code;
    if (res.headersSent || res.destroyed) return;
    res.writeHead(code, {
      "Content-Type": contentType,
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-cache, private",
      "Audit-Id": randomUUID(),
    });
    res.end(body);
  }

  private fail(res: ServerResponse, err: unknown, entry: RequestLogEntry | undefined): void {
    let apiErr: ApiError;
    if (err instanceof ApiError) apiErr = err;
    else {
      console.error(`[kube-emulator ${this.name}] internal error:`, err);
      apiErr = errors.internal(err instanceof Error ? err.message : String(err));
    }
    this.send(res, apiErr.code, JSON.stringify(apiErr.status), entry);
  }

  // -------------------------------------------------------------------------
  // Kubernetes API routing
  // -------------------------------------------------------------------------

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    query: URLSearchParams,
    body: Buffer | undefined,
    entry: RequestLogEntry,
  ): Promise<void> {
    if (path === "/version") {
      if (method !== "GET") throw errors.methodNotAllowed();
      return this.send(res, 200, this.versionJson, entry);
    }
    if (path === "/api") {
      if (method !== "GET") throw errors.methodNotAllowed();
      const doc = {
        kind: "APIVersions",
        versions: ["v1"],
        serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: this.address }],
      };
      return this.send(res, 200, JSON.stringify(doc), entry);
    }
    const discovery = this.store.types.discoveryDocument(path);
    if (discovery !== undefined) {
      if (method !== "GET") throw errors.methodNotAllowed();
      return this.send(res, 200, discovery, entry);
    }

    const proxied = SERVICE_PROXY.exec(path);
    if (proxied) return this.proxyToService(res, method, proxied, entry);

    const route = this.resolve(path);
    const { rt, namespace, name, subresource } = route;
    const ns = namespace ?? "";

    if (name === undefined) {
      switch (method) {
        case "GET":
          if (query.get("watch") === "true" || query.get("watch") === "1") return this.watch(res, route, query, entry);
          {
            const page = this.store.listPage(rt, namespace, this.listOptions(query));
            return this.sendList(res, rt, page.items, entry, page);
          }
        case "POST": {
          if (rt.namespaced && namespace === undefined) throw errors.methodNotAllowed();
          const created = this.store.create(rt, ns, this.parseJson(body, rt), this.writeOptions(req, query));
          return this.send(res, 201, JSON.stringify(created), entry);
        }
        case "DELETE": {
          if (rt.namespaced && namespace === undefined) throw errors.methodNotAllowed();
          const deleted = this.store.deleteCollection(rt, namespace, {
            ...this.listOptions(query),
            dryRun: this.dryRun(query),
          });
          return this.sendList(res, rt, deleted, entry);
        }
        default:
          throw errors.methodNotAllowed();
      }
    }

    switch (method) {
      case "GET":
        return this.send(res, 200, JSON.stringify(this.store.read(rt, ns, name)), entry);
      case "PUT": {
        const replaced = this.store.replace(rt, ns, name, this.parseJson(body, rt), {
          ...this.writeOptions(req, query),
          subresource,
        });
        return this.send(res, 200, JSON.stringify(replaced), entry);
      }
      case "PATCH":
        return this.patch(req, res, route as Route & { name: string }, query, body, entry);
      case "DELETE": {
        if (subresource) throw errors.methodNotAllowed();
        return this.delete(res, rt, ns, name, query, body, entry);
      }
      default:
        throw errors.methodNotAllowed();
    }
  }

  /**
   * Map a path under /api/v1 or /apis/<group>/<version> to a resource:
   *   <plural>[/<name>[/status]]                      cluster-scoped, or all namespaces (list/watch)
   *   namespaces/<ns>/<plural>[/<name>[/status]]      namespaced
   * `/api/v1/namespaces/<name>[/status]` is the Namespace itself.
   */
  private resolve(path: string): Route {
    let groupVersion: string;
    let rest: string[];
    const segments = path.split("/").map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw errors.badRequest(`invalid path segment ${JSON.stringify(s)}`);
      }
    });
    if (segments[1] === "api" && segments[2] === "v1") {
      groupVersion = "v1";
      rest = segments.slice(3);
    } else if (segments[1] === "apis" && segments.length >= 4) {
      groupVersion = `${segments[2]}/${segments[3]}`;
      rest = segments.slice(4);
    } else {
      throw errors.noSuchResource();
    }
    let namespace: string | undefined;
    if (rest[0] === "namespaces" && rest.length >= 3 && this.store.types.byPlural(groupVersion, rest[2] as string)) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural = "", name, subresource, ...extra] = rest;
    const rt = this.store.types.byPlural(groupVersion, plural);
    if (!rt || extra.length > 0) throw errors.noSuchResource();
    if (namespace !== undefined && !rt.namespaced) throw errors.noSuchResource();
    if (name !== undefined && rt.namespaced && namespace === undefined) throw errors.noSuchResource();
    if (name === "" || namespace === "") throw errors.noSuchResource();
    if (subresource !== undefined && (subresource !== "status" || !rt.hasStatus)) throw errors.noSuchResource();
    return { rt, namespace, name, subresource: subresource === "status" ? "status" : undefined };
  }

  private listOptions(query: URLSearchParams) {
    const limitRaw = query.get("limit");
    let limit: number | undefined;
    if (limitRaw !== null && limitRaw !== "") {
      limit = Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 0) throw errors.badRequest(`invalid limit: ${limitRaw}`);
    }
    return {
      labelSelector: query.get("labelSelector"),
      fieldSelector: query.get("fieldSelector"),
      limit,
      continue: query.get("continue"),
    };
  }

  private dryRun(query: URLSearchParams): boolean {
    const values = query.getAll("dryRun").filter((v) => v !== "");
    for (const v of values) {
      if (v !== "All") throw errors.badRequest(`Invalid dry run value: ${JSON.stringify(v)}: supported values: "All"`);
    }
    return values.length > 0;
  }

  private writeOptions(req: IncomingMessage, query: URLSearchParams): WriteOptions {
    const explicit = query.get("fieldManager");
    if (explicit !== null && (explicit.length > 128 || explicit.length === 0)) {
      throw errors.badRequest("fieldManager must be between 1 and 128 characters long");
    }
    return { manager: explicit ?? managerFromUserAgent(req.headers["user-agent"]), dryRun: this.dryRun(query) };
  }

  private parseJson(body: Buffer | undefined, rt: ResourceType): unknown {
    if (!body || body.length === 0) throw errors.badRequest("the body of the request is empty");
    try {
      return JSON.parse(body.toString("utf8"));
    } catch (err) {
      const what = rt.builtin ? `${rt.kind}` : "Unstructured";
      throw errors.badRequest(
        `the object provided is unrecognized (must be of type ${what}): couldn't get version/kind; json parse error: ${(err as Error).message}`,
      );
    }
  }

  private sendList(
    res: ServerResponse,
    rt: ResourceType,
    items: KubeObject[],
    entry: RequestLogEntry,
    page?: { resourceVersion: string; continue?: string; remainingItemCount?: number },
  ): void {
    const metadata: JsonObject = { resourceVersion: page?.resourceVersion ?? this.store.resourceVersion };
    if (page?.continue) metadata.continue = page.continue;
    if (page?.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
    const list = {
      kind: `${rt.kind}List`,
      apiVersion: rt.groupVersion,
      metadata,
      items: items.map((o) => listItem(o, rt)),
    };
    this.send(res, 200, JSON.stringify(list), entry);
  }

  private patch(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route & { name: string },
    query: URLSearchParams,
    body: Buffer | undefined,
    entry: RequestLogEntry,
  ): void {
    const { rt, name, subresource } = route;
    const ns = route.namespace ?? "";
    const contentType = mediaType(req.headers["content-type"]);
    if (!PATCH_TYPES.has(contentType)) {
      throw errors.unsupportedMediaType(contentType, [...PATCH_TYPES]);
    }
    let patch: unknown;
    try {
      patch = JSON.parse(body?.toString("utf8") ?? "");
    } catch (err) {
      if (contentType === PATCH_CONTENT_TYPES.apply) {
        // YAML proper is not parsed (no YAML parser among the allowed dependencies); JSON is valid YAML and is what client-node sends.
        throw errors.badRequest(
          `error decoding YAML: the kube emulator accepts only the JSON subset of YAML: ${(err as Error).message}`,
        );
      }
      throw errors.badRequest(`error decoding patch: ${(err as Error).message}`);
    }
    const force = query.get("force");
    const opts = { ...this.writeOptions(req, query), subresource };
    if (contentType === PATCH_CONTENT_TYPES.apply) {
      if (query.get("fieldManager") === null) {
        throw errors.invalid(rt, name, [
          {
            reason: "FieldValueRequired",
            message: "Required value: is required for apply patch",
            field: "fieldManager",
          },
        ]);
      }
      const existed = this.existsQuietly(rt, ns, name);
      const applied = this.store.apply(rt, ns, name, patch, { ...opts, force: force === "true" });
      this.send(res, existed ? 200 : 201, JSON.stringify(applied), entry);
      return;
    }
    if (force !== null && force !== "false") {
      throw errors.invalid(rt, name, [
        {
          reason: "FieldValueInvalid",
          message: `Invalid value: ${force}: may not be specified for non-apply patch`,
          field: "force",
        },
      ]);
    }
    const patched = this.store.patch(rt, ns, name, contentType, patch, opts);
    this.send(res, 200, JSON.stringify(patched), entry);
  }

  private existsQuietly(rt: ResourceType, ns: string, name: string): boolean {
    try {
      this.store.read(rt, ns, name);
      return true;
    } catch {
      return false;
    }
  }

  private delete(
    res: ServerResponse,
    rt: ResourceType,
    ns: string,
    name: string,
    query: URLSearchParams,
    body: Buffer | undefined,
    entry: RequestLogEntry,
  ): void {
    let options: JsonObject = {};
    if (body && body.length > 0) {
      try {
        const parsed = JSON.parse(body.toString("utf8")) as unknown;
        if (isObject(parsed)) options = parsed;
      } catch (err) {
        throw errors.badRequest(`error decoding DeleteOptions: ${(err as Error).message}`);
      }
    }
    const dryRunBody = Array.isArray(options.dryRun) && options.dryRun.includes("All");
    const pre = isObject(options.preconditions) ? options.preconditions : undefined;
    const deleted = this.store.delete(rt, ns, name, {
      dryRun: this.dryRun(query) || dryRunBody,
      preconditions: pre
        ? { uid: pre.uid as string | undefined, resourceVersion: pre.resourceVersion as string | undefined }
        : undefined,
    });
    // Custom resources, pods and namespaces answer with the object; other built-ins with a Success Status.
    const returnsObject = !rt.builtin || rt.kind === "Pod" || rt.kind === "Namespace";
    const out = returnsObject ? deleted : successStatus(rt, name, deleted.metadata.uid);
    this.send(res, 200, JSON.stringify(out), entry);
  }

  // -------------------------------------------------------------------------
  // Watch
  // -------------------------------------------------------------------------

  /**
   * A watch stream: newline-delimited `{"type","object"}` events over a
   * chunked 200 response, as the real server sends for `?watch=true`.
   *
   * - no resourceVersion, or "0": synthetic ADDED events for current objects, then changes;
   * - resourceVersion=N: every change after N from the retained history, then
   *   changes; if N is too old an ERROR event with a 410 Expired Status;
   * - sendInitialEvents=true: current objects, then a BOOKMARK annotated
   *   `k8s.io/initial-events-end`;
   * - objects that stop (start) matching the selectors arrive as DELETED (ADDED);
   * - timeoutSeconds ends the stream.
   * Periodic bookmarks are not sent.
   */
  private watch(res: ServerResponse, route: Route, query: URLSearchParams, entry: RequestLogEntry): void {
    const { rt, namespace } = route;
    const matchLabels = parseLabelSelector(query.get("labelSelector"));
    const matchFields = parseFieldSelector(query.get("fieldSelector"));
    const matches = (obj: KubeObject | undefined) =>
      !!obj &&
      (namespace === undefined || obj.metadata.namespace === namespace) &&
      matchLabels(labelsOf(obj)) &&
      matchFields(obj);
    const rvParam = query.get("resourceVersion") ?? "";
    const initialEvents = query.get("sendInitialEvents") === "true";
    let replay: StoreEvent[] | undefined;
    let expired: ApiError | undefined;
    if (rvParam !== "" && rvParam !== "0" && !initialEvents) {
      const rv = Number(rvParam);
      if (!Number.isInteger(rv) || rv < 0) throw errors.badRequest(`invalid resource version: ${rvParam}`);
      try {
        replay = this.store.eventsSince(rv);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        expired = err;
      }
    }

    entry.status = 200;
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Cache-Control": "no-cache, private",
      "Audit-Id": randomUUID(),
    });
    // Send headers now: a client's request only completes when they arrive, which may be long before the first event.
    res.flushHeaders();
    const write = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
    if (expired) {
      write("ERROR", expired.status);
      res.end();
      return;
    }

    const deliver = (event: StoreEvent) => {
      if (event.storageKey !== rt.storageKey) return;
      const now = event.type === "DELETED" ? false : matches(event.object);
      const before = event.type === "ADDED" ? false : matches(event.previous);
      let type: string | undefined;
      if (now && before) type = "MODIFIED";
      else if (now) type = "ADDED";
      else if (before) type = "DELETED";
      if (type) write(type, this.store.present(event.object, rt));
    };
    if (replay) for (const event of replay) deliver(event);
    else {
      for (const obj of this.store.snapshot(rt)) if (matches(obj)) write("ADDED", this.store.present(obj, rt));
      if (initialEvents) {
        write("BOOKMARK", {
          kind: rt.kind,
          apiVersion: rt.groupVersion,
          metadata: {
            resourceVersion: this.store.resourceVersion,
            annotations: { "k8s.io/initial-events-end": "true" },
          },
        });
      }
    }

    const unsubscribe = this.store.subscribe(deliver);
    this.watches.add(res);
    const timeoutSeconds = Number(query.get("timeoutSeconds") ?? "0");
    const timer = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
    res.on("close", () => {
      unsubscribe();
      this.watches.delete(res);
      if (timer) clearTimeout(timer);
    });
  }

  /**
   * The API server's service proxy: the Service must exist (404 as for any missing object), its
   * pods must be ready (503 "no endpoints available", as kube-apiserver answers), and then the
   * backend answers as itself. The name may carry a scheme and a port (`http:name:`, `name:http`).
   */
  private async proxyToService(res: ServerResponse, method: string, match: RegExpExecArray, entry: RequestLogEntry) {
    const [, namespace = "", target = "", rest] = match;
    const parts = decodeURIComponent(target).split(":");
    const service = parts.length === 3 ? parts[1] : parts[0];
    const rt = this.resolve(`/api/v1/namespaces/${namespace}/services`).rt;
    if (!service || !this.store.get({ apiVersion: "v1", kind: "Service", namespace, name: service })) {
      throw errors.notFound(rt, service ?? "");
    }
    const registered = this.services.get(`${namespace}/${service}`);
    if (!registered?.ready()) {
      throw new ApiError(503, "ServiceUnavailable", `no endpoints available for service "${service}"`);
    }
    const answer = await registered.backend(method, decodeURIComponent(rest ?? "/"));
    return this.send(res, answer.status, answer.body, entry, answer.contentType ?? "text/plain; charset=utf-8");
  }

  // -------------------------------------------------------------------------
  // Control API (/_emulator/*), for the standalone process
  // -------------------------------------------------------------------------

  private async control(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    try {
      const raw = method === "POST" ? await this.readBody(req) : undefined;
      let body: JsonObject = {};
      if (raw && raw.length > 0) {
        try {
          const parsed = JSON.parse(raw.toString("utf8")) as unknown;
          if (!isObject(parsed)) throw new Error("expected a JSON object");
          body = parsed;
        } catch (err) {
          throw errors.badRequest(`invalid JSON body: ${(err as Error).message}`);
        }
      }
      const ref = (): ObjectRef => {
        const r = body.ref;
        if (
          !isObject(r) ||
          typeof r.apiVersion !== "string" ||
          typeof r.kind !== "string" ||
          typeof r.name !== "string"
        ) {
          throw errors.badRequest("body.ref must be {apiVersion, kind, namespace?, name}");
        }
        return {
          apiVersion: r.apiVersion,
          kind: r.kind,
          name: r.name,
          ...(typeof r.namespace === "string" ? { namespace: r.namespace } : {}),
        };
      };
      const json = (value: unknown) => this.send(res, 200, JSON.stringify(value));
      const route = `${method} ${path}`;
      switch (route) {
        case "GET /_emulator/controls":
          return json(this.controls ?? {});
        case "POST /_emulator/controls": {
          if (!this.controls) throw errors.badRequest("this emulator runs without controllers");
          const held = body.heldCrds;
          const failing = body.failingDeployments;
          if (held !== undefined && (!Array.isArray(held) || held.some((h) => typeof h !== "string"))) {
            throw errors.badRequest("heldCrds must be a list of CRD names");
          }
          if (
            failing !== undefined &&
            (!isObject(failing) ||
              Object.values(failing).some((v) => v !== "Unavailable" && v !== "ProgressDeadlineExceeded"))
          ) {
            throw errors.badRequest(
              'failingDeployments must map "namespace/name" to Unavailable or ProgressDeadlineExceeded',
            );
          }
          this.controls.set({
            ...(held ? { heldCrds: held as string[] } : {}),
            ...(failing ? { failingDeployments: failing as Record<string, "Unavailable"> } : {}),
          });
          return json(this.controls);
        }
        case "GET /_emulator/faults":
          return json(this.faults);
        case "POST /_emulator/faults": {
          const next: Record<string, number | boolean> = {};
          for (const key of ["latencyMs", "errorRate", "dropRate"] as const) {
            const v = body[key];
            if (v === undefined) continue;
            if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (key !== "latencyMs" && v > 1)) {
              throw errors.badRequest(`${key} must be a number${key === "latencyMs" ? " >= 0" : " between 0 and 1"}`);
            }
            next[key] = v;
          }
          if (body.down !== undefined) {
            if (typeof body.down !== "boolean") throw errors.badRequest("down must be a boolean");
            next.down = body.down;
          }
          this.sparedSocket = req.socket;
          try {
            this.faults.set(next);
          } finally {
            this.sparedSocket = undefined;
          }
          return json(this.faults);
        }
        case "POST /_emulator/edit": {
          if (typeof body.manager !== "string" || !body.manager) throw errors.badRequest("body.manager is required");
          if (!isObject(body.patch)) throw errors.badRequest("body.patch must be an object");
          const op = (body.operation ?? "Update") as Operation;
          if (op !== "Update" && op !== "Apply") throw errors.badRequest('body.operation must be "Update" or "Apply"');
          return json(this.store.editAs(body.manager, ref(), body.patch, op));
        }
        case "POST /_emulator/status": {
          const manager = typeof body.manager === "string" && body.manager ? body.manager : undefined;
          return json(this.store.setStatus(ref(), body.status ?? {}, manager));
        }
        case "POST /_emulator/remove":
          return json({ removed: this.store.remove(ref()) });
        case "GET /_emulator/requests":
          return json(this.requests);
        case "POST /_emulator/reset":
          this.reset();
          return json({ ok: true });
        case "GET /_emulator/objects": {
          const apiVersion = query.get("apiVersion");
          const kind = query.get("kind");
          if (!apiVersion || !kind) throw errors.badRequest("apiVersion and kind query parameters are required");
          const name = query.get("name");
          const namespace = query.get("namespace") ?? undefined;
          if (name) {
            const obj = this.store.get({ apiVersion, kind, name, namespace });
            if (!obj) throw errors.notFound(this.store.typeOf({ apiVersion, kind }), name);
            return json(obj);
          }
          return json(this.store.list({ apiVersion, kind, namespace }));
        }
        default:
          throw errors.noSuchResource();
      }
    } catch (err) {
      this.fail(res, err, undefined);
    }
  }
}
