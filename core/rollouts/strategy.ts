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
