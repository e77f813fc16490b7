import type { D1Migration } from "@cloudflare/vitest-pool-workers";
import type { D1Database, Queue } from "@cloudflare/workers-types";

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      JOBS: Queue<{ jobId: string }>;
      TEST_MIGRATIONS: D1Migration[];
      FLEET_ADMIN_TOKEN: string;
    }
  }
}
