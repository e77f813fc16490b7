import type { AwsEmulator } from "../../emulators/aws";
import type { KubeEmulator } from "../../emulators/kube";

/**
 * The mixed workload the crash and fault tests drive, as a table: one row per kind of write,
 * with a weight and a `run` that picks a target, sends one request and records in the ledger
 * what the API acknowledged. New features (rollouts, drift reconciles) join by adding rows;
 * the checks that every acknowledged write exists exactly once read only the ledger.
 */
export interface ApiAnswer {
  status: number;
  body: any;
}

/** Sends one request; throws when no answer came back (the host died or the connection dropped). */
export type Send = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiAnswer>;

export type ResourceKind = "Cluster" | "Tenant" | "Secret";

export interface Attempt {
  op: "create" | "patch" | "delete";
  /** The label value a create or patch wrote; unique per attempt. */
  value?: string;
  /** undefined: no answer (the write may or may not have happened); 0: refused, never reached the host. */
  status?: number;
}

export interface Tracked {
  kind: ResourceKind;
  name: string;
  /** The resource's API path. */
  path: string;
  /** The list the resource appears in, to count it. */
  listPath: string;
  tenant?: string;
  attempts: Attempt[];
  busy: boolean;
  /** Labels every write of this resource keeps (e.g. which clusters take tenants). */
  fixedLabels?: Record<string, string>;
}

export class Ledger {
  readonly resources = new Map<string, Tracked>();
  requests = 0;
  answered = 0;
  unanswered = 0;
  /** Requests whose connection was refused: the host was already dead, so they never happened. */
  refused = 0;
  /** Clusters that take tenants; kept few, so tenant placements stay a small multiple of writes. */
  tenantClusters = 0;
  private serial = 0;

  next(prefix: string): string {
    this.serial += 1;
    return `${prefix}-${this.serial}`;
  }

  track(kind: ResourceKind, name: string, path: string, listPath: string, tenant?: string): Tracked {
    const tracked: Tracked = { kind, name, path, listPath, attempts: [], busy: false, ...(tenant ? { tenant } : {}) };
    this.resources.set(path, tracked);
    return tracked;
  }

  /** A resource whose creation was acknowledged and that no one has tried to delete. */
  pick(kind: ResourceKind, random: () => number, extra: (t: Tracked) => boolean = () => true): Tracked | undefined {
    const candidates = [...this.resources.values()].filter(
      (t) => t.kind === kind && !t.busy && acknowledged(t, "create") && !attempted(t, "delete") && extra(t),
    );
    return candidates[Math.floor(random() * candidates.length)];
  }

  /** Sends one attempt on a tracked resource and records what came back. */
  async attempt(send: Send, tracked: Tracked, attempt: Attempt, method: string, path: string, body?: unknown) {
    tracked.busy = true;
    tracked.attempts.push(attempt);
    this.requests += 1;
    try {
      const answer = await send(method, path, body);
      attempt.status = answer.status;
      this.answered += 1;
      return answer;
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED") {
        attempt.status = 0;
        this.refused += 1;
      } else this.unanswered += 1;
      return undefined;
    } finally {
      tracked.busy = false;
    }
  }
}

export const ok = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;
export const acknowledged = (t: Tracked, op: Attempt["op"]) => t.attempts.some((a) => a.op === op && ok(a.status));
export const attempted = (t: Tracked, op: Attempt["op"]) => t.attempts.some((a) => a.op === op);

/**
 * The label values the resource may carry in the end: the last acknowledged write's, or that
 * of any later write whose answer was lost. Rejected writes (4xx) must have left no trace.
 */
export function allowedValues(t: Tracked): Set<string> {
  const writes = t.attempts.filter((a) => a.value !== undefined);
  let lastAcked = -1;
  writes.forEach((a, i) => {
    if (ok(a.status)) lastAcked = i;
  });
  const allowed = new Set<string>();
  if (lastAcked >= 0) allowed.add(writes[lastAcked]?.value as string);
  for (const a of writes.slice(lastAcked + 1)) if (a.status === undefined) allowed.add(a.value as string);
  return allowed;
}

export interface World {
  send: Send;
  ledger: Ledger;
  random: () => number;
  /** A fresh emulated cluster to import (the workload registers it). */
  newKube(name: string): Promise<KubeEmulator>;
  aws: AwsEmulator;
}

export interface Workload {
  name: string;
  weight: number;
  run(world: World): Promise<void>;
}

