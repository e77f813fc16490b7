import { expect } from "vitest";
import { type KubeEmulator, startKubeEmulator } from "../../emulators/kube";
import { eventually, type TestHost } from "./harness";

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
