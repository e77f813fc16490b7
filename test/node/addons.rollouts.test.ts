import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { eventually, startTestHost, type TestHost } from "./support/harness";

/**
 * Fleet-wide add-on upgrades: a class's new add-on version does not reach every cluster at
 * once. Each affected cluster is held at what it runs until its wave comes, the waves follow
 * the class's `addonStrategy` (budgets, approval, rollback), and a rollback holds the clusters
 * it took back at their old release until the spec changes again.
 */
let t: TestHost;
const kubes = new Map<string, KubeEmulator>();
const tiers = (i: number) => (i < 2 ? "canary" : i < 8 ? "early" : "rest");
const names = Array.from({ length: 20 }, (_, i) => `up-${String(i).padStart(2, "0")}`);
const FAILING = "up-05"; // in the `early` wave
const KYVERNO = "kyverno/kyverno-admission-controller";

interface AddonStatus {
  name: string;
  version: string;
  versionFound?: string;
  phase: string;
}

beforeAll(async () => {
  t = await startTestHost({
    FLEET_PROVIDER_POLL_MS: "50",
    // Room for twenty installs at once on a loaded machine; the failing cluster fails by its
    // Deployment's own condition, not by this timeout.
    FLEET_ADDON_TIMEOUT_SECONDS: "30",
    FLEET_ROLLOUT_TICK_MS: "50",
  });
  const res = await t.request("POST", "/v1/cluster-classes", {
    body: { name: "fleet", provider: "imported", addons: [{ name: "kyverno", version: "1.15.2" }] },
  });
  expect(res.status, res.text).toBe(201);
  await Promise.all(
    names.map(async (name, i) => {
      const kube = await startKubeEmulator({ name });
      kubes.set(name, kube);
      const created = await t.request("POST", "/v1/clusters", {
        body: {
          name,
          class: "fleet",
          labels: { tier: tiers(i) },
          connection: { server: kube.url, caData: kube.caData, token: kube.token },
        },
      });
      expect(created.status, created.text).toBe(202);
    }),
  );
  // Twenty installs at once share the machine with the other test files: give them room.
  await allAt("1.15.2", names, 90_000);
}, 120_000);

afterAll(async () => {
  await t.close();
  await Promise.all([...kubes.values()].map((k) => k.close()));
});

async function kyvernoOf(name: string): Promise<AddonStatus | undefined> {
  const res = await t.request("GET", `/v1/clusters/${name}`);
  return (res.body.status.addons as AddonStatus[] | undefined)?.find((a) => a.name === "kyverno");
}

async function allAt(version: string, only: string[] = names, timeoutMs = 30_000) {
  await eventually(
    async () => {
      const found = await Promise.all(only.map(kyvernoOf));
      return found.every((k) => k?.phase === "Ready" && k.versionFound === version) ? true : undefined;
    },
    timeoutMs,
    `kyverno ${version} Ready on ${only.length} cluster(s)`,
  );
}

/** The version of the kyverno controller on the cluster itself, as its image says. */
function liveVersion(name: string): string | undefined {
  const d = kubes.get(name)?.store.get({
    apiVersion: "apps/v1",
    kind: "Deployment",
    namespace: "kyverno",
    name: "kyverno-admission-controller",
  }) as { spec: { template: { spec: { containers: { image: string }[] } } } } | undefined;
  return d?.spec.template.spec.containers[0]?.image.split(":").pop()?.replace(/^v/, "");
}

async function rolloutsOfKyverno() {
  const res = await t.request("GET", "/v1/addons/kyverno/rollouts");
  expect(res.status, res.text).toBe(200);
  return res.body.items as any[];
}

async function manifestOf(name: string) {
  const res = await t.request("GET", `/v1/clusters/${name}/manifests`);
  return (res.body.addons as { name: string; version: string; source: string; heldBy?: string }[]).find(
    (a) => a.name === "kyverno",
  );
}

const strategy = (extra: Record<string, unknown> = {}) => ({
  waves: [
    { name: "canary", selector: "tier=canary" },
    { name: "early", selector: "tier=early", maxConcurrency: 3, maxFailures: 0 },
    { name: "rest", selector: "tier=rest", maxConcurrency: "50%", ...extra },
  ],
  progressDeadline: "30s",
  onFailure: "rollback",
});

