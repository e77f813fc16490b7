import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type AwsEmulator, startAwsEmulator } from "../../emulators/aws";
import { type KubeEmulator, startKubeEmulator } from "../../emulators/kube";
import { eventually, startTestHost, type TestHost, type TestResponse } from "./harness";

/**
 * A small fleet for tenant tests: a Fleetplane host whose Secrets Manager is the AWS emulator,
 * and kube-apiserver emulators registered as imported clusters. Every response the tests see
 * is kept, so a leak scan can read them all.
 */
export interface Fleet {
  t: TestHost;
  aws: AwsEmulator;
  clusters: Map<string, KubeEmulator>;
  responses: TestResponse[];
  request: TestHost["request"];
  addCluster(name: string, labels: Record<string, string>, fields?: Record<string, unknown>): Promise<KubeEmulator>;
  close(): Promise<void>;
}

export async function startFleet(opts: { runJobs?: boolean; env?: Record<string, string> } = {}): Promise<Fleet> {
  const aws = await startAwsEmulator();
  const t = await startTestHost(
    {
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      FLEET_PROVIDER_POLL_MS: "50",
      ...opts.env,
    },
    { runJobs: opts.runJobs ?? true },
  );
  const clusters = new Map<string, KubeEmulator>();
  const responses: TestResponse[] = [];
  const request: TestHost["request"] = async (method, path, o) => {
    const res = await t.request(method, path, o);
    responses.push(res);
    return res;
  };
  await request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
  return {
    t,
    aws,
    clusters,
    responses,
    request,
    async addCluster(name, labels, fields = {}) {
      const kube = await startKubeEmulator({ name });
      // A bare cluster: Fleetplane installs Flux, External Secrets and Kyverno on it.
      clusters.set(name, kube);
      const res = await request("POST", "/v1/clusters", {
        body: {
          name,
          class: "imported",
          labels,
          ...fields,
          connection: { server: kube.url, caData: kube.caData, token: kube.token },
        },
      });
      if (res.status !== 202) throw new Error(`registering ${name}: ${res.status} ${res.text}`);
      return kube;
    },
    async close() {
      await t.close();
      await aws.close();
      await Promise.all([...clusters.values()].map((k) => k.close()));
    },
  };
}

export const refs = (tenant: string, namespace: string) => ({
  namespace: { apiVersion: "v1", kind: "Namespace", name: namespace },
  account: { apiVersion: "v1", kind: "ServiceAccount", namespace: "flux-system", name: `${tenant}-flux` },
  binding: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", namespace, name: "flux-tenant" },
  source: { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", namespace: "flux-system", name: tenant },
  kustomization: {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    namespace: "flux-system",
    name: tenant,
  },
});

export const externalSecretRef = (namespace: string, name: string) => ({
  apiVersion: "external-secrets.io/v1",
  kind: "ExternalSecret",
  namespace,
  name,
});

/** Waits for a tenant's per-cluster state, by cluster name. */
export async function waitForStates(
  request: TestHost["request"],
  tenant: string,
  want: Record<string, string>,
  timeoutMs = 15_000,
) {
  return eventually(
    async () => {
      const res = await request("GET", `/v1/tenants/${tenant}`);
      const states = Object.fromEntries(
        (res.body.status?.clusters ?? [])
          .filter((c: { desired: string }) => c.desired === "present")
          .map((c: { cluster: string; state: string }) => [c.cluster, c.state]),
      );
      return JSON.stringify(states) === JSON.stringify(sortKeys(want)) ? res.body : undefined;
    },
    timeoutMs,
    `tenant ${tenant} states ${JSON.stringify(want)}`,
  );
}

function sortKeys(o: Record<string, string>) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** Every file of the host's data folder (the SQLite database and its WAL), as text. */
export async function dataFilesText(dir: string): Promise<string> {
  const names = await readdir(dir);
  const parts = await Promise.all(names.map((n) => readFile(join(dir, n)).then((b) => b.toString("latin1"))));
  return parts.join("\n");
}

/** Makes the emulated Flux report the tenant's Kustomization as reconciled. */
export function fluxReconciled(
  kube: KubeEmulator,
  tenant: string,
  ready = true,
  message = "Applied revision: main@sha1:0f1e2d",
) {
  const ref = refs(tenant, "").kustomization;
  const live = kube.store.get(ref) as { metadata: { generation?: number } } | undefined;
  kube.setStatus(ref, {
    observedGeneration: live?.metadata.generation ?? 1,
    conditions: [
      {
        type: "Ready",
        status: ready ? "True" : "False",
        reason: ready ? "ReconciliationSucceeded" : "HealthCheckFailed",
        message,
        lastTransitionTime: new Date().toISOString(),
      },
    ],
  });
}
