import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import {
  DomainError,
  type FieldError,
  RateLimitedError,
  TransientError,
  UNPROCESSABLE_CODES,
  UnprocessableError,
} from "../../core/errors";

/**
 * RFC 9457 problem details. Every error the API answers goes through `problemResponse`, so
 * the shape, the stable `code`, the `requestId` and the status mapping live in one place.
 */
export const STATUS_BY_CODE: Record<string, number> = {
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  not_offered: 404,
  already_exists: 409,
  conflict: 409,
  idempotency_in_flight: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upgrade_required: 426,
  idempotency_key_reused: 422,
  not_supported: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  408: "Request Timeout",
  415: "Unsupported Media Type",
  431: "Request Header Fields Too Large",
  426: "Upgrade Required",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  instance?: string;
  errors?: FieldError[];
}

/** The problem document itself, for the app and for what the HTTP server answers before it. */
export function problemOf(
  status: number,
  code: string,
  detail: string,
  at: { requestId: string; instance?: string | undefined },
  errors?: FieldError[],
): Problem {
  return {
    type: `https://fleetplane.dev/problems/${code.replaceAll("_", "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    code,
    requestId: at.requestId,
    ...(at.instance !== undefined ? { instance: at.instance } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}

export function problemResponse(
  c: Context,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
  headers: Record<string, string> = {},
): Response {
  const body = problemOf(
    status,
    code,
    detail,
    { requestId: (c.get("requestId") as string | undefined) ?? "", instance: new URL(c.req.url).pathname },
    errors,
  );
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

/**
 * A code's status is looked up, never guessed: semantic refusals are 422 by their closed set,
 * a transient failure of something we depend on is 503, and any other code is a bug (500),
 * not a refusal the client could fix.
 */
export function statusOf(error: DomainError): number {
  const known = STATUS_BY_CODE[error.code];
  if (known !== undefined) return known;
  if (error instanceof UnprocessableError && (UNPROCESSABLE_CODES as readonly string[]).includes(error.code)) {
    return 422;
  }
  if (error instanceof TransientError) return 503;
  return 500;
}

/** The app's onError: domain errors map to their status; anything unexpected is a bare 500. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (error instanceof RateLimitedError) headers["retry-after"] = String(error.retryAfterSeconds);
    if (error.code === "unauthorized") headers["www-authenticate"] = 'Bearer realm="fleetplane"';
    const status = statusOf(error);
    if (status === 500) {
      const log = c.get("log") as { error(m: string, f?: Record<string, unknown>): void } | undefined;
      log?.error("a domain error without a status", { requestId: c.get("requestId"), code: error.code });
    }
    return problemResponse(c, status, error.code, error.message, error.errors, headers);
  }
  if (error instanceof HTTPException) {
    if (error.status === 400) return problemResponse(c, 400, "invalid_json", "The request body is not valid JSON");
    if (error.status === 413) return problemResponse(c, 413, "payload_too_large", "The request body is too large");
    return problemResponse(c, error.status, "http_error", error.message || "Request failed");
  }
  const log = c.get("log") as { error(m: string, f?: Record<string, unknown>): void } | undefined;
  log?.error("unhandled error", { requestId: c.get("requestId"), error: error.stack ?? String(error) });
  return problemResponse(c, 500, "internal", "Something went wrong on our side; the request id helps us find it");
}
