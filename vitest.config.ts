import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          test: {
            name: "node",
            include: ["test/node/**/*.test.ts"],
            environment: "node",
            testTimeout: 30_000,
            hookTimeout: 30_000,
            maxWorkers: 2,
            // The Node suites run first, then the Workers suites, so the two pools never
            // compete for the machine's cores at once.
            sequence: { groupOrder: 0 },
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  FLEET_ADMIN_TOKEN: "workers-test-admin-token",
                  FLEET_ENCRYPTION_KEY: "q2Jk3Wv7zYb8o0N4sQ1tU6xR9cE5hL2mA7pD3fG8iK0",
                  FLEET_JOB_BACKOFF_BASE_MS: "50",
                  FLEET_JOB_BACKOFF_MAX_MS: "100",
                  FLEET_ROLLOUT_TICK_MS: "200",
                  FLEET_URL_ALLOW: "127.0.0.1",
                  // Tests never reach the internet: add-on releases come from a (closed) local mirror.
                  FLEET_ADDON_MIRROR: "http://127.0.0.1:9",
                },
              },
            }),
          ],
          resolve: { alias: { undici: "./functions/kube/undici-workers.ts" } },
          test: {
            name: "workers",
            include: ["test/workers/**/*.test.ts"],
            setupFiles: ["./test/workers/apply-migrations.ts"],
            sequence: { groupOrder: 1 },
            testTimeout: 60_000,
          },
        },
      ],
    },
  };
});
