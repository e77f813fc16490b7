/**
 * Configuration comes from environment variables on Node and from vars/secrets on Workers,
 * under the same names. Every setting has a safe default; the README lists them.
 */
export interface Config {
  /** Admin bearer token from FLEET_ADMIN_TOKEN; when absent on Node one is generated once. */
  adminToken: string | undefined;
  /** Base64 AES-256 key for sealing cluster credentials. */
  encryptionKey: string | undefined;
  maxBodyBytes: number;
  /** Sustained requests per second allowed per credential; 0 turns rate limiting off. */
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  /** Global cap on functions running at once, across all clusters. */
  jobConcurrency: number;
  jobMaxAttempts: number;
  jobLeaseMs: number;
  jobBackoffBaseMs: number;
  jobBackoffMaxMs: number;
  sweepIntervalMs: number;
  /** CIDRs or host names that user-supplied URLs may point at although they are private. */
  urlAllow: string[];
  /** Timeout for one call to a cluster's API server. */
  kubeTimeoutMs: number;
  /** How often a function looks again at work a provider is still doing (EKS creating, CAPI provisioning). */
  providerPollMs: number;
  /** How often the rollout engine looks at a running rollout (starts clusters, checks gates). */
  rolloutTickMs: number;
  /** How often every cluster is reconciled (drift detection), unless its spec says otherwise. */
  reconcileIntervalMs: number;
  /**
   * Where add-on release bundles are fetched from instead of upstream, laid out as
   * `<mirror>/<add-on>/<version>/<file>` (for offline fleets and for the External Secrets chart).
   */
  addonMirror: string | undefined;
  /** How long an add-on install waits for its CRDs to be Established and its controllers Available. */
  addonTimeoutMs: number;
  /** Optional LLM narrative of drift reports (Anthropic Messages API); off unless both are set. */
  llm: { url: string; apiKey: string; model: string } | undefined;
  /** The image of the cluster agent the install manifest runs (a request may name another). */
  agentImage: string;
  /** The URL agents dial, as they see it; without it the manifest uses the URL the request came to. */
  publicUrl: string | undefined;
  /**
   * Where each alert's `runbook_url` points (its anchor appended): the host's own /docs/runbook
   * when unset, or the published copy of the README, whose runbook table carries the same anchors.
   */
  runbookUrl: string | undefined;
  /** How long a join token for an agent works. */
  agentJoinTtlMs: number;
  /** An agent not heard from for this long is silent: its cluster's work waits and its cluster turns Unknown. */
  agentSilentMs: number;
  /** How long a function waits for an agent's answer to one call before retrying later. */
  agentCallTimeoutMs: number;
  /** Work no agent took for this long is given up (whoever wanted it asks again). */
  agentWorkExpiryMs: number;
  /**
   * How often a held request for work, and a call waiting for its answer, look at the store.
   * Inside one Node process a queued item and a report wake them at once, so this only bounds
   * how late work queued by another process is seen; Workers isolates share nothing, so
   * wrangler.toml sets it low there.
   */
  agentPollMs: number;
  /** How often an event stream looks for new events in the store. */
  streamPollMs: number;
  /** How long one event stream stays open; the client reconnects with `Last-Event-ID`. */
  streamMaxMs: number;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

/** An optional http(s) URL, without a fragment (an anchor is appended to it). */
function httpUrl(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  const parsed = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.hash) {
    throw new Error(`${name} must be an http(s) URL without a #fragment, got "${raw}"`);
  }
  return raw;
}

export function loadConfig(env: Env): Config {
  return {
    adminToken: env.FLEET_ADMIN_TOKEN || undefined,
    encryptionKey: env.FLEET_ENCRYPTION_KEY || undefined,
    maxBodyBytes: int(env, "FLEET_MAX_BODY_BYTES", 1024 * 1024, 1024),
    rateLimitPerSecond: int(env, "FLEET_RATE_LIMIT_RPS", 100),
    rateLimitBurst: int(env, "FLEET_RATE_LIMIT_BURST", 200, 1),
    jobConcurrency: int(env, "FLEET_JOB_CONCURRENCY", 16, 1),
    jobMaxAttempts: int(env, "FLEET_JOB_MAX_ATTEMPTS", 8, 1),
    jobLeaseMs: int(env, "FLEET_JOB_LEASE_SECONDS", 60, 1) * 1000,
    jobBackoffBaseMs: int(env, "FLEET_JOB_BACKOFF_BASE_MS", 1000, 1),
    jobBackoffMaxMs: int(env, "FLEET_JOB_BACKOFF_MAX_MS", 5 * 60 * 1000, 1),
    sweepIntervalMs: int(env, "FLEET_SWEEP_INTERVAL_SECONDS", 30, 1) * 1000,
    urlAllow: (env.FLEET_URL_ALLOW ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    kubeTimeoutMs: int(env, "FLEET_KUBE_TIMEOUT_MS", 10_000, 100),
    providerPollMs: int(env, "FLEET_PROVIDER_POLL_MS", 15_000, 10),
    rolloutTickMs: int(env, "FLEET_ROLLOUT_TICK_MS", 2_000, 10),
    reconcileIntervalMs: int(env, "FLEET_RECONCILE_INTERVAL_SECONDS", 300, 1) * 1000,
    addonMirror: env.FLEET_ADDON_MIRROR || undefined,
    addonTimeoutMs: int(env, "FLEET_ADDON_TIMEOUT_SECONDS", 600, 1) * 1000,
    llm:
      env.FLEET_LLM_URL && env.FLEET_LLM_API_KEY
        ? { url: env.FLEET_LLM_URL, apiKey: env.FLEET_LLM_API_KEY, model: env.FLEET_LLM_MODEL || "claude-sonnet-4-5" }
        : undefined,
    agentImage: env.FLEET_AGENT_IMAGE || "ghcr.io/fleetplane/agent:0.1.0",
    publicUrl: env.FLEET_PUBLIC_URL || undefined,
    runbookUrl: httpUrl(env, "FLEET_RUNBOOK_URL"),
    agentJoinTtlMs: int(env, "FLEET_AGENT_JOIN_TTL_HOURS", 24, 1) * 3600 * 1000,
    agentSilentMs: int(env, "FLEET_AGENT_SILENT_SECONDS", 90, 1) * 1000,
    agentCallTimeoutMs: int(env, "FLEET_AGENT_CALL_TIMEOUT_SECONDS", 30, 1) * 1000,
    agentWorkExpiryMs: int(env, "FLEET_AGENT_WORK_EXPIRY_SECONDS", 600, 1) * 1000,
    agentPollMs: int(env, "FLEET_AGENT_POLL_MS", 2000, 10),
    streamPollMs: int(env, "FLEET_STREAM_POLL_MS", 1000, 10),
    streamMaxMs: int(env, "FLEET_STREAM_MAX_SECONDS", 300, 1) * 1000,
  };
}
