import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchesSelector, parseLabelSelector } from "../../core/selector";
import { openEmbeddedStore } from "../../entry/embedded-store";
import { MIGRATIONS_DIR } from "../../entry/node";
import { startTestHost, type TestHost } from "./support/harness";

/**
 * Lists select on the label index (`resource_labels`, kept by triggers), while placements and
 * rollouts match selectors in memory. Both must agree on every operator, after creates, label
 * changes and deletes, and across pages.
 */
let t: TestHost;

beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
});
afterAll(() => t.close());

const KEYS = ["tier", "region", "app.kubernetes.io/name"];
const VALUES = ["a", "b", "c"];
const labelsArb = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 });
const requirementArb = fc.oneof(
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES)).map(([k, v]) => `${k}=${v}`),
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES)).map(([k, v]) => `${k}!=${v}`),
  fc
    .tuple(fc.constantFrom(...KEYS), fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1 }))
    .map(([k, vs]) => `${k} in (${vs.join(",")})`),
  fc
    .tuple(fc.constantFrom(...KEYS), fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1 }))
    .map(([k, vs]) => `${k} notin (${vs.join(",")})`),
  fc.constantFrom(...KEYS),
  fc.constantFrom(...KEYS).map((k) => `!${k}`),
);
const selectorArb = fc.array(requirementArb, { minLength: 1, maxLength: 3 }).map((terms) => terms.join(","));

/** Every name the API lists for a selector, walking pages of 3. */
async function listed(selector: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({
      labelSelector: selector,
      pageSize: "3",
      ...(token ? { pageToken: token } : {}),
    });
    const res = await t.request("GET", `/v1/cluster-classes?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    names.push(...res.body.items.map((item: { name: string }) => item.name));
    token = res.body.nextPageToken;
  } while (token);
  return names.sort();
}

describe("label selectors over the label index", () => {
  it("lists exactly what the in-memory matcher selects, after creates, label changes and deletes", async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(labelsArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), labelsArb), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 2 }),
        fc.array(selectorArb, { minLength: 1, maxLength: 4 }),
        async (created, changes, deletions, selectors) => {
          round++;
          const fleet = new Map<string, Record<string, string>>();
          for (const [i, labels] of created.entries()) {
            const name = `r${round}-${i}`;
            const res = await t.request("POST", "/v1/cluster-classes", {
              body: { name, provider: "imported", labels },
            });
            expect(res.status).toBe(201);
            fleet.set(name, labels);
          }
          const names = [...fleet.keys()];
          for (const [pick, labels] of changes) {
            const name = names[pick % names.length]!;
            // A merge patch: keys no longer wanted are removed with null.
            const removed = Object.keys(fleet.get(name)!).filter((key) => !(key in labels));
            const patch = { ...labels, ...Object.fromEntries(removed.map((key) => [key, null])) };
            const res = await t.request("PATCH", `/v1/cluster-classes/${name}`, { body: { labels: patch } });
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            fleet.set(name, labels);
          }
          for (const pick of deletions) {
            const name = names[pick % names.length]!;
            if (!fleet.has(name)) continue;
            expect((await t.request("DELETE", `/v1/cluster-classes/${name}`)).status).toBe(204);
            fleet.delete(name);
          }
          for (const selector of selectors) {
            const ours = (await listed(selector)).filter((name) => name.startsWith(`r${round}-`));
            const expected = [...fleet]
              .filter(([, labels]) => matchesSelector(labels, parseLabelSelector(selector)))
              .map(([name]) => name)
              .sort();
            expect(ours, selector).toEqual(expected);
          }
          // Clean up, so each round's selectors see only its own rows and the index empties with them.
          for (const name of fleet.keys()) await t.request("DELETE", `/v1/cluster-classes/${name}`);
        },
      ),
      { numRuns: 25 },
    );
    const left = await t.host.deps.store.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM resource_labels WHERE resource = 'cluster_classes'`,
    );
    expect(Number(left[0]?.n)).toBe(0);
  });

  it("indexes the labels of resources stored before the index existed", async () => {
    // A database migrated up to the release before the index, with a labelled cluster in it…
    const dir = await mkdtemp(join(tmpdir(), "fleetplane-labels-"));
    const before = join(dir, "migrations-before");
    await mkdir(join(before, "meta"), { recursive: true });
    const journal = JSON.parse(await readFile(join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8"));
    journal.entries = journal.entries.filter((e: { tag: string }) => e.tag < "0010_label_index");
    await writeFile(join(before, "meta/_journal.json"), JSON.stringify(journal));
    for (const entry of journal.entries as { tag: string }[]) {
      await copyFile(join(MIGRATIONS_DIR, `${entry.tag}.sql`), join(before, `${entry.tag}.sql`));
    }
    const file = join(dir, "fleet.db");
    const old = openEmbeddedStore(file, before);
    const now = Date.now();
    await old.store.run(sql`INSERT INTO clusters (id, name, labels, spec, status, generation, revision, created_at, updated_at, class_id, provider, environment, region, phase)
      VALUES ('cls_00000000000000000000000001', 'old-1', '{"tier":"edge","app.kubernetes.io/name":"x"}', '{}', '{}', 1, 1, ${now}, ${now}, 'ccl_x', 'imported', 'production', 'eu-west-1', 'Provisioned')`);
    old.close();
    // …opened by this release: the migration fills the index from the rows already there.
    const current = openEmbeddedStore(file, MIGRATIONS_DIR);
    try {
      const rows = await current.store.all<{ key: string; value: string }>(
        sql`SELECT key, value FROM resource_labels WHERE resource = 'clusters' AND resource_id = 'cls_00000000000000000000000001' ORDER BY key`,
      );
      expect(rows).toEqual([
        { key: "app.kubernetes.io/name", value: "x" },
        { key: "tier", value: "edge" },
      ]);
    } finally {
      current.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
