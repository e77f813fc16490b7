import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArgoCdController, startArgoCdController } from "../emulators/argocd";
import { type Fleet, startFleet } from "./support/fleet";
import { eventually } from "./support/harness";

/**
 * Applications through the API, each test on applications of its own: two emulated clusters
 * run an emulated Argo CD, so rollouts really reach them.
 */
let fleet: Fleet;
let argo: ArgoCdController;

beforeAll(async () => {
  fleet = await startFleet({ env: { FLEET_ROLLOUT_TICK_MS: "40" } });
  await fleet.addCluster("dev-1", { tier: "dev" });
  await fleet.addCluster("dev-2", { tier: "dev" });
  argo = startArgoCdController(fleet.clusters);
  argo.outcome = () => "Healthy";
}, 60_000);
afterAll(async () => {
  argo?.stop();
  await fleet?.close();
});

function appBody(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    labels: { team: "payments" },
    source: { repoURL: "https://github.com/acme/apps", path: `apps/${name}`, targetRevision: "v1.0.0" },
    destination: { namespace: name },
    targets: { labelSelector: "tier=dev" },
    ...extra,
  };
}

async function created(name: string, extra: Record<string, unknown> = {}) {
  const res = await fleet.request("POST", "/v1/applications", { body: appBody(name, extra) });
  expect(res.status).toBe(201);
  return res.body;
}

const mergePatch = { "content-type": "application/merge-patch+json" };

function liveRevision(cluster: string, app: string): string | undefined {
  const live = fleet.clusters
    .get(cluster)
    ?.store.get({ apiVersion: "argoproj.io/v1alpha1", kind: "Application", namespace: "argocd", name: app }) as
    | { spec: { source: { targetRevision: string } } }
    | undefined;
  return live?.spec.source.targetRevision;
}

async function finished(rolloutId: string) {
  return eventually(async () => {
    const res = await fleet.request("GET", `/v1/rollouts/${rolloutId}`);
    return res.body.status.phase === "Succeeded" ? res.body : undefined;
    // A rollout is a few ticks and an Argo CD sync; on a loaded machine (CI runs files side by
    // side on two cores) they can take a while, and the wait ends as soon as it succeeds.
  }, 120_000);
}

describe("applications: happy paths", { timeout: 150_000 }, () => {
  it("creates an application, returns the user's fields as written and rolls it out", async () => {
    const res = await fleet.request("POST", "/v1/applications", { body: appBody("orders") });
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("location")).toBe(`/v1/applications/${res.body.id}`);
    expect(res.body).toMatchObject(appBody("orders"));
    expect([res.body.generation, res.body.revision]).toEqual([1, 1]);
    const rollout = await finished(res.body.status.latestRollout.id);
    expect(rollout.status.summary.Succeeded).toBe(2);
    for (const cluster of ["dev-1", "dev-2"]) expect(liveRevision(cluster, "orders")).toBe("v1.0.0");
  });

  it("reads by id and by name, identically", async () => {
    const app = await created("invoices");
    // Settled first: a rollout in flight changes the status between two reads.
    await finished(app.status.latestRollout.id);
    const byName = await fleet.request("GET", "/v1/applications/invoices");
    const byId = await fleet.request("GET", `/v1/applications/${app.id}`);
    expect(byName.status).toBe(200);
    expect(byId.body).toEqual(byName.body);
  });

  it("a label change needs no rollout; a revision change starts one that reaches every cluster", async () => {
    const app = await created("ledger");
    await finished(app.status.latestRollout.id);
    const relabelled = await fleet.request("PATCH", "/v1/applications/ledger", {
      headers: { ...mergePatch, "if-match": '"1"' },
      body: { labels: { team: null, owner: "finance" } },
    });
    expect(relabelled.status).toBe(200);
    expect(relabelled.body.labels).toEqual({ owner: "finance" });
    expect(relabelled.body.generation).toBe(1);
    expect(relabelled.body.status.latestRollout.number).toBe(1);

    const bumped = await fleet.request("PATCH", "/v1/applications/ledger", {
      headers: mergePatch,
      body: { source: { targetRevision: "v1.1.0" } },
    });
    expect(bumped.status).toBe(200);
    expect(bumped.body.generation).toBe(2);
    expect(bumped.body.status.latestRollout.number).toBe(2);
    await finished(bumped.body.status.latestRollout.id);
    for (const cluster of ["dev-1", "dev-2"]) expect(liveRevision(cluster, "ledger")).toBe("v1.1.0");
    const rollouts = await fleet.request("GET", "/v1/applications/ledger/rollouts");
    expect(rollouts.body.items.map((r: { number: number }) => r.number)).toEqual([2, 1]);
  });

  it("a patch that changes nothing is a no-op: no new revision, no rollout", async () => {
    const app = await created("no-op");
    const res = await fleet.request("PATCH", "/v1/applications/no-op", {
      headers: mergePatch,
      body: { source: { targetRevision: "v1.0.0" }, labels: { team: "payments" } },
    });
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(app.revision);
    expect(res.body.status.latestRollout.number).toBe(1);
  });

  it("lists with a label selector and pages with a token, each application once", async () => {
    for (const [name, tier] of [
      ["list-a", "web"],
      ["list-b", "web"],
      ["list-c", "batch"],
    ]) {
      await created(name as string, { labels: { group: "listing", tier: tier as string } });
    }
    const names = async (query: string) =>
      (await fleet.request("GET", `/v1/applications?${query}`)).body.items.map((i: { name: string }) => i.name).sort();
    expect(await names("labelSelector=group%3Dlisting,tier%3Dweb")).toEqual(["list-a", "list-b"]);
    expect(await names("labelSelector=group%3Dlisting,tier!%3Dweb")).toEqual(["list-c"]);

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await fleet.request(
        "GET",
        `/v1/applications?labelSelector=group%3Dlisting&pageSize=2${token ? `&pageToken=${token}` : ""}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i: { name: string }) => i.name));
      token = page.body.nextPageToken ?? undefined;
    } while (token);
    expect(seen.sort()).toEqual(["list-a", "list-b", "list-c"]);
  });

  it("records who created and changed it, with what changed", async () => {
    const app = await created("audited");
    await finished(app.status.latestRollout.id);
    const patched = await fleet.request("PATCH", "/v1/applications/audited", {
      headers: mergePatch,
      body: { source: { targetRevision: "v2.0.0" } },
    });
    expect(patched.status).toBe(200);
    const res = await fleet.request("GET", "/v1/events?resource=audited");
    const mine = res.body.items.filter((e: { resource: { type: string } }) => e.resource.type === "Application");
    expect(mine.map((e: { reason: string }) => e.reason)).toEqual(["Created", "Updated"]);
    expect(mine[1].diff.source.to.targetRevision).toBe("v2.0.0");
    expect(mine[0].actor).toBe("tok_admin_env");
  });
});
