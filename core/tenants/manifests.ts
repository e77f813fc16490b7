import type { IKustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1";
import type { IGitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1";
import type { tenantSecrets, tenants } from "../../schema";
import { scopeAnnotations } from "../secrets/sealing";

/**
 * What Fleetplane puts on a cluster for a tenant (Flux multi-tenancy, and External Secrets or
 * Sealed Secrets for its secrets), rendered from rows
 * alone: pure, so the API can show it, the functions can apply it, and tests can compare it.
 */
export const FLUX_NAMESPACE = "flux-system";
export const TENANT_LABEL = "toolkit.fluxcd.io/tenant";
/** Also on every object, so a cluster can be searched for what Fleetplane put there. */
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "fleetplane" } as const;
export const FLEET_TENANT_LABEL = "fleetplane.io/tenant";
/** The ClusterRole tenants' Flux accounts are bound to, inside their namespace only. */
export const TENANT_CLUSTER_ROLE = "flux-tenant-role";
export const TENANT_ROLE_BINDING = "flux-tenant";
/** One ClusterSecretStore per cluster, shared by the tenants' ExternalSecrets. */
export const SECRET_STORE = "fleetplane-aws-secrets-manager";
/** ExternalSecrets reconcile again whenever an annotation changes; ESO documents `force-sync`. */
export const FORCE_SYNC = "force-sync";
export const GUARDRAIL_POLICY = "restrict-flux-tenant-namespace";
export const LOCKDOWN_POLICY = "flux-multi-tenancy";

type TenantRow = typeof tenants.$inferSelect;
type SecretRow = typeof tenantSecrets.$inferSelect;

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export const fluxAccountOf = (tenant: Pick<TenantRow, "name">) => `${tenant.name}-flux`;

function labelsOf(tenant: Pick<TenantRow, "name">) {
  return { ...MANAGED_BY, [TENANT_LABEL]: tenant.name, [FLEET_TENANT_LABEL]: tenant.name };
}

/**
 * The tenant's own objects in apply order: namespace, account, binding, source, Kustomization.
 * Removal goes in reverse (the Kustomization first, so Flux prunes with the tenant's account
 * still in place).
 */
export function renderTenantObjects(tenant: Pick<TenantRow, "name" | "namespace" | "spec">): KubeObject[] {
  const spec = tenant.spec;
  const labels = labelsOf(tenant);
  const account = fluxAccountOf(tenant);
  const gitRepository: IGitRepository & KubeObject = {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name: tenant.name, namespace: FLUX_NAMESPACE, labels },
    spec: {
      interval: "1m",
      url: spec.source.url,
      ref: { branch: spec.source.branch ?? "main" },
      ...(spec.source.secretRef ? { secretRef: { name: spec.source.secretRef } } : {}),
    },
  };
  const kustomization: IKustomization & KubeObject = {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: tenant.name, namespace: FLUX_NAMESPACE, labels },
    spec: {
      // Forced, whatever the tenant's repository says: Flux sets it on every object it applies.
      targetNamespace: tenant.namespace,
      serviceAccountName: account,
      sourceRef: { kind: "GitRepository", name: tenant.name },
      path: spec.source.path ?? "./",
      prune: true,
      interval: spec.interval ?? "5m",
      ...(spec.healthChecks?.length
        ? {
            healthChecks: spec.healthChecks.map((check) => ({
              apiVersion: check.apiVersion,
              kind: check.kind,
              name: check.name,
              namespace: tenant.namespace,
            })),
          }
        : {}),
    },
  };
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: tenant.namespace, labels } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: account, namespace: FLUX_NAMESPACE, labels } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: TENANT_ROLE_BINDING, namespace: tenant.namespace, labels },
      subjects: [{ kind: "ServiceAccount", name: account, namespace: FLUX_NAMESPACE }],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: TENANT_CLUSTER_ROLE },
    },
    gitRepository,
    kustomization,
  ];
}

/** The key a managed secret has in Secrets Manager. */
export function remoteNameOf(tenantName: string, secretName: string): string {
  return `fleetplane/${tenantName}/${secretName}`;
}

/**
 * One ExternalSecret per secret, in the tenant's namespace. A managed secret maps each key of
 * its JSON value to a key of the Kubernetes Secret; `force-sync` carries the current version
 * id, so a rotation changes it and ESO refreshes at once instead of at the next interval.
 */
