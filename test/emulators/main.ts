/**
 * `npm run emulators`: a small emulated world for local runs and the curl walkthrough —
 * one bare kube-apiserver per cluster name (HTTPS, one shared test CA) with emulated Flux and
 * Argo CD controllers that act once Fleetplane has installed them, a mirror of the add-on
 * release bundles, one AWS endpoint (EKS, Secrets Manager, STS) and one Prometheus query
 * endpoint for rollout metric gates. Prints what Fleetplane needs to reach each of them,
 * then runs until interrupted.
 *
 *   npm run emulators -- [--clusters staging,prod-eu-west-1,prod-us-east-1] [--kube-port 6443] [--aws-port 4566] [--prometheus-port 9090] [--bundles-port 8089]
 *
 * Metric values are set with `curl -X POST localhost:9090/_emulator/values -d '{"match":"success_rate","value":95}'`
 * (a query containing `match` returns `value`).
 */
import { parseArgs } from "node:util";
import { startBundleServer } from "./addons/index.js";
import { startArgoCdController } from "./argocd/index.js";
import { type AwsEmulator, startAwsEmulator, verifyEksToken } from "./aws/index.js";
import { startFluxController } from "./flux/index.js";
import { type KubeEmulator, startKubeEmulator } from "./kube/index.js";
import { startPrometheusEmulator } from "./prometheus/index.js";

const { values } = parseArgs({
  options: {
    clusters: { type: "string", default: "staging,prod-eu-west-1,prod-us-east-1" },
    "kube-port": { type: "string", default: "6443" },
    "aws-port": { type: "string", default: "4566" },
    "prometheus-port": { type: "string", default: "9090" },
    "bundles-port": { type: "string", default: "8089" },
    token: { type: "string", default: "emulator-token" },
  },
  strict: true,
});

const names = values.clusters
  .split(",")
  .map((n) => n.trim())
  .filter(Boolean);
const kubePort = Number(values["kube-port"]);
const kubes: KubeEmulator[] = [];
for (const [i, name] of names.entries()) {
  // A bare cluster, as a provider hands it over: Fleetplane installs the platform add-ons.
  kubes.push(await startKubeEmulator({ name, port: kubePort === 0 ? 0 : kubePort + i, token: values.token }));
}
// Every EKS cluster created through the AWS emulator gets an API server of its own that only
// accepts tokens STS vouches for, as EKS does; slow enough transitions to watch with curl.
const eksServers: KubeEmulator[] = [];
let awsRef: AwsEmulator | undefined;
const aws = await startAwsEmulator({
  port: Number(values["aws-port"]),
  timeScale: { clusterCreateMs: 3000, nodegroupCreateMs: 2000, updateMs: 2000, deleteMs: 2000 },
  clusterEndpoint: async (name) => {
    const kube = await startKubeEmulator({
      name,
      gitVersion: "v1.29.8-eks",
      authenticate: async (token) => (await verifyEksToken(awsRef as AwsEmulator, token, name)).ok,
    });
    eksServers.push(kube);
    return { endpoint: kube.url, certificateAuthorityData: kube.caData };
  },
});
awsRef = aws;
const fleet = new Map(kubes.map((k) => [k.name, k]));
const argo = startArgoCdController(fleet, { syncDelayMs: 1500 });
const flux = startFluxController(fleet, { delayMs: 1000 });
const bundles = await startBundleServer(Number(values["bundles-port"]));
const prometheus = await startPrometheusEmulator(Number(values["prometheus-port"]));

const summary = {
  clusters: kubes.map((k) => ({ name: k.name, server: k.url, token: k.token, caData: k.caData })),
  aws: { endpoint: aws.url, region: aws.region },
  prometheus: prometheus.url,
  addonMirror: bundles.url,
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.stderr.write(
  `\nEmulators are up. Start Fleetplane so it may reach them and install add-ons from the local mirror:\n  FLEET_URL_ALLOW=127.0.0.1 FLEET_ADDON_MIRROR=${bundles.url} npm start\n` +
    `Register a cluster with its server, caData and token from above (see README). Ctrl-C stops.\n`,
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    argo.stop();
    flux.stop();
    void Promise.all(
      [...kubes, ...eksServers].map((k) => k.close()).concat(aws.close(), prometheus.close(), bundles.close()),
    ).then(() => process.exit(0));
  });
}
