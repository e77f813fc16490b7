import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { constantTimeEqual } from "../../core/crypto";
import { dataFilesText, type Fleet, startFleet } from "../node/support/fleet";
import { startTestHost, type TestHost } from "../node/support/harness";
import { type Operation, operations, seededRef, seedReferences, validBodies } from "./support/openapi";

/**
 * Hostile input and access, generated from the OpenAPI document: fields the server owns
 * smuggled into every write, oversized bodies on every write, page sizes out of range on
 * every list, bursts past the rate limit, another tenant's identifiers on every route, and
 * tokens at rest.
 */
let fleet: Fleet;
let tenantToken: string;
const counts = { requests: 0, smuggled: 0, oversized: 0, lists: 0, limited: 0, crossTenant: 0, leaks: 0 };
const SMUGGLED: Record<string, unknown> = {
  id: "cls_01JSMUGGLED0000000000000000",
  status: { phase: "Ready", conditions: [] },
  tenant: "team-bravo",
  tenantId: "ten_01JSMUGGLED0000000000000000",
  generation: 99,
  revision: 99,
  createdAt: "2020-01-01T00:00:00Z",
};
const TABLES = ["cluster_classes", "clusters", "tenants", "tenant_secrets", "tokens", "jobs", "events"];

async function snapshot(t: TestHost): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const rows = await t.host.deps.store.all(sql.raw(`SELECT * FROM ${table} ORDER BY rowid`));
    parts.push(JSON.stringify(rows));
  }
  return parts.join("\n");
}

const request = async (...args: Parameters<Fleet["request"]>) => {
  counts.requests += 1;
  return fleet.t.request(...args);
};

/** Concrete path and body for an operation, aimed at resources that exist. */
function target(op: Operation, suffix: string): { path: string; body?: Record<string, unknown> } {
  const kube = fleet.clusters.get("edge-shared");
  const bodies = validBodies(
    { kubeUrl: kube?.url ?? "", caData: kube?.caData ?? "", token: kube?.token ?? "" },
    suffix,
  );
  const path = op.path
    .replace(
      "{ref}",
      op.path.startsWith("/v1/tenants")
        ? "team-alpha"
        : op.path.startsWith("/v1/cluster-classes")
          ? "imported"
          : (seededRef(op.path) ?? "edge-shared"),
    )
    .replace("{secretRef}", "alpha-db")
    .replace("{id}", "unknown");
  let body = op.bodySchema ? bodies[op.bodySchema] : undefined;
  if (op.bodySchema && !body) throw new Error(`no valid body for ${op.bodySchema}: add one to VALID_BODIES`);
  // A PUT replaces the resource it names.
  if (op.method === "PUT" && body) {
    body = { ...body, name: op.path.includes("secrets") ? "alpha-db" : (seededRef(op.path) ?? "imported") };
  }
  return { path, ...(body ? { body } : {}) };
}

beforeAll(async () => {
  fleet = await startFleet({ runJobs: false });
  await fleet.addCluster("edge-shared", { tier: "prod" });
  for (const name of ["team-alpha", "team-bravo"]) {
    const res = await fleet.request("POST", "/v1/tenants", {
      body: {
        name,
        namespace: name,
        source: { url: "https://github.com/acme/x" },
        placement: { labelSelector: "tier=prod" },
      },
    });
    expect(res.status).toBe(202);
    const short = name.replace("team-", "");
    const secret = await fleet.request("POST", `/v1/tenants/${name}/secrets`, {
      body: { name: `${short}-db`, data: { password: `${short}-secret-value-7f3a` } },
    });
    expect(secret.status).toBe(202);
  }
  tenantToken = (await fleet.request("POST", "/v1/tenants/team-alpha/tokens", { body: { name: "alpha-ci" } })).body
    .token;
  await seedReferences((method, path, opts) => fleet.request(method, path, opts));
});

afterAll(async () => {
  console.log(
    `hostile input: ${counts.requests} requests — ${counts.smuggled} smuggled-field writes refused, ` +
      `${counts.oversized} oversized bodies refused, ${counts.lists} list pages clamped, ${counts.limited} answered 429, ` +
      `${counts.crossTenant} cross-tenant requests, data leaks found: ${counts.leaks}`,
  );
  await fleet?.close();
});

