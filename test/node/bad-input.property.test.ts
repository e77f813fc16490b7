import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHost, type TestHost } from "./support/harness";

/**
 * Every route in the OpenAPI document gets generated malformed requests: wrong types, missing
 * and unknown fields, huge strings, invalid JSON, odd path parameters, bad selectors and page
 * tokens. Each must answer a 4xx problem+json (never a 500), and none may write a row.
 */
let t: TestHost;
let operations: { method: string; path: string; hasBody: boolean; query: string[] }[];
const TABLES = ["cluster_classes", "clusters", "jobs", "events", "tokens", "idempotency_keys"];

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const rows = await t.host.deps.store.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`));
    out[table] = Number(rows[0]?.n);
  }
  return out;
}

beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
  // Something to point refs at, so refs that resolve still meet bad bodies.
  await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
  const spec = (await t.request("GET", "/openapi.json", { token: null })).body;
  operations = [];
  for (const [path, item] of Object.entries<Record<string, any>>(spec.paths)) {
    if (!path.startsWith("/v1/")) continue;
    for (const [method, op] of Object.entries<any>(item)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        hasBody: Boolean(op.requestBody),
        query: (op.parameters ?? [])
          .filter((p: { in: string }) => p.in === "query")
          .map((p: { name: string }) => p.name),
      });
    }
  }
});
afterAll(() => t.close());

const oddRef = fc.oneof(
  fc.constant("%00"),
  fc.constant("..%2F..%2Fetc"),
  fc.constant("a".repeat(300)),
  fc.constant("%E2%98%83"),
  fc.constant("cls_%27%20OR%201%3D1"),
  fc.string({ minLength: 1, maxLength: 20 }).map((s) => encodeURIComponent(s)),
);

const wrongValue = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.string({ maxLength: 10 }),
  fc.constant("x".repeat(70_000)),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** Bodies that are invalid by construction: every one breaks at least one rule. */
const badBody = fc.oneof(
  fc.record({ raw: fc.constantFrom("{", "[1,2", "nul", '{"name":"x",}', "\u0000", '"just a string"', "[]", "42") }),
  fc.record({ json: fc.constantFrom<unknown>(null, 42, "text", [], [1, 2]) }),
  fc.record({
    json: fc.record({
      name: wrongValue,
      provider: wrongValue,
      class: wrongValue,
      labels: fc.oneof(wrongValue, fc.constant({ "bad key!": "v" }), fc.constant({ k: "v".repeat(64) })),
      connection: wrongValue,
      zzzUnknownField: fc.anything(),
    }),
  }),
  fc.record({ json: fc.constant({}) }),
  fc.record({ json: fc.constant({ name: "x".repeat(100_000), provider: "imported", class: "imported" }) }),
);

const badQuery = fc.oneof(
  fc.constantFrom(
    "labelSelector=a%20in%20(",
    "labelSelector=%3D%3Dx",
    "labelSelector=a%3Db%2C%2C",
    `labelSelector=${"k".repeat(5000)}`,
    "pageToken=not-a-token",
    "pageToken=eyJ2IjoyfQ",
    "pageSize=abc",
    "pageSize=1e999",
    "phase=Nope",
    "state=Bogus",
    "since=yesterday",
  ),
);

function concrete(path: string, ref: string) {
  return path.replace("{ref}", ref).replace("{id}", ref);
}

describe("bad input over every route in the OpenAPI document", () => {
  it("lists the routes it covers", () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
  });

  it("malformed bodies and odd path parameters: 4xx problem+json, nothing written", async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), oddRef, badBody, async (pick, ref, body) => {
        const writes = operations.filter((o) => o.hasBody);
        const op = writes[pick % writes.length]!;
        const path = concrete(op.path, op.path.includes("{") && pick % 2 ? ref : "imported");
        // An empty object is a valid (no-op) merge patch; everywhere else it misses required fields.
        const json =
          op.method === "PATCH" && "json" in body && JSON.stringify(body.json) === "{}" ? { zzz: 1 } : undefined;
        const res = await t.request(op.method, path, "raw" in body ? { raw: body.raw } : { body: json ?? body.json });
        expect(res.status, `${op.method} ${path} → ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${op.method} ${path} → ${res.text.slice(0, 200)}`).toBeLessThan(500);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(res.body.code).toEqual(expect.any(String));
      }),
      { numRuns: 150 },
    );
    expect(await counts()).toEqual(before);
  });

  it("bad query strings and refs on reads: 4xx problem+json", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), oddRef, badQuery, async (pick, ref, query) => {
        const reads = operations.filter((o) => o.method === "GET");
        const op = reads[pick % reads.length]!;
        const parameterised = op.path.includes("{");
        const path = parameterised ? concrete(op.path, ref) : `${op.path}?${query}`;
        if (!parameterised && !op.query.includes(query.split("=")[0]!)) return;
        const res = await t.request("GET", path);
        expect(res.status, `GET ${path} → ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 150 },
    );
  });
});
