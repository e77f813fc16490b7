import { type AwsEmulator, startAwsEmulator, verifyEksToken } from "../../emulators/aws";
import { type KubeEmulator, startKubeEmulator } from "../../emulators/kube";
import { EKS_CLASS } from "./eks";
import { startTestHost, type TestHost } from "./harness";

/**
 * What a Terraform provider needs to know about one resource type to manage it. Adding a
 * resource to the contract suite is adding one of these to `CONTRACT_RESOURCES`.
 */
export interface ContractResource {
  /** As the suite names it, e.g. "clusters (eks)". */
  title: string;
  /** The collection path (create and list); items live at `${collection}/{id or name}`. */
  collection: (w: ContractWorld) => string;
  /** A create body; `name` is unique per call so a resource can be created more than once. */
  create: (w: ContractWorld, name: string) => Record<string, unknown>;
  /**
   * What a read shows of the fields written, when it is not the written value itself:
   * write-only values (tokens, secret data) come back reduced or not at all.
   */
  asRead?: (written: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Fields the server owns beyond the common ones (id, status, generation, …). A read may show
   * only these and the fields the user wrote: anything else is a default injected into state.
   */
  computed?: string[];
  /** When a create or update has finished its long operation (default: at once). */
  settled?: (item: any) => boolean;
  /** When a long operation has failed for good, so the suite stops polling and says why. */
  failed?: (item: any) => boolean;
  /** A change of user fields, and the fields it should leave as read afterwards. */
  update?: {
    method: "PATCH" | "PUT";
    body: (w: ContractWorld, written: Record<string, unknown>) => Record<string, unknown>;
    /** The user fields after the update, as a read shows them. */
    expect: (written: Record<string, unknown>) => Record<string, unknown>;
  };
  /** Refs the item answers to (default id and name). */
  importBy?: ("id" | "name")[];
  /**
   * How a deleted item reads: gone (404, the default), or kept for audit with `revokedAt`
   * (tokens), which a provider treats as gone.
   */
  deletedReads?: "not_found" | "revoked";
  /** What a retried create answers when the first one returned a secret shown only once. */
  replayOfSecretResponse?: boolean;
}

/**
 * One host wired to the emulators every resource needs: a kube-apiserver emulator to import,
 * and the AWS emulator for EKS (each EKS cluster gets its own kube emulator that only accepts
 * STS-vouched tokens) and Secrets Manager.
 */
export interface ContractWorld {
  t: TestHost;
  aws: AwsEmulator;
  kube: KubeEmulator;
  kubes: KubeEmulator[];
  /** A tenant owning the secrets under test. */
  tenant: string;
  close(): Promise<void>;
}

export async function startContractWorld(): Promise<ContractWorld> {
  const kubes: KubeEmulator[] = [];
  let aws: AwsEmulator | undefined;
  aws = await startAwsEmulator({
    clusterEndpoint: async (name) => {
      const kube = await startKubeEmulator({
        name,
        gitVersion: "v1.29.8-eks",
        authenticate: async (token) => (await verifyEksToken(aws as AwsEmulator, token, name)).ok,
      });
      kubes.push(kube);
      return { endpoint: kube.url, certificateAuthorityData: kube.caData };
    },
  });
  const kube = await startKubeEmulator({ name: "imported", gitVersion: "v1.30.2" });
  kubes.push(kube);
  const t = await startTestHost({
    AWS_REGION: "eu-west-1",
    AWS_ENDPOINT_URL_EKS: aws.url,
    AWS_ENDPOINT_URL_STS: aws.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    FLEET_PROVIDER_POLL_MS: "20",
  });
  for (const body of [{ name: "imported", provider: "imported" }, EKS_CLASS]) {
    const res = await t.request("POST", "/v1/cluster-classes", { body });
    if (res.status !== 201) throw new Error(`class ${body.name}: ${res.status} ${res.text}`);
  }
  const tenant = "team-contract";
  const res = await t.request("POST", "/v1/tenants", {
    body: {
      name: tenant,
      namespace: tenant,
      source: { url: "https://github.com/acme/contract-k8s" },
      placement: { labelSelector: "contract=none" },
    },
  });
  if (res.status !== 202) throw new Error(`tenant: ${res.status} ${res.text}`);
  const provider = await t.request("POST", "/v1/notification-providers", {
    body: { name: "contract-ops", type: "webhook", url: "https://alerts.example.com/contract" },
  });
  if (provider.status !== 201) throw new Error(`provider: ${provider.status} ${provider.text}`);
  const awsEmulator = aws;
  return {
    t,
    aws: awsEmulator,
    kube,
    kubes,
    tenant,
    async close() {
      await t.close();
      await awsEmulator.close();
      await Promise.all(kubes.map((k) => k.close()));
    },
  };
}

const phaseIs = (phase: string) => (item: { status?: { phase?: string } }) => item.status?.phase === phase;

/** Every resource the API has. Applications, rollouts and notification channels join here. */
export const CONTRACT_RESOURCES: ContractResource[] = [
  {
    title: "tokens",
    collection: () => "/v1/tokens",
    create: (_w, name) => ({ name, expiresAt: "2031-06-30T12:00:00Z" }),
    computed: ["role", "revokedAt"],
    importBy: ["id"],
    deletedReads: "revoked",
    replayOfSecretResponse: true,
  },
  {
    title: "cluster classes",
    collection: () => "/v1/cluster-classes",
    create: (_w, name) => ({
      name,
      labels: { Team: "Platform", tier: "prod" },
      description: "EKS clusters of the Platform team",
      provider: "eks",
      region: "us-east-2",
      version: "1.30",
      workers: [
        { name: "system", replicas: 2 },
        { name: "apps", replicas: 5, instanceType: "m6i.large" },
      ],
      eks: {
        roleArn: "arn:aws:iam::123456789012:role/eks-cluster",
        nodeRoleArn: "arn:aws:iam::123456789012:role/eks-node",
        subnetIds: ["subnet-0d4e5f", "subnet-0a1b2c"],
      },
      values: { logLevel: "Info" },
    }),
    update: {
      method: "PATCH",
      body: () => ({ description: null, version: "1.31", values: { logLevel: "debug", tier: "gold" } }),
      expect: ({ description: _, ...written }) => ({
        ...written,
        version: "1.31",
        values: { logLevel: "debug", tier: "gold" },
      }),
    },
  },
  {
    title: "cluster classes (replaced)",
    collection: () => "/v1/cluster-classes",
    create: (_w, name) => ({
      name,
      provider: "imported",
      fleetConfig: { url: "https://github.com/acme/Fleet-Config", branch: "main" },
      values: { zone: "B", region: "A" },
    }),
    update: {
      method: "PUT",
      body: (_w, written) => ({
        name: written.name,
        provider: "imported",
        description: "Imported edge clusters",
        values: { region: "A" },
      }),
      expect: ({ fleetConfig: _, ...written }) => ({
        ...written,
        description: "Imported edge clusters",
        values: { region: "A" },
      }),
    },
  },
  {
    title: "clusters (imported)",
    collection: () => "/v1/clusters",
    create: (w, name) => ({
      name,
      class: "imported",
      environment: "staging",
      region: "eu-west-1",
      labels: { Team: "Payments", tier: "edge" },
      wave: 2,
      values: { ingressClass: "Nginx" },
      connection: { server: w.kube.url, caData: w.kube.caData, token: w.kube.token },
    }),
    computed: ["provider"],
    asRead: ({ connection, ...written }) => ({
      ...written,
      connection: { server: (connection as { server: string }).server },
    }),
    settled: phaseIs("Provisioned"),
    failed: phaseIs("Failed"),
    update: {
      method: "PATCH",
      body: () => ({ labels: { tier: "core" }, wave: 3 }),
      expect: (written) => ({ ...written, labels: { Team: "Payments", tier: "core" }, wave: 3 }),
    },
  },
  {
    title: "clusters (eks)",
    collection: () => "/v1/clusters",
    create: (_w, name) => ({
      name,
      class: "eks-standard",
      provider: "eks",
      environment: "production",
      region: "eu-west-1",
      version: "1.29",
      workers: [
        { name: "worker", replicas: 2 },
        { name: "batch", replicas: 1 },
      ],
      labels: { tier: "prod" },
    }),
    settled: phaseIs("Provisioned"),
    failed: phaseIs("Failed"),
    update: {
      method: "PATCH",
      // Scaling a pool is itself a long operation on EKS, polled to Provisioned again.
      body: () => ({
        labels: { tier: "prod", region: "eu" },
        environment: "prod-eu",
        workers: [
          { name: "worker", replicas: 3 },
          { name: "batch", replicas: 1 },
        ],
      }),
      expect: (written) => ({
        ...written,
        labels: { tier: "prod", region: "eu" },
        environment: "prod-eu",
        workers: [
          { name: "worker", replicas: 3 },
          { name: "batch", replicas: 1 },
        ],
      }),
    },
  },
  {
    title: "tenants",
    collection: () => "/v1/tenants",
    create: (_w, name) => ({
      name,
      labels: { Team: "Search" },
      namespace: name,
      source: { url: "https://github.com/acme/Search-k8s", path: "./k8s" },
      placement: { labelSelector: "tier=nowhere" },
      healthChecks: [
        { apiVersion: "apps/v1", kind: "Deployment", name: "search-api" },
        { apiVersion: "apps/v1", kind: "Deployment", name: "indexer", namespace: name },
      ],
    }),
    settled: (t) => t.status?.phase !== "Pending",
    update: {
      method: "PATCH",
      body: () => ({ interval: "10m", source: { branch: "release" } }),
      expect: (written) => ({
        ...written,
        interval: "10m",
        source: { ...(written.source as object), branch: "release" },
      }),
    },
  },
  {
    title: "tenant secrets",
    collection: (w) => `/v1/tenants/${w.tenant}/secrets`,
    create: (_w, name) => ({
      name,
      labels: { Owner: "DBA" },
      data: { password: "correct-horse-battery", username: "payments" },
      refreshInterval: "15m",
    }),
    computed: ["tenant", "secretsManager"],
    asRead: ({ data, ...written }) => ({ ...written, keys: Object.keys(data as object).sort() }),
    settled: (s) => s.status?.phase !== "Pending",
    update: {
      method: "PUT",
      body: (_w, written) => ({
        name: written.name,
        labels: { Owner: "DBA" },
        data: { password: "rotated-horse" },
        refreshInterval: "1h",
      }),
      expect: (written) => ({ ...written, keys: ["password"], refreshInterval: "1h" }),
    },
  },
  {
    title: "tenant secrets delivered as SealedSecrets",
    collection: (w) => `/v1/tenants/${w.tenant}/secrets`,
    create: (_w, name) => ({
      name,
      labels: { Owner: "DBA" },
      delivery: "sealed-secrets",
      scope: "namespace-wide",
      data: { token: "sealed-horse-battery" },
    }),
    computed: ["tenant"],
    asRead: ({ data, ...written }) => ({ ...written, keys: Object.keys(data as object).sort() }),
    settled: (s) => s.status?.phase !== "Pending",
    update: {
      method: "PUT",
      body: (_w, written) => ({
        name: written.name,
        labels: { Owner: "DBA" },
        delivery: "sealed-secrets",
        scope: "cluster-wide",
        data: { token: "rotated-sealed-horse", extra: "x" },
      }),
      expect: (written) => ({ ...written, keys: ["token", "extra"], scope: "cluster-wide" }),
    },
  },
  {
    title: "environments",
    collection: () => "/v1/environments",
    create: (_w, name) => ({
      name,
      labels: { Tier: "Prod" },
      description: "Customer traffic",
      values: { logLevel: "Warn", replicas: "5" },
      fleetConfig: { url: "https://github.com/acme/Prod-Fleet", branch: "release" },
    }),
    update: {
      method: "PATCH",
      body: () => ({ description: null, values: { replicas: "7" } }),
      expect: ({ description: _, ...written }) => ({ ...written, values: { logLevel: "Warn", replicas: "7" } }),
    },
  },
  {
    title: "applications",
    collection: () => "/v1/applications",
    create: (_w, name) => ({
      name,
      labels: { Team: "Payments" },
      source: {
        repoURL: "https://github.com/acme/Payments-k8s",
        path: "apps/payments-api",
        targetRevision: "v1.0.0",
        helm: { valueFiles: ["values.yaml", "values-{{cluster.name}}.yaml"] },
      },
      destination: { namespace: "payments", createNamespace: true },
      // No cluster matches: the rollouts it starts finish at once.
      targets: { labelSelector: "tier=nowhere" },
      syncPolicy: { prune: true, selfHeal: false },
      strategy: {
        waves: [
          { name: "canary", selector: "environment=staging", maxConcurrency: "50%" },
          { name: "rest", maxFailures: 1, minSuccessTime: "5m" },
        ],
        progressDeadline: "15m",
        onFailure: "rollback",
      },
    }),
    settled: (a) => a.status?.phase === "Synced",
    failed: (a) => a.status?.phase === "Degraded",
    update: {
      method: "PATCH",
      body: () => ({ source: { targetRevision: "v1.1.0" }, syncPolicy: { selfHeal: true } }),
      expect: (written) => ({
        ...written,
        source: { ...(written.source as object), targetRevision: "v1.1.0" },
        syncPolicy: { prune: true, selfHeal: true },
      }),
    },
  },
  {
    title: "notification providers",
    collection: () => "/v1/notification-providers",
    create: (_w, name) => ({
      name,
      labels: { Team: "SRE" },
      type: "webhook",
      url: "https://alerts.example.com/Fleet-Hook?team=sre",
      signingSecret: "whsec-correct-horse-battery-staple",
    }),
    computed: ["signed"],
    asRead: ({ signingSecret: _, ...written }) => written,
    update: {
      method: "PATCH",
      body: () => ({ url: "https://alerts.example.com/v2/hook" }),
      expect: ({ signingSecret: _, ...written }) => ({ ...written, url: "https://alerts.example.com/v2/hook" }),
    },
  },
  {
    title: "alert rules",
    collection: () => "/v1/alert-rules",
    create: (_w, name) => ({
      name,
      providers: ["contract-ops"],
      reasons: ["DriftDetected", "ClusterUnreachable"],
      severities: ["warning"],
    }),
    update: {
      method: "PATCH",
      body: () => ({ reasons: null, resourceTypes: ["Cluster"] }),
      expect: ({ reasons: _, ...written }) => ({ ...written, resourceTypes: ["Cluster"] }),
    },
  },
];
