import type { StrategyInput } from "../applications/spec";
import type { Ctx } from "../context";
import { UnprocessableError } from "../errors";
import { checkOutboundUrl } from "../url-policy";

/**
 * What the Strategy schema cannot say, for an application's `strategy` and a layer's
 * `addonStrategy` alike: wave names are unique (rollouts report and approve waves by name), and
 * the metric gate's Prometheus URL passes the outbound URL policy. A URL accepted once stays
 * accepted: only a new one is judged against today's policy.
 */
export function checkStrategy(
  ctx: Ctx,
  strategy: StrategyInput | undefined,
  previous: StrategyInput | undefined,
  location: string,
): void {
  const url = strategy?.analysis?.prometheusUrl;
  if (url && url !== previous?.analysis?.prometheusUrl) {
    checkOutboundUrl(url, {
      purpose: "prometheus",
      allow: ctx.config.urlAllow,
      location: `${location}.analysis.prometheusUrl`,
      schemes: ["https:", "http:"],
    });
  }
  const names = new Set<string>();
  (strategy?.waves ?? []).forEach((wave, i) => {
    if (names.has(wave.name)) {
      throw new UnprocessableError("duplicate_wave", `Wave name ${wave.name} is used twice`, [
        { location: `${location}.waves[${i}].name`, message: "must be unique" },
      ]);
    }
    names.add(wave.name);
  });
}

/**
 * Why a cluster cannot take a rollout's change right now, or undefined when it can: an
 * `Unknown` cluster (its agent silent, its API server unreachable) is unavailable, which is not
 * a failure. The words are its Ready condition's ("waiting for the agent on prod-eu-1, last
 * seen 3 min ago").
 */
export function unavailableBecause(cluster: {
  name: string;
  phase: string | null;
  status: { conditions?: { type: string; message?: string }[] } | null;
}): string | undefined {
  if (cluster.phase !== "Unknown") return undefined;
  const ready = cluster.status?.conditions?.find((c) => c.type === "Ready");
  return ready?.message || `${cluster.name} is unavailable (phase Unknown)`;
}
