import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { Release } from "../../schema";
import { MANAGED_BY } from "../clusters/manifests";
import { type ClusterFacts, selectableLabels } from "./plan";
import { TEMPLATE_PLACEHOLDER } from "./spec";

/** Where each cluster's Argo CD runs and keeps its Applications. */
export const ARGOCD_NAMESPACE = "argocd";
export const APPLICATION_LABEL = "fleetplane.io/application";

/** `values-{{cluster.name}}.yaml` → `values-prod-eu-west-1.yaml`, as an ApplicationSet cluster generator would. */
export function renderTemplate(text: string, cluster: ClusterFacts): string {
  const labels = selectableLabels(cluster);
  return text.replace(TEMPLATE_PLACEHOLDER, (_, key: string) => {
    if (key === "cluster.name") return cluster.name;
    if (key === "cluster.environment") return cluster.environment ?? "";
    if (key === "cluster.region") return cluster.region ?? "";
    return labels[key.slice("cluster.labels.".length)] ?? "";
  });
}

interface SourceSpec {
  repoURL: string;
  path?: string;
  chart?: string;
  targetRevision: string;
  helm?: { valueFiles?: string[]; values?: string };
}

/** The source as it goes onto one cluster: value files templated for that cluster. */
export function renderSource(release: Release, cluster: ClusterFacts): SourceSpec {
  const source = release.source as unknown as SourceSpec;
  const helm = source.helm
    ? {
        ...(source.helm.valueFiles
          ? { valueFiles: source.helm.valueFiles.map((f) => renderTemplate(f, cluster)) }
          : {}),
        ...(source.helm.values !== undefined ? { values: source.helm.values } : {}),
      }
    : undefined;
  return {
    repoURL: source.repoURL,
    ...(source.path !== undefined ? { path: source.path } : {}),
    ...(source.chart !== undefined ? { chart: source.chart } : {}),
    targetRevision: source.targetRevision,
    ...(helm ? { helm } : {}),
  };
}

/**
 * The Argo CD `Application` for one cluster, in that cluster's own Argo CD (destination: the
 * cluster itself). Sync is automated: Fleetplane decides *when* a cluster moves by changing
 * this object; Argo CD does the syncing and reports health, which the rollout reads back.
 */
export function renderArgoApplication(appName: string, release: Release, cluster: ClusterFacts): IApplication {
  const destination = release.destination as { namespace: string; createNamespace?: boolean };
  const policy = (release.syncPolicy ?? {}) as { prune?: boolean; selfHeal?: boolean };
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name: appName,
      namespace: ARGOCD_NAMESPACE,
      labels: { ...MANAGED_BY, [APPLICATION_LABEL]: appName },
    },
    spec: {
      project: "default",
      source: renderSource(release, cluster),
      destination: { server: "https://kubernetes.default.svc", namespace: destination.namespace },
      syncPolicy: {
        automated: { prune: policy.prune ?? false, selfHeal: policy.selfHeal ?? false },
        ...(destination.createNamespace ? { syncOptions: ["CreateNamespace=true"] } : {}),
      },
    },
  };
}