export function renderExternalSecret(tenant: Pick<TenantRow, "name" | "namespace">, secret: SecretRow): KubeObject {
  const spec = secret.spec;
  const data =
    secret.source === "managed"
      ? secret.keys.map((key) => ({
          secretKey: key,
          remoteRef: {
            key: secret.remoteName ?? remoteNameOf(tenant.name, secret.name),
            property: key,
            // Pinned to the version this row records, so the database (not whichever writer
            // last touched AWSCURRENT) decides what the clusters get.
            ...(secret.versionId ? { version: `uuid/${secret.versionId}` } : {}),
          },
        }))
      : [
          {
            secretKey: spec.remoteRef?.property ?? secret.name,
            remoteRef: {
              key: spec.remoteRef?.key ?? "",
              ...(spec.remoteRef?.property ? { property: spec.remoteRef.property } : {}),
              ...(spec.remoteRef?.version ? { version: spec.remoteRef.version } : {}),
            },
          },
        ];
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: {
      name: secret.name,
      namespace: tenant.namespace,
      labels: { ...labelsOf(tenant), "fleetplane.io/secret": secret.id },
      annotations: { [FORCE_SYNC]: secretMarker(secret) },
    },
    spec: {
      refreshInterval: spec.refreshInterval ?? "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: SECRET_STORE },
      target: {
        name: secret.name,
        creationPolicy: spec.creationPolicy ?? "Owner",
        ...(spec.deletionPolicy ? { deletionPolicy: spec.deletionPolicy } : {}),
      },
      data,
    },
  };
}

export const SEALED_SECRET = { apiVersion: "bitnami.com/v1alpha1", kind: "SealedSecret" } as const;

/**
 * What a SealedSecret was sealed from: the value's version, the scope and the certificate's
 * fingerprint. Sealing again makes new ciphertext every time, so a placement seals only when
 * this changes (a rotation, a new scope, or the controller's new certificate).
 */
export const SEALED_FROM = "fleetplane.io/sealed-from";

export function sealedFrom(secret: Pick<SecretRow, "versionId" | "revision" | "spec">, certificate: string): string {
  return `${secretMarker(secret)};${secret.spec.scope ?? "strict"};${certificate}`;
}

/**
 * A secret delivered as a Bitnami SealedSecret, its values sealed for one cluster's controller
 * (`encryptedData`), in the tenant's namespace. The scope annotations go on the object and its
 * template, as `kubeseal` writes them.
 */
export function renderSealedSecret(
  tenant: Pick<TenantRow, "name" | "namespace">,
  secret: SecretRow,
  sealed?: { encryptedData: Record<string, string>; from: string },
): KubeObject {
  const labels = { ...labelsOf(tenant), "fleetplane.io/secret": secret.id };
  const scope = scopeAnnotations(secret.spec.scope ?? "strict");
  // An empty map is not written: the API server keeps none, and drift would see it missing.
  const annotations = { ...scope, ...(sealed ? { [SEALED_FROM]: sealed.from } : {}) };
  const scoped = Object.keys(scope).length > 0 ? { annotations: scope } : {};
  return {
    ...SEALED_SECRET,
    metadata: {
      name: secret.name,
      namespace: tenant.namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      // Without `sealed`: the object as drift detection compares it, everything but the ciphertext.
      ...(sealed ? { encryptedData: sealed.encryptedData } : {}),
      template: {
        metadata: { name: secret.name, namespace: tenant.namespace, labels, ...scoped },
        type: "Opaque",
      },
    },
  };
}

/** What changes when a secret must be fetched again: its version, or its revision for remote refs. */
export function secretMarker(secret: Pick<SecretRow, "versionId" | "revision">): string {
  return secret.versionId ?? `r${secret.revision}`;
}

/**
 * The ClusterSecretStore every ExternalSecret on the cluster uses: AWS Secrets Manager in the
 * cluster's region, authenticated as ESO's own service account (IRSA on EKS: the account's
 * role annotation decides what it may read). Only ExternalSecrets in tenant namespaces may use
 * it, and the Kyverno lockdown below keeps tenants' own manifests from doing so.
 */
export function renderSecretStore(region: string | undefined): KubeObject {
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ClusterSecretStore",
    metadata: { name: SECRET_STORE, labels: { ...MANAGED_BY } },
    spec: {
      provider: {
        aws: {
          service: "SecretsManager",
          ...(region ? { region } : {}),
          auth: { jwt: { serviceAccountRef: { name: "external-secrets", namespace: "external-secrets" } } },
        },
      },
      conditions: [{ namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: "Exists" }] } }],
    },
  };
}

