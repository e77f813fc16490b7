import { addonSeries } from "../../core/addons/metrics";
import { rolloutSeries } from "../../core/applications/metrics";
import { renderDriftMetrics } from "../../core/drift/metrics";
import { countDeadLettered, countJobsByState } from "../../core/jobs/jobs";
import { labelText } from "../../core/prometheus";
import type { Store } from "../../core/store";

/**
 * A small Prometheus registry: counters and histograms kept in memory per process (per isolate
 * on Workers), plus gauges read from the store at scrape time, so they are right whichever
 * host wrote the rows.
 */
const DEAD_LETTER_WINDOW_MS = 3_600_000;
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  labels: Record<string, string>;
  buckets: number[];
  sum: number;
  count: number;
}

export class Metrics {
  private readonly requests = new Map<string, { labels: Record<string, string>; value: number }>();
  private readonly durations = new Map<string, Histogram>();
  private readonly counters = new Map<
    string,
    { help: string; series: Map<string, { labels: Record<string, string>; value: number }> }
  >();

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const counterKey = `${method} ${route} ${status}`;
    const counter = this.requests.get(counterKey) ?? { labels: { method, route, status: String(status) }, value: 0 };
    counter.value++;
    this.requests.set(counterKey, counter);
    const histKey = `${method} ${route}`;
    let hist = this.durations.get(histKey);
    if (!hist) {
      hist = { labels: { method, route }, buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.durations.set(histKey, hist);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= (BUCKETS[i] as number)) hist.buckets[i]!++;
    hist.sum += seconds;
    hist.count++;
  }

  /** Any other counter a feature wants to expose (job outcomes, reconciles, …). */
  increment(name: string, help: string, labels: Record<string, string>, by = 1): void {
    let family = this.counters.get(name);
    if (!family) {
      family = { help, series: new Map() };
      this.counters.set(name, family);
    }
    const key = JSON.stringify(labels);
    const series = family.series.get(key) ?? { labels, value: 0 };
    series.value += by;
    family.series.set(key, series);
  }

  async render(store: Store, now: number): Promise<string> {
    const lines: string[] = [];
    lines.push("# HELP fleetplane_http_requests_total HTTP requests by route and status.");
    lines.push("# TYPE fleetplane_http_requests_total counter");
    for (const { labels, value } of this.requests.values()) {
      lines.push(`fleetplane_http_requests_total${labelText(labels)} ${value}`);
    }
    lines.push("# HELP fleetplane_http_request_duration_seconds HTTP request latency.");
    lines.push("# TYPE fleetplane_http_request_duration_seconds histogram");
    for (const hist of this.durations.values()) {
      BUCKETS.forEach((le, i) => {
        lines.push(
          `fleetplane_http_request_duration_seconds_bucket${labelText({ ...hist.labels, le: String(le) })} ${hist.buckets[i]}`,
        );
      });
      lines.push(
        `fleetplane_http_request_duration_seconds_bucket${labelText({ ...hist.labels, le: "+Inf" })} ${hist.count}`,
      );
      lines.push(`fleetplane_http_request_duration_seconds_sum${labelText(hist.labels)} ${hist.sum}`);
      lines.push(`fleetplane_http_request_duration_seconds_count${labelText(hist.labels)} ${hist.count}`);
    }
    for (const [name, family] of this.counters) {
      lines.push(`# HELP ${name} ${family.help}`);
      lines.push(`# TYPE ${name} counter`);
      for (const { labels, value } of family.series.values()) lines.push(`${name}${labelText(labels)} ${value}`);
    }
    const jobs = await countJobsByState(store);
    lines.push("# HELP fleetplane_jobs Per-cluster function invocations by state.");
    lines.push("# TYPE fleetplane_jobs gauge");
    for (const [state, count] of Object.entries(jobs)) lines.push(`fleetplane_jobs${labelText({ state })} ${count}`);
    // A window rather than a count of every Failed row ever stored, so the alert on it resolves.
    lines.push(
      "# HELP fleetplane_jobs_dead_lettered Jobs that ended Failed (out of attempts, or refused for good) in the last hour, by kind.",
    );
    lines.push("# TYPE fleetplane_jobs_dead_lettered gauge");
    for (const { kind, count } of await countDeadLettered(store, now - DEAD_LETTER_WINDOW_MS)) {
      lines.push(`fleetplane_jobs_dead_lettered${labelText({ kind })} ${count}`);
    }
    lines.push(...(await rolloutSeries(store)));
    lines.push(...(await addonSeries(store)));
    return `${lines.join("\n")}\n${await renderDriftMetrics(store)}`;
  }
}
