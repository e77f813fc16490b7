import type { ClusterStatusFields } from "../clusters/spec";
import type { DriftReport } from "./report";

/** Fields that could carry secret material on any object; never sent to a model. */
const SECRET_PATH = /^\.(data|stringData)\b|token|password|secret(?!Ref|StoreRef)/i;

/**
 * The prompt: the drift report (objects, fields, values, managers, the deterministic
 * explanations) and the cluster's conditions. Values of Secret objects or of fields that
 * look like credentials are replaced, so no secret value can leave through it.
 */
export function driftPrompt(
  cluster: { name: string; status: Pick<ClusterStatusFields, "conditions"> },
  report: DriftReport,
): string {
  const items = report.items.map((i) => {
    const hidden = i.kind === "Secret" || (i.path !== null && SECRET_PATH.test(i.path));
    return {
      type: i.type,
      object: `${i.kind} ${i.namespace ? `${i.namespace}/` : ""}${i.name}`,
      owner: i.owner ? `${i.owner.type} ${i.owner.name}` : null,
      field: i.path,
      desired: hidden ? "(redacted)" : i.desired,
      live: hidden ? "(redacted)" : i.live,
      changedBy: i.manager,
      explanation: i.explanation,
    };
  });
  const conditions = cluster.status.conditions.map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message,
  }));
  return [
    `Kubernetes cluster ${cluster.name} managed by Fleetplane (GitOps with Flux) drifted from its desired state.`,
    `Drift state: ${report.state} (${report.message})`,
    `Cluster conditions: ${JSON.stringify(conditions)}`,
    `Drift items: ${JSON.stringify(items, null, 2)}`,
    "Please explain for the on-call engineer, briefly:",
    "1. What changed and why it matters",
    "2. Likely cause (manual kubectl edit? another controller? admission webhook?)",
    "3. Recommended remediation steps",
  ].join("\n");
}
