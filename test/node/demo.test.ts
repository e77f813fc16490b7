import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { freePort } from "../support/net";
import { ROOT } from "./support/server";

/** `npm run demo` runs its whole story to the end against the real host and emulators. */
it("npm run demo tells the whole story and exits cleanly with --exit", async () => {
  const dir = await mkdtemp(join(tmpdir(), "fleetplane-demo-"));
  const port = await freePort();
  try {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "demo/run.ts", "--port", String(port), "--data", dir, "--exit"],
        { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
      );
      let out = "";
      child.stdout.on("data", (c) => {
        out += c;
      });
      child.on("error", reject);
      child.on("close", (exit) => resolve({ code: exit ?? -1, stdout: out }));
    });
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(
      /prod-us-east-1 +production +us-east-1 +v1\.30\.4 +Connected +flux 2\.7\.3, external-secrets [\d.]+, kyverno [\d.]+, sealed-secrets [\d.]+ +ReconciliationSucceeded/,
    );
    expect(stdout).toMatch(
      /edge-private joined through its agent \(0\.1\.0\): Connected, 3 add-ons and Flux installed/,
    );
    expect(stdout).toMatch(/Dashboard: http:\/\/127\.0\.0\.1:\d+\/ +\(sign in with the admin token demo-admin-token\)/);
    expect(stdout).toContain("team-payments: 3/3 clusters ready");
    expect(stdout).toContain("the value is in our database: no");
    expect(stdout).toMatch(
      /api-key sealed for each cluster's Sealed Secrets controller .*; unsealed on all 3 clusters: yes; in our database: no/,
    );
    expect(stdout).toContain("rollout #1 of payments-api Succeeded");
    expect(stdout).toMatch(/rollout #2 of payments-api RolledBack: metric analysis failed in wave staging/);
    expect(stdout).toContain("fleet rollback #3: 1 cluster(s) back on v1.4.0");
    expect(stdout).toMatch(/\.spec\.prune: true → false by kubectl-edit/);
    expect(stdout).toContain("signature valid");
    expect(stdout).toContain("next reconcile: Ready, 0 drifted object(s)");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);
