import type { Condition } from "../conditions";
import type { Deps } from "../context";
import { checkOutboundUrl } from "../url-policy";
import type { DriftReport } from "./report";

const TIMEOUT_MS = 20_000;

/** Fields that could carry secret material on any object; never sent to a model. */
const SECRET_PATH = /^\.(data|stringData)\b|token|password|secret(?!Ref|StoreRef)/i;

/**
 * The prompt: the drift report (objects, fields, values, managers, the deterministic
 * explanations) and the cluster's conditions. Values of Secret objects or of fields that
 * look like credentials are replaced, so no secret value can leave through it.
 */
export function driftPrompt(cluster: { name: string; status: Record<string, unknown> }, report: DriftReport): string {
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
  const conditions = ((cluster.status.conditions as Condition[] | undefined) ?? []).map((c) => ({
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

/**
 * An optional narrative from an LLM (Anthropic Messages API over fetch). Off unless configured;
 * any failure is logged and answers null: the narrative never fails a reconcile.
 */
export async function narrateDrift(
  deps: Deps,
  cluster: { name: string; status: Record<string, unknown> },
  report: DriftReport,
): Promise<string | null> {
  const llm = deps.config.llm;
  if (!llm) return null;
  try {
    // The endpoint is configuration, but it still passes the outbound URL policy.
    const url = checkOutboundUrl(llm.url, {
      purpose: "llm",
      allow: deps.config.urlAllow,
      location: "FLEET_LLM_URL",
      schemes: ["https:", "http:"],
    });
    if (url.protocol === "http:" && !deps.config.urlAllow.includes(url.hostname)) {
      throw new Error("FLEET_LLM_URL must be https unless its host is in FLEET_URL_ALLOW");
    }
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": llm.apiKey,
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({
        model: llm.model,
        max_tokens: 1024,
        messages: [{ role: "user", content: driftPrompt(cluster, report) }],
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`the model endpoint answered ${response.status}`);
    const body = (await response.json()) as { content?: { type: string; text?: string }[] };
    const text = (body.content ?? [])
      .filter((c) => c.type === "text" && c.text)
      .map((c) => c.text)
      .join("\n")
      .trim();
    return text || null;
  } catch (error) {
    deps.log.warn("drift narrative failed; the report stands without it", {
      cluster: cluster.name,
      error: error instanceof Error ? error.message : String(error),
    });
    return null;
  }
}
