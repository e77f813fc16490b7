import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import {
  InvalidJsonError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../../core/errors";
import { newId } from "../../core/ids";
import { authenticate } from "../../core/tokens/verbs";
import type { AppDeps, AppEnv } from "./env";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Adopts a caller's X-Request-Id when it is sane, otherwise mints one; echoes it back. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : newId("req");
    c.set("requestId", id);
    await next();
    c.res.headers.set("x-request-id", id);
  };
}

export function observeRequests(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // The matched route pattern, not the raw path, keeps the label set bounded.
    const route = routePath(c) === "/*" ? "unmatched" : routePath(c);
    deps.metrics.observeRequest(c.req.method, route, c.res.status, (performance.now() - started) / 1000);
  };
}

export function requireBearer(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
    if (!match) throw new UnauthorizedError("Send Authorization: Bearer <token>");
    const principal = await authenticate(deps, match[1] as string);
    if (!principal) throw new UnauthorizedError("The bearer token is not valid (unknown, revoked or expired)");
    c.set("principal", principal);
    c.set("ctx", { ...deps, principal, requestId: c.get("requestId") });
    await next();
  };
}

/**
 * Token bucket per credential, in memory: on Workers each isolate keeps its own buckets, which
 * bounds bursts per isolate rather than globally; that is the trade for not paying a store
 * round trip on every request.
 */
export function rateLimit(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = deps.config.rateLimitPerSecond;
  const burst = deps.config.rateLimitBurst;
  return async (c, next) => {
    if (rate <= 0) return next();
    const key = c.get("principal").tokenId;
    const now = deps.now();
    const bucket = buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) {
      buckets.set(key, bucket);
      throw new RateLimitedError(Math.max(1, Math.ceil((1 - bucket.tokens) / rate)));
    }
    bucket.tokens -= 1;
    buckets.set(key, bucket);
    if (buckets.size > 10_000) buckets.clear();
    return next();
  };
}

/**
 * Writes carry JSON: the body is size-capped (413, checked on the bytes actually read, not
 * only on Content-Length), must be declared as JSON (415) and must parse (400). The parsed
 * text stays cached on the request for the route validators.
 */
export function jsonBody(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    if (method !== "POST" && method !== "PUT" && method !== "PATCH") return next();
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > deps.config.maxBodyBytes) {
      throw new PayloadTooLargeError(`The request body is larger than ${deps.config.maxBodyBytes} bytes`);
    }
    const text = await c.req.text();
    if (new TextEncoder().encode(text).length > deps.config.maxBodyBytes) {
      throw new PayloadTooLargeError(`The request body is larger than ${deps.config.maxBodyBytes} bytes`);
    }
    if (text.length === 0) return next();
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!/^application\/([a-z.-]+\+)?json$/.test(type)) {
      throw new UnsupportedMediaTypeError(
        "Send the body as application/json (or application/merge-patch+json for PATCH)",
      );
    }
    try {
      JSON.parse(text);
    } catch (error) {
      throw new InvalidJsonError(`The request body is not valid JSON: ${(error as Error).message}`);
    }
    return next();
  };
}

/**
 * `If-Match: "7"` → 7; absent or `*` → undefined. A weak tag never matches (RFC 9110 uses
 * strong comparison for If-Match), so it becomes a revision no resource has.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "*") return undefined;
  const match = /^\s*"(\d{1,15})"\s*$/.exec(header);
  if (match) return Number(match[1]);
  if (/^\s*W\/"/.test(header)) return -1;
  throw new ValidationError('If-Match must be an entity tag such as "3"', [
    { location: "header.if-match", message: "not an entity tag" },
  ]);
}
