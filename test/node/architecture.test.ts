import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Rules of the source tree that imports alone cannot state. Each names what it protects; a
 * change that breaks one should move the code, not the rule.
 */
const ROOT = join(__dirname, "..", "..");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

const PRODUCT = ["api", "core", "functions", "entry", "cli"].flatMap(sources);

describe("the source tree", () => {
  it("changes rollouts and their targets only in the rollouts wing (core/rollouts)", () => {
    const writes =
      /\.(update|insert|delete)\((rollouts|rolloutTargets)\)|casUpdate\([^,]+, (rollouts|rolloutTargets)\b|(UPDATE|INSERT INTO|DELETE FROM) (\$\{rollouts\}|\$\{rolloutTargets\}|rollouts\b|rollout_targets\b)/;
    const offenders = PRODUCT.filter((file) => !file.startsWith("core/rollouts/")).filter((file) =>
      writes.test(readFileSync(join(ROOT, file), "utf8")),
    );
    expect(offenders).toEqual([]);
    // The rule sees the writes it is about: the wing itself has them.
    expect(sources("core/rollouts").filter((file) => writes.test(readFileSync(join(ROOT, file), "utf8")))).toEqual(
      expect.arrayContaining(["core/rollouts/start.ts", "core/rollouts/verbs.ts", "core/rollouts/writes.ts"]),
    );
  });

  it("keeps network and process I/O out of core: it reaches the world through what functions pass in", () => {
    const io = /\bfetch\(|from "node:(http|https|net|child_process|fs)"|@aws-sdk\/|@kubernetes\/client-node/;
    const offenders = sources("core").filter((file) => io.test(readFileSync(join(ROOT, file), "utf8")));
    expect(offenders).toEqual([]);
    // The rule sees the I/O it is about: functions/ has it.
    expect(
      sources("functions").filter((file) => io.test(readFileSync(join(ROOT, file), "utf8"))).length,
    ).toBeGreaterThan(3);
  });
});
