/**
 * Every kind of resource Fleetplane names in events, jobs, drift owners, rollouts and problem
 * details: one closed vocabulary, so a kind is spelled once and a new one is added here.
 */
export const RESOURCE_KINDS = [
  "Cluster",
  "ClusterClass",
  "Environment",
  "Tenant",
  "Secret",
  "Application",
  "Rollout",
  "Addon",
  "NotificationProvider",
  "AlertRule",
  "Token",
  "Job",
] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const CLUSTER_KIND = "Cluster" satisfies ResourceKind;
export const CLUSTER_CLASS_KIND = "ClusterClass" satisfies ResourceKind;
export const ENVIRONMENT_KIND = "Environment" satisfies ResourceKind;
export const TENANT_KIND = "Tenant" satisfies ResourceKind;
export const SECRET_KIND = "Secret" satisfies ResourceKind;
export const APPLICATION_KIND = "Application" satisfies ResourceKind;
export const ROLLOUT_KIND = "Rollout" satisfies ResourceKind;
export const ADDON_KIND = "Addon" satisfies ResourceKind;
export const PROVIDER_KIND = "NotificationProvider" satisfies ResourceKind;
export const ALERT_RULE_KIND = "AlertRule" satisfies ResourceKind;
export const TOKEN_KIND = "Token" satisfies ResourceKind;
export const JOB_KIND = "Job" satisfies ResourceKind;
