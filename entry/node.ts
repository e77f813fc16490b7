import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server, STATUS_CODES } from "node:http";
import { dirname, resolve } from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { getRequestListener, RequestError } from "@hono/node-server";
import { createClient } from "@libsql/client";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { createApp } from "../api/app";
import type { AppDeps } from "../api/platform/env";
import { Metrics } from "../api/platform/metrics";
import { problemOf } from "../api/platform/problem";
import { type Config, loadConfig } from "../core/config";
import type { Dispatcher } from "../core/context";
import { crashPoint } from "../core/crash-points";
import { SecretBox, useSyncAesGcm, useSyncSha256 } from "../core/crypto";
import { newId } from "../core/ids";
import { createLogger, type Logger, parseLogLevel } from "../core/log";
import { runPeriodicPasses } from "../core/periodic";
import type { Store } from "../core/store";
import { bootstrapAdminToken } from "../core/tokens/verbs";
import { lazyAwsAccess } from "../functions/aws/lazy";
import { lazySecretsManager } from "../functions/aws/secrets-manager";
import { throughAgents } from "../functions/kube/agent";
import { checkResolvedAddresses, nodeKubeConnector } from "../functions/kube/node";
import { JobRunner } from "../functions/runner";
import type { FunctionDeps } from "../functions/types";
import * as schema from "../schema";
import { dashboardFiles } from "./dashboard-files";
import { openEmbeddedStore } from "./embedded-store";
import { nodeAesGcm, nodeSha256 } from "./node-crypto";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const MIGRATIONS_DIR = resolve(ROOT, "migrations");

export interface NodeHostOptions {
  env?: Record<string, string | undefined>;
  log?: Logger;
  /** Start the in-process job runner (tests that drive jobs by hand turn it off). */
  runJobs?: boolean;
  runnerPollMs?: number;
}

export interface NodeHost {
  app: ReturnType<typeof createApp>;
  deps: FunctionDeps & AppDeps;
  runner: JobRunner;
  config: Config;
  /** The admin token minted on first start, when FLEET_ADMIN_TOKEN was not set. */
  bootstrapToken: string | undefined;
  close(): Promise<void>;
}

/**
 * A `file:` URL opens the embedded store (synchronous libSQL, statements prepared once); any
 * other URL (`libsql://`, `http(s)://`: sqld, Turso) goes through the libSQL client.
 */
async function openStore(url: string): Promise<{ store: Store; close: () => void }> {
  if (url.startsWith("file:")) return openEmbeddedStore(url.slice("file:".length), MIGRATIONS_DIR);
  const client = createClient({ url });
  const store = drizzle(client, { schema });
  await migrate(store, { migrationsFolder: MIGRATIONS_DIR });
  return { store, close: () => client.close() };
}

/** FLEET_ENCRYPTION_KEY, or for local use a key generated once and kept beside the database. */
async function encryptionKey(config: Config, databaseUrl: string, log: Logger): Promise<string> {
  if (config.encryptionKey) return config.encryptionKey;
  const dir = databaseUrl.startsWith("file:") ? dirname(resolve(databaseUrl.slice(5))) : resolve("data");
  const path = resolve(dir, "encryption.key");
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    await mkdir(dir, { recursive: true });
    const key = SecretBox.generateKey();
    await writeFile(path, `${key}\n`, { mode: 0o600 });
    await chmod(path, 0o600);
    log.warn("FLEET_ENCRYPTION_KEY is not set; generated a local key (keep it with the database)", { path });
    return key;
  }
}

