import type { RequestContext, ResponseContext } from "@kubernetes/client-node";

/** Statuses an API server (or a proxy in front of it) answers when trying again may work. */
const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const ATTEMPTS = 3;

/**
 * Retries one API call a couple of times, quickly, when the server answered a retryable status
 * or the connection failed. A function makes dozens of calls per run (discovery, one apply per
 * object); without this, a few percent of failing calls make almost every run fail and the
 * job's own backoff repeats the whole run. Every call Fleetplane makes is safe to repeat: reads,
 * server-side apply, and deletes (a repeated delete answers 404, which callers accept).
 */
export function retrying(
  send: (request: RequestContext) => Promise<ResponseContext>,
): (request: RequestContext) => Promise<ResponseContext> {
  return async (request) => {
    for (let attempt = 1; ; attempt++) {
      const aborted = () => request.getSignal()?.aborted === true;
      try {
        const response = await send(request);
        if (attempt >= ATTEMPTS || aborted() || !RETRYABLE.has(response.httpStatusCode)) return response;
      } catch (error) {
        if (attempt >= ATTEMPTS || aborted()) throw error;
      }
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * (0.5 + Math.random() / 2)));
    }
  };
}
