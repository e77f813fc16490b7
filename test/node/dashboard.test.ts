import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHost, type TestHost } from "./support/harness";

/**
 * The dashboard's files as the Node host serves them at `/`: the built single-page app, from
 * our own origin only (it must work offline), with the API and its reference where they were.
 */
const WEB = resolve(import.meta.dirname, "../../web");
let t: TestHost;

beforeAll(async () => {
  // `npm install` builds it; a checkout that skipped the install scripts builds it here.
  if (!["dist/index.html", "dist/reference/standalone.js"].every((f) => existsSync(resolve(WEB, f)))) {
    await build({ configFile: resolve(WEB, "vite.config.ts"), logLevel: "silent" });
  }
  t = await startTestHost();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("dashboard: served by the Node host", () => {
  it("serves the app at / with a policy that allows only our own origin", async () => {
    const page = await t.request("GET", "/", { token: null });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.headers.get("content-security-policy")).toContain("connect-src 'self'");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const scripts = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(src, "loaded from our origin").toMatch(/^\/assets\//);

    for (const src of scripts) {
      const asset = await t.request("GET", src, { token: null });
      expect(asset.status, src).toBe(200);
      expect(asset.headers.get("cache-control")).toContain("immutable");
      expect(asset.headers.get("content-type")).toMatch(src.endsWith(".js") ? /^text\/javascript/ : /^text\/css/);
      // Nothing fetched from elsewhere: no CDN, no remote fonts or scripts.
      expect(asset.text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)[a-z0-9.-]+\//i);
    }
  });

  it("answers an unknown or escaping asset path with a 404 problem, and keeps the API and its reference", async () => {
    const missing = await t.request("GET", "/assets/none.js", { token: null });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const escaping = await t.request("GET", "/assets/%2e%2e/%2e%2e/package.json", { token: null });
    expect(escaping.status).toBe(404);
    expect((await t.request("GET", "/docs", { token: null })).status).toBe(200);
    expect((await t.request("GET", "/v1/clusters", { token: null })).status).toBe(401);
  });

  it("serves the API reference's script from our own origin, so /docs works offline", async () => {
    const docs = await t.request("GET", "/docs", { token: null });
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('src="/docs/reference.js"');
    expect(docs.text).not.toMatch(/cdn\.jsdelivr\.net|fonts\.scalar\.com/);
    const script = await t.request("GET", "/docs/reference.js", { token: null });
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(script.text.length).toBeGreaterThan(100_000);
    expect(script.text).toContain("createApiReference");
  });
});
