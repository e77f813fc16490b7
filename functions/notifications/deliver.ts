import { eq } from "drizzle-orm";
import { TransientError } from "../../core/errors";
import { DELIVER_NOTIFICATION, severityOf } from "../../core/notifications/fanout";
import { checkReceiverUrl, findProvider, type ProviderCredentials } from "../../core/notifications/verbs";
import { events } from "../../schema";
import type { ClusterFunction } from "../types";

const TIMEOUT_MS = 10_000;
const encoder = new TextEncoder();

/** `sha256=<hex>` of the HMAC-SHA256 of the exact body bytes under the provider's secret. */
export async function signBody(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * deliverNotification: sends one event to one provider. Any failure to deliver (the receiver
 * down, a 5xx, a refusal) is transient: the job retries with backoff, so a receiver that is
 * down for a while still gets every alert. The receiver URL passes the URL policy again at
 * send time.
 */
export const deliverNotification: ClusterFunction = {
  kind: DELIVER_NOTIFICATION,
  async run(job, deps) {
    const provider = await findProvider(deps, job.resourceId);
    if (!provider) return { outcome: "done", message: "the provider was deleted" };
    const [event] = await deps.store
      .select()
      .from(events)
      .where(eq(events.id, String(job.payload.eventId)))
      .limit(1);
    if (!event) return { outcome: "done", message: "the event is gone" };
    const credentials: ProviderCredentials = provider.credentials
      ? JSON.parse(await (await deps.secretBox()).open(provider.credentials, provider.id))
      : {};
    const url = provider.type === "slack" ? (credentials.url ?? "") : String(provider.spec.url);
    checkReceiverUrl(deps, provider.type, url, "provider.url");
    const severity = severityOf(event);
    const body =
      provider.type === "slack"
        ? JSON.stringify({
            text: `[${severity}] ${event.reason}: ${event.resourceType} ${event.resourceName ?? event.resourceId}: ${event.message}`,
          })
        : JSON.stringify({
            rule: job.payload.rule,
            severity,
            event: {
              id: event.id,
              at: new Date(event.at).toISOString(),
              type: event.type,
              reason: event.reason,
              resourceType: event.resourceType,
              resourceId: event.resourceId,
              resourceName: event.resourceName,
              message: event.message,
              diff: event.diff,
            },
          });
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "fleetplane-notifications",
      "x-fleetplane-event": event.id,
    };
    if (credentials.signingSecret) headers["x-fleetplane-signature"] = await signBody(credentials.signingSecret, body);
    // The name passed the policy when the provider was written; what it resolves to now must too.
    await deps.outbound?.(url);
    let status: number;
    try {
      // A redirect is not followed: it could lead where the policy never looked.
      const response = await fetch(url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      throw new TransientError(
        "ReceiverUnreachable",
        `provider ${provider.name}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (status < 200 || status >= 300) {
      throw new TransientError("ReceiverRejected", `provider ${provider.name} answered ${status}`);
    }
    return { outcome: "done", message: `delivered to ${provider.name} (${status})` };
  },
};
