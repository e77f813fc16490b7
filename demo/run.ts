/**
 * `npm run demo`: a whole fleet on one machine, and the story of the GitOps patterns Fleetplane automates told
 * through the API. Three emulated clusters (staging, prod-eu-west-1, prod-us-east-1), each a
 * kube-apiserver with Flux, External Secrets, Sealed Secrets and Argo CD controllers acting on it, and a fourth
 * (edge-private) that Fleetplane cannot dial, joined through its agent; plus AWS Secrets Manager
 * and Prometheus, all emulated; Fleetplane on the embedded SQLite store.
 * The clusters are registered and bootstrapped, `team-payments` is onboarded, `db-password`
 * wired through Secrets Manager and `api-key` sealed for each cluster, `payments-api` rolled out in three waves, and a drift injected, explained, alerted
 * on and repaired. Every step goes through the TypeScript SDK, as any client would.
 *
 *   npm run demo [-- --port 8787] [--data data/demo] [--exit]
 *
 * Without `--exit` the API keeps running for exploring at /docs and with the CLI.
 */
import { createHmac } from "node:crypto";
import { rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { Agent } from "../agent/agent";
import { rolloutFrame } from "../cli/nouns/delivery";
import { ProgressRenderer } from "../cli/progress";
import { createNodeHost, listen } from "../entry/node";
import { createFleetplane } from "../sdk";
import { startBundleServer } from "../test/emulators/addons";
import { startArgoCdController } from "../test/emulators/argocd";
import { startAwsEmulator } from "../test/emulators/aws";
import { startFluxController } from "../test/emulators/flux";
import { type KubeEmulator, startKubeEmulator } from "../test/emulators/kube";
import { startPrometheusEmulator } from "../test/emulators/prometheus";
import { startSealedSecretsController } from "../test/emulators/sealed-secrets";

// biome-ignore lint/suspicious/noExplicitAny: the demo reads responses by path, like a script would.
type Item = Record<string, any>;

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    data: { type: "string", default: "data/demo" },
    exit: { type: "boolean", default: false },
  },
});
const ADMIN = "demo-admin-token";
const WEBHOOK_SECRET = "demo-webhook-signing-secret";
const DATA = resolve(args.data);

const bold = (s: string) => (process.stdout.isTTY ? `\u001b[1m${s}\u001b[22m` : s);
const step = (n: number, title: string) => process.stdout.write(`\n${bold(`${n}. ${title}`)}\n`);
const say = (line: string) => process.stdout.write(`   ${line}\n`);
const table = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const row of rows)
    say(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
};

