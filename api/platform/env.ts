import type { AgentPrincipal } from "../../core/agents/spec";
import type { AgentDoorbell, Ctx, Deps, Principal } from "../../core/context";
import type { Logger } from "../../core/log";
import type { Metrics } from "./metrics";

/** Per-request variables every middleware and handler can read. */
export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal;
    ctx: Ctx;
    log: Logger;
    /** Set on the agent protocol's routes instead of `principal`. */
    agent: AgentPrincipal;
  };
}

export interface AppDeps extends Deps {
  metrics: Metrics;
  /** The dashboard's built files, where they were built. */
  dashboard?: DashboardAssets | undefined;
  /** Answers /readyz: the store is reachable and migrated. */
  ready: () => Promise<boolean>;
  agentDoorbell?: AgentDoorbellHost | undefined;
}

/** The host's doorbell, seen from the API: it also takes the agents' connections to it. */
export interface AgentDoorbellHost extends AgentDoorbell {
  /** Answers an authenticated agent's WebSocket upgrade for its cluster's doorbell. */
  answer(clusterId: string, request: Request): Promise<Response>;
}

/**
 * Where the dashboard's built files come from: the Node host reads them from `web/dist`, the
 * Workers host from its static assets. Undefined when the dashboard was not built.
 */
export interface DashboardAssets {
  /** The file at `path` (`/index.html`, `/assets/…`), or undefined when there is none. */
  get(path: string): Promise<{ body: BodyInit; contentType: string } | undefined>;
}