/**
 * Once per cluster: the ClusterRole tenants are bound to (granted only inside their namespace
 * through the RoleBinding), a Kyverno guardrail on namespaces and Flux's multi-tenancy lockdown as
 * Kyverno ClusterPolicies.
 */
export function renderGuardrails(): KubeObject[] {
  const labels = { ...MANAGED_BY };
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: TENANT_CLUSTER_ROLE, labels },
      // Only ever bound with a RoleBinding in the tenant's namespace, which limits it to there.
      rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
    },
    {
      apiVersion: "kyverno.io/v1",
      kind: "ClusterPolicy",
      metadata: { name: GUARDRAIL_POLICY, labels },
      spec: {
        validationFailureAction: "Enforce",
        background: false,
        rules: [
          {
            name: "check-target-namespace",
            match: {
              any: [
                {
                  resources: {
                    kinds: ["Kustomization"],
                    namespaces: [FLUX_NAMESPACE],
                    selector: { matchLabels: { [TENANT_LABEL]: "?*" } },
                  },
                },
              ],
            },
            validate: {
              message: "Tenant Kustomizations must target their own namespace and impersonate their account",
              // The seed writes `targetNamespace: ""`, which would demand an empty value; the
              // intent (force a namespace) needs "?*": set and non-empty.
              pattern: { spec: { targetNamespace: "?*", serviceAccountName: "?*" } },
            },
          },
        ],
      },
    },
    {
      apiVersion: "kyverno.io/v1",
      kind: "ClusterPolicy",
      metadata: { name: LOCKDOWN_POLICY, labels },
      spec: {
        validationFailureAction: "Enforce",
        background: false,
        rules: [
          {
            name: "serviceAccountName",
            exclude: { any: [{ resources: { namespaces: [FLUX_NAMESPACE] } }] },
            match: { any: [{ resources: { kinds: ["Kustomization", "HelmRelease"] } }] },
            validate: {
              message: ".spec.serviceAccountName is required",
              pattern: { spec: { serviceAccountName: "?*" } },
            },
          },
          {
            name: "kustomizationSourceRefNamespace",
            exclude: { any: [{ resources: { namespaces: [FLUX_NAMESPACE] } }] },
            match: { any: [{ resources: { kinds: ["Kustomization"] } }] },
            preconditions: {
              any: [{ key: "{{request.object.spec.sourceRef.namespace || ''}}", operator: "NotEquals", value: "" }],
            },
            validate: {
              message: "spec.sourceRef.namespace must be the same as metadata.namespace",
              deny: {
                conditions: {
                  any: [
                    {
                      key: "{{request.object.spec.sourceRef.namespace}}",
                      operator: "NotEquals",
                      value: "{{request.object.metadata.namespace}}",
                    },
                  ],
                },
              },
            },
          },
          {
            name: "helmReleaseSourceRefNamespace",
            exclude: { any: [{ resources: { namespaces: [FLUX_NAMESPACE] } }] },
            match: { any: [{ resources: { kinds: ["HelmRelease"] } }] },
            preconditions: {
              any: [
                {
                  key: "{{request.object.spec.chart.spec.sourceRef.namespace || ''}}",
                  operator: "NotEquals",
                  value: "",
                },
              ],
            },
            validate: {
              message: "spec.chart.spec.sourceRef.namespace must be the same as metadata.namespace",
              deny: {
                conditions: {
                  any: [
                    {
                      key: "{{request.object.spec.chart.spec.sourceRef.namespace}}",
                      operator: "NotEquals",
                      value: "{{request.object.metadata.namespace}}",
                    },
                  ],
                },
              },
            },
          },
          {
            // Tenants' own manifests (applied by Flux as their account) may not read through
            // the platform's secret store: only Fleetplane wires tenants' secrets.
            name: "platformSecretStore",
            match: { any: [{ resources: { kinds: ["ExternalSecret"] } }] },
            preconditions: {
              all: [
                {
                  key: "{{request.userInfo.username}}",
                  operator: "Equals",
                  value: `system:serviceaccount:${FLUX_NAMESPACE}:*-flux`,
                },
              ],
            },
            validate: {
              message: `Tenants may not use the ClusterSecretStore ${SECRET_STORE}; ask the platform for a secret`,
              deny: {
                conditions: {
                  any: [
                    { key: "{{request.object.spec.secretStoreRef.name}}", operator: "Equals", value: SECRET_STORE },
                  ],
                },
              },
            },
          },
        ],
      },
    },
  ];
}
