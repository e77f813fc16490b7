import { type KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";

/**
 * The cluster agent: it runs inside a cluster Fleetplane cannot dial, opens only outbound
 * HTTPS to Fleetplane, and does the cluster's work there with its own service account (or a
 * kubeconfig). It joins once, keeps its credential and progress in a Secret of its own
 * namespace (so a restarted agent resumes without the used join token), then loops: take work
 * after the last finished `seq`, apply or delete each object in order (server-side apply as
 * `fleetplane`, so drift detection sees Fleetplane's fields), report, remember the `seq`.
 * Work is delivered at least once and applying twice is harmless, so a crash between applying
 * and reporting only repeats an apply.
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
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

interface WorkItem {
  id: string;
  seq: number;
  op: "apply" | "delete";
  object: KubernetesObject & { metadata: { name: string; namespace?: string } };
}

interface State {
  credential: string;
  after: number;
}

export class Agent {
  private readonly objects: KubernetesObjectApi;
  private readonly log: NonNullable<AgentOptions["log"]>;
  private stopped = false;
  private state: State | undefined;
  private lastReport = 0;
  ready = false;

  constructor(private readonly opts: AgentOptions) {
    this.objects = KubernetesObjectApi.makeApiClient(opts.kubeconfig);
    this.log = opts.log ?? ((message, fields) => console.log(JSON.stringify({ message, ...fields })));
  }

  /** Joins (or resumes), then runs until `stop()`. */
  async run(): Promise<void> {
    this.state = (await this.loadState()) ?? (await this.join());
    this.ready = true;
    this.log("agent running", { after: this.state.after });
    const beat = setInterval(() => void this.heartbeat().catch(() => {}), this.opts.heartbeatMs ?? 30_000);
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
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /** One request for work, done in order and reported. */
  private async pass(): Promise<void> {
    const state = this.state as State;
    const wait = this.opts.waitSeconds ?? 20;
    const res = await this.call("GET", `/agent/v1/work?after=${state.after}&wait=${wait}`);
    const { items } = (await res.json()) as { items: WorkItem[] };
    if (items.length === 0) return;
    const results: { id: string; ok: boolean; message?: string }[] = [];
    for (const item of items) results.push(await this.execute(item));
    this.lastReport = Math.max(Date.now(), this.lastReport + 1);
    const report = await this.call("POST", "/agent/v1/reports", { number: this.lastReport, results }, [409]);
    // 409: an older number (a clock step back, or a report lost after it landed): the work is
    // still there or already done; the next pass takes whatever is still pending.
    if (report.status === 409) return;
    state.after = items.at(-1)?.seq ?? state.after;
    await this.saveState(state);
  }

  private async execute(item: WorkItem): Promise<{ id: string; ok: boolean; message?: string }> {
    const what = `${item.op} ${item.object.kind} ${item.object.metadata.namespace ?? ""}/${item.object.metadata.name}`;
    try {
      if (item.op === "apply") {
        await this.objects.patch(item.object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
      } else {
        await this.objects.delete(item.object).catch((error: { code?: number }) => {
          if (error.code !== 404) throw error;
        });
      }
      this.log("done", { seq: item.seq, what });
      return { id: item.id, ok: true };
    } catch (error) {
      const message = (error as { body?: { message?: string } }).body?.message ?? String(error);
      this.log("failed", { seq: item.seq, what, message });
      return { id: item.id, ok: false, message: message.slice(0, 4000) };
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
