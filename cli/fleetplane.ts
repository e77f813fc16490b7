import { run } from "./main";

/** The `fleetplane` executable: the process's streams and environment around `run`. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

process.exitCode = await run({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: readStdin,
});
// The command is done: a connection still open (an event stream a proxy keeps half-open, a
// keep-alive socket) must not hold the shell.
process.exit();
