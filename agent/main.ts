import { createServer } from "node:http";
import { KubeConfig } from "@kubernetes/client-node";
import { Agent } from "./agent";

/**
 * The agent process: in a cluster it uses its service account; beside one (tests, a laptop)
 * KUBECONFIG names the cluster. Probes on :8080 (PROBE_PORT): /healthz while the process runs,
 * /readyz once it has joined or resumed.
 */
const env = process.env;
const url = env.FLEETPLANE_URL;
if (!url) throw new Error("FLEETPLANE_URL is required");

const kubeconfig = new KubeConfig();
if (env.KUBECONFIG) kubeconfig.loadFromFile(env.KUBECONFIG);
else kubeconfig.loadFromCluster();

const agent = new Agent({
  url,
  joinToken: env.FLEETPLANE_JOIN_TOKEN,
  kubeconfig,
  namespace: env.FLEETPLANE_NAMESPACE ?? "fleetplane-agent",
  version: env.FLEETPLANE_AGENT_VERSION ?? "0.1.0",
  waitSeconds: Number(env.FLEETPLANE_WAIT_SECONDS ?? 20),
  heartbeatMs: Number(env.FLEETPLANE_HEARTBEAT_SECONDS ?? 30) * 1000,
});

const probes = createServer((req, res) => {
  const ok = req.url === "/healthz" || (req.url === "/readyz" && agent.ready);
  res.writeHead(ok ? 200 : 503).end(ok ? "ok" : "not ready");
});
probes.listen(Number(env.PROBE_PORT ?? 8080));

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    agent.stop();
    probes.close();
    setTimeout(() => process.exit(0), 100).unref();
  });
}

agent.run().catch((error: unknown) => {
  console.error(JSON.stringify({ message: "agent stopped", error: String(error) }));
  process.exit(1);
});
