import type { AgentPrincipal } from "../../core/agents/spec";
import type { Ctx, Deps, Principal } from "../../core/context";
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
  /** Answers /readyz: the store is reachable and migrated. */
  ready: () => Promise<boolean>;
}