export const WORKLOADS: Workload[] = [
  {
    name: "create imported cluster",
    weight: 3,
    async run({ send, ledger, newKube }) {
      const name = ledger.next("edge");
      const kube = await newKube(name);
      const value = ledger.next("v");
      const tracked = ledger.track("Cluster", name, `/v1/clusters/${name}`, "/v1/clusters?pageSize=500");
      tracked.fixedLabels = { tenants: ledger.tenantClusters++ < 3 ? "yes" : "no" };
      await ledger.attempt(send, tracked, { op: "create", value }, "POST", "/v1/clusters", {
        name,
        class: "imported",
        labels: { ...tracked.fixedLabels, rev: value },
        connection: { server: kube.url, caData: kube.caData, token: kube.token },
      });
    },
  },
  {
    name: "create EKS cluster",
    weight: 1,
    async run({ send, ledger }) {
      const name = ledger.next("eks");
      const value = ledger.next("v");
      const tracked = ledger.track("Cluster", name, `/v1/clusters/${name}`, "/v1/clusters?pageSize=500");
      await ledger.attempt(send, tracked, { op: "create", value }, "POST", "/v1/clusters", {
        name,
        class: "eks-standard",
        labels: { rev: value },
      });
    },
  },
  {
    name: "patch cluster labels",
    weight: 3,
    async run({ send, ledger, random }) {
      const tracked = ledger.pick("Cluster", random);
      if (!tracked) return;
      const value = ledger.next("v");
      const labels = { ...tracked.fixedLabels, rev: value };
      await ledger.attempt(send, tracked, { op: "patch", value }, "PATCH", tracked.path, { labels });
    },
  },
  {
    name: "delete cluster",
    weight: 1,
    async run({ send, ledger, random }) {
      const tracked = ledger.pick("Cluster", random);
      if (!tracked) return;
      await ledger.attempt(send, tracked, { op: "delete" }, "DELETE", tracked.path);
    },
  },
  {
    name: "create tenant",
    weight: 2,
    async run({ send, ledger }) {
      const name = ledger.next("team");
      const value = ledger.next("v");
      const tracked = ledger.track("Tenant", name, `/v1/tenants/${name}`, "/v1/tenants?pageSize=500");
      await ledger.attempt(send, tracked, { op: "create", value }, "POST", "/v1/tenants", {
        name,
        namespace: name,
        labels: { rev: value },
        source: { url: "https://github.com/acme/payments-k8s", branch: "main", path: "./k8s" },
        placement: { labelSelector: "tenants=yes" },
      });
    },
  },
  {
    name: "patch tenant labels",
    weight: 2,
    async run({ send, ledger, random }) {
      const tracked = ledger.pick("Tenant", random);
      if (!tracked) return;
      const value = ledger.next("v");
      await ledger.attempt(send, tracked, { op: "patch", value }, "PATCH", tracked.path, { labels: { rev: value } });
    },
  },
  {
    name: "create tenant secret",
    weight: 2,
    async run({ send, ledger, random }) {
      const tenant = ledger.pick("Tenant", random);
      if (!tenant) return;
      const name = ledger.next("db");
      const value = ledger.next("v");
      const base = `/v1/tenants/${tenant.name}/secrets`;
      const tracked = ledger.track("Secret", name, `${base}/${name}`, `${base}?pageSize=500`, tenant.name);
      await ledger.attempt(send, tracked, { op: "create", value }, "POST", base, {
        name,
        labels: { rev: value },
        data: { password: `p-${value}` },
      });
    },
  },
  {
    name: "rotate tenant secret",
    weight: 2,
    async run({ send, ledger, random }) {
      const tracked = ledger.pick("Secret", random);
      if (!tracked) return;
      const value = ledger.next("v");
      await ledger.attempt(send, tracked, { op: "patch", value }, "PUT", tracked.path, {
        name: tracked.name,
        labels: { rev: value },
        data: { password: `p-${value}` },
      });
    },
  },
];

export function pickWorkload(random: () => number, table: Workload[] = WORKLOADS): Workload {
  const total = table.reduce((sum, w) => sum + w.weight, 0);
  let roll = random() * total;
  for (const workload of table) {
    roll -= workload.weight;
    if (roll < 0) return workload;
  }
  return table[table.length - 1] as Workload;
}

/** A small seeded generator, so a failing run can be replayed with the same choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
