import { afterAll, beforeAll, expect } from "vitest";
import { type KubeEmulator, startKubeEmulator } from "../../emulators/kube";
import { eventually, startTestHost, type TestHost } from "./harness";

/** The Flux objects Fleetplane puts on a cluster whose class names a fleet-config repository. */
export const KUSTOMIZATION = {
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  namespace: "flux-system",
  name: "fleet-config",
};
export const GIT_REPOSITORY = { ...KUSTOMIZATION, apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository" };

/** Flux reporting the cluster's Kustomization reconciled, as its controller would. */
export function fluxReady(kube: KubeEmulator) {
  const live = kube.store.get(KUSTOMIZATION) as { metadata: { generation?: number } } | undefined;
  kube.setStatus(KUSTOMIZATION, {
    observedGeneration: live?.metadata.generation ?? 1,
    conditions: [
      { type: "Ready", status: "True", reason: "ReconciliationSucceeded", message: "Applied revision: main@sha1:abc" },
    ],
  });
}

/** The class of clusters handed to Flux with one fleet-config repository. */
export async function createGitopsClass(t: TestHost) {
  const res = await t.request("POST", "/v1/cluster-classes", {
    body: { name: "gitops", provider: "imported", fleetConfig: { url: "https://github.com/acme/fleet-config" } },
  });
  expect(res.status).toBe(201);
}

/**
 * A fresh emulated cluster registered in the gitops class: its platform installed, Flux
 * reporting the fleet config applied, and its first drift report clean.
 */
export async function gitopsCluster(t: TestHost, name: string, extra: Record<string, unknown> = {}) {
  const emulator = await startKubeEmulator({ name });
  const res = await t.request("POST", "/v1/clusters", {
    body: {
      name,
      class: "gitops",
      environment: "production",
      connection: { server: emulator.url, caData: emulator.caData, token: emulator.token },
      ...extra,
    },
  });
  expect(res.status).toBe(202);
  await eventually(async () => (emulator.store.get(KUSTOMIZATION) ? true : undefined)).catch(async (e) => {
    console.log(
      JSON.stringify((await t.request("GET", `/v1/clusters/${name}`)).body.status),
      t.logs.slice(-20).join("\n"),
    );
    throw e;
  });
  fluxReady(emulator);
  await eventually(
    async () => ((await t.request("GET", `/v1/clusters/${name}/drift`)).body.state === "Ready" ? true : undefined),
    15_000,
    `${name} clean`,
  );
  return emulator;
}

export interface GitopsFleet {
  t: TestHost;
  /** A fresh emulated gitops cluster (see gitopsCluster), closed with the fleet. */
  cluster(name: string, extra?: Record<string, unknown>): Promise<KubeEmulator>;
  close(): Promise<void>;
}

/** A host that reconciles only when asked (no schedule in the way) and has the gitops class. */
export async function startGitopsFleet(): Promise<GitopsFleet> {
  const t = await startTestHost({ FLEET_RECONCILE_INTERVAL_SECONDS: "3600", FLEET_PROVIDER_POLL_MS: "50" });
  await createGitopsClass(t);
  const emulators: KubeEmulator[] = [];
  return {
    t,
    async cluster(name, extra = {}) {
      const emulator = await gitopsCluster(t, name, extra);
      emulators.push(emulator);
      return emulator;
    },
    async close() {
      await t.close();
      for (const emulator of emulators) await emulator.close();
    },
  };
}

/**
 * A gitops fleet for the calling `describe`: started before its tests, closed after them.
 * Read `fleet.t` inside tests (it exists once the suite has started).
 */
export function useGitopsFleet(): { readonly t: TestHost; cluster: GitopsFleet["cluster"] } {
  let fleet: GitopsFleet | undefined;
  beforeAll(async () => {
    fleet = await startGitopsFleet();
  });
  afterAll(() => fleet?.close());
  const started = () => {
    if (!fleet) throw new Error("the gitops fleet is used before its suite started");
    return fleet;
  };
  return {
    get t() {
      return started().t;
    },
    cluster: (name, extra) => started().cluster(name, extra),
  };
}
