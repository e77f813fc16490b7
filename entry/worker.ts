import type {
  D1Database,
  DurableObjectNamespace,
  ExecutionContext,
  ExportedHandler,
  Fetcher,
  MessageBatch,
  Queue,
  ScheduledController,
  Request as WorkerRequest,
} from "@cloudflare/workers-types";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { createApp } from "../api/app";
import type { AppDeps, DashboardAssets } from "../api/platform/env";
import { Metrics } from "../api/platform/metrics";
import { loadConfig } from "../core/config";
import type { Dispatcher } from "../core/context";
import { SecretBox } from "../core/crypto";
import { UnavailableError } from "../core/errors";
import { recordEvent } from "../core/events";
import { newId } from "../core/ids";
import { findDueJobs } from "../core/jobs/jobs";
import { JOB_KIND } from "../core/kinds";
import { createLogger, parseLogLevel } from "../core/log";
import { runPeriodicPasses } from "../core/periodic";
import type { Store } from "../core/store";
import { lazyAwsAccess } from "../functions/aws/lazy";
import { lazySecretsManager } from "../functions/aws/secrets-manager";
import type { KubeConnector } from "../functions/kube/access";
import type { JobMessage } from "../functions/queue";
import type { FunctionDeps } from "../functions/types";
import * as schema from "../schema";
import { durableDoorbell } from "./agent-doorbell";

export interface WorkerEnv {
  DB: D1Database;
  JOBS: Queue<JobMessage>;
  /** The dashboard's built files (wrangler.toml `[assets]`), when they were built. */
  ASSETS?: Fetcher;
  /** The agents' doorbells (wrangler.toml `[[durable_objects.bindings]]`), one object per cluster. */
  AGENT_DOORBELL?: DurableObjectNamespace;
  [name: string]: unknown;
}

/** Queue messages can be delayed by at most 12 hours; longer waits are left to the sweep. */
const MAX_DELAY_SECONDS = 12 * 60 * 60;
const SWEEP_BATCH = 100;

type WorkerDeps = FunctionDeps & AppDeps;

/**
 * One set of dependencies and one app per isolate: the bindings object is the same for every
 * request an isolate serves, so they are built on first use and reused.
 */
const isolates = new WeakMap<object, { deps: WorkerDeps; app: ReturnType<typeof createApp> }>();

function instance(env: WorkerEnv) {
  let found = isolates.get(env);
  if (found) return found;
  const vars = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  const config = loadConfig(vars);
  const log = createLogger(parseLogLevel(vars.LOG_LEVEL));
  const store = drizzle(env.DB, { schema }) as unknown as Store;
  let box: Promise<SecretBox> | undefined;
  const dispatcher: Dispatcher = {
    async dispatch(jobIds) {
      if (jobIds.length === 0) return;
      // A failed send is not fatal: the jobs are committed and the cron sweep will send them.
      await env.JOBS.sendBatch(jobIds.map((jobId) => ({ body: { jobId } }))).catch((error: unknown) =>
        log.warn("queue send failed; the sweep will dispatch", { error: String(error) }),
      );
    },
  };
  // client-node is only loaded when a function first talks to a cluster, which keeps it out
  // of the request path's cold start.
  const kube: KubeConnector = async (target) => {
    // Agent-mode clusters (the way Workers reaches private clusters and any cluster whose API
    // server presents its own CA) are not dialed: their calls go through their agents.
    if (target.agent) return (await import("../functions/kube/agent")).agentKubeAccess(deps, target.agent);
    const { fetchKubeConnector } = await import("../functions/kube/fetch");
    return fetchKubeConnector({ timeoutMs: config.kubeTimeoutMs })(target);
  };
  const deps: WorkerDeps = {
    store,
    config,
    dispatcher,
    log,
    now: () => Date.now(),
    secretBox: () => {
      if (!config.encryptionKey) {
        return Promise.reject(
          new UnavailableError(
            "FLEET_ENCRYPTION_KEY is not configured: set it with `wrangler secret put FLEET_ENCRYPTION_KEY`",
          ),
        );
      }
      box ??= SecretBox.fromBase64Key(config.encryptionKey);
      return box;
    },
    metrics: new Metrics(),
    ready: async () => {
      await store.run(sql`SELECT 1 FROM jobs LIMIT 1`);
      return true;
    },
    kube,
    aws: lazyAwsAccess(vars),
    secretsManager: lazySecretsManager(vars),
    dashboard: env.ASSETS ? staticAssets(env.ASSETS) : undefined,
    agentDoorbell: env.AGENT_DOORBELL ? durableDoorbell(env.AGENT_DOORBELL) : undefined,
  };
  found = { deps, app: createApp(deps) };
  isolates.set(env, found);
  return found;
}

