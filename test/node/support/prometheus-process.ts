import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../support/net";
import { eventually } from "./harness";

export interface ActiveAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing";
}

export interface PrometheusProcess {
  url: string;
  /** Alerts pending or firing now, from Prometheus's own API. */
  alerts(): Promise<ActiveAlert[]>;
  /** Resolves once every rule group has been evaluated on a scrape newer than `since`. */
  evaluatedAfter(since: number): Promise<void>;
  output(): string;
  close(): Promise<void>;
}

/**
 * A real Prometheus (Debian's `prometheus` package) on a free loopback port, scraping `target`
 * every second and evaluating `groups` every second, its data in a temp folder removed on close.
 */
export async function startPrometheus(target: string, groups: unknown[]): Promise<PrometheusProcess> {
  const dir = await mkdtemp(join(tmpdir(), "fleetplane-prometheus-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { host } = new URL(target);
  // JSON is YAML: Prometheus reads both files as they are written here.
  await writeFile(join(dir, "rules.yml"), JSON.stringify({ groups }));
  await writeFile(
    join(dir, "prometheus.yml"),
    JSON.stringify({
      global: { scrape_interval: "1s", evaluation_interval: "1s", scrape_timeout: "1s" },
      rule_files: [join(dir, "rules.yml")],
      scrape_configs: [{ job_name: "fleetplane", static_configs: [{ targets: [host] }] }],
    }),
  );
  let output = "";
  const child: ChildProcess = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const failedToStart = new Promise<never>((_, reject) =>
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new Error("prometheus is not installed: install Debian's prometheus package (apt-get install prometheus)")
          : error,
      ),
    ),
  );
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: T }).data;
  };
  const close = async () => {
    child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      failedToStart,
      eventually(
        async () =>
          (await fetch(`${url}/-/ready`)
            .then((r) => r.ok)
            .catch(() => false)) || undefined,
        30_000,
        "prometheus ready",
      ),
    ]);
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return {
    url,
    output: () => output,
    close,
    async alerts() {
      return (await api<{ alerts: ActiveAlert[] }>("/api/v1/alerts")).alerts;
    },
    async evaluatedAfter(since) {
      await eventually(
        async () => {
          const { activeTargets } = await api<{ activeTargets: { health: string; lastScrape: string }[] }>(
            "/api/v1/targets",
          );
          const scraped = activeTargets.every((t) => t.health === "up" && Date.parse(t.lastScrape) > since);
          const { groups: evaluated } = await api<{ groups: { lastEvaluation: string }[] }>("/api/v1/rules");
          const after = Math.max(since, ...activeTargets.map((t) => Date.parse(t.lastScrape)));
          return (
            (scraped && evaluated.length > 0 && evaluated.every((g) => Date.parse(g.lastEvaluation) > after)) ||
            undefined
          );
        },
        30_000,
        "a scrape and a rule evaluation",
      );
    },
  };
}