export async function createNodeHost(options: NodeHostOptions = {}): Promise<NodeHost> {
  const env = options.env ?? process.env;
  useSyncSha256(nodeSha256);
  useSyncAesGcm(nodeAesGcm);
  const config = loadConfig(env);
  const log = options.log ?? createLogger(parseLogLevel(env.LOG_LEVEL));
  const databaseUrl = env.DATABASE_URL || "file:./data/fleetplane.db";
  const { store, close } = await openStore(databaseUrl);
  const key = await encryptionKey(config, databaseUrl, log);
  const box = SecretBox.fromBase64Key(key);

  let runner: JobRunner | undefined;
  const dispatcher: Dispatcher = {
    // On Node dispatch is only a nudge: the runner would find the jobs on its next poll anyway.
    async dispatch() {
      crashPoint("before-dispatch");
      runner?.wake();
    },
  };
  const deps: FunctionDeps & AppDeps = {
    store,
    config,
    dispatcher,
    log,
    now: () => Date.now(),
    secretBox: () => box,
    metrics: new Metrics(),
    ready: async () => {
      await store.run(sql`SELECT 1 FROM jobs LIMIT 1`);
      return true;
    },
    kube: nodeKubeConnector({ timeoutMs: config.kubeTimeoutMs, urlAllow: config.urlAllow }),
    outbound: (url) => checkResolvedAddresses(url, config.urlAllow),
    aws: lazyAwsAccess(env),
    secretsManager: lazySecretsManager(env),
    dashboard: dashboardFiles(),
  };
  // Agent-mode clusters are not dialed: their calls go through their agents' work channel.
  deps.kube = throughAgents(deps.kube, deps);
  runner = new JobRunner(deps, options.runnerPollMs ?? 500);
  // FLEET_RUN_JOBS=false makes an API-only replica: another process runs the jobs.
  // The scheduler and notification fan-out run where the jobs run; their compare-and-sets make several harmless.
  let scheduler: ReturnType<typeof setInterval> | undefined;
  if ((options.runJobs ?? env.FLEET_RUN_JOBS !== "false") === true) {
    runner.start();
    scheduler = setInterval(() => {
      void runPeriodicPasses(deps);
    }, config.sweepIntervalMs);
    scheduler.unref?.();
  }
  const bootstrapToken = await bootstrapAdminToken(deps);
  const app = createApp(deps);
  return {
    app,
    deps,
    runner,
    config,
    bootstrapToken,
    async close() {
      if (scheduler) clearInterval(scheduler);
      await runner?.stop();
      close();
    },
  };
}

export function listen(host: NodeHost, port: number, hostname = "0.0.0.0") {
  const listener = getRequestListener(host.app.fetch, {
    hostname,
    errorHandler: (error) => answerUnreadable(error, host.deps.log),
  });
  const server = createServer(listener);
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => answerUnparsable(error, socket));
  return new Promise<Server>((resolveServer) => server.listen(port, hostname, () => resolveServer(server)));
}

const MALFORMED =
  "The request is not valid HTTP (a raw space or backslash in the path, or a malformed header?); encode the path and retry";

/**
 * A request Node parsed but the Fetch API cannot hold (a path `new URL` refuses) never reaches
 * the app either: the same problem, from the adapter. Anything else that escapes the app is
 * our bug, a 500 problem.
 */
function answerUnreadable(error: unknown, log: Logger): Response {
  const unreadable = error instanceof RequestError;
  if (!unreadable) log.error("unhandled error outside the app", { error: String(error) });
  const [status, code, detail] = unreadable
    ? [400, "malformed_request", MALFORMED]
    : [500, "internal", "Something went wrong on our side; the request id helps us find it"];
  return new Response(JSON.stringify(problemOf(status, code, detail, { requestId: newId("req") })), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

/**
 * A request Node's HTTP parser refuses (a raw backslash or space in the path, a malformed
 * header, headers too large) never reaches the app, and Node would answer a bare 400 with no
 * body. It gets a problem document like every other refusal, then the connection closes.
 */
function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, detail] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "headers_too_large", "The request's headers are too large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "request_timeout", "The request did not arrive in time"]
        : [400, "malformed_request", MALFORMED];
  const body = JSON.stringify(problemOf(status, code, detail, { requestId: newId("req") }));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
