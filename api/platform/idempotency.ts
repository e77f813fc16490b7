import type { MiddlewareHandler } from "hono";
import { sha256Hex } from "../../core/crypto";
import { ConflictError, IdempotencyInFlightError, IdempotencyKeyReusedError, ValidationError } from "../../core/errors";
import { claimKey, completeKey, dropExpiredKeys, findKey, forgetKey, retakeKey } from "../../core/idempotency";
import type { AppDeps, AppEnv } from "./env";

/** A key still InFlight after this long belongs to a request whose host died; it may be retried. */
const ABANDONED_MS = 60 * 1000;
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POST: the same key and the same body replay the first
 * response; the same key with another body is 422; while the first is still running, 409.
 * Keys are scoped to the credential, so one caller cannot replay another's responses.
 * Server errors and rate limits are not remembered: retrying those must run again.
 */
export function idempotency(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (c.req.method !== "POST" || key === undefined) return next();
    if (!KEY.test(key)) {
      throw new ValidationError("Idempotency-Key must be 1-255 visible ASCII characters", [
        { location: "header.idempotency-key", message: "invalid" },
      ]);
    }
    const principalId = c.get("principal").tokenId;
    const path = new URL(c.req.url).pathname;
    // Request bodies may carry secret values (tenant secrets), so the stored fingerprint is
    // keyed; only a host without an encryption key falls back to a plain hash.
    const request = `${c.req.method} ${path}\n${await c.req.text()}`;
    const box = await deps.secretBox().catch(() => undefined);
    const requestHash = box ? await box.fingerprint(request) : await sha256Hex(request);
    const now = deps.now();
    const ref = { principalId, key };
    const claimed = await claimKey(deps.store, ref, { method: c.req.method, path, requestHash }, now);

    if (!claimed) {
      const existing = await findKey(deps.store, ref);
      if (!existing) throw new IdempotencyInFlightError("The request with this Idempotency-Key just finished; retry");
      const expired = existing.expiresAt < now;
      const abandoned = existing.state === "InFlight" && existing.createdAt < now - ABANDONED_MS;
      if (expired || abandoned) {
        // Take the key over with a compare-and-set, so two retries cannot both run.
        const taken = await retakeKey(deps.store, ref, existing, { path, requestHash }, now);
        if (!taken) throw new IdempotencyInFlightError("A request with this Idempotency-Key is in progress");
      } else if (existing.requestHash !== requestHash) {
        throw new IdempotencyKeyReusedError(
          "This Idempotency-Key was used with a different request; use a new key for a new request",
        );
      } else if (existing.state === "InFlight") {
        throw new IdempotencyInFlightError("A request with this Idempotency-Key is in progress; retry shortly");
      } else if (existing.responseBody === null) {
        throw new ConflictError(
          "The first request with this Idempotency-Key created a secret that is shown only once; list the resource to find what it created",
        );
      } else {
        const headers = new Headers(existing.responseHeaders ?? {});
        headers.set("idempotent-replayed", "true");
        return new Response(existing.responseBody, { status: existing.responseStatus ?? 200, headers });
      }
    }

    await next();
    const status = c.res.status;
    if (status >= 500 || status === 429 || status === 409) {
      await forgetKey(deps.store, ref);
      return;
    }
    // Responses that carry a secret (marked no-store) are remembered without their body:
    // a secret is never written to the store, not even for replay.
    const body = c.res.headers.get("cache-control")?.includes("no-store") ? null : await c.res.clone().text();
    const headers: Record<string, string> = {};
    c.res.headers.forEach((value, name) => {
      if (name === "content-type" || name === "location" || name === "etag") headers[name] = value;
    });
    await completeKey(deps.store, ref, { status, headers, body });
    // Housekeeping: expired keys are dropped opportunistically instead of by a separate job.
    if (Math.random() < 0.01) await dropExpiredKeys(deps.store, now);
  };
}
