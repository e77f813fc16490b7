import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import type { DashboardAssets } from "../api/platform/env";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/** The dashboard as `npm install` built it (web/dist), or undefined when it was not built. */
export function dashboardFiles(dir = resolve(import.meta.dirname, "../web/dist")): DashboardAssets | undefined {
  if (!existsSync(join(dir, "index.html"))) return undefined;
  return {
    async get(path) {
      const file = normalize(join(dir, path));
      // Only files inside the build: a path climbing out of it is not a dashboard file.
      if (!file.startsWith(`${dir}/`)) return undefined;
      const body = await readFile(file).catch(() => undefined);
      if (!body) return undefined;
      return { body: new Uint8Array(body), contentType: TYPES[extname(file)] ?? "application/octet-stream" };
    },
  };
}
