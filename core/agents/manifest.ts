import { stringify } from "yaml";

export const AGENT_NAMESPACE = "fleetplane-agent";
const NAME = "fleetplane-agent";
const labels = { "app.kubernetes.io/name": NAME, "app.kubernetes.io/managed-by": "fleetplane" };

/**
 * The objects that install a cluster's agent, in apply order, as one YAML stream for
 * `kubectl apply -f`. The agent applies what Fleetplane installs on a cluster (CRDs, controllers,
 * tenants' RBAC), which takes cluster-admin's reach; it needs no inbound port: it dials out to
 * `url` with the join token from its Secret, and serves only its own probes.
 */
export function agentManifest(opts: { clusterName: string; url: string; joinToken: string; image: string }): string {
  const metadata = (extra: Record<string, unknown> = {}) => ({ name: NAME, labels, ...extra });
  const objects = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: AGENT_NAMESPACE, labels } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: metadata({ namespace: AGENT_NAMESPACE }) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: metadata(),
      rules: [
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
        { nonResourceURLs: ["/version", "/api", "/apis", "/apis/*"], verbs: ["get"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: metadata(),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: NAME },
      subjects: [{ kind: "ServiceAccount", name: NAME, namespace: AGENT_NAMESPACE }],
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: metadata({ namespace: AGENT_NAMESPACE }),
      type: "Opaque",
      stringData: {
        FLEETPLANE_URL: opts.url,
        FLEETPLANE_JOIN_TOKEN: opts.joinToken,
        FLEETPLANE_CLUSTER: opts.clusterName,
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: metadata({ namespace: AGENT_NAMESPACE }),
      spec: {
        replicas: 1,
        // Never two agents of one cluster at once: the old one stops before the new one starts.
        strategy: { type: "Recreate" },
        selector: { matchLabels: { "app.kubernetes.io/name": NAME } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "agent",
                image: opts.image,
                envFrom: [{ secretRef: { name: NAME } }],
                ports: [{ name: "probes", containerPort: 8080 }],
                resources: {
                  requests: { cpu: "50m", memory: "64Mi" },
                  limits: { cpu: "500m", memory: "256Mi" },
                },
                livenessProbe: { httpGet: { path: "/healthz", port: "probes" }, periodSeconds: 20 },
                readinessProbe: { httpGet: { path: "/readyz", port: "probes" }, periodSeconds: 10 },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                },
              },
            ],
          },
        },
      },
    },
  ];
  return objects.map((object) => stringify(object)).join("---\n");
}
