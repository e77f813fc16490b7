import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen } from "../../entry/node";
import { type ArgoCdController, startArgoCdController } from "../emulators/argocd";
import { type AwsEmulator, startAwsEmulator } from "../emulators/aws";
import type { KubeEmulator } from "../emulators/kube";
import { createGitopsClass, gitopsCluster, KUSTOMIZATION } from "./support/gitops";
import { ADMIN_TOKEN, eventually, reconciled, startTestHost, type TestHost } from "./support/harness";

/**
 * The dashboard in a real browser (Debian's Chromium, driven by playwright-core) against a
 * host running an emulated fleet: two clusters with their platform installed, one of them
 * drifted by a hand edit, an application whose second wave waits for approval, and a tenant.
 * A person signs in with the keyboard, finds the drifted cluster from the overview and opens
 * its diff, approves the waiting wave and watches it finish, sees a refused action's problem,
 * and signs in as the tenant to see less. Every view is checked by axe-core for accessibility
 * problems, and screenshots of each are written to `test-results/dashboard/` (or
 * `DASHBOARD_SCREENSHOTS`; the README's are made with `DASHBOARD_SCREENSHOTS=docs/screenshots`).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const WEB = resolve(import.meta.dirname, "../../web");
const SHOTS = resolve(import.meta.dirname, "../..", process.env.DASHBOARD_SCREENSHOTS ?? "test-results/dashboard");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

let t: TestHost;
let url: string;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let argo: ArgoCdController;
let aws: AwsEmulator;
const clusters = new Map<string, KubeEmulator>();
let rolloutId: string;
let tenantToken: string;
const SECRET_VALUE = "never-shown-8d1f2c";
/** A loaded CI machine takes its time; each wait ends as soon as its check passes. */
const WAIT = { timeout: 15_000 };

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (or set CHROMIUM_PATH)`);
  }
  if (!existsSync(resolve(WEB, "dist/index.html"))) {
    await build({ configFile: resolve(WEB, "vite.config.ts"), logLevel: "silent" });
  }
  aws = await startAwsEmulator();
  t = await startTestHost({
    AWS_REGION: "eu-west-1",
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    FLEET_RECONCILE_INTERVAL_SECONDS: "3600",
    FLEET_PROVIDER_POLL_MS: "50",
    FLEET_ROLLOUT_TICK_MS: "40",
  });
  await createGitopsClass(t);
  argo = startArgoCdController(clusters);
  for (const [name, tier] of [
    ["staging-1", "staging"],
    ["prod-1", "prod"],
  ] as const) {
    clusters.set(name, await gitopsCluster(t, name, { labels: { tier } }));
  }
  // A hand edit on prod-1 that Flux's fleet config does not want.
  (clusters.get("prod-1") as KubeEmulator).editAs("kubectl-edit", KUSTOMIZATION, { spec: { prune: false } });
  expect((await reconciled(t.request, "prod-1")).state).toBe("Modified");

  const app = await t.request("POST", "/v1/applications", {
    body: {
      name: "payments-api",
      source: { repoURL: "https://github.com/acme/payments", path: "apps/api", targetRevision: "v1.0.0" },
      destination: { namespace: "payments" },
      targets: { labelSelector: "tier in (staging,prod)" },
      strategy: {
        waves: [
          { name: "staging", selector: "tier=staging" },
          { name: "prod", selector: "tier=prod", requireApproval: true },
        ],
      },
    },
  });
  expect(app.status).toBe(201);
  rolloutId = app.body.status.latestRollout.id;
  await eventually(
    async () => {
      const res = await t.request("GET", `/v1/rollouts/${rolloutId}`);
      return res.body.status.phase === "WaitingApproval" ? true : undefined;
    },
    60_000,
    "the prod wave waiting for approval",
  );

  const tenant = await t.request("POST", "/v1/tenants", {
    body: {
      name: "team-prod",
      namespace: "team-prod",
      source: { url: "https://github.com/acme/team-prod" },
      placement: { labelSelector: "tier=prod" },
    },
  });
  expect(tenant.status).toBe(202);
  const other = await t.request("POST", "/v1/tenants", {
    body: {
      name: "team-other",
      namespace: "team-other",
      source: { url: "https://github.com/acme/team-other" },
      placement: { labelSelector: "tier=staging" },
    },
  });
  expect(other.status).toBe(202);
  const secret = await t.request("POST", "/v1/tenants/team-prod/secrets", {
    body: { name: "db", data: { password: SECRET_VALUE } },
  });
  expect(secret.status).toBe(202);
  const minted = await t.request("POST", "/v1/tenants/team-prod/tokens", { body: { name: "team-prod-dashboard" } });
  expect(minted.status).toBe(201);
  tenantToken = minted.body.token;

  const port = await (await import("../support/net")).freePort();
  server = await listen(t.host, port, "127.0.0.1");
  url = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  await mkdir(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  argo?.stop();
  server?.close();
  for (const kube of clusters.values()) await kube.close();
  await t?.close();
  await aws?.close();
  // Closing Chromium and draining the host's in-flight jobs took over 30 s once on a loaded
  // two-core machine, with every test passed.
}, 120_000);

/** A fresh tab. Offline: anything not from our own origin is refused, as behind a firewall. */
async function newPage(): Promise<Page> {
  // Our own policy (CSP) forbids injected scripts; axe-core is injected by the test only.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const foreign: string[] = [];
  await context.route(
    (u) => !u.toString().startsWith(url),
    (route) => {
      foreign.push(route.request().url());
      return route.abort();
    },
  );
  page.on("close", () => expect(foreign, "requests to other origins").toEqual([]));
  return page;
}

/** Signs in with the keyboard only: tab to the token field, type, press Enter. */
async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(url);
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.getAttribute("type"));
  expect(focused, "the first Tab reaches the token field").toBe("password");
  await page.keyboard.type(token);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Fleet", level: 1 }).waitFor();
}

/** axe-core over the page as it is: no violations of WCAG A/AA rules. */
async function expectAccessible(page: Page, view: string): Promise<void> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: await readFile(AXE, "utf8") });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return (
      result.violations as { id: string; impact: string; nodes: { target: string[]; failureSummary: string }[] }[]
    ).map(
      (v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => `${n.target.join(" ")} (${n.failureSummary})`).join("; ")}`,
    );
  });
  expect(violations, `accessibility of ${view}`).toEqual([]);
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe("the dashboard in a browser", () => {
  it("finds the drifted cluster from the overview and shows its diff with who changed it", async () => {
    const page = await newPage();
    await signIn(page, ADMIN_TOKEN);
    // The keyboard reaches every part of the header, each with a name.
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press("Tab");
      names.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ""));
    }
    expect(names).toEqual(["Fleetplane", "Fleet", "Applications", "Tenants", "Sign out"]);
    const drifted = page.getByRole("link", { name: /^Drift on prod-1/ });
    await expect.poll(() => drifted.textContent(), WAIT).toBe("Modified");
    await expect.poll(() => page.getByRole("link", { name: /^Drift on staging-1/ }).textContent(), WAIT).toBe("Ready");
    await expectAccessible(page, "the fleet");
    await shot(page, "fleet");

    await drifted.click();
    await page.getByRole("heading", { name: /^Drift on prod-1/ }).waitFor();
    const item = page.locator(".drift-item").filter({ hasText: "spec.prune" });
    await expect.poll(() => item.count(), WAIT).toBeGreaterThan(0);
    const text = (await item.first().textContent()) ?? "";
    expect(text).toContain("changed by kubectl-edit");
    expect(await item.first().locator("figure", { hasText: "Desired" }).textContent()).toContain("true");
    expect(await item.first().locator("figure", { hasText: "Live" }).textContent()).toContain("false");
    await expectAccessible(page, "the drift view");
    await shot(page, "drift");
    await page.close();
  });

  it("approves the waiting wave and watches the rollout finish; a refused action shows the API's problem", async () => {
    const page = await newPage();
    await signIn(page, ADMIN_TOKEN);
    await page.getByRole("link", { name: "Applications" }).click();
    await page
      .getByRole("row", { name: /payments-api/ })
      .getByRole("link")
      .click();
    await page.getByRole("heading", { name: /payments-api · rollout #1/ }).waitFor();
    await expect.poll(() => page.getByRole("heading", { name: "Waiting for" }).isVisible(), WAIT).toBe(true);
    const waiting = (await page.locator("section[aria-labelledby=waiting]").textContent()) ?? "";
    expect(waiting).toMatch(/approv/i);
    await expectAccessible(page, "a rollout waiting for approval");
    await shot(page, "rollout-waiting");

    await page.getByRole("button", { name: "Approve wave" }).click();
    await expect.poll(() => page.getByRole("status").textContent(), WAIT).toMatch(/^Approve wave: Progressing/);
    // The view follows the rollout by itself: no reload.
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 30_000 })
      .toMatch(/Succeeded$/);
    const prodWave = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /prod/ }) });
    expect(await prodWave.getByRole("row", { name: /prod-1/ }).textContent()).toContain("Succeeded");
    expect(await prodWave.textContent()).toContain(`approved by`);
    await shot(page, "rollout-finished");

    // Someone else rolls it back while this view still shows it as it was (its reads held):
    // rolling back again is refused, and the view says why in the API's words.
    let hold = true;
    await page.route(`**/v1/rollouts/${rolloutId}`, async (route) => {
      while (hold) await new Promise((r) => setTimeout(r, 50));
      await route.continue();
    });
    expect((await t.request("POST", `/v1/rollouts/${rolloutId}/rollback`)).status).toBe(200);
    await page.getByRole("button", { name: "Roll back" }).click();
    const problem = page.getByRole("alert");
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/^Cannot rollback rollout #1: it was already rolled back/);
    expect(await problem.textContent()).toMatch(/\(request req_\w+\)$/);
    await shot(page, "rollout-refused");
    hold = false;
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), WAIT).toMatch(/RolledBack$/);
    expect(await page.getByRole("button", { name: "Roll back" }).isDisabled()).toBe(true);
    await page.close();
  }, 90_000);

  it("shows a tenant's placement per cluster, its secrets' sync without their values, and its tokens", async () => {
    const page = await newPage();
    await signIn(page, ADMIN_TOKEN);
    await page.getByRole("link", { name: "Tenants" }).click();
    await page.getByRole("link", { name: "team-other" }).waitFor();
    await page.getByRole("link", { name: "team-prod" }).click();
    await page.getByRole("heading", { name: /^team-prod/ }).waitFor();
    const placement = page.getByRole("row", { name: /prod-1/ }).first();
    await expect.poll(() => placement.textContent(), WAIT).toMatch(/present/);
    const secretRow = page.getByRole("row", { name: /^db/ });
    await expect.poll(() => secretRow.textContent(), WAIT).toMatch(/password.*AWS Secrets Manager/);
    await expect.poll(() => secretRow.textContent(), { timeout: 20_000 }).toMatch(/prod-1: \w+/);
    expect(await page.getByRole("row", { name: /team-prod-dashboard/ }).textContent()).toContain("Active");
    expect(await page.content()).not.toContain(SECRET_VALUE);
    await expectAccessible(page, "a tenant");
    await shot(page, "tenant");
    // From the placement to the cluster, which lists the tenants placed on it.
    await placement.getByRole("link", { name: "prod-1" }).click();
    await page.getByRole("heading", { name: "Tenants placed here" }).waitFor();
    await page.getByRole("link", { name: "team-prod" }).waitFor();
    expect(await page.getByRole("link", { name: "team-other" }).count()).toBe(0);
    await expectAccessible(page, "a cluster");
    await shot(page, "cluster");
    await page.close();
  });

  it("opens the API reference offline: its script comes from our own origin", async () => {
    const page = await newPage();
    await page.goto(`${url}/docs`);
    await page.getByRole("heading", { name: "Fleetplane API" }).first().waitFor({ timeout: 20_000 });
    await page.getByText("Trade a join token for the agent's credential").first().waitFor();
    await page.close();
  });

  it("a tenant's token sees only what the API shows it", async () => {
    const page = await newPage();
    await signIn(page, tenantToken);
    // The fleet's clusters are readable by tenants; the platform's jobs are not.
    await expect.poll(() => page.getByRole("link", { name: /^Drift on prod-1/ }).count(), WAIT).toBe(1);
    await page.getByText("Jobs are shown to platform administrators.").waitFor();
    await expectAccessible(page, "the fleet as a tenant");
    await shot(page, "fleet-tenant");
    // Another team's application is not there for it, and drift is the platform's to see.
    await page.getByRole("link", { name: "Applications" }).click();
    await page.getByText("No applications yet.").waitFor();
    await page.getByRole("link", { name: "Tenants" }).click();
    await page.getByRole("link", { name: "team-prod" }).waitFor();
    expect(await page.getByRole("link", { name: "team-other" }).count()).toBe(0);
    await page.goto(`${url}/#/clusters/prod-1/drift`);
    expect(await page.getByRole("alert").textContent()).toMatch(/request req_/);
    await page.close();
  });
});
