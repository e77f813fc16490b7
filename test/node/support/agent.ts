import { KubeConfig } from "@kubernetes/client-node";
import type { KubeEmulator } from "../../emulators/kube";

/** The kubeconfig an agent inside an emulated cluster has: its API server, private CA and token. */
export function agentKubeconfig(kube: KubeEmulator): KubeConfig {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromOptions({
    clusters: [{ name: "private", server: kube.url, caData: kube.caData, skipTLSVerify: false }],
    users: [{ name: "agent", token: kube.token }],
    contexts: [{ name: "agent", cluster: "private", user: "agent" }],
    currentContext: "agent",
  });
  return kubeconfig;
}
