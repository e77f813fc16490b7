import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { eventually } from "./harness";

const ROOT = resolve(import.meta.dirname, "../../..");

/**
 * The Node host as its own process (`node --import tsx entry/node-main.ts`, no wrapper), so
 * `kill()` is a real SIGKILL: nothing of the host survives it, as when a machine dies.
 */
export interface ChildHost {
  port: number;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
}

export async function startChildHost(port: number, token: string, env: Record<string, string>): Promise<ChildHost> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "entry/node-main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await eventually(
    async () => ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok ? true : undefined),
    20_000,
    "host ready",
  );
  return {
    port,
    async api(method, path, body) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: await res.json().catch(() => undefined) };
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
