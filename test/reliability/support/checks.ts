import type { AwsEmulator } from "../../emulators/aws";
import type { KubeEmulator } from "../../emulators/kube";
import { acknowledged, allowedValues, attempted, type Ledger, ok, type Send } from "./workloads";

/** Polls until `check` returns a value, or throws after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export interface JobSummary {
  id: string;
  kind: string;
  state: string;
  lastError?: string | null;
  resource?: { type: string; id: string };
}

/** Every job, all pages. */
export async function allJobs(send: Send): Promise<JobSummary[]> {
  const jobs: JobSummary[] = [];
  let token: string | undefined;
  do {
    const res = await send("GET", `/v1/jobs?pageSize=500${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`);
    if (res.status !== 200) throw new Error(`GET /v1/jobs: ${res.status}`);
    jobs.push(...res.body.items);
    token = res.body.nextPageToken;
  } while (token);
  return jobs;
}

/** Waits until no job is Queued or Running; returns every job. */
export async function drainJobs(send: Send, timeoutMs: number): Promise<JobSummary[]> {
  let open: JobSummary[] = [];
  try {
    return await waitFor(
      async () => {
        const jobs = await allJobs(send);
        open = jobs.filter((j) => !["Succeeded", "Failed", "Cancelled"].includes(j.state));
        return open.length === 0 ? jobs : undefined;
      },
      timeoutMs,
      "every job to reach a terminal state",
    );
  } catch (error) {
    const sample = open.slice(0, 8).map((j) => JSON.stringify(j));
    throw new Error(`${(error as Error).message}; ${open.length} still open, e.g.\n${sample.join("\n")}`);
  }
}

export interface LedgerReport {
  resources: number;
  acknowledged: number;
  problems: string[];
}

/**
 * Every acknowledged create exists exactly once (unless a delete was attempted), every
 * acknowledged delete is gone, and each resource's label carries the last acknowledged value
 * or a later unanswered one (never a rejected one).
 */
export async function checkLedger(send: Send, ledger: Ledger): Promise<LedgerReport> {
  const problems: string[] = [];
  const lists = new Map<string, { name: string; labels?: Record<string, string> }[]>();
  const listOf = async (path: string) => {
    let items = lists.get(path);
    if (!items) {
      const res = await send("GET", path);
      items = res.status === 200 ? res.body.items : [];
      lists.set(path, items as never);
    }
    return items ?? [];
  };
  let acked = 0;
  for (const t of ledger.resources.values()) {
    const matches = (await listOf(t.listPath)).filter((item) => item.name === t.name);
    const created = acknowledged(t, "create");
    if (created) acked += 1;
    if (matches.length > 1) problems.push(`${t.kind} ${t.name} exists ${matches.length} times`);
    if (acknowledged(t, "delete")) {
      if (matches.length !== 0) problems.push(`${t.kind} ${t.name} was deleted (acknowledged) but still exists`);
      continue;
    }
    if (created && !attempted(t, "delete") && matches.length !== 1) {
      problems.push(`${t.kind} ${t.name} was created (acknowledged) but does not exist`);
    }
    // Creates that were all refused or never reached the host must have left nothing.
    const mayExist = t.attempts.some((a) => a.op === "create" && (a.status === undefined || ok(a.status)));
    if (!mayExist && matches.length !== 0) problems.push(`${t.kind} ${t.name} exists although no create succeeded`);
    const item = matches[0];
    if (item && !attempted(t, "delete")) {
      const allowed = allowedValues(t);
      const value = item.labels?.rev;
      // A create that was never answered may have happened: then its own value is allowed too.
      if (allowed.size > 0 && !allowed.has(value as string)) {
        problems.push(`${t.kind} ${t.name} has rev=${value}, expected one of ${[...allowed].join(", ")}`);
      }
      if (allowed.size === 0 && value !== undefined && !t.attempts.some((a) => a.value === value)) {
        problems.push(`${t.kind} ${t.name} has rev=${value}, which no write sent`);
      }
    }
  }
  return { resources: ledger.resources.size, acknowledged: acked, problems };
}

/** Side effects counted where they happen: at the emulators. A name counted twice is a duplicate. */
export function duplicateSideEffects(
  aws: AwsEmulator,
  kubes: Iterable<KubeEmulator>,
): { counted: number; duplicates: string[] } {
  const seen = new Map<string, number>();
  const add = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);
  for (const r of aws.requests) {
    if (r.status < 200 || r.status >= 300) continue;
    if (["CreateCluster", "CreateNodegroup", "CreateSecret"].includes(r.operation))
      add(`aws ${r.operation} ${r.target}`);
  }
  for (const kube of kubes) {
    for (const r of kube.requests) {
      // A create (POST) answered 201 twice for the same object is a duplicated side effect;
      // server-side apply (PATCH) is idempotent by construction.
      if (r.method === "POST" && r.status === 201) add(`kube ${kube.name} POST ${r.path}`);
    }
  }
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${key} x${n}`);
  return { counted: [...seen.values()].reduce((a, b) => a + b, 0), duplicates };
}

/** Events that record a one-time transition of a resource, counted per resource. */
export async function duplicateTransitions(send: Send): Promise<{ counted: number; duplicates: string[] }> {
  const once = new Set(["Created", "Registered", "SecretCreated", "Connected", "Provisioned", "Deleted", "Onboarded"]);
  const seen = new Map<string, number>();
  let token: string | undefined;
  do {
    const res = await send("GET", `/v1/events?pageSize=500${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`);
    for (const e of res.body.items as { reason: string; resource: { id: string } }[]) {
      if (!once.has(e.reason)) continue;
      const key = `${e.reason} ${e.resource.id}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    token = res.body.nextPageToken;
  } while (token);
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${key} x${n}`);
  return { counted: [...seen.values()].reduce((a, b) => a + b, 0), duplicates };
}
