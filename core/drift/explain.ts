import type { DriftCause, Explanation, FieldManager } from "./compare";
import type { DriftPolicyValue } from "./spec";

/** Field managers kubectl uses: an edit a person made by hand. */
const KUBECTL = /^kubectl(-(edit|client-side-apply|patch|replace|set|scale|label|annotate|create|apply))?$/;
/** Managers of admission webhooks and policy engines that mutate objects on the way in. */
const ADMISSION = /(webhook|admission|mutat|kyverno|gatekeeper|sidecar-injector)/i;

export function causeOfManager(manager: string): DriftCause {
  if (KUBECTL.test(manager)) return "ManualEdit";
  if (ADMISSION.test(manager)) return "AdmissionMutation";
  return "OwnerConflict";
}

interface Subject {
  kind: string;
  namespace: string | null;
  name: string;
  owner: { type: string; name: string } | null;
  policy: DriftPolicyValue;
}

const where = (s: Subject) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ""}${s.name}`;
const ownerText = (s: Subject) => (s.owner ? `${s.owner.type} ${s.owner.name}` : "its owner");
const show = (value: unknown) => (value === undefined || value === null ? "(absent)" : JSON.stringify(value));

function repair(s: Subject, what: string): string {
  return s.policy === "remediate"
    ? `${ownerText(s)} has driftPolicy remediate: Fleetplane re-applies ${what} (server-side apply, forced) and the next reconcile confirms it.`
    : `${ownerText(s)} has driftPolicy report: set driftPolicy to remediate on it (or fix it by hand) to restore ${what}; if the change is wanted, make it in Fleetplane instead.`;
}

/** The deterministic explanation of a changed field. */
export function explainModified(
  s: Subject,
  change: { path: string; desired: unknown; live: unknown; manager: FieldManager | null },
): Explanation {
  const manager = change.manager?.name ?? "an unknown writer";
  const when = change.manager?.time ? ` at ${change.manager.time}` : "";
  const op = change.manager ? ` (${change.manager.operation})` : "";
  const summary = `${change.path} of ${where(s)} is ${show(change.live)} instead of ${show(change.desired)}; changed by ${manager}${op}${when}.`;
  const cause = change.manager ? causeOfManager(change.manager.name) : "OwnerConflict";
  const meaning = {
    ManualEdit: `${manager} is kubectl: someone edited the object by hand on the cluster, outside Git and Fleetplane.`,
    AdmissionMutation: `${manager} looks like an admission webhook or policy engine: it mutated the object as it was written.`,
    OwnerConflict: `${manager} is another controller writing the same field: two owners disagree and will keep overwriting each other.`,
  }[cause as "ManualEdit" | "AdmissionMutation" | "OwnerConflict"];
  const extra =
    cause === "OwnerConflict"
      ? ` Stop ${manager} from managing ${change.path}, or remove the field from what Fleetplane applies.`
      : cause === "AdmissionMutation"
        ? ` Exclude the object from the mutating policy, or make Fleetplane's value match it.`
        : "";
  return { cause, summary, meaning, remediation: `${repair(s, change.path)}${extra}` };
}

export function explainMissing(s: Subject): Explanation {
  return {
    cause: "Deleted",
    summary: `${where(s)} is missing from the cluster.`,
    meaning: "Someone or something deleted it after Fleetplane applied it (or its namespace was deleted).",
    remediation: repair(s, "the object"),
  };
}

export function explainPruneCandidate(s: Omit<Subject, "policy">): Explanation {
  const subject = { ...s, policy: "report" as const };
  return {
    cause: "NoLongerWanted",
    summary: `${where(subject)} carries app.kubernetes.io/managed-by=fleetplane but Fleetplane no longer wants it.`,
    meaning:
      "What created it was deleted or changed while the cluster could not be cleaned up, or someone copied the label.",
    remediation: `Delete it from the cluster if nothing needs it (kubectl delete ${s.kind.toLowerCase()} ${s.namespace ? `-n ${s.namespace} ` : ""}${s.name}).`,
  };
}

export function explainUnreachable(clusterName: string, reason: string, message: string): Explanation {
  return {
    cause: "Unreachable",
    summary: `Cluster ${clusterName} could not be read: ${reason}.`,
    meaning: message,
    remediation:
      "Check the cluster's API server, network path and credentials (PATCH the cluster's connection); drift is unknown until it answers.",
  };
}