describe("an add-on upgrade across 20 clusters in 3 waves", () => {
  it("holds every cluster until its wave, stops at the failure budget, and rolls the fleet back", async () => {
    kubes.get(FAILING)?.controls.failingDeployments.set(KYVERNO, "ProgressDeadlineExceeded");
    const patched = await t.request("PATCH", "/v1/cluster-classes/fleet", {
      body: { addons: [{ name: "kyverno", version: "1.16.1" }], addonStrategy: strategy() },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);

    const [started] = await rolloutsOfKyverno();
    expect(started).toMatchObject({ subject: { kind: "Addon", name: "kyverno" }, number: 1, kind: "rollout" });
    expect(started.release).toEqual({ addon: { name: "kyverno", version: "1.16.1" } });
    expect(started.status.waves.map((w: any) => [w.name, w.clusters.length])).toEqual([
      ["canary", 2],
      ["early", 6],
      ["rest", 12],
    ]);
    // A cluster whose wave has not come is held where it is, and says by whom.
    const held = await manifestOf("up-19");
    expect(held).toMatchObject({ version: "1.15.2", source: "hold", heldBy: started.id });

    const ended = await eventually(
      async () => {
        const res = await t.request("GET", `/v1/rollouts/${started.id}`);
        return res.body.status.phase === "RolledBack" ? res.body : undefined;
      },
      60_000,
      "the upgrade rolled back",
    );
    expect(ended.status.reason).toBe("BudgetExceeded");
    expect(ended.status.message).toMatch(/1 of 6 cluster\(s\) failed in wave early/);
    const early = ended.status.waves.find((w: any) => w.name === "early");
    expect(early.clusters.find((c: any) => c.cluster === FAILING)).toMatchObject({ state: "Failed" });
    expect(early.clusters.find((c: any) => c.cluster === FAILING).message).toMatch(/Degraded/);
    // The last wave never started: none of its clusters ever ran the new version.
    expect(ended.status.waves.find((w: any) => w.name === "rest").clusters.every((c: any) => c.state === "Skip")).toBe(
      true,
    );

    const rollback = await eventually(
      async () => {
        const res = await t.request("GET", `/v1/rollouts/${ended.rolledBackBy}`);
        return res.body.status.phase === "Succeeded" ? res.body : undefined;
      },
      60_000,
      "the rollback finished",
    );
    expect(rollback).toMatchObject({ kind: "rollback", rollbackOf: started.id, number: 2 });
    // Reverse wave order: early first, then canary.
    expect(rollback.status.waves.map((w: any) => w.name)).toEqual(["early", "canary"]);

    kubes.get(FAILING)?.controls.failingDeployments.delete(KYVERNO);
    await allAt(
      "1.15.2",
      names.filter((n) => n !== FAILING),
    );
    for (const name of names.slice(8)) expect(liveVersion(name)).toBe("1.15.2");
    for (const name of names.slice(0, 2)) {
      // Moved and taken back: held at the old release by the rollback, whatever the class says.
      expect(await manifestOf(name)).toMatchObject({ version: "1.15.2", source: "hold", heldBy: rollback.id });
      expect(liveVersion(name)).toBe("1.15.2");
    }
    // Editing the class in other ways does not send the held-back clusters out again.
    const edited = await t.request("PATCH", "/v1/cluster-classes/fleet", {
      body: { description: "kyverno 1.16.1 rolled back" },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(edited.status, edited.text).toBe(200);
    expect((await rolloutsOfKyverno())[0].number).toBe(2);
    expect(await manifestOf("up-19")).toMatchObject({ version: "1.15.2", source: "hold" });
    const events = await t.request("GET", `/v1/events?resource=${started.id}&pageSize=100`);
    const reasons = events.body.items.map((e: { reason: string }) => e.reason);
    expect(reasons).toEqual(
      expect.arrayContaining(["RolloutStarted", "WaveSucceeded", "ClusterFailed", "RolloutRolledBack"]),
    );
  }, 120_000);

  it("once the cause is fixed, the held-back clusters go out again on request, and no hold is left", async () => {
    const tenant = await t.tenantToken("ten_someone");
    expect((await t.request("POST", "/v1/addons/kyverno/rollouts", { token: tenant })).status).toBe(403);
    const started = await t.request("POST", "/v1/addons/kyverno/rollouts", { body: { reason: "webhook fixed" } });
    expect(started.status, started.text).toBe(202);
    expect(started.headers.get("location")).toBe(`/v1/rollouts/${started.body.id}`);
    // Every cluster is held below the class's 1.16.1: the 8 taken back and the 12 never reached.
    expect(started.body).toMatchObject({ number: 3, kind: "rollout", release: { addon: { version: "1.16.1" } } });
    expect(started.body.status.waves.map((w: any) => w.clusters.length)).toEqual([2, 6, 12]);

    await eventually(
      async () => {
        const res = await t.request("GET", `/v1/rollouts/${started.body.id}`);
        return res.body.status.phase === "Succeeded" ? true : undefined;
      },
      60_000,
      "the upgrade succeeded",
    );
    await allAt("1.16.1");
    for (const name of names) {
      expect(await manifestOf(name)).toMatchObject({ version: "1.16.1", source: "class" });
      expect(liveVersion(name)).toBe("1.16.1");
    }
    const again = await t.request("POST", "/v1/addons/kyverno/rollouts");
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/No cluster is held back/);
  }, 120_000);

  it("waits for approval where the strategy asks, and only an administrator sees or approves", async () => {
    const patched = await t.request("PATCH", "/v1/cluster-classes/fleet", {
      body: {
        addons: [{ name: "kyverno", version: "1.17.0" }],
        addonStrategy: { waves: [{ name: "all", requireApproval: true }] },
      },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);
    const [latest] = await rolloutsOfKyverno();
    expect(latest).toMatchObject({ number: 4, release: { addon: { version: "1.17.0" } } });
    const waiting = await eventually(
      async () => {
        const res = await t.request("GET", `/v1/rollouts/${latest.id}`);
        return res.body.status.phase === "WaitingApproval" ? res.body : undefined;
      },
      30_000,
      "the wave waits for approval",
    );
    expect(waiting.status.waitingFor).toContain("all: approval");
    expect(await manifestOf("up-03")).toMatchObject({ version: "1.16.1", source: "hold", heldBy: latest.id });

    // Add-ons are the platform's: a tenant's token neither sees nor steers their rollouts.
    const tenant = await t.tenantToken("ten_someone");
    expect((await t.request("GET", `/v1/rollouts/${latest.id}`, { token: tenant })).status).toBe(404);
    expect((await t.request("POST", `/v1/rollouts/${latest.id}/approve`, { token: tenant })).status).toBe(404);
    expect((await t.request("GET", "/v1/addons/kyverno/rollouts", { token: tenant })).status).toBe(403);

    const approved = await t.request("POST", `/v1/rollouts/${latest.id}/approve`);
    expect(approved.status, approved.text).toBe(200);
    await eventually(
      async () => {
        const res = await t.request("GET", `/v1/rollouts/${latest.id}`);
        return res.body.status.phase === "Succeeded" ? true : undefined;
      },
      60_000,
      "the approved upgrade succeeded",
    );
    await allAt("1.17.0");
    expect(liveVersion("up-19")).toBe("1.17.0");
  }, 120_000);

  it("going back to the release clusters are held at stops the upgrade and drops the holds", async () => {
    const patched = await t.request("PATCH", "/v1/cluster-classes/fleet", {
      body: { addons: [{ name: "kyverno", version: "1.18.0" }] },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);
    const [pending] = await rolloutsOfKyverno();
    expect(pending).toMatchObject({ number: 5, release: { addon: { version: "1.18.0" } } });
    expect(await manifestOf("up-03")).toMatchObject({ version: "1.17.0", source: "hold" });
    // Change one's mind before approving: nothing moves, nothing stays held.
    const back = await t.request("PATCH", "/v1/cluster-classes/fleet", {
      body: { addons: [{ name: "kyverno", version: "1.17.0" }] },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(back.status, back.text).toBe(200);
    const [stopped] = await rolloutsOfKyverno();
    expect(stopped).toMatchObject({ number: 5, status: { phase: "Aborted", reason: "Superseded" } });
    expect(stopped.status.message).toBe("class fleet went back to the release its clusters run");
    expect(await manifestOf("up-03")).toMatchObject({ version: "1.17.0", source: "class" });
    for (const name of names) expect(liveVersion(name)).toBe("1.17.0");
  });
});
