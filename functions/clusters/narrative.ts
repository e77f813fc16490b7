import type { ClusterStatusFields } from "../../core/clusters/spec";
import type { Deps } from "../../core/context";
import { driftPrompt } from "../../core/drift/narrative";
import type { DriftReport } from "../../core/drift/report";
import { checkOutboundUrl } from "../../core/url-policy";

const TIMEOUT_MS = 20_000;

/**
 * An optional narrative from an LLM (Anthropic Messages API over fetch). Off unless configured;
 * any failure is logged and answers null: the narrative never fails a reconcile.
 */
export async function narrateDrift(
  deps: Deps,
  cluster: { name: string; status: Pick<ClusterStatusFields, "conditions"> },
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
      // A redirect would leave the host the URL policy judged.
      redirect: "error",
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
