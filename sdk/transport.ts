/**
 * The fetch the generated client runs on: it adds the bearer token, gives every POST an
 * `Idempotency-Key` (kept for all of that call's retries, so a retried create can never create
 * twice), and retries what is safe to retry — 429 and 503 after `Retry-After`, a 409 saying
 * the same key is still in flight, and requests that failed or timed out on the way.
 */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4). */
  attempts?: number;
  /** First backoff when the server names no delay (default 250 ms; doubles per attempt). */
  baseDelayMs?: number;
  /** No single wait is longer than this, whatever `Retry-After` asks (default 30 s). */
  maxDelayMs?: number;
}

export interface TransportOptions {
  token?: string | undefined;
  fetch?: (request: Request) => Promise<Response>;
  retry?: RetryOptions;
  /** Per-attempt timeout; a timed-out attempt is retried (default: none). */
  timeoutMs?: number;
  /** Makes idempotency keys; defaults to random UUIDs. */
  idempotencyKey?: () => string;
  userAgent?: string;
  /** Replaces the timer, so tests and callers can observe the waits. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRY_STATUSES = new Set([429, 503]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function isInFlightConflict(response: Response): Promise<boolean> {
  if (response.status !== 409) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { code?: string } | undefined;
  return body?.code === "idempotency_in_flight";
}

/**
 * Settles as `work` does, or rejects as soon as `signal` aborts. A Request follows the signal it
 * was built with only weakly in Node's fetch (nodejs/undici#3644): after a garbage collection the
 * abort can stop reaching `request.signal`, so a fetch told to time out would wait forever.
 * Listening on our own signal, which the timer keeps alive, cannot be lost that way.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

export function createTransport(options: TransportOptions): (request: Request) => Promise<Response> {
  const doFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const attempts = Math.max(1, options.retry?.attempts ?? 4);
  const baseDelayMs = options.retry?.baseDelayMs ?? 250;
  const maxDelayMs = options.retry?.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  const newKey = options.idempotencyKey ?? (() => crypto.randomUUID());

  return async (original: Request) => {
    const headers = new Headers(original.headers);
    if (options.token && !headers.has("authorization")) headers.set("authorization", `Bearer ${options.token}`);
    if (options.userAgent && !headers.has("user-agent")) headers.set("user-agent", options.userAgent);
    if (original.method === "POST" && !headers.has("idempotency-key")) headers.set("idempotency-key", newKey());
    // The body is read once so that every attempt can send it again.
    const body = original.body === null ? undefined : await original.arrayBuffer();
    const retriable = original.method !== "POST" || headers.has("idempotency-key");

    for (let attempt = 1; ; attempt++) {
      const controller = new AbortController();
      const onAbort = () => controller.abort(original.signal.reason);
      original.signal.addEventListener("abort", onAbort, { once: true });
      const timer = options.timeoutMs ? setTimeout(() => controller.abort("timeout"), options.timeoutMs) : undefined;
      const request = new Request(original.url, {
        method: original.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: controller.signal,
      });
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await untilAborted(doFetch(request), controller.signal);
      } catch (error) {
        failure = error;
      } finally {
        clearTimeout(timer);
      }
      // A caller's own abort is final; only our timeout and network failures are retried.
      if (original.signal.aborted) throw original.signal.reason ?? failure;
      const last = attempt >= attempts || !retriable;
      if (response) {
        const again = RETRY_STATUSES.has(response.status) || (await isInFlightConflict(response));
        // The caller's abort stays linked while it reads the body (a stream is read for minutes).
        if (!again || last) return response;
        original.signal.removeEventListener("abort", onAbort);
        const asked = retryAfterMs(response.headers.get("retry-after"));
        await response.body?.cancel().catch(() => undefined);
        await sleep(Math.min(maxDelayMs, asked ?? baseDelayMs * 2 ** (attempt - 1)));
      } else {
        original.signal.removeEventListener("abort", onAbort);
        if (last) throw failure;
        await sleep(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  };
}
