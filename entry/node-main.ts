import { installCrashHookFromEnv } from "./crash-hook";
import { createNodeHost, listen } from "./node";

installCrashHookFromEnv(process.env.FLEET_TEST_CRASH_AT);

/** `npm start`: the API, the job runner and the store in one process, on the embedded default. */
const port = Number(process.env.PORT || 8787);
const host = await createNodeHost();
const server = await listen(host, port, process.env.HOST || "0.0.0.0");
const shown = process.env.HOST && process.env.HOST !== "0.0.0.0" ? process.env.HOST : "localhost";
host.deps.log.info(`Fleetplane listening on http://${shown}:${port} (docs at http://${shown}:${port}/docs)`, {
  database: process.env.DATABASE_URL || "file:./data/fleetplane.db",
});
if (host.bootstrapToken) {
  // Printed once, on the first start only; only its hash is stored.
  process.stdout.write(
    `\nAn admin token was created for this installation. It is shown only now:\n\n  ${host.bootstrapToken}\n\nUse it as: Authorization: Bearer <token>\n\n`,
  );
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    host.deps.log.info("shutting down", { signal });
    server.close();
    void host.close().then(() => process.exit(0));
  });
}
