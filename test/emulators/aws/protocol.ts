/**
 * Wire-format plumbing shared by the emulated services.
 *
 * AWS speaks three protocols that matter to Fleetplane, and they disagree on
 * almost everything — status codes, where the error type lives, content types:
 *
 * - `restJson1` (EKS): the operation is the HTTP method + path; errors carry
 *   their type in the `x-amzn-ErrorType` header and the HTTP status comes from
 *   the error's `@httpError` trait in the model (404 for ResourceNotFound, 409
 *   for ResourceInUse, 429 for Throttling, ...).
 * - `awsJson1_1` (Secrets Manager): everything is `POST /` with
 *   `X-Amz-Target: secretsmanager.<Operation>`; errors are HTTP 400 (500 for
 *   server faults) with the type in the body's `__type`.
 * - `awsQuery` (STS): form-encoded `Action=...&Version=...` parameters, XML
 *   responses, errors as `<ErrorResponse><Error><Type/><Code/><Message/>`.
 *
 * Handlers throw {@link AwsError}; each service renders it in its own protocol.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export type ServiceName = "eks" | "secretsmanager" | "sts";

/**
 * A modelled AWS error. `status` is what the service really answers with for
 * this code under its protocol; `fields` are extra members of the error shape
 * (EKS errors echo `clusterName`/`nodegroupName`, for example).
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** awsQuery distinguishes caller mistakes (Sender) from service faults (Receiver). */
  get faultType(): "Sender" | "Receiver" {
    return this.status >= 500 ? "Receiver" : "Sender";
  }
}

/** One inbound HTTP request, fully buffered, as every handler sees it. */
export interface WireRequest {
  method: string;
  /** Path exactly as sent (still percent-encoded) — SigV4 signs this form. */
  rawPath: string;
  /** Query string exactly as sent, without the leading `?`. */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
  /** Arrival time (ms since epoch); handlers use it instead of Date.now() so one request sees one instant. */
  now: number;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Case-insensitive single header read (Node lowercases names; repeated headers arrive joined). */
export function header(req: WireRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : value;
}

// ---------------------------------------------------------------------------
// restJson1 (EKS)
// ---------------------------------------------------------------------------

export function restJson(body: unknown, status = 200): WireResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

export function restJsonError(err: AwsError): WireResponse {
  return {
    status: err.status,
    headers: {
      "content-type": "application/json",
      // The SDK reads the error type from this header first (loadRestJsonErrorCode).
      "x-amzn-errortype": err.code,
    },
    body: JSON.stringify({ ...err.fields, message: err.message }),
  };
}

// ---------------------------------------------------------------------------
// awsJson1_1 (Secrets Manager)
// ---------------------------------------------------------------------------

const AWS_JSON_1_1 = "application/x-amz-json-1.1";

export function awsJson(body: unknown): WireResponse {
  return { status: 200, headers: { "content-type": AWS_JSON_1_1 }, body: JSON.stringify(body) };
}

export function awsJsonError(err: AwsError): WireResponse {
  return {
    status: err.status,
    headers: { "content-type": AWS_JSON_1_1 },
    // Secrets Manager's error shapes model the message as `Message` (capital M).
    body: JSON.stringify({ __type: err.code, Message: err.message, ...err.fields }),
  };
}

// ---------------------------------------------------------------------------
// awsQuery (STS)
// ---------------------------------------------------------------------------

export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

export const newRequestId = (): string => randomUUID();

/** Smithy's default timestamp format for both JSON protocols: fractional epoch seconds. */
export const epochSeconds = (ms: number): number => ms / 1000;

export const randomHex = (length: number): string =>
  randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Parses a JSON request body. An empty body is `{}`: the SDK sends that for
 * operations whose input has no body members, and some clients send nothing.
 */
export function parseJsonObject(body: Buffer, invalid: (message: string) => AwsError): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw invalid("Unable to parse the request body as JSON.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw invalid("The request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

/**
 * Offset-based pagination behind an opaque token, which is what every AWS
 * list API looks like from the outside. The token is base64url so that
 * callers can't be tempted to construct it.
 */
export function paginate<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  invalidToken: () => AwsError,
): { page: T[]; nextToken?: string } {
  let offset = 0;
  if (nextToken !== undefined && nextToken !== "") {
    const decoded = Buffer.from(nextToken, "base64url").toString("utf8");
    const match = /^offset:(\d+)$/.exec(decoded);
    if (!match) throw invalidToken();
    offset = Number(match[1]);
    if (offset > items.length) throw invalidToken();
  }
  const limit = maxResults ?? items.length;
  const page = items.slice(offset, offset + limit);
  const next = offset + page.length;
  return next < items.length ? { page, nextToken: Buffer.from(`offset:${next}`).toString("base64url") } : { page };
}

// Light-weight input readers: the SDK validates types client-side, but the
// emulator also serves hand-written HTTP, so it must not trust shapes blindly.

export function optString(
  input: Record<string, unknown>,
  key: string,
  bad: (m: string) => AwsError,
): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw bad(`${key} must be a string.`);
  return value;
}

export function reqString(input: Record<string, unknown>, key: string, bad: (m: string) => AwsError): string {
  const value = optString(input, key, bad);
  if (value === undefined || value === "") throw bad(`${key} is required.`);
  return value;
}

export function optStringList(
  input: Record<string, unknown>,
  key: string,
  bad: (m: string) => AwsError,
): string[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw bad(`${key} must be a list of strings.`);
  }
  return value as string[];
}

export function optStringMap(
  input: Record<string, unknown>,
  key: string,
  bad: (m: string) => AwsError,
): Record<string, string> | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw bad(`${key} must be a map of strings.`);
  }
  return { ...(value as Record<string, string>) };
}

export function optObject(
  input: Record<string, unknown>,
  key: string,
  bad: (m: string) => AwsError,
): Record<string, unknown> | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw bad(`${key} must be an object.`);
  return value as Record<string, unknown>;
}

export function optInteger(
  input: Record<string, unknown>,
  key: string,
  bad: (m: string) => AwsError,
): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw bad(`${key} must be an integer.`);
  return value;
}

export function optBoolean(
  input: Record<string, unknown>,
  key: string,
  bad: (m: string) => AwsError,
): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw bad(`${key} must be a boolean.`);
  return value;
}
