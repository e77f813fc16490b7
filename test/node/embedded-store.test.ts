import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeBatch } from "../../core/store";
import { type EmbeddedStoreHandle, openEmbeddedStore } from "../../entry/embedded-store";
import { MIGRATIONS_DIR } from "../../entry/node";
import { clusterClasses } from "../../schema";

let dir: string;
let handle: EmbeddedStoreHandle;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fleetplane-store-"));
  handle = openEmbeddedStore(join(dir, "fleet.db"), MIGRATIONS_DIR);
});
afterAll(async () => {
  handle.close();
  await rm(dir, { recursive: true, force: true });
});

const classRow = (name: string) => ({
  id: `ccl_${name}`,
  name,
  labels: {},
  spec: { provider: "imported" as const },
  status: { phase: "Ready", conditions: [] },
  generation: 1,
  revision: 1,
  createdAt: 0,
  updatedAt: 0,
  provider: "imported",
});
const insert = (name: string) => handle.store.insert(clusterClasses).values(classRow(name) as never);
const names = async () =>
  (await handle.store.select({ name: clusterClasses.name }).from(clusterClasses).orderBy(asc(clusterClasses.name))).map(
    (row) => row.name,
  );

describe("the embedded store's batches", () => {
  it("commit together when asked for in one turn, and one that fails is rolled back alone", async () => {
    await writeBatch(handle.store, [insert("taken")]);
    // Three batches in the same turn share one commit. The second inserts a row and then breaks
    // the unique name: it must fail whole (its first row gone too), the others must commit.
    const outcomes = await Promise.allSettled([
      writeBatch(handle.store, [insert("first")]),
      writeBatch(handle.store, [insert("half-written"), insert("taken")]),
      writeBatch(handle.store, [insert("third")]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await names()).toEqual(["first", "taken", "third"]);
  });

  it("answers a batch's statements in order, and reads after it see what it wrote", async () => {
    const [results] = await Promise.all([
      writeBatch(handle.store, [
        handle.store
          .update(clusterClasses)
          .set({ revision: 2 })
          .where(eq(clusterClasses.name, "first"))
          .returning({ revision: clusterClasses.revision }),
      ]),
      writeBatch(handle.store, [insert("fourth")]),
    ]);
    expect(results).toEqual([[{ revision: 2 }]]);
    expect(await names()).toContain("fourth");
  });
});
