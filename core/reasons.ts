/**
 * The reasons Fleetplane writes on conditions and events: closed sets that dashboards, alerts
 * and scripts switch on. A new reason is added here first, so a misspelt one is a type error
 * instead of a state nobody matches. The wire keeps `reason` a string: clients must tolerate
 * reasons newer than they are.
 */

import type { ErrorCode } from "./errors";

/** The schema description of a reason field: the documented set, and that it is open. */
export function reasonsDescription(reasons: readonly string[]): string {
  return `Why, in one word. Known values: ${reasons.join(", ")}; or a problem code (see the problem types), or the outside system's own reason (AWS, Flux, Cluster API). Tolerate values not listed here.`;
}

/** Reasons of the conditions on a cluster's status (and the tenants and secrets placed on it). */
export const CONDITION_REASONS = [
  // Ready / Stalled
  "Pending",
  "Connecting",
  "WaitingForAgent",
  "AgentHeartbeat",
  "Connected",
  "Retrying",
  "Provisioning",
  "Provisioned",
  "Deleting",
  "AddonsReady",
  // AddonsReady (or the reason of the add-on that holds it back)
  "Installing",
  "Upgrading",
  // Reconciling
  "Progressing",
  "Scaling",
  "UpgradeComplete",
  "ScaleComplete",
  "ControlPlaneUpgradePending",
  "MachineDeploymentsUpgradePending",
  // EKS control plane, as EKS names its states
  "CREATING",
  "ACTIVE",
  "UPDATING",
  "DELETING",
  "FAILED",
  "PENDING",
  // FluxReady / Drifted
  "WaitingForAddon",
  "NoDrift",
  "PruneCandidates",
  "OutOfSync",
  "Modified",
  "Unknown",
  "Ready",
] as const;
export type ConditionReason = (typeof CONDITION_REASONS)[number] | AddonReason | ErrorCode;

/** Reasons on an add-on's status: why it is in its phase. */
export const ADDON_REASONS = [
  "Available",
  "CRDNotEstablished",
  "WaitingForCRDs",
  "WaitingForControllers",
  "InstalledByFluxAddon",
  "WaitingForFluxAddon",
  "FluxAddonNotReady",
  "Adopted",
  "BundleTooLarge",
  "BundleURLNotAllowed",
  "BundleUnavailable",
  "BundleUnreachable",
  "BundleDigestMismatch",
  "InvalidBundle",
  "NoBundleSource",
] as const;
export type AddonReason = (typeof ADDON_REASONS)[number] | ErrorCode;

/** Reasons of the events in the audit log (`GET /v1/events?reason=`). */
export const EVENT_REASONS = [
  // any resource's spec
  "Created",
  "Updated",
  "Deleted",
  "DeletionRequested",
  // clusters
  "Registered",
  "AgentJoined",
  "AgentSilent",
  "AgentReconnected",
  "Connected",
  "Provisioned",
  "UpgradeComplete",
  "ScaleComplete",
  "ReconcileRequested",
  "ClusterUnreachable",
  "ClusterReachable",
  "AddonReady",
  "AddonDegraded",
  "AddonFailed",
  "AddonRemoved",
  // drift
  "NoDrift",
  "DriftDetected",
  "DriftResolved",
  "Remediated",
  "DriftRepaired",
  "NeverReconciled",
  // tenants and their secrets
  "Onboarded",
  "OffboardingRequested",
  "Offboarded",
  "Removed",
  // a tenant's placement on a cluster, named by the state it reached
  "Ready",
  "NotReady",
  "WaitApplied",
  "ErrApplied",
  "OutOfSync",
  "Modified",
  "TokenCreated",
  "SecretCreated",
  "SecretUpdated",
  "SecretRotated",
  "SecretResealed",
  "SecretDeletionRequested",
  "SecretDeleted",
  // tokens
  "Revoked",
  // rollouts
  "RolloutStarted",
  "RollbackStarted",
  "RolloutPause",
  "RolloutResume",
  "RolloutAbort",
  "RolloutApprove",
  "RolloutRollback",
  "RolloutRolledBack",
  "ClusterFailed",
  "ClusterTimedOut",
  "FailureBudgetExceeded",
  "AnalysisFailed",
  "RolloutProgressing",
  "RolloutSucceeded",
  "WaitingApproval",
  "WaveStarted",
  "WaveApplied",
  "AnalysisCheckFailed",
  "WaveSucceeded",
  // jobs
  "JobRetried",
  "JobFailed",
  "DeadLettered",
] as const;
export type EventReason = (typeof EVENT_REASONS)[number] | ErrorCode;
