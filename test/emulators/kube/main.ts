/**
 * Standalone kube-apiserver emulator(s), for demos and benchmarks.
 *
 *   npx tsx test/emulators/kube/main.ts [--port 6443] [--host 127.0.0.1] [--no-tls]
 *                                       [--token T] [--clusters N] [--name prefix]
 *                                       [--git-version v1.30.2] [--request-log 10000]
 *
 * Starts N emulators on consecutive ports (all on random ports with --port 0)
 * and prints one JSON line per emulator to stdout:
 *   {"name":"cluster-1","url":"https://127.0.0.1:6443","token":"...","caData":"..."}
 * then runs until SIGINT/SIGTERM. Tests drive them over HTTP with the same
 * bearer token: GET/POST /_emulator/faults, POST /_emulator/edit,
 * POST /_emulator/status, POST /_emulator/remove, GET /_emulator/requests,
 * GET /_emulator/objects, POST /_emulator/reset.
 */
import { parseArgs } from "node:util";
import { type KubeEmulator, startKubeEmulator } from "./index.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "6443" },
    host: { type: "string", default: "127.0.0.1" },
    "no-tls": { type: "boolean", default: false },
    token: { type: "string" },
    clusters: { type: "string", default: "1" },
    name: { type: "string", default: "cluster" },
    "git-version": { type: "string", default: "v1.30.2" },
    "request-log": { type: "string", default: "10000" },
  },
  strict: true,
});

const basePort = Number(values.port);
const count = Number(values.clusters);
if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65535) throw new Error(`invalid --port ${values.port}`);
if (!Number.isInteger(count) || count < 1) throw new Error(`invalid --clusters ${values.clusters}`);

const emulators: KubeEmulator[] = [];
try {
  for (let i = 0; i < count; i++) {
    const emulator = await startKubeEmulator({
      port: basePort === 0 ? 0 : basePort + i,
      host: values.host,
      tls: !values["no-tls"],
      token: values.token,
      gitVersion: values["git-version"],
      name: count === 1 ? values.name : `${values.name}-${i + 1}`,
      requestLogLimit: Number(values["request-log"]),
    });
    emulators.push(emulator);
    const { name, url, token, caData } = emulator;
    process.stdout.write(`${JSON.stringify({ name, url, token, caData })}\n`);
  }
} catch (err) {
  console.error("kube emulator: failed to start:", err);
  await Promise.all(emulators.map((e) => e.close()));
  process.exit(1);
}

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.error(`kube emulator: ${signal}, stopping ${emulators.length} emulator(s)`);
  await Promise.all(emulators.map((e) => e.close()));
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
