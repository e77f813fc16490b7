import { durationMs } from "../../core/applications/plan";
import type { StrategyInput } from "../../core/applications/spec";
import type { AnalysisRuntime } from "../../core/rollouts/runtime";
import { checkOutboundUrl } from "../../core/url-policy";
import type { FunctionDeps } from "../types";

type AnalysisSpec = NonNullable<StrategyInput["analysis"]>;

export function analysisIntervalMs(analysis: AnalysisSpec): number {
  return durationMs(analysis.interval, 60_000);
}

/** Escapes cluster names for a PromQL regex matcher (`cluster=~"{{clusters}}"`). */
function regexAlternation(names: string[]): string {
  return names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|");
}

/**
 * One round of metric analysis, as Flagger runs it: every query against the Prometheus HTTP
 * API, each value checked against its `min`/`max`. A query that returns nothing, or fails, is
 * a failed check too: a gate that cannot see must not let a rollout through.
 */
export async function runAnalysis(
  deps: FunctionDeps,
  analysis: AnalysisSpec,
  wave: { name: string; clusters: string[] },
  previous: AnalysisRuntime | null,
): Promise<{ runtime: AnalysisRuntime; failed: boolean }> {
  const now = deps.now();
  const base = checkOutboundUrl(analysis.prometheusUrl, {
    purpose: "prometheus",
    allow: deps.config.urlAllow,
    location: "strategy.analysis.prometheusUrl",
    schemes: ["https:", "http:"],
  });
  const results: AnalysisRuntime["results"] = [];
  for (const metric of analysis.metrics) {
    const query = metric.query
      .replaceAll("{{wave}}", wave.name)
      .replaceAll("{{clusters}}", regexAlternation(wave.clusters));
    let value: number | null = null;
    let message: string;
    try {
      await deps.outbound?.(base.href);
      value = await queryPrometheus(base, query, deps.config.kubeTimeoutMs);
      message = value === null ? "no data" : "";
    } catch (error) {
      message = `query failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    let passed = value !== null;
    if (value !== null) {
      const low = metric.min !== undefined && value < metric.min;
      const high = metric.max !== undefined && value > metric.max;
      passed = !low && !high;
      message = low
        ? `${value} is below the minimum ${metric.min}`
        : high
          ? `${value} is above the maximum ${metric.max}`
          : `${value} within bounds`;
    }
    results.push({ metric: metric.name, value, passed, message, at: now });
  }
  const failed = results.some((r) => !r.passed);
  return {
    failed,
    runtime: {
      checks: (previous?.checks ?? 0) + 1,
      failedChecks: (previous?.failedChecks ?? 0) + (failed ? 1 : 0),
      lastCheckAt: now,
      results,
    },
  };
}

async function queryPrometheus(base: URL, query: string, timeoutMs: number): Promise<number | null> {
  const url = new URL("api/v1/query", base.href.endsWith("/") ? base.href : `${base.href}/`);
  url.searchParams.set("query", query);
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  const body = (await res.json().catch(() => undefined)) as
    | { status?: string; error?: string; data?: { resultType?: string; result?: unknown } }
    | undefined;
  if (!res.ok || body?.status !== "success") throw new Error(body?.error ?? `HTTP ${res.status}`);
  const { resultType, result } = body.data ?? {};
  let raw: unknown;
  if (resultType === "scalar") raw = (result as [number, string])[1];
  else if (resultType === "vector") raw = (result as { value: [number, string] }[])[0]?.value[1];
  else throw new Error(`unsupported result type ${resultType}`);
  if (raw === undefined) return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}
