import { join } from "node:path";
import { createNodeHost, type NodeHost } from "../../entry/node";

const ADMIN = "bench-admin-token";

export interface BenchHost {
  host: NodeHost;
  /** A request through the whole app as the admin; a 4xx/5xx answer throws with its body. */
  call(method: string, path: string, body?: unknown): Promise<any>;
}

/**
 * A Node host on its own database file for a benchmark that drives clusters: the URL policy
 * opens the emulators' loopback address, the rate limit and scheduled reconciles are off (a
 * run measures what it starts), and logs only say errors.
 */
export async function startBenchHost(dir: string, env: Record<string, string> = {}): Promise<BenchHost> {
  const host = await createNodeHost({
    env: {
      ...process.env,
      DATABASE_URL: `file:${join(dir, "fleet.db")}`,
      FLEET_ADMIN_TOKEN: ADMIN,
      FLEET_URL_ALLOW: "127.0.0.1",
      FLEET_RECONCILE_INTERVAL_SECONDS: "86400",
      FLEET_KUBE_TIMEOUT_MS: "30000",
      FLEET_RATE_LIMIT_RPS: "0",
      LOG_LEVEL: "error",
      ...env,
    },
    runnerPollMs: 100,
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await host.app.fetch(
      new Request(`http://bench${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }),
    );
    const json = (await res.json()) as any;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return { host, call };
}
