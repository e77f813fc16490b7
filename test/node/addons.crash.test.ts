import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SecretBox } from "../../core/crypto";
import { type BundleServer, startBundleServer } from "../emulators/addons";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { freePort } from "../support/net";
import { type ChildHost, startChildHost } from "./support/child-host";
import { eventually } from "./support/harness";

/**
 * Kill -9 the Node host while it installs the platform on bare clusters, restart it on the same
 * database: every install resumes from what the cluster already has and ends Ready, nothing is
 * recorded twice, and nothing on a cluster was written twice with different content (every
 * object is still at generation 1).
 */
const ADMIN = "addons-crash-admin-token";
const key = SecretBox.generateKey();
const NAMES = ["bare-a", "bare-b", "bare-c", "bare-d", "bare-e", "bare-f"];
const ADDONS = ["flux", "external-secrets", "kyverno"];

let dir: string;
let port: number;
let host: ChildHost | undefined;
let bundles: BundleServer;
const clusters = new Map<string, KubeEmulator>();

const env = () => ({
  DATABASE_URL: `file:${join(dir, "fleet.db")}`,
  FLEET_ADMIN_TOKEN: ADMIN,
  FLEET_ENCRYPTION_KEY: key,
  FLEET_URL_ALLOW: "127.0.0.1",
  FLEET_RATE_LIMIT_RPS: "0",
  FLEET_JOB_CONCURRENCY: "3",
  // Short leases so the restarted host takes over the jobs the dead one held.
  FLEET_JOB_LEASE_SECONDS: "2",
  FLEET_PROVIDER_POLL_MS: "50",
  FLEET_ADDON_MIRROR: bundles.url,
  LOG_LEVEL: "error",
});

type Addon = { name: string; phase: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fleetplane-addons-crash-"));
  bundles = await startBundleServer();
  port = await freePort();
  for (const name of NAMES) {
    const kube = await startKubeEmulator({ name });
    // Slow answers keep installs in flight long enough for the kill to land mid-install.
    kube.faults.latencyMs = 40;
    clusters.set(name, kube);
  }
}, 30_000);

afterAll(async () => {
  await host?.kill();
  await bundles?.close();
  await Promise.all([...clusters.values()].map((k) => k.close()));
  await rm(dir, { recursive: true, force: true });
});

describe("add-on installs survive the host dying", () => {
  it("kill -9 mid-install, restart: every cluster ends with its platform Ready, nothing done twice", async () => {
    host = await startChildHost(port, ADMIN, env());
    // No fleet-config repository: the test is about the platform, not Flux's sync objects.
    expect((await host.api("POST", "/v1/cluster-classes", { name: "bare", provider: "imported" })).status).toBe(201);
    for (const [name, kube] of clusters) {
      const res = await host.api("POST", "/v1/clusters", {
        name,
        class: "bare",
        connection: { server: kube.url, caData: kube.caData, token: kube.token },
      });
      expect(res.status).toBe(202);
    }
    // Some clusters have part of their platform, others none of it yet: pull the plug.
    await eventually(async () => {
      const list = (await host!.api("GET", "/v1/clusters?pageSize=100")).body.items;
      const started = list.filter((c: { status: { addons?: Addon[] } }) => (c.status.addons ?? []).length > 0);
      return started.length >= 1 ? true : undefined;
    }, 30_000);
    const running = (await host.api("GET", "/v1/jobs?kind=installAddons&state=Running&pageSize=100")).body.items;
    await host.kill();
    expect(running.length).toBeGreaterThan(0);

    host = await startChildHost(port, ADMIN, env());
    const list = await eventually(
      async () => {
        const items = (await host!.api("GET", "/v1/clusters?pageSize=100")).body.items;
        const done = items.filter((c: { status: { addons?: Addon[] } }) => {
          const addons = c.status.addons ?? [];
          return addons.length === ADDONS.length && addons.every((a) => a.phase === "Ready");
        });
        return done.length === NAMES.length ? items : undefined;
      },
      60_000,
      "every cluster's add-ons Ready",
    );
    for (const cluster of list) {
      const ready = cluster.status.conditions.find((c: { type: string }) => c.type === "AddonsReady");
      expect(ready, cluster.name).toMatchObject({ status: "True" });
    }

    // Each add-on became Ready once per cluster: the restarted install did not record it again.
    const events = (await host.api("GET", "/v1/events?reason=AddonReady&pageSize=500")).body.items;
    const seen = events.map((e: { resource: { name: string }; message: string }) => `${e.resource.name} ${e.message}`);
    expect(events).toHaveLength(NAMES.length * ADDONS.length);
    expect(new Set(seen).size).toBe(seen.length);

    // Re-applying after the restart changed nothing: every CRD and controller is at generation 1,
    // owned by one field manager entry of ours.
    for (const [name, kube] of clusters) {
      for (const kind of [
        { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" },
        { apiVersion: "apps/v1", kind: "Deployment" },
      ]) {
        const objects = kube.store.list(kind) as {
          metadata: { name: string; generation?: number; managedFields?: { manager: string; operation: string }[] };
        }[];
        expect(objects.length, `${kind.kind} on ${name}`).toBeGreaterThan(0);
        for (const object of objects) {
          expect(object.metadata.generation, `${object.metadata.name} on ${name}`).toBe(1);
          const ours = (object.metadata.managedFields ?? []).filter(
            (m) => m.manager === "fleetplane" && m.operation === "Apply",
          );
          expect(ours, `${object.metadata.name} on ${name}`).toHaveLength(1);
        }
      }
    }
    // Nothing is left Queued or Running.
    await eventually(
      async () =>
        (await host!.api("GET", "/v1/jobs?kind=installAddons&state=Queued,Running&pageSize=100")).body.items.length ===
        0
          ? true
          : undefined,
      20_000,
      "no install left Queued or Running",
    );
  }, 120_000);
});
