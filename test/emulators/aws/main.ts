/**
 * The AWS emulator as its own process:
 *
 *     npx tsx test/emulators/aws/main.ts --port 4566
 *
 * Prints one JSON line `{"url": "http://127.0.0.1:4566"}` once it listens,
 * then serves until SIGINT/SIGTERM. Faults, the request log and resets are
 * driven over HTTP: `GET|POST /_emulator/faults`, `GET /_emulator/requests`,
 * `GET /_emulator/state`, `POST /_emulator/reset`.
 */
import { parseArgs } from "node:util";
import { startAwsEmulator } from "./index";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4566" },
    host: { type: "string", default: "127.0.0.1" },
    "account-id": { type: "string" },
    region: { type: "string" },
    "cluster-create-ms": { type: "string" },
    "nodegroup-create-ms": { type: "string" },
    "update-ms": { type: "string" },
    "delete-ms": { type: "string" },
  },
  strict: true,
});

function integer(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${raw}`);
    process.exit(2);
  }
  return n;
}

const timeScale = Object.fromEntries(
  (
    [
      ["clusterCreateMs", "cluster-create-ms"],
      ["nodegroupCreateMs", "nodegroup-create-ms"],
      ["updateMs", "update-ms"],
      ["deleteMs", "delete-ms"],
    ] as const
  ).flatMap(([key, flag]) => {
    const value = integer(flag, values[flag]);
    return value === undefined ? [] : [[key, value]];
  }),
);

const emu = await startAwsEmulator({
  port: integer("port", values.port) ?? 4566,
  host: values.host ?? "127.0.0.1",
  ...(values["account-id"] ? { accountId: values["account-id"] } : {}),
  ...(values.region ? { region: values.region } : {}),
  timeScale,
});
process.stdout.write(`${JSON.stringify({ url: emu.url })}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  emu.close().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
