import { Scalar } from "@scalar/hono-api-reference";
import type { Context, Hono } from "hono";
import { RUNBOOK_PATH, renderRunbook } from "../../core/monitoring/alerts";
import type { AppDeps, AppEnv, DashboardAssets } from "./env";

/**
 * Only our own origin: the dashboard loads nothing from elsewhere (it must work offline and
 * behind firewalls), and a script injected somehow could not send anything out.
 */
const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

async function serve(c: Context<AppEnv>, assets: DashboardAssets, path: string, immutable: boolean) {
  const file = await assets.get(path);
  if (!file) return undefined;
  return c.body(file.body as never, 200, {
    "content-type": file.contentType,
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    "content-security-policy": DASHBOARD_CSP,
    "x-content-type-options": "nosniff",
  });
}

/** `/` is the dashboard when it is built (its files are content-hashed under /assets/). */
export function mountDashboard(app: Hono<AppEnv>, deps: Pick<AppDeps, "dashboard">): void {
  const assets = deps.dashboard;
  app.get("/", async (c) => (assets && (await serve(c, assets, "/index.html", false))) || c.redirect("/docs"));
  app.get("/assets/*", async (c) => {
    const path = new URL(c.req.url).pathname;
    const found = assets && !path.includes("..") ? await serve(c, assets, path, true) : undefined;
    return found ?? c.notFound();
  });
}

/** Where /docs loads the API reference's script from when the build holds it. */
export const REFERENCE_SCRIPT = "/docs/reference.js";

/**
 * `/docs`: the API reference, its script from our own origin (the build copies it in) so it
 * works offline; without a build it falls back to Scalar's CDN.
 */
export function mountReference(app: Hono<AppEnv>, deps: Pick<AppDeps, "dashboard">): void {
  const assets = deps.dashboard;
  const local = assets ? { cdn: REFERENCE_SCRIPT, withDefaultFonts: false } : {};
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "Fleetplane API", ...local }));
  // The page every alert's runbook_url points into: public like /docs, it holds no fleet data.
  app.get(RUNBOOK_PATH, (c) =>
    c.html(renderRunbook(), 200, {
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
    }),
  );
  app.get(REFERENCE_SCRIPT, async (c) => {
    const file = assets ? await assets.get("/reference/standalone.js") : undefined;
    if (!file) return c.notFound();
    return c.body(file.body as never, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=3600",
      "x-content-type-options": "nosniff",
    });
  });
}
