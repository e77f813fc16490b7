import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SecretBox } from "../../core/crypto";
import { type BundleServer, startBundleServer } from "../emulators/addons";
import { type ArgoCdController, startArgoCdController } from "../emulators/argocd";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { freePort } from "../support/net";
import { type ChildHost, startChildHost } from "./support/child-host";
import { eventually } from "./support/harness";

/**
 * Kill -9 the Node host in the middle of a three-wave rollout, restart it on the same
 * database: the rollout resumes where it was and finishes, and no cluster that had finished
 * before the kill is synced again (counted at each emulated API server).
 */
const ADMIN = "rollout-crash-admin-token";
const key = SecretBox.generateKey();
const NAMES = ["staging-a", "staging-b", "eu-a", "eu-b", "us-a", "us-b"];

let dir: string;
let port: number;
let host: ChildHost | undefined;
let argo: ArgoCdController;
let bundles: BundleServer;
const clusters = new Map<string, KubeEmulator>();

const env = () => ({
  DATABASE_URL: `file:${join(dir, "fleet.db")}`,
  FLEET_ADMIN_TOKEN: ADMIN,
  FLEET_ENCRYPTION_KEY: key,
  FLEET_URL_ALLOW: "127.0.0.1",
  FLEET_RATE_LIMIT_RPS: "0",
  FLEET_JOB_LEASE_SECONDS: "2",
  FLEET_ROLLOUT_TICK_MS: "50",
  FLEET_PROVIDER_POLL_MS: "50",
  FLEET_ADDON_MIRROR: bundles.url,
  LOG_LEVEL: "error",
});

async function startHost(): Promise<void> {
  host = await startChildHost(port, ADMIN, env());
}

const api = (method: string, path: string, body?: unknown) => (host as ChildHost).api(method, path, body);

/** Server-side applies of the Argo CD Application a cluster received. */
const appliesTo = (name: string) =>
  clusters.get(name)?.requests.filter((r) => r.method === "PATCH" && r.path.includes("/applications/")).length ?? 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fleetplane-rollout-crash-"));
  bundles = await startBundleServer();
  port = await freePort();
  for (const name of NAMES) {
    // Bare clusters: the host installs the platform and Argo CD on them before the first sync.
    clusters.set(name, await startKubeEmulator({ name }));
  }
  // Argo CD takes a while per cluster, so the kill lands with clusters mid-sync.
  argo = startArgoCdController(clusters, { syncDelayMs: 400 });
}, 30_000);

afterAll(async () => {
  await host?.kill();
  argo?.stop();
  await bundles?.close();
  await Promise.all([...clusters.values()].map((k) => k.close()));
  await rm(dir, { recursive: true, force: true });
});

describe("rollouts survive the host dying", () => {
  it("kill -9 mid-wave, restart: the rollout resumes and finished clusters are not synced again", async () => {
    await startHost();
    expect((await api("POST", "/v1/cluster-classes", { name: "imported", provider: "imported" })).status).toBe(201);
    for (const name of NAMES) {
      const kube = clusters.get(name)!;
      const res = await api("POST", "/v1/clusters", {
        name,
        class: "imported",
        labels: { wave: name.split("-")[0] as string },
        connection: { server: kube.url, caData: kube.caData, token: kube.token },
      });
      expect(res.status).toBe(202);
    }
    const created = await api("POST", "/v1/applications", {
      name: "payments-api",
      source: { repoURL: "https://github.com/acme/payments-k8s", path: "apps/payments-api", targetRevision: "v1.0.0" },
      destination: { namespace: "payments" },
      targets: { labelSelector: "" },
      strategy: {
        waves: [
          { name: "staging", selector: "wave=staging", maxConcurrency: 1 },
          { name: "eu", selector: "wave=eu", maxConcurrency: 1 },
          { name: "us", selector: "wave=us", maxConcurrency: 1 },
        ],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.status.latestRollout.id as string;

    const before = await eventually(
      async () => {
        const view = (await api("GET", `/v1/rollouts/${id}`)).body;
        return view.status.summary.Succeeded >= 3 && view.status.summary.Progressing >= 1 ? view : undefined;
      },
      30_000,
      "three clusters done and one in flight",
    );
    await host!.kill();
    const finished: string[] = before.status.waves.flatMap((w: { clusters: { cluster: string; state: string }[] }) =>
      w.clusters.filter((c) => c.state === "Succeeded").map((c) => c.cluster),
    );
    const appliedBefore = Object.fromEntries(finished.map((name) => [name, appliesTo(name)]));

    await startHost();
    const after = await eventually(
      async () => {
        const view = (await api("GET", `/v1/rollouts/${id}`)).body;
        return view.status.phase === "Succeeded" ? view : undefined;
      },
      45_000,
      "rollout Succeeded after the restart",
    );
    expect(after.status.summary.Succeeded).toBe(NAMES.length);
    // Clusters that had finished before the kill got no further apply after the restart.
    for (const name of finished) expect(appliesTo(name), name).toBe(appliedBefore[name]);
    // Argo CD synced each cluster to v1.0.0 exactly once.
    for (const name of NAMES) {
      expect(
        argo.synced.filter((s) => s === `${name}/payments-api@v1.0.0`),
        name,
      ).toHaveLength(1);
    }
    // Nothing is left Queued or Running.
    await eventually(
      async () =>
        (await api("GET", "/v1/jobs?state=Queued,Running&pageSize=500")).body.items.length === 0 ? true : undefined,
      20_000,
      "no job left Queued or Running",
    );
  }, 120_000);
});
