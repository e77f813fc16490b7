import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
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

/** Each file's relative imports (type-only ones too: a cycle of types still ties modules together). */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const text = readFileSync(join(ROOT, file), "utf8");
      const targets = [...text.matchAll(/from "(\.[^"]+)"/g)]
        .map((m) => relative(ROOT, resolve(ROOT, dirname(file), m[1] as string)))
        .flatMap((base) => [`${base}.ts`, `${base}/index.ts`].filter((candidate) => known.has(candidate)));
      return [file, targets];
    }),
  );
}

/** The strongly connected components with more than one file (Tarjan): each is an import cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (stack.includes(target)) {
        low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        component.push(member);
      } while (member !== file);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

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

  it("has no import cycles, of values or of types: every module can be read after what it imports", () => {
    const graph = importGraph([...PRODUCT, ...sources("schema")]);
    expect([...graph.values()].flat().length).toBeGreaterThan(500);
    expect(cycles(graph)).toEqual([]);
    // The check sees a cycle when there is one.
    const loop = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["a.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    expect(cycles(loop)).toEqual([["a.ts", "b.ts"]]);
  });
});
