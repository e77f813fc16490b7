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
}

/** What every verb receives: the dependencies plus who asked and under which request. */
export interface Ctx extends Deps {
  principal: Principal;
  requestId: string;
}

export const SYSTEM_PRINCIPAL: Principal = { tokenId: "system", role: "admin" };
