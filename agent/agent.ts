import {
  ApiException,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from "@kubernetes/client-node";
import { WebSocket } from "undici";
import { type KubeAccess, kubeAccess } from "../functions/kube/access";

/**
 * The cluster agent: it runs inside a cluster Fleetplane cannot dial, opens only outbound
 * HTTPS to Fleetplane, and does the cluster's work there with its own service account (or a
 * kubeconfig). It joins once, keeps its credential and progress in a Secret of its own
 * namespace (so a restarted agent resumes without the used join token), then loops: take work
 * after the last finished `seq`, do each item in order (server-side apply as `fleetplane`, so
 * drift detection sees Fleetplane's fields; delete; get; list; version; API groups; a GET
 * through the service proxy) with the
 * same client code Fleetplane uses on clusters it reaches directly, report what the API server
 * answered, remember the `seq`. Work is delivered at least once and doing an item twice is
 * harmless, so a crash between doing and reporting only repeats it.
 *
 * How it learns there is work: where Fleetplane offers a doorbell (a WebSocket that says `work`
 * when work is queued; on Workers, where held requests would each poll the database) the agent
 * keeps it open, asks with `wait=0` when it rings and otherwise only every `waitSeconds`. Where
 * there is none (the Node host wakes held requests itself) or it is down, the agent holds its
 * request for work open for up to `waitSeconds`.
 */

export const FIELD_MANAGER = "fleetplane";
const STATE_SECRET = "fleetplane-agent-state";

export interface AgentOptions {
  /** Fleetplane's URL as this cluster reaches it. */
  url: string;
  /** The one-time join token; unused once the state Secret holds a credential. */
  joinToken?: string | undefined;
  kubeconfig: KubeConfig;
  namespace: string;
  version: string;
  /** Seconds Fleetplane may hold a request for work open. */
  waitSeconds?: number;
  heartbeatMs?: number;
  /** Use the host's doorbell where it has one (default true). */
  doorbell?: boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

type Ref = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
type WorkItem = { id: string; seq: number } & (
  | { op: "apply" | "delete" | "get"; object: KubernetesObject & Ref }
  | { op: "list"; object: { apiVersion: string; kind: string; namespace?: string; labelSelector?: string } }
  | { op: "version" | "apiGroups"; object: Record<string, never> }
  | { op: "proxyGet"; object: { namespace: string; service: string; path: string } }
);

interface Result {
  id: string;
  ok: boolean;
  message?: string;
  status?: number;
  result?: unknown;
}

/** A report stays well under the request size Fleetplane accepts (1 MiB by default). */
const REPORT_BYTES = 512 * 1024;

interface State {
  credential: string;
  after: number;
}

export class Agent {
  private readonly objects: KubernetesObjectApi;
  private readonly kube: KubeAccess;
  private readonly log: NonNullable<AgentOptions["log"]>;
  private stopped = false;
  private state: State | undefined;
  private lastReport = 0;
  private readonly bell = new Doorbell();
  ready = false;

  constructor(private readonly opts: AgentOptions) {
    this.objects = KubernetesObjectApi.makeApiClient(opts.kubeconfig);
    const server = opts.kubeconfig.getCurrentCluster()?.server;
    if (!server) throw new Error("the kubeconfig names no cluster");
    this.kube = kubeAccess({ server, auth: opts.kubeconfig, timeoutMs: 30_000 });
    this.log = opts.log ?? ((message, fields) => console.log(JSON.stringify({ message, ...fields })));
  }

  /** Joins (or resumes), then runs until `stop()`. */
  async run(): Promise<void> {
    this.state = (await this.loadState()) ?? (await this.join());
    this.ready = true;
    this.log("agent running", { after: this.state.after });
    const beat = setInterval(() => void this.heartbeat().catch(() => {}), this.opts.heartbeatMs ?? 30_000);
    if (this.opts.doorbell !== false) this.bell.open(this.doorbellUrl(), this.state.credential, this.log);
    try {
      await this.heartbeat();
      while (!this.stopped) {
        try {
          await this.pass();
        } catch (error) {
          this.log("work pass failed; retrying", { error: String(error) });
          await sleep(1_000);
        }
      }
    } finally {
      clearInterval(beat);
      this.bell.close();
    }
  }

  stop(): void {
    this.stopped = true;
    this.bell.close();
  }

  /** Whether the host's doorbell is open (the agent then asks for work when it rings). */
  get listening(): boolean {
    return this.bell.listening;
  }

  private doorbellUrl(): URL {
    const url = new URL("/agent/v1/doorbell", this.opts.url);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url;
  }

  /** One request for work, done in order and reported. */
  private async pass(): Promise<void> {
    const state = this.state as State;
    const wait = this.opts.waitSeconds ?? 20;
    // With the doorbell open the request is not held: a ring after this point is not missed,
    // since the bell remembers it until the next look.
    const listening = this.bell.listening;
    if (listening) this.bell.heard();
    const res = await this.call("GET", `/agent/v1/work?after=${state.after}&wait=${listening ? 0 : wait}`);
    const { items } = (await res.json()) as { items: WorkItem[] };
    if (items.length === 0) {
      if (listening) await this.bell.waitForRing(wait * 1000);
      return;
    }
    const results: Result[] = [];
    for (const item of items) results.push(await this.execute(item));
    for (const batch of reportBatches(results)) {
      this.lastReport = Math.max(Date.now(), this.lastReport + 1);
      const report = await this.call("POST", "/agent/v1/reports", { number: this.lastReport, results: batch }, [409]);
      // 409: an older number (a clock step back, or a report lost after it landed): the work is
      // still there or already done; the next pass takes whatever is still pending.
      if (report.status === 409) return;
    }
    state.after = items.at(-1)?.seq ?? state.after;
    await this.saveState(state);
  }

  private async execute(item: WorkItem): Promise<Result> {
    const what = `${item.op} ${describe(item)}`;
    try {
      // Secrets never travel through the channel (Fleetplane refuses to queue them too).
      if ("kind" in item.object && item.object.kind === "Secret" && item.object.apiVersion === "v1") {
        return { id: item.id, ok: false, status: 403, message: "the agent does not carry Secrets" };
      }
      const result = await this.perform(item);
      this.log("done", { seq: item.seq, what });
      return { id: item.id, ok: true, result };
    } catch (error) {
      const status = error instanceof ApiException ? error.code : undefined;
      const body =
        error instanceof ApiException ? (error.body as { message?: string } | string | undefined) : undefined;
      const message =
        (typeof body === "object" ? body?.message : undefined) ??
        (error instanceof Error ? error.message : String(error));
      this.log("failed", { seq: item.seq, what, status, message });
      return { id: item.id, ok: false, message: message.slice(0, 4000), ...(status ? { status } : {}) };
    }
  }

  /** One item against the local API server; what it answers is what the report carries. */
  private async perform(item: WorkItem): Promise<unknown> {
    switch (item.op) {
      case "apply": {
        const applied = await this.kube.apply(item.object);
        // The caller needs to know it landed, not the whole object back (a CRD is large).
        const { name, namespace, uid, resourceVersion, generation } = applied.metadata ?? {};
        return {
          apiVersion: applied.apiVersion,
          kind: applied.kind,
          metadata: { name, namespace, uid, resourceVersion, generation },
        };
      }
      case "delete":
        return this.kube.delete(refOf(item.object));
      case "get":
        return slim((await this.kube.get(refOf(item.object))) ?? null);
      case "list": {
        const q = item.object;
        const opts = {
          ...(q.namespace ? { namespace: q.namespace } : {}),
          ...(q.labelSelector ? { labelSelector: q.labelSelector } : {}),
        };
        return (await this.kube.list(q.apiVersion, q.kind, opts)).map(slim);
      }
      case "version":
        return this.kube.version();
      case "apiGroups":
        return this.kube.apiGroups();
      case "proxyGet":
        return this.kube.serviceProxyGet(item.object);
      default:
        // Work newer than this agent: refused, so Fleetplane can say the agent is too old
        // rather than take an empty answer for a result.
        throw new Error(`this agent (${this.opts.version}) does not know the operation ${(item as { op: string }).op}`);
    }
  }

  private async join(): Promise<State> {
    if (!this.opts.joinToken) throw new Error("no credential in the state Secret and no join token to join with");
    const res = await fetch(new URL("/agent/v1/join", this.opts.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: this.opts.joinToken }),
    });
    if (!res.ok) throw new Error(`join refused: ${res.status} ${await res.text()}`);
    const { credential, cluster } = (await res.json()) as { credential: string; cluster: { name: string } };
    const state = { credential, after: 0 };
    await this.saveState(state);
    this.log("joined", { cluster: cluster.name });
    return state;
  }

  private async heartbeat(): Promise<void> {
    await this.call("POST", "/agent/v1/heartbeat", { version: this.opts.version, time: new Date().toISOString() });
  }

  private async call(method: string, path: string, body?: unknown, tolerate: number[] = []): Promise<Response> {
    const res = await fetch(new URL(path, this.opts.url), {
      method,
      headers: {
        authorization: `Bearer ${(this.state as State).credential}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok && !tolerate.includes(res.status))
      throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }

  private async loadState(): Promise<State | undefined> {
    try {
      const secret = await this.objects.read<KubernetesObject & { data?: Record<string, string> }>({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: STATE_SECRET, namespace: this.opts.namespace },
      });
      const decode = (key: string) => Buffer.from(secret.data?.[key] ?? "", "base64").toString("utf8");
      const credential = decode("credential");
      return credential ? { credential, after: Number(decode("after")) || 0 } : undefined;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
  }

  private async saveState(state: State): Promise<void> {
    const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: this.opts.namespace } };
    await this.objects.patch(namespace, undefined, undefined, "fleetplane-agent", true, PatchStrategy.ServerSideApply);
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: STATE_SECRET, namespace: this.opts.namespace },
      type: "Opaque",
      stringData: { credential: state.credential, after: String(state.after) },
    };
    await this.objects.patch(secret, undefined, undefined, "fleetplane-agent", true, PatchStrategy.ServerSideApply);
  }
}

/**
 * The agent's end of the doorbell: a WebSocket kept open (reopened after a backoff when it
 * drops or is refused, as on a host without one), a keep-alive `ping` each half minute (a
 * socket whose `pong` stops coming is closed and reopened), and a flag set by each ring until
 * the agent next looks for work.
 */
class Doorbell {
  private socket: WebSocket | undefined;
  private connected = false;
  private rung = false;
  private waiter: (() => void) | undefined;
  private retryMs = 1_000;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  get listening(): boolean {
    return this.connected;
  }

  open(url: URL, credential: string, log: NonNullable<AgentOptions["log"]>): void {
    if (this.closed) return;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${credential}` } });
    this.socket = socket;
    let answered = true;
    socket.onopen = () => {
      this.connected = true;
      this.retryMs = 1_000;
      log("doorbell open");
      // Work queued while it was closed rang no one: look now.
      this.ring();
      this.keepAlive = setInterval(() => {
        if (!answered) return socket.close();
        answered = false;
        socket.send("ping");
      }, 30_000);
    };
    socket.onmessage = (event) => {
      if (event.data === "pong") answered = true;
      else this.ring();
    };
    // An error is followed by a close, which reopens it.
    socket.onerror = () => {};
    socket.onclose = () => {
      const wasOpen = this.connected;
      this.connected = false;
      clearInterval(this.keepAlive);
      if (wasOpen) log("doorbell closed; holding requests for work until it reopens");
      this.ring();
      if (this.closed) return;
      this.timer = setTimeout(() => this.open(url, credential, log), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 300_000);
    };
  }

  /** The agent is about to look for work: rings before this are answered by that look. */
  heard(): void {
    this.rung = false;
  }

  /** Until the next ring, or `ms`, whichever comes first. */
  waitForRing(ms: number): Promise<void> {
    if (this.rung || !this.connected) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiter = done;
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.keepAlive);
    this.socket?.close();
    this.ring();
  }

  private ring(): void {
    this.rung = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describe(item: WorkItem): string {
  const o = item.object as { kind?: string; metadata?: { name?: string; namespace?: string }; namespace?: string };
  if (!o.kind) return "";
  return `${o.kind} ${o.metadata?.namespace ?? o.namespace ?? ""}/${o.metadata?.name ?? "*"}`;
}

const refOf = (o: Ref) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
});

/**
 * What Fleetplane reads of a CustomResourceDefinition is its names, conditions and field
 * managers; the schema is what it applied, and can be over 600 KB. Everything else goes as read.
 */
function slim<T>(object: T): T {
  const crd = object as { kind?: string; spec?: { versions?: { schema?: unknown }[] } } | null;
  if (crd?.kind !== "CustomResourceDefinition" || !crd.spec?.versions) return object;
  return {
    ...crd,
    spec: { ...crd.spec, versions: crd.spec.versions.map(({ schema: _schema, ...version }) => version) },
  } as T;
}

/**
 * Results in reports small enough to be accepted, in order. An answer too large for any report
 * is reported as a failure saying so, rather than blocking the channel behind it.
 */
function reportBatches(results: Result[]): Result[][] {
  const batches: Result[][] = [];
  let current: Result[] = [];
  let size = 0;
  for (const result of results) {
    let entry = result;
    let bytes = JSON.stringify(entry).length;
    if (bytes > REPORT_BYTES) {
      entry = { id: result.id, ok: false, message: `the answer (${bytes} bytes) is larger than a report may be` };
      bytes = JSON.stringify(entry).length;
    }
    if (size + bytes > REPORT_BYTES && current.length > 0) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