describe("write schemas are strict", () => {
  it("no server-owned field can be smuggled into any create or update", async () => {
    const writes = operations().filter((op) => op.bodySchema);
    expect(writes.length).toBeGreaterThanOrEqual(10);
    const before = await snapshot(fleet.t);
    const accepted: string[] = [];
    for (const op of writes) {
      const { path, body } = target(op, "smuggle");
      for (const [field, value] of Object.entries(SMUGGLED)) {
        const res = await request(op.method, path, { body: { ...body, [field]: value } });
        counts.smuggled += 1;
        if (res.status !== 422 && res.status !== 400)
          accepted.push(`${op.method} ${op.path} +${field} → ${res.status}`);
        else expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      }
    }
    expect(accepted).toEqual([]);
    // Nothing half-written: every table is exactly as before.
    expect(await snapshot(fleet.t)).toBe(before);
  });
});

describe("limits", () => {
  it("an oversized body is 413 on every write route, declared or streamed without a length", async () => {
    const max = fleet.t.host.config.maxBodyBytes;
    const before = await snapshot(fleet.t);
    for (const op of operations().filter((o) => o.bodySchema)) {
      const { path, body } = target(op, "huge");
      const raw = JSON.stringify({ ...body, labels: { pad: "x".repeat(max) } });
      const declared = await request(op.method, path, { raw });
      expect(declared.status, `${op.method} ${op.path}`).toBe(413);
      expect(declared.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      // Chunked: no Content-Length to trust, the bytes read are what count.
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < raw.length; i += 64 * 1024)
            controller.enqueue(new TextEncoder().encode(raw.slice(i, i + 64 * 1024)));
          controller.close();
        },
      });
      const streamed = await fleet.t.host.app.request(path, {
        method: op.method,
        headers: { authorization: "Bearer test-admin-token-0123456789", "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      counts.requests += 1;
      expect(streamed.status, `${op.method} ${op.path} streamed`).toBe(413);
      counts.oversized += 2;
    }
    expect(await snapshot(fleet.t)).toBe(before);
  });

  it("page sizes out of range are clamped to 1..500 on every list", async () => {
    // More than one page's worth of one resource, so the upper clamp is visible.
    for (let i = 0; i < 505; i++) {
      const res = await request("POST", "/v1/cluster-classes", { body: { name: `bulk-${i}`, provider: "imported" } });
      expect(res.status).toBe(201);
    }
    const big = await request("GET", "/v1/cluster-classes?pageSize=100000");
    expect(big.status).toBe(200);
    expect(big.body.items).toHaveLength(500);
    expect(big.body.nextPageToken).toEqual(expect.any(String));
    for (const op of operations().filter((o) => o.method === "GET" && o.query.includes("pageSize"))) {
      const base = op.path.replace("{ref}", seededRef(op.path) ?? "team-alpha");
      for (const size of ["100000", "501", "0", "-7"]) {
        const res = await request("GET", `${base}?pageSize=${size}`);
        expect(res.status, `${base}?pageSize=${size}: ${res.text.slice(0, 200)}`).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(500);
        if (Number(size) < 1) expect(res.body.items.length).toBeLessThanOrEqual(1);
        counts.lists += 1;
      }
    }
  });

  it("a burst past the rate limit is 429 with Retry-After, per credential", async () => {
    const limited = await startTestHost(
      { FLEET_RATE_LIMIT_RPS: "5", FLEET_RATE_LIMIT_BURST: "10" },
      { runJobs: false },
    );
    try {
      const other = await limited.tenantToken("ten_01JOTHERTENANT000000000000");
      const burst = await Promise.all(Array.from({ length: 60 }, () => limited.request("GET", "/v1/cluster-classes")));
      counts.requests += 60;
      const refused = burst.filter((r) => r.status === 429);
      counts.limited += refused.length;
      expect(burst.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(10);
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) {
        expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      // Another credential has its own bucket.
      expect((await limited.request("GET", "/v1/cluster-classes", { token: other })).status).not.toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe("access", () => {
  it("another tenant's names and ids, and every admin route: 403/404 and never a byte of its data", async () => {
    const bravo = (await fleet.t.request("GET", "/v1/tenants/team-bravo")).body;
    const bravoSecret = (await fleet.t.request("GET", "/v1/tenants/team-bravo/secrets/bravo-db")).body;
    const forbidden = ["team-bravo", bravo.id, bravoSecret.id, "bravo-db", "bravo-secret-value-7f3a"];
    const leaks: string[] = [];
    const wrong: string[] = [];
    for (const op of operations()) {
      if (!op.path.startsWith("/v1/tenants/{ref}")) continue;
      for (const [ref, secretRef] of [
        ["team-bravo", "bravo-db"],
        [bravo.id, bravoSecret.id],
        ["team-alpha", bravoSecret.id],
      ]) {
        // Its own tenant with the other's secret id only means something on secret routes.
        if (ref === "team-alpha" && !op.path.includes("{secretRef}")) continue;
        const { body } = target(op, "cross");
        const path = op.path.replace("{ref}", ref as string).replace("{secretRef}", secretRef as string);
        const res = await request(op.method, path, { token: tenantToken, ...(body ? { body } : {}) });
        counts.crossTenant += 1;
        if (![403, 404].includes(res.status)) wrong.push(`${op.method} ${path} → ${res.status}`);
        // Echoing what the caller sent (the problem's `instance`, "team-bravo not found") is no leak.
        for (const value of forbidden) {
          if (!path.includes(value) && res.text.includes(value)) leaks.push(`${op.method} ${path} shows ${value}`);
        }
      }
    }
    // Every platform route: writes, and reads of tokens and jobs, are the platform team's (403).
    // Application and rollout routes answer as if the platform's resources were absent.
    for (const op of operations()) {
      if (op.path.startsWith("/v1/tenants/{ref}")) continue;
      const adminOnly = op.method !== "GET" || op.path.startsWith("/v1/tokens") || op.path.startsWith("/v1/jobs");
      if (!adminOnly) continue;
      const { path, body } = target(op, "admin");
      const res = await request(op.method, path, { token: tenantToken, ...(body ? { body } : {}) });
      counts.crossTenant += 1;
      // Tenants manage their own applications and rollouts: the platform's are as unknown as
      // absent (404), and a create without the caller's tenant is refused (422).
      const tenantManaged = op.path.startsWith("/v1/applications") || op.path.startsWith("/v1/rollouts");
      const want = tenantManaged ? (op.method === "POST" && op.path === "/v1/applications" ? 422 : 404) : 403;
      if (res.status !== want) wrong.push(`${op.method} ${path} → ${res.status} (want ${want})`);
      for (const value of forbidden) if (res.text.includes(value)) leaks.push(`${op.method} ${path} shows ${value}`);
    }
    for (const path of ["/v1/tenants", "/v1/events?pageSize=500", "/v1/clusters", "/v1/cluster-classes"]) {
      const res = await request("GET", path, { token: tenantToken });
      counts.crossTenant += 1;
      for (const value of forbidden) if (res.text.includes(value)) leaks.push(`GET ${path} shows ${value}`);
    }
    counts.leaks = leaks.length;
    expect(wrong, wrong.join("\n")).toEqual([]);
    expect(leaks).toEqual([]);
  });

  it("tokens are stored hashed: no plaintext token in any file of the database", async () => {
    const minted: string[] = [tenantToken];
    for (let i = 0; i < 5; i++) {
      const res = await request("POST", "/v1/tokens", { body: { name: `ops-${i}` } });
      expect(res.status).toBe(201);
      minted.push(res.body.token);
    }
    const files = await dataFilesText(fleet.t.dir);
    const rows = await fleet.t.host.deps.store.all<{ hash: string }>(sql`SELECT hash FROM tokens`);
    const hashes = new Set(rows.map((r) => r.hash));
    for (const token of minted) {
      expect(files.includes(token)).toBe(false);
      expect(hashes.has(createHash("sha256").update(token).digest("hex"))).toBe(true);
      // A token that differs in its last character, or is a prefix, is refused.
      const near = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
      expect((await request("GET", "/v1/cluster-classes", { token: near })).status).toBe(401);
      expect((await request("GET", "/v1/cluster-classes", { token: token.slice(0, -4) })).status).toBe(401);
    }
    // The comparison used for the configured admin token looks at every byte whatever differs.
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "a")).toBe(false);
  });
});
