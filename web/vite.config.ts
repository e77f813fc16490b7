import { copyFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

/**
 * The API reference's script (Scalar's standalone bundle) goes into the build too, so /docs is
 * served from our own origin and works without internet, like the dashboard.
 */
function apiReferenceScript(): Plugin {
  return {
    name: "fleetplane-api-reference",
    apply: "build",
    async writeBundle(options) {
      const require = createRequire(import.meta.url);
      // The package exports no package.json: find its folder from its main entry.
      const entry = require.resolve("@scalar/api-reference");
      const name = "/@scalar/api-reference/";
      const folder = entry.slice(0, entry.lastIndexOf(name) + name.length);
      const target = resolve(options.dir as string, "reference/standalone.js");
      await mkdir(dirname(target), { recursive: true });
      await copyFile(resolve(folder, "dist/browser/standalone.js"), target);
    },
  };
}

/**
 * The dashboard: a static single-page app the hosts serve at `/`. Everything it needs is in
 * the build (no CDN, no remote fonts), so it works offline and behind a firewall; so is the
 * API reference's script.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact(), apiReferenceScript()],
  build: { outDir: "dist", emptyOutDir: true, assetsDir: "assets", sourcemap: false },
  server: { proxy: { "/v1": "http://localhost:8787" } },
});
