import type { Config } from "./config";
import type { SecretBox } from "./crypto";
import type { Logger } from "./log";
import type { SecretsManager } from "./secrets/secrets-manager";
import type { Store } from "./store";

/** Who is calling: an admin token (platform team) or a token scoped to one tenant. */
export interface Principal {
  tokenId: string;
  role: "admin" | "tenant";
  tenantId?: string;
}

/** Hands freshly committed jobs to the host: a Queue on Workers, the in-process runner on Node. */
export interface Dispatcher {
  dispatch(jobIds: string[]): Promise<void>;
}

/**
 * How a host tells an agent that is not holding a request for work open that there is some.
 * On Workers, isolates share no wake-ups, so an agent instead keeps a WebSocket open to a
 * Durable Object of its cluster, which hibernates while idle (an idle agent then costs neither
 * requests nor store reads) and is rung when work is queued; the agent then asks for it. Hosts
 * without one (Node, where wake-ups are in-process) leave it undefined.
 */
export interface AgentDoorbell {
  /** Tells the cluster's connected agent, if any, to look for work now. */
  ring(clusterId: string): Promise<void>;
}

export interface Deps {
  store: Store;
  config: Config;
  dispatcher: Dispatcher;
  log: Logger;
  now: () => number;
  /** Resolves the sealing key lazily: only flows that store credentials need it. */
  secretBox: () => Promise<SecretBox>;
  /** Tenants' secret values go straight from the request to AWS Secrets Manager through this. */
  secretsManager: SecretsManager;
  /** Where the host has one: rings an agent waiting on a connection instead of a held request. */
  agentDoorbell?: AgentDoorbell | undefined;
}

/** What every verb receives: the dependencies plus who asked and under which request. */
export interface Ctx extends Deps {
  principal: Principal;
  requestId: string;
}

export const SYSTEM_PRINCIPAL: Principal = { tokenId: "system", role: "admin" };
