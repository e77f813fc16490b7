import { readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp, OPENAPI_INFO } from "../api/app";
import type { AppDeps } from "../api/platform/env";
import { Metrics } from "../api/platform/metrics";
import { loadConfig } from "../core/config";
import { createLogger } from "../core/log";

/**
 * Writes openapi/openapi.json from the routes' own schemas. With --check it writes nothing
 * and fails when the committed file differs, which is how CI notices a stale contract.
 */
const OUT = resolve(dirname(fileURLToPath(import.meta.url)), "openapi.json");

export function buildDocument(): unknown {
  // Building the document only walks the route definitions; no dependency is called.
  const deps = {
    config: loadConfig({}),
    log: createLogger("error"),
    metrics: new Metrics(),
    now: () => 0,
  } as unknown as AppDeps;
  return createApp(deps).getOpenAPI31Document(OPENAPI_INFO);
}

export function renderDocument(): string {
  return `${JSON.stringify(buildDocument(), null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const next = renderDocument();
  if (process.argv.includes("--check")) {
    const current = await readFile(OUT, "utf8").catch(() => "");
    if (current !== next) {
      console.error("openapi/openapi.json is stale: run `npm run openapi` and commit the result");
      process.exit(1);
    }
    console.log("openapi/openapi.json is up to date");
  } else {
    await writeFile(OUT, next);
    console.log(`wrote ${OUT}`);
  }
}
