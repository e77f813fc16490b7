import { spawn } from "node:child_process";

/**
 * Runs Prometheus's own `promtool` (Debian's `prometheus` package; `.ci/run` installs it when it
 * is missing). A missing promtool fails the test that needs it rather than skipping it.
 */
export function promtool(args: string[], stdin?: string, cwd?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("promtool", args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new Error("promtool is not installed: install Debian's prometheus package (apt-get install prometheus)")
          : error,
      ),
    );
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(stdin ?? "");
  });
}