// The emulated world.
const FLEET = [
  { name: "staging", environment: "staging", region: "eu-west-1" },
  { name: "prod-eu-west-1", environment: "production", region: "eu-west-1" },
  { name: "prod-us-east-1", environment: "production", region: "us-east-1" },
];
const clusters = new Map<string, KubeEmulator>();
for (const c of FLEET) {
  // Bare clusters, as fresh from the provider: no Flux, no CRDs, no platform namespaces.
  clusters.set(c.name, await startKubeEmulator({ name: c.name, gitVersion: "v1.30.4" }));
}
// The add-on releases, from a local mirror of the upstream release assets (there is no internet here).
const bundles = await startBundleServer();
const flux = startFluxController(clusters);
const argo = startArgoCdController(clusters, { syncDelayMs: 400 });
const sealedSecrets = startSealedSecretsController(clusters);
const aws = await startAwsEmulator();
const prometheus = await startPrometheusEmulator();
prometheus.set("payments_success_rate", 99.95);
const deliveries: { signature: string; valid: boolean; body: Item }[] = [];
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    const signature = String(req.headers["x-fleetplane-signature"] ?? "");
    const expected = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
    deliveries.push({ signature, valid: signature === expected, body: JSON.parse(body || "{}") });
    res.end("ok");
  });
});
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/fleet-alerts`;

// Fleetplane on the embedded default, with a fresh database each run.
await rm(DATA, { recursive: true, force: true });
const host = await createNodeHost({
  env: {
    ...process.env,
    DATABASE_URL: `file:${DATA}/fleet.db`,
    FLEET_ADMIN_TOKEN: ADMIN,
    FLEET_URL_ALLOW: "127.0.0.1",
    FLEET_PROVIDER_POLL_MS: "250",
    FLEET_ROLLOUT_TICK_MS: "250",
    FLEET_RECONCILE_INTERVAL_SECONDS: "3600",
    FLEET_SWEEP_INTERVAL_SECONDS: "1",
    FLEET_ADDON_MIRROR: bundles.url,
    AWS_REGION: "eu-west-1",
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  },
});
const server = await listen(host, Number(args.port), "127.0.0.1");
const url = `http://127.0.0.1:${Number(args.port)}`;
const fp = createFleetplane({ baseUrl: url, token: ADMIN });
const get = (path: string) => fp.request<Item>("GET", path);
const post = (path: string, body?: unknown) => fp.request<Item>("POST", path, body === undefined ? {} : { body });
const patch = (path: string, body: unknown) => fp.request<Item>("PATCH", path, { body });
const until = <T>(fetch: () => Promise<T>, ok: (v: T | undefined) => boolean, timeoutMs = 60_000) =>
  fp.waitFor(fetch, ok, { timeoutMs, intervalMs: 200 });
const condition = (item: Item, type: string) =>
  (item.status?.conditions ?? []).find((c: Item) => c.type === type) as Item | undefined;

process.stdout.write(
  `${bold("Fleetplane demo")}: Fleet management with Cluster API + Flux, multi-tenancy, secrets, progressive delivery and drift, on one machine.\n`,
);
say(`Dashboard: ${url}/  (sign in with the admin token ${ADMIN})   API reference: ${url}/docs`);

step(1, "Register the fleet: three bare clusters; Fleetplane installs the platform, then bootstraps Flux");
await post("/v1/cluster-classes", {
  name: "imported",
  provider: "imported",
  fleetConfig: { url: "https://github.com/acme/fleet-config" },
  values: { log_level: "info" },
});
await post("/v1/environments", { name: "production", values: { replicas: "5", log_level: "warn" } });
await post("/v1/environments", { name: "staging", values: { replicas: "1" } });
for (const c of FLEET) {
  const kube = clusters.get(c.name)!;
  await post("/v1/clusters", {
    ...c,
    class: "imported",
    labels: { "app-tier": "payments" },
    // Bitnami's Sealed Secrets too, for the secret that is sealed instead of stored in AWS.
    addons: [{ name: "sealed-secrets" }],
    connection: { server: kube.url, caData: kube.caData, token: kube.token },
  });
}
const ready = await Promise.all(
  FLEET.map((c) =>
    until(
      () => get(`/v1/clusters/${c.name}`),
      (x) => condition(x ?? {}, "Ready")?.status === "True" && condition(x ?? {}, "FluxReady")?.status === "True",
    ),
  ),
);
table([
  ["CLUSTER", "ENVIRONMENT", "REGION", "VERSION", "READY", "ADD-ONS", "FLUX"],
  ...ready.map((c) => [
    c!.name,
    c!.environment,
    c!.region,
    c!.status.serverVersion,
    condition(c!, "Ready")!.reason,
    (c!.status.addons ?? []).map((a: Item) => `${a.name} ${a.versionFound ?? a.version}`).join(", "),
    condition(c!, "FluxReady")!.reason,
  ]),
]);
// A fourth cluster behind a firewall: Fleetplane holds no address or credential for it; the agent
// inside dials out with a one-time join token and does the same work through its pulls.
const edgeKube = await startKubeEmulator({ name: "edge-private", gitVersion: "v1.30.4" });
clusters.set("edge-private", edgeKube);
const edgeCreated = await post("/v1/clusters", {
  name: "edge-private",
  environment: "production",
  region: "eu-central-1",
  class: "imported",
  labels: { "app-tier": "edge" },
  connection: { mode: "agent" },
});
const edgeConfig = new KubeConfig();
edgeConfig.loadFromOptions({
  clusters: [{ name: "edge-private", server: edgeKube.url, caData: edgeKube.caData }],
  users: [{ name: "agent", token: edgeKube.token }],
  contexts: [{ name: "agent", cluster: "edge-private", user: "agent" }],
  currentContext: "agent",
});
const edgeAgent = new Agent({
  url,
  joinToken: edgeCreated.agentJoin.token,
  kubeconfig: edgeConfig,
  namespace: "fleetplane-agent",
  version: "0.1.0",
  waitSeconds: 20,
  heartbeatMs: 30_000,
  log: () => {},
});
void edgeAgent.run().catch(() => {});
const edge = await until(
  () => get("/v1/clusters/edge-private"),
  (x) => condition(x ?? {}, "FluxReady")?.status === "True" && condition(x ?? {}, "AddonsReady")?.status === "True",
);
say(
  `edge-private joined through its agent (${edge!.status.agent?.version}): ${condition(edge!, "Ready")!.reason}, ${(edge!.status.addons ?? []).length} add-ons and Flux installed by the agent's pulls`,
);
const manifests = await get("/v1/clusters/prod-eu-west-1/manifests");
say(`prod-eu-west-1 follows ${manifests.path} with values (class < environment < cluster):`);
say(
  `  ${Object.entries(manifests.values as Record<string, string>)
    .map(([k, v]) => `${k}=${v} (${manifests.valueSources[k]})`)
    .join(", ")}`,
);