/**
 * The dashboard from Workers static assets. Every request reaches the Worker first
 * (`run_worker_first`), so the dashboard gets the same headers on both hosts and the API's
 * paths are never shadowed by a file.
 */
function staticAssets(assets: Fetcher): DashboardAssets {
  return {
    async get(path) {
      const res = await assets.fetch(new URL(path, "https://assets.invalid"));
      if (!res.ok || !res.body) return undefined;
      return {
        body: await res.arrayBuffer(),
        contentType: res.headers.get("content-type") ?? "application/octet-stream",
      };
    },
  };
}

async function consumeJobs(batch: MessageBatch<JobMessage>, env: WorkerEnv) {
  const { deps } = instance(env);
  // The functions (and client-node with them) load on the first queue batch, not on requests.
  const { deliverJobMessage } = await import("../functions/queue");
  const owner = `queue_${newId("req").slice(4)}`;
  for (const message of batch.messages) {
    const delivery = await deliverJobMessage(message.body, owner, deps);
    if (delivery.redeliverAfterMs !== undefined) {
      const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.ceil(delivery.redeliverAfterMs / 1000));
      await env.JOBS.send(message.body, { delaySeconds });
    }
    message.ack();
  }
}

/** Messages land here after the consumer threw on them `max_retries` times: record each one. */
async function recordDeadLetters(batch: MessageBatch<JobMessage>, env: WorkerEnv) {
  const { deps } = instance(env);
  const now = deps.now();
  for (const message of batch.messages) {
    const jobId = String(message.body?.jobId ?? "unknown");
    await recordEvent(deps.store, {
      type: "Warning",
      reason: "DeadLettered",
      resourceType: JOB_KIND,
      resourceId: jobId,
      message: `queue message for job ${jobId} was dead-lettered after ${message.attempts} deliveries; the sweep will retry the job while it is due`,
      actor: "system",
      at: now,
    });
    message.ack();
  }
}

/** The cron sweep: re-dispatches jobs that are due and not leased, whatever happened to their message. */
export async function sweepJobs(env: WorkerEnv): Promise<number> {
  const { deps } = instance(env);
  const due = await findDueJobs(deps.store, deps.now(), SWEEP_BATCH);
  await deps.dispatcher.dispatch(due.map((job) => job.id));
  return due.length;
}

export { AgentDoorbellObject } from "./agent-doorbell";

export default {
  fetch(request: WorkerRequest, env: WorkerEnv, ctx: ExecutionContext) {
    return instance(env).app.fetch(request as unknown as Request, env, ctx) as never;
  },
  async queue(batch: MessageBatch<JobMessage>, env: WorkerEnv) {
    if (batch.queue.endsWith("-dlq")) await recordDeadLetters(batch, env);
    else await consumeJobs(batch, env);
  },
  async scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext) {
    // Scheduled work is queued first, so the sweep that follows dispatches it too if a send failed.
    ctx.waitUntil(runPeriodicPasses(instance(env).deps).then(() => sweepJobs(env)));
  },
} satisfies ExportedHandler<WorkerEnv, JobMessage>;
