import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:reliability`: crashes, redelivery, faults, concurrency and hostile input.
 * Its own config, not a project of the default one, so `npm test` stays quick and this suite
 * runs once in CI after it. The global setup bundles the Node host once for the crash test.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, "../.."),
  test: {
    include: ["test/reliability/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/reliability/support/build-host.ts"],
    testTimeout: 200_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
