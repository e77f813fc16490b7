import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../../support/net";

export const ROOT = resolve(import.meta.dirname, "../../..");

export interface RunningServer {
  url: string;
  /** The admin token the server printed at its first start. */
  token: string;
  output: () => string;
  close(): Promise<void>;
}

/**
 * `npm start` as a user runs it: a child process on a free port with a fresh database in a
 * temp folder and no admin token configured, so it mints one and prints it once. Resolves when
 * that token has been printed and the server answers /readyz.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), "fleetplane-server-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn("npm", ["start", "--silent"], {
    cwd: ROOT,
    // Its own process group, so closing stops npm and the server it started together.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${join(dir, "fleet.db")}`,
      FLEET_ADMIN_TOKEN: "",
      FLEET_URL_ALLOW: "127.0.0.1,::1,localhost",
      LOG_LEVEL: "warn",
      ...env,
    },
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    const token = /admin token[^\n]*\n\n\s+(\S+)/.exec(output)?.[1];
    if (token) {
      const ready = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return { url, token, output: () => output, close: stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
