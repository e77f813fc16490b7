import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretBox } from "../../../core/crypto";
import { createLogger, type Logger } from "../../../core/log";
import { mintToken } from "../../../core/tokens/verbs";
import { createNodeHost, type NodeHost } from "../../../entry/node";
import { tokens } from "../../../schema";
import { type BundleServer, startBundleServer } from "../../emulators/addons";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text, sent as is (for malformed-input tests). */
  raw?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export interface TestHost {
  host: NodeHost;
  dir: string;
  /** The add-on release mirror the host installs platform add-ons from (no internet in tests). */
  bundles: BundleServer;
  logs: string[];
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<TestResponse<T>>;
  /** A token scoped to a tenant id, for the security cases (tenants arrive with their own API). */
  tenantToken(tenantId: string): Promise<string>;
  /** An admin token that expired a minute ago, written straight to the store. */
  expiredToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A fresh Node host per test file: its own SQLite file in a temp folder, the real app, the
 * real job runner. Requests go through `app.request`, i.e. the whole middleware stack.
 */
export async function startTestHost(
  env: Record<string, string> = {},
  opts: { runJobs?: boolean } = {},
): Promise<TestHost> {
  const dir = await mkdtemp(join(tmpdir(), "fleetplane-test-"));
  const bundles = await startBundleServer();
  const logs: string[] = [];
  const log: Logger = createLogger("debug", (line) => logs.push(line));
  const host = await createNodeHost({
    env: {
      DATABASE_URL: `file:${join(dir, "fleet.db")}`,
      FLEET_ADMIN_TOKEN: ADMIN_TOKEN,
      FLEET_ENCRYPTION_KEY: SecretBox.generateKey(),
      FLEET_RATE_LIMIT_RPS: "0",
      FLEET_URL_ALLOW: "127.0.0.1,::1,localhost",
      FLEET_JOB_BACKOFF_BASE_MS: "50",
      FLEET_JOB_BACKOFF_MAX_MS: "200",
      FLEET_KUBE_TIMEOUT_MS: "3000",
      FLEET_ADDON_MIRROR: bundles.url,
      ...env,
    },
    log,
    runJobs: opts.runJobs ?? true,
    runnerPollMs: 50,
  });
  return {
    host,
    dir,
    bundles,
    logs,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const token = opts.token === undefined ? ADMIN_TOKEN : opts.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (opts.raw !== undefined) body = opts.raw;
      else if (opts.body !== undefined) body = JSON.stringify(opts.body);
      if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
        headers["content-type"] = "application/json";
      }
      const res = await host.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON (metrics, docs): the text is the body.
      }
      return { status: res.status, headers: res.headers, body: parsed as never, text };
    },
    async tenantToken(tenantId) {
      const minted = await mintToken(host.deps, { name: "tenant", role: "tenant", tenantId, createdBy: "test" });
      await host.deps.store.insert(tokens).values(minted.row);
      return minted.secret;
    },
    async expiredToken() {
      const minted = await mintToken(host.deps, {
        name: "expired",
        role: "admin",
        expiresAt: Date.now() - 60_000,
        createdBy: "test",
      });
      await host.deps.store.insert(tokens).values(minted.row);
      return minted.secret;
    },
    async close() {
      await host.close();
      await bundles.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export function expectProblem(res: TestResponse, status: number, code?: string) {
  if (res.status !== status) {
    throw new Error(`expected ${status}${code ? ` ${code}` : ""}, got ${res.status}: ${res.text.slice(0, 500)}`);
  }
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(`expected problem+json, got ${res.headers.get("content-type")}: ${res.text.slice(0, 200)}`);
  }
  if (code && res.body.code !== code)
    throw new Error(`expected code ${code}, got ${res.body.code}: ${res.body.detail}`);
  if (!res.body.requestId) throw new Error("problem without requestId");
}

/**
 * Asks a cluster for a reconcile and waits for the drift report of a reconcile that started
 * after the request (not an older one that happens to be there).
 */
export async function reconciled(request: TestHost["request"], cluster: string) {
  const askedAt = Date.now();
  const asked = await request("POST", `/v1/clusters/${cluster}/reconcile`);
  if (asked.status !== 202) throw new Error(`reconcile of ${cluster}: ${asked.status} ${asked.text}`);
  return eventually(
    async () => {
      const res = await request("GET", `/v1/clusters/${cluster}/drift`);
      return res.body.reconciledAt && Date.parse(res.body.reconciledAt) >= askedAt ? res.body : undefined;
    },
    15_000,
    `a new drift report of ${cluster}`,
  );
}