step(2, "Onboard team-payments (Flux multi-tenancy, Kyverno guardrails)");
await post("/v1/tenants", {
  name: "team-payments",
  namespace: "payments",
  source: { url: "https://github.com/acme/payments-k8s", branch: "main", path: "./k8s" },
  placement: { labelSelector: "app-tier=payments" },
  healthChecks: [{ apiVersion: "apps/v1", kind: "Deployment", name: "payments-api" }],
});
const tenant = await until(
  () => get("/v1/tenants/team-payments"),
  (t) => t?.status?.phase === "Ready",
);
say(`team-payments: ${tenant!.status.conditions[0].message}`);
const placed = clusters
  .get("staging")!
  .store.list({ apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization" });
say(
  `on staging: Kustomization team-payments → targetNamespace ${(placed.find((k) => k.metadata.name === "team-payments") as Item).spec.targetNamespace}, serviceAccountName ${(placed.find((k) => k.metadata.name === "team-payments") as Item).spec.serviceAccountName}`,
);

step(3, "Wire db-password through AWS Secrets Manager and External Secrets, and seal api-key for each cluster");
const secret = await post("/v1/tenants/team-payments/secrets", {
  name: "db-password",
  data: { password: "s3cr3t-from-the-demo" },
  refreshInterval: "1h",
});
await until(
  () => get("/v1/tenants/team-payments/secrets/db-password"),
  (s) => s?.status?.phase === "Ready",
);
say(
  `value stored in Secrets Manager as ${secret.secretsManager.name} (version ${secret.secretsManager.versionId}); Fleetplane keeps only the keys: ${secret.keys.join(", ")}`,
);
say(
  `every cluster got ExternalSecret payments/db-password; the value is in our database: ${(await import("node:fs")).readFileSync(`${DATA}/fleet.db`).includes("s3cr3t-from-the-demo") ? "YES (bug!)" : "no"}`,
);

const API_KEY = "sk-sealed-in-the-demo";
await post("/v1/tenants/team-payments/secrets", {
  name: "api-key",
  delivery: "sealed-secrets",
  data: { key: API_KEY },
});
const unsealedEverywhere = () =>
  FLEET.every((c) => {
    const live = clusters
      .get(c.name)!
      .store.get({ apiVersion: "v1", kind: "Secret", namespace: "payments", name: "api-key" });
    return Buffer.from(((live as Item | undefined)?.data?.key as string) ?? "", "base64").toString() === API_KEY;
  });
await until(
  async () =>
    ((await get("/v1/tenants/team-payments/secrets/api-key")).status.phase === "Ready" && unsealedEverywhere()) ||
    undefined,
  (done) => done === true,
);
say(
  `api-key sealed for each cluster's Sealed Secrets controller (its certificate read through the API server's service proxy) and applied as a SealedSecret; unsealed on all ${FLEET.length} clusters: ${unsealedEverywhere() ? "yes" : "no"}; in our database: ${(await import("node:fs")).readFileSync(`${DATA}/fleet.db`).includes(API_KEY) ? "YES (bug!)" : "no"}`,
);

step(4, "Roll payments-api out in three waves, gated on Argo CD health and Prometheus");
const app = await post("/v1/applications", {
  name: "payments-api",
  tenant: "team-payments",
  source: {
    repoURL: "https://github.com/acme/payments-k8s",
    path: "apps/payments-api",
    targetRevision: "v1.4.0",
    helm: { valueFiles: ["values.yaml", "values-{{cluster.name}}.yaml"] },
  },
  destination: { namespace: "payments" },
  targets: { labelSelector: "app-tier=payments" },
  syncPolicy: { prune: true, selfHeal: true },
  strategy: {
    waves: [
      { name: "staging", selector: "environment=staging", minSuccessTime: "1s" },
      { name: "prod-eu", selector: "region=eu-west-1", requireApproval: true },
      { name: "prod-us", selector: "region=us-east-1" },
    ],
    progressDeadline: "2m",
    analysis: {
      prometheusUrl: prometheus.url,
      interval: "500ms",
      threshold: 2,
      metrics: [{ name: "request-success-rate", query: 'payments_success_rate{cluster=~"{{clusters}}"}', min: 99 }],
    },
    onFailure: "rollback",
  },
});
async function watchRollout(id: string, approve: boolean) {
  const progress = new ProgressRenderer(process.stdout);
  const said = new Set<string>();
  for (;;) {
    const rollout = await get(`/v1/rollouts/${id}`);
    const frame = rolloutFrame(rollout);
    for (const message of frame.messages ?? []) {
      if (!said.has(message)) progress.log(`   ${message}`);
      said.add(message);
    }
    progress.update(frame.items.map((i) => ({ ...i, label: `   ${i.label}` })));
    if (frame.outcome) {
      progress.log(`   ${frame.outcome.message}`);
      return rollout;
    }
    if (approve && rollout.status.phase === "WaitingApproval") {
      progress.log(`   approving wave ${rollout.status.currentWave}: POST /v1/rollouts/${id}/approve`);
      await post(`/v1/rollouts/${id}/approve`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
const first = await watchRollout(app.status.latestRollout.id, true);
const analysis = first.status.waves.find((w: Item) => w.analysis)?.analysis;
say(
  `metric gate: ${analysis ? analysis.results.map((r: Item) => `${r.metric} = ${r.value} (${r.message})`).join("; ") : "none"}`,
);

say("");
say("v1.5.0 ships with a bug: its success rate drops to 95% …");
prometheus.set("payments_success_rate", 95);
const moved = await patch("/v1/applications/payments-api", { source: { targetRevision: "v1.5.0" } });
const second = await watchRollout(moved.status.latestRollout.id, true);
const rollback = await watchRollout(second.rolledBackBy, false);
say(
  `fleet rollback #${rollback.number}: ${rollback.status.summary.Succeeded} cluster(s) back on ${rollback.release.source.targetRevision}`,
);
prometheus.set("payments_success_rate", 99.95);

step(5, "Drift: someone edits a cluster by hand");
await post("/v1/notification-providers", {
  name: "platform-oncall",
  type: "webhook",
  url: receiverUrl,
  signingSecret: WEBHOOK_SECRET,
});
await post("/v1/alert-rules", {
  name: "drift",
  providers: ["platform-oncall"],
  reasons: ["DriftDetected", "DriftRepaired"],
});
const prod = clusters.get("prod-eu-west-1")!;
prod.editAs(
  "kubectl-edit",
  {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    namespace: "flux-system",
    name: "fleet-config",
  },
  { spec: { prune: false } },
);
say("kubectl edit kustomization fleet-config -n flux-system   # on prod-eu-west-1: prune: true → false");
await post("/v1/clusters/prod-eu-west-1/reconcile");
const report = await until(
  () => get("/v1/clusters/prod-eu-west-1/drift"),
  (r) => r?.state === "Modified",
);
for (const item of report!.items as Item[]) {
  say(
    `${item.kind} ${item.namespace}/${item.name} ${item.path}: ${JSON.stringify(item.desired)} → ${JSON.stringify(item.live)} by ${item.manager?.name}`,
  );
  say(`  why: ${item.explanation.summary}`);
  say(`  meaning: ${item.explanation.meaning}`);
  say(`  fix: ${item.explanation.remediation}`);
}
const metrics = await (await fetch(`${url}/metrics`)).text();
for (const line of metrics.split("\n")) {
  if (
    line.startsWith("gotk_reconcile_condition{") &&
    line.includes('cluster="prod-eu-west-1"') &&
    line.includes('name="fleet-config"') &&
    line.includes('kind="Kustomization"') &&
    line.includes('type="Ready"') &&
    line.endsWith(" 1")
  ) {
    say(`metric: ${line}`);
  }
}
const alert = await until(
  async () => deliveries.find((d) => d.body?.event?.reason === "DriftDetected"),
  (d) => d !== undefined,
);
say(
  `webhook to platform-oncall: ${alert!.body.event.reason}, signature ${alert!.valid ? "valid" : "INVALID"} (${alert!.signature.slice(0, 23)}…)`,
);

say("the platform team sets driftPolicy: remediate on the cluster …");
await patch("/v1/clusters/prod-eu-west-1", { driftPolicy: "remediate" });
await post("/v1/clusters/prod-eu-west-1/reconcile");
const prodId = (await get("/v1/clusters/prod-eu-west-1")).id as string;
const repaired = await until(
  async () =>
    ((await get(`/v1/events?resource=${prodId}&pageSize=500`)).items as Item[]).find(
      (e) => e.reason === "DriftRepaired",
    ),
  (e) => e !== undefined,
);
say(`repair: ${repaired!.message}`);
const clean = await until(
  () => get("/v1/clusters/prod-eu-west-1/drift"),
  (r) => r?.state === "Ready",
);
say(
  `next reconcile: ${clean!.state}, ${clean!.items.length} drifted object(s); prune on the cluster is ${JSON.stringify((prod.store.get({ apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", namespace: "flux-system", name: "fleet-config" }) as Item).spec.prune)} again`,
);

process.stdout.write(`\n${bold("The fleet is yours to explore.")}\n`);
say(`API reference: ${url}/docs`);
say(`export FLEETPLANE_URL=${url} FLEETPLANE_TOKEN=${ADMIN}`);
say(
  "npx fleetplane clusters list; npx fleetplane rollouts list payments-api; npx fleetplane drift show prod-eu-west-1",
);

async function shutdown() {
  edgeAgent.stop();
  flux.stop();
  argo.stop();
  sealedSecrets.stop();
  server.close();
  receiver.close();
  await host.close();
  await Promise.all([...clusters.values()].map((k) => k.close()));
  await aws.close();
  await prometheus.close();
  await bundles.close();
}
if (args.exit) {
  await shutdown();
  process.exit(0);
}
say("Ctrl-C stops the demo.");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void shutdown().then(() => process.exit(0));
  });
}
