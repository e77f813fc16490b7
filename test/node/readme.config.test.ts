import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

/**
 * The README's configuration table is the one place an operator learns the settings: it must
 * name every FLEET_ variable the hosts read, and only those, exactly once.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const SOURCES = ["core", "entry", "api", "functions"];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? sourceFiles(join(dir, e.name))
        : Promise.resolve(e.name.endsWith(".ts") ? [join(dir, e.name)] : []),
    ),
  );
  return nested.flat();
}

it("documents every FLEET_ setting the code reads, once, and none it does not", async () => {
  const files = (await Promise.all(SOURCES.map((d) => sourceFiles(join(ROOT, d))))).flat();
  const read = new Set<string>();
  for (const file of files) {
    // Reads of the environment: env.FLEET_X, or a helper given (env, "FLEET_X").
    for (const match of (await readFile(file, "utf8")).matchAll(/\benv(?:\.|,\s*"|\[")(FLEET_[A-Z0-9_]+)/g)) {
      // Test hooks (crash injection) are not settings.
      if (!match[1]?.startsWith("FLEET_TEST_")) read.add(match[1] as string);
    }
  }
  expect(read.size).toBeGreaterThan(20);

  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Configuration");
  expect(start).toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const tableRows = section.split("\n").filter((line) => line.startsWith("| `"));
  const documented = new Map<string, number>();
  for (const row of tableRows) {
    const firstCell = row.split("|")[1] ?? "";
    for (const name of firstCell.match(/FLEET_[A-Z0-9_]+/g) ?? [])
      documented.set(name, (documented.get(name) ?? 0) + 1);
  }
  expect([...read].filter((name) => !documented.has(name)).sort(), "read by the code, missing from the table").toEqual(
    [],
  );
  expect([...documented.keys()].filter((name) => !read.has(name)).sort(), "in the table, read by nothing").toEqual([]);
  expect(
    [...documented].filter(([, count]) => count > 1).map(([name]) => name),
    "documented twice",
  ).toEqual([]);
  expect(readme.match(/^\| variable /gm), "one configuration table").toHaveLength(1);
  // What wrangler.toml sets for Workers is documented too.
  const wrangler = await readFile(join(ROOT, "wrangler.toml"), "utf8");
  const workerVars = [...wrangler.matchAll(/^(FLEET_[A-Z0-9_]+)\s*=/gm)].map((m) => m[1] as string);
  expect(workerVars.length).toBeGreaterThan(0);
  expect(workerVars.filter((name) => !documented.has(name))).toEqual([]);
  expect(readme, "no merge-conflict markers").not.toMatch(/^(<{7}|={7}|>{7})( |$)/m);
});
