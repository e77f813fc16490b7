import { type ChildProcess, spawn } from "node:child_process";
import { COMPILE_CACHE, HOST_BUNDLE, ROOT } from "./build-host";

/**
 * The real Node host as a child process (the bundle built by build-host.ts), so `kill -9`
 * kills exactly what production runs: the API, the job runner and the SQLite store together.
 */
export interface HostProcess {
  readonly port: number;
  readonly url: string;
  /** Resolves with the signal when the process is gone (killed by us or by a crash point). */
  readonly exited: Promise<NodeJS.Signals | number | null>;
  readonly alive: boolean;
  kill9(): Promise<void>;
}

/** Every host still running, so a failed or timed-out test leaves no process behind. */
const living = new Set<HostProcess>();

export async function killAllHosts(): Promise<void> {
  await Promise.all([...living].map((host) => host.kill9()));
}

export async function startHostProcess(env: Record<string, string>, port: number): Promise<HostProcess> {
  const child: ChildProcess = spawn(process.execPath, [HOST_BUNDLE], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", NODE_COMPILE_CACHE: COMPILE_CACHE },
    stdio: ["ignore", "ignore", "inherit"],
  });
  let alive = true;
  let self: HostProcess | undefined;
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once("exit", (code, signal) => {
      alive = false;
      if (self) living.delete(self);
      resolve(signal ?? code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  // Ready when /readyz answers; a crash point may kill it before that (then `alive` is false).
  while (alive) {
    const ok = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 15));
  }
  const host: HostProcess = {
    port,
    url,
    exited,
    get alive() {
      return alive;
    },
    async kill9() {
      if (alive) child.kill("SIGKILL");
      await exited;
    },
  };
  self = host;
  if (alive) living.add(host);
  return host;
}
