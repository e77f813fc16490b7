import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

/**
 * The dashboard: a static single-page app the hosts serve at `/`. Everything it needs is in
 * the build (no CDN, no remote fonts), so it works offline and behind a firewall.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  build: { outDir: "dist", emptyOutDir: true, assetsDir: "assets", sourcemap: false },
  server: { proxy: { "/v1": "http://localhost:8787" } },
});
