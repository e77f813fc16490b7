import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { build } from "esbuild";

/**
 * Bundles the Node host (entry/node-main.ts and its dependencies) into one file once per
 * run. Starting the bundle takes a few hundred milliseconds instead of the seconds tsx and the
 * module graph of client-node and the AWS SDK cost, which is what lets the crash test restart
 * the host hundreds of times. The bundle sits one folder below the repository root, as
 * `entry/node-main.ts` does, because the host finds `migrations/` relative to its own file.
 */
export const ROOT = resolve(import.meta.dirname, "../../..");
export const HOST_BUNDLE = resolve(ROOT, ".build/reliability-host.mjs");
/** Node's on-disk compile cache for the bundle (NODE_COMPILE_CACHE): later starts skip compiling it. */
export const COMPILE_CACHE = resolve(ROOT, ".build/reliability/compile-cache");

export default async function setup(): Promise<void> {
  await mkdir(resolve(ROOT, ".build/reliability"), { recursive: true });
  await build({
    entryPoints: [resolve(ROOT, "entry/node-main.ts")],
    outfile: HOST_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    // Half the bytes to parse at every start; with the compile cache below, starts stay short.
    minify: true,
    // libSQL loads a native addon at run time; it stays a normal import from node_modules.
    external: ["@libsql/client", "libsql"],
    // Some bundled CommonJS dependencies call require(); ESM output needs one defined.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "error",
  });
}
