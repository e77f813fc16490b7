/**
 * Simulated cluster agents for the agent benchmark, in a process of their own so the host's
 * CPU is measured alone. Each speaks the agent protocol as the real agent does (join, long-poll
 * for work, report, heartbeat every 30 s) against a tiny in-memory cluster: applied objects are
 * kept and read back, and the platform's controllers are there already (running, installed by
 * someone else), so Fleetplane adopts them instead of installing.
 *
 * Input: SWARM_URL, SWARM_TOKENS (a JSON file of join tokens). Output, one JSON line each:
 * `{"event":"joined"}` once all have joined, `{"event":"applied","kind","name","at"}` for each
 * object applied, `{"event":"requests","total"}` every second.
 */
import { readFile } from "node:fs/promises";
import { Agent as Pool, setGlobalDispatcher } from "undici";

setGlobalDispatcher(new Pool({ connections: null, keepAliveTimeout: 60_000, headersTimeout: 60_000 }));

const url = process.env.SWARM_URL as string;
const tokens = JSON.parse(await readFile(process.env.SWARM_TOKENS as string, "utf8")) as string[];
let requests = 0;
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string } & Record<string, unknown>;
} & Record<string, unknown>;
type Item = { id: string; seq: number; op: string; object: Record<string, unknown> };

const GROUPS = [
  "",
  "apps",
  "apiextensions.k8s.io",
  "rbac.authorization.k8s.io",
  "source.toolkit.fluxcd.io",
  "kustomize.toolkit.fluxcd.io",
  "helm.toolkit.fluxcd.io",
  "kyverno.io",
  "external-secrets.io",
  "argoproj.io",
];

const keyOf = (o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }) =>
  `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Controllers someone else installed: running, so Fleetplane adopts them. */
function preinstalled(ref: Obj): Obj | undefined {
  if (ref.kind === "Namespace" && ref.metadata.name === "flux-system") return ref;
  if (ref.kind !== "Deployment") return undefined;
  return {
    ...ref,
    metadata: { ...ref.metadata, generation: 1, managedFields: [{ manager: "helm" }] },
    spec: { replicas: 1 },
    status: {
      observedGeneration: 1,
      replicas: 1,
      availableReplicas: 1,
      conditions: [{ type: "Available", status: "True" }],
    },
  };
}

class SimulatedAgent {
  private credential = "";
  private after = 0;
  private reported = 0;
  private readonly objects = new Map<string, Obj>();

  constructor(private readonly joinToken: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<any> {
    requests++;
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(this.credential ? { authorization: `Bearer ${this.credential}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : undefined;
  }

  async join(): Promise<void> {
    const joined = await this.call("POST", "/agent/v1/join", { token: this.joinToken });
    this.credential = joined.credential;
  }

  heartbeat(): Promise<void> {
    return this.call("POST", "/agent/v1/heartbeat", { version: "0.1.0", time: new Date().toISOString() });
  }

  async loop(): Promise<void> {
    for (;;) {
      try {
        const work = await this.call("GET", `/agent/v1/work?after=${this.after}&wait=20`);
        if (work.items.length === 0) continue;
        const results = (work.items as Item[]).map((item) => ({ id: item.id, ok: true, result: this.perform(item) }));
        this.reported = Math.max(Date.now(), this.reported + 1);
        await this.call("POST", "/agent/v1/reports", { number: this.reported, results });
        this.after = work.after;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private perform(item: Item): unknown {
    const o = item.object as Obj;
    switch (item.op) {
      case "version":
        return { gitVersion: "v1.31.0", major: "1", minor: "31" };
      case "apiGroups":
        return GROUPS;
      case "apply": {
        const kept = { ...o, metadata: { ...o.metadata, managedFields: [{ manager: "fleetplane" }] } };
        this.objects.set(keyOf(o), kept);
        emit({ event: "applied", kind: o.kind, name: o.metadata.name, at: Date.now() });
        return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name } };
      }
      case "get":
        return this.objects.get(keyOf(o)) ?? preinstalled(o) ?? null;
      case "list": {
        const q = item.object as { apiVersion: string; kind: string; namespace?: string };
        return [...this.objects.values()].filter(
          (x) =>
            x.apiVersion === q.apiVersion &&
            x.kind === q.kind &&
            (!q.namespace || x.metadata.namespace === q.namespace),
        );
      }
      case "delete":
        return this.objects.delete(keyOf(o));
      default:
        return null;
    }
  }
}

const agents = tokens.map((token) => new SimulatedAgent(token));
for (let i = 0; i < agents.length; i += 50) {
  await Promise.all(agents.slice(i, i + 50).map((a) => a.join()));
}
await Promise.all(agents.map((a) => a.heartbeat()));
emit({ event: "joined" });
for (const [i, agent] of agents.entries()) {
  void agent.loop();
  // Heartbeats spread over the 30 s, as agents started at different times would send them.
  setTimeout(() => setInterval(() => void agent.heartbeat().catch(() => {}), 30_000), (i * 30_000) / agents.length);
}
setInterval(() => emit({ event: "requests", total: requests }), 1_000);
