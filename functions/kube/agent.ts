import { type AgentCall, agentAvailability, callAgent } from "../../core/agents/work";
import type { Deps } from "../../core/context";
import { StalledError, TransientError } from "../../core/errors";
import type { KubeAccess, KubeConnector, KubeTarget, ServerVersion } from "./access";
import { classifyStatus } from "./refusals";

/**
 * The agent transport: the same `KubeAccess` the functions use on a directly reached cluster,
 * carried by the cluster's agent. Each call becomes one item of the cluster's work, in order,
 * and answers once the agent reports what its API server said; a refusal comes back with the
 * API server's status and is classified like a direct one. A call on a cluster whose agent is
 * not there (not joined, silent) fails at once with a retryable reason saying since when.
 */
export function agentKubeAccess(
  deps: Pick<Deps, "store" | "now" | "config" | "log" | "agentDoorbell">,
  agent: NonNullable<KubeTarget["agent"]>,
): KubeAccess {
  const cluster = { id: agent.clusterId, name: agent.clusterName };
  const where = `${agent.clusterName} (through its agent)`;
  let checked = false;
  const call = async (work: AgentCall): Promise<unknown> => {
    // Checked once per connection: a function's calls then wait for answers within their timeout.
    if (!checked) {
      const availability = await agentAvailability(deps, cluster);
      if (!availability.ok) throw availability.error;
      checked = true;
    }
    const answer = await callAgent(deps, cluster, work, deps.config.agentCallTimeoutMs);
    if (answer.ok) return answer.result;
    if (answer.status === null) throw new TransientError("Unreachable", `The agent on ${where}: ${answer.message}`);
    throw classifyStatus(answer.status, answer.message, where);
  };
  const header = (ref: { apiVersion: string; kind: string; name: string; namespace?: string | undefined }) => ({
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  });
  return {
    async version() {
      return (await call({ op: "version", object: {} })) as ServerVersion;
    },
    async apiGroups() {
      return (await call({ op: "apiGroups", object: {} })) as string[];
    },
    async apply(object) {
      return (await call({ op: "apply", object: object as never })) as never;
    },
    async get(ref) {
      return ((await call({ op: "get", object: header(ref) })) ?? undefined) as never;
    },
    async list(apiVersion, kind, opts = {}) {
      const query = {
        apiVersion,
        kind,
        ...(opts.namespace ? { namespace: opts.namespace } : {}),
        ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
      };
      return ((await call({ op: "list", object: query })) ?? []) as never;
    },
    async delete(ref) {
      return (await call({ op: "delete", object: header(ref) })) === true;
    },
    async serviceProxyGet(ref) {
      const text = await call({ op: "proxyGet", object: { ...ref } });
      // Agents before this op did not refuse what they did not know: they answered nothing.
      if (typeof text !== "string") {
        throw new StalledError(
          "AgentOutdated",
          `The agent on ${agent.clusterName} is older than reads through the service proxy; upgrade it (kubectl apply -f its manifest again)`,
        );
      }
      return text;
    },
  };
}

/** A connector that reaches agent-mode clusters through their agents and the rest with `direct`. */
export function throughAgents(
  direct: KubeConnector,
  deps: Pick<Deps, "store" | "now" | "config" | "log" | "agentDoorbell">,
): KubeConnector {
  return async (target) => (target.agent ? agentKubeAccess(deps, target.agent) : direct(target));
}
