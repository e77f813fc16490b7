/**
 * AWS Signature Version 4, server side — plus the one client-side piece the
 * emulator's users need (presigning an EKS bearer token).
 *
 * Why verify signatures at all in an emulator? Because "the control plane
 * signs its requests with the credentials it was configured with" is a real
 * property worth testing, and a wrong region/service in the credential scope
 * is a classic misconfiguration that only a real verifier catches. The rules:
 *
 * - a request signed with an access key the emulator knows (see
 *   `AwsEmulatorOptions.credentials`) must carry a correct signature;
 * - a request signed with an unknown key is checked structurally only (any
 *   key works, like LocalStack), so ad-hoc credentials in tests keep working;
 * - an unsigned request is refused, as AWS does.
 *
 * The canonicalisation mirrors `@smithy/signature-v4` (which is what the SDK
 * uses), including its double-encoding of the path for non-S3 services.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";

/** AWS accepts a request whose X-Amz-Date is within this much of its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** SigV4 presigned URLs may not outlive a week. */
const MAX_PRESIGN_EXPIRES_SECONDS = 7 * 24 * 60 * 60;

const MISMATCH_MESSAGE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

export interface SignedRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SigV4Identity {
  accessKeyId: string;
  region: string;
  service: string;
  signedHeaders: string[];
  /** True when the signature was recomputed with a known secret and matched. */
  verified: boolean;
  presigned: boolean;
}

/**
 * Why a request was refused. Each service maps the kind to its own error code
 * (EKS says InvalidSignatureException where STS says SignatureDoesNotMatch).
 */
export type SigV4FailureKind = "missing" | "incomplete" | "mismatch" | "expired";

export interface SigV4Failure {
  ok: false;
  kind: SigV4FailureKind;
  message: string;
}

export type SigV4Result = { ok: true; identity: SigV4Identity } | SigV4Failure;

export interface VerifyOptions {
  /** Signing name the credential scope must name: "eks", "secretsmanager", "sts". */
  service: string;
  secretFor: (accessKeyId: string) => string | undefined;
  now: number;
  /**
   * STS ignores X-Amz-Expires on presigned GetCallerIdentity URLs and instead
   * honours them for 15 minutes after X-Amz-Date. aws-iam-authenticator relies
   * on this: it presigns with X-Amz-Expires=60 but tokens are used for up to
   * 15 minutes. Honour that quirk, or real EKS tokens would stop working here.
   */
  presignValidity: "x-amz-expires" | "sts-fixed-15-minutes";
}

// ---------------------------------------------------------------------------
// Canonicalisation
// ---------------------------------------------------------------------------

/** RFC 3986 encoding as SigV4 defines it (encodeURIComponent leaves !'()* alone). */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data, "utf8").digest();

/**
 * The path the client sent is already URI-encoded; for every service but S3
 * SigV4 normalises it and encodes it *again* (so `%2F` becomes `%252F`).
 */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith("/") ? "/" : "";
  const normalized = `${rawPath.startsWith("/") ? "/" : ""}${segments.join("/")}${trailing}`;
  return escapeUri(normalized).replace(/%2F/g, "/");
}

/** Query parameters as decoded [key, value] pairs, preserving repeats and order. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (rawQuery === "") return pairs;
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? "" : part.slice(eq + 1);
    pairs.push([safeDecode(rawKey), safeDecode(rawValue)]);
  }
  return pairs;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

export function canonicalQuery(pairs: ReadonlyArray<readonly [string, string]>, omitKey?: string): string {
  return pairs
    .filter(([key]) => key !== omitKey)
    .map(([key, value]) => [escapeUri(key), escapeUri(value)] as const)
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}

const canonicalHeaderValue = (value: string): string =>
  value
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function stringToSign(longDate: string, scope: string, canonicalRequest: string): string {
  return `${SIGV4_ALGORITHM}\n${longDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

function signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  let key = hmac(`AWS4${secret}`, shortDate);
  key = hmac(key, region);
  key = hmac(key, service);
  return hmac(key, "aws4_request");
}

const LONG_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseLongDate(value: string): number | undefined {
  const m = LONG_DATE.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
}

export function formatLongDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

interface SignatureParts {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  longDate: string;
  presigned: boolean;
  expiresSeconds?: number;
}

const fail = (kind: SigV4FailureKind, message: string): SigV4Failure => ({ ok: false, kind, message });

/** Verifies a header-signed or presigned (query-signed) SigV4 request. */
export function verifySigV4(req: SignedRequest, opts: VerifyOptions): SigV4Result {
  const query = parseQuery(req.rawQuery);
  const parsed = query.some(([k]) => k === "X-Amz-Algorithm") ? parsePresigned(query) : parseAuthorizationHeader(req);
  if ("kind" in parsed) return parsed;

  if (parsed.service !== opts.service) {
    return fail("mismatch", `Credential should be scoped to correct service: '${opts.service}'.`);
  }
  if (!parsed.signedHeaders.includes("host")) {
    return fail("incomplete", "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const timeProblem = checkTime(parsed, opts);
  if (timeProblem) return timeProblem;

  // Every header the client claims to have signed must actually be here;
  // otherwise nothing downstream (e.g. x-k8s-aws-id) can be trusted.
  const canonicalHeaders: string[] = [];
  for (const name of parsed.signedHeaders) {
    const value = headerValue(req.headers, name);
    if (value === undefined) return fail("mismatch", MISMATCH_MESSAGE);
    canonicalHeaders.push(`${name}:${canonicalHeaderValue(value)}`);
  }

  const secret = opts.secretFor(parsed.accessKeyId);
  const identity: SigV4Identity = {
    accessKeyId: parsed.accessKeyId,
    region: parsed.region,
    service: parsed.service,
    signedHeaders: parsed.signedHeaders,
    verified: false,
    presigned: parsed.presigned,
  };
  if (secret === undefined) return { ok: true, identity };

  const actualPayloadHash = sha256Hex(req.body);
  const declaredPayloadHash = headerValue(req.headers, "x-amz-content-sha256");
  if (declaredPayloadHash !== undefined && declaredPayloadHash !== "UNSIGNED-PAYLOAD") {
    if (declaredPayloadHash !== actualPayloadHash) return fail("mismatch", MISMATCH_MESSAGE);
  }
  const canonicalRequest = [
    req.method,
    canonicalPath(req.rawPath),
    canonicalQuery(query, parsed.presigned ? "X-Amz-Signature" : undefined),
    `${canonicalHeaders.join("\n")}\n`,
    parsed.signedHeaders.join(";"),
    declaredPayloadHash ?? actualPayloadHash,
  ].join("\n");
  const scope = `${parsed.shortDate}/${parsed.region}/${parsed.service}/aws4_request`;
  const expected = createHmac("sha256", signingKey(secret, parsed.shortDate, parsed.region, parsed.service))
    .update(stringToSign(parsed.longDate, scope, canonicalRequest), "utf8")
    .digest();
  const provided = Buffer.from(parsed.signature, "hex");
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    return fail("mismatch", MISMATCH_MESSAGE);
  }
  return { ok: true, identity: { ...identity, verified: true } };
}

function parseCredential(
  credential: string,
): Omit<SignatureParts, "signedHeaders" | "signature" | "longDate" | "presigned"> | undefined {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") return undefined;
  const [accessKeyId, shortDate, region, service] = parts as [string, string, string, string, string];
  if (!accessKeyId || !/^\d{8}$/.test(shortDate) || !region || !service) return undefined;
  return { accessKeyId, shortDate, region, service };
}

function parseAuthorizationHeader(req: SignedRequest): SignatureParts | SigV4Failure {
  const authorization = headerValue(req.headers, "authorization");
  if (authorization === undefined) return fail("missing", "Missing Authentication Token");
  if (!authorization.startsWith(`${SIGV4_ALGORITHM} `)) {
    return fail("incomplete", `Unsupported authorization type; only ${SIGV4_ALGORITHM} is accepted.`);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(SIGV4_ALGORITHM.length + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  const longDate = headerValue(req.headers, "x-amz-date");
  if (!credential || !signedHeaders || !signature || !longDate) {
    return fail(
      "incomplete",
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters, and the request an 'X-Amz-Date' header.",
    );
  }
  return finishParts(credential, signedHeaders, signature, longDate, false);
}

function parsePresigned(query: Array<[string, string]>): SignatureParts | SigV4Failure {
  const get = (key: string) => query.find(([k]) => k === key)?.[1];
  const algorithm = get("X-Amz-Algorithm");
  const credential = get("X-Amz-Credential");
  const longDate = get("X-Amz-Date");
  const expires = get("X-Amz-Expires");
  const signedHeaders = get("X-Amz-SignedHeaders");
  const signature = get("X-Amz-Signature");
  if (algorithm !== SIGV4_ALGORITHM) {
    return fail("incomplete", `X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}".`);
  }
  if (!credential || !longDate || !expires || !signedHeaders || !signature) {
    return fail(
      "incomplete",
      "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', and 'X-Amz-Expires'. Re-examine the query-string parameters.",
    );
  }
  const expiresSeconds = Number(expires);
  if (!/^\d+$/.test(expires) || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGN_EXPIRES_SECONDS) {
    return fail("incomplete", `X-Amz-Expires must be an integer between 1 and ${MAX_PRESIGN_EXPIRES_SECONDS}.`);
  }
  const parts = finishParts(credential, signedHeaders, signature, longDate, true);
  return "accessKeyId" in parts ? { ...parts, expiresSeconds } : parts;
}

function finishParts(
  credential: string,
  signedHeaders: string,
  signature: string,
  longDate: string,
  presigned: boolean,
): SignatureParts | SigV4Failure {
  const scope = parseCredential(credential);
  if (!scope) {
    return fail(
      "incomplete",
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'.`,
    );
  }
  if (parseLongDate(longDate) === undefined) {
    return fail(
      "incomplete",
      `Invalid X-Amz-Date '${longDate}'; expected the ISO 8601 basic format yyyyMMdd'T'HHmmss'Z'.`,
    );
  }
  if (longDate.slice(0, 8) !== scope.shortDate) {
    return fail(
      "mismatch",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.shortDate}' != '${longDate.slice(0, 8)}'.`,
    );
  }
  return {
    ...scope,
    signedHeaders: signedHeaders.split(";").map((h) => h.trim().toLowerCase()),
    signature,
    longDate,
    presigned,
  };
}

function checkTime(parts: SignatureParts, opts: VerifyOptions): SigV4Failure | undefined {
  const signedAt = parseLongDate(parts.longDate) as number;
  const nowLong = formatLongDate(opts.now);
  // Both header-signed and presigned requests may not come from the future.
  if (signedAt > opts.now + MAX_CLOCK_SKEW_MS) {
    return fail(
      "expired",
      `Signature not yet current: ${parts.longDate} is still later than ${formatLongDate(opts.now + MAX_CLOCK_SKEW_MS)} (${nowLong} + 15 min.)`,
    );
  }
  if (parts.presigned && opts.presignValidity === "x-amz-expires") {
    if (opts.now > signedAt + (parts.expiresSeconds ?? 0) * 1000) return fail("expired", "Request has expired");
    return undefined;
  }
  // Header-signed requests, and STS presigned URLs, live for 15 minutes.
  if (signedAt < opts.now - MAX_CLOCK_SKEW_MS) {
    return fail(
      "expired",
      `Signature expired: ${parts.longDate} is now earlier than ${formatLongDate(opts.now - MAX_CLOCK_SKEW_MS)} (${nowLong} - 15 min.)`,
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Presigning (client side) — EKS bearer tokens
// ---------------------------------------------------------------------------

export interface PresignOptions {
  url: URL;
  method?: string;
  /** Extra headers to sign (host is always signed); the caller must send them. */
  headers?: Record<string, string>;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  service: string;
  expiresSeconds: number;
  signingDate?: number;
}

/** Produces a SigV4 presigned URL, exactly as the SDK's `SignatureV4.presign` would. */
export function presignUrl(opts: PresignOptions): string {
  const signingDate = opts.signingDate ?? Date.now();
  const longDate = formatLongDate(signingDate);
  const shortDate = longDate.slice(0, 8);
  const scope = `${shortDate}/${opts.region}/${opts.service}/aws4_request`;
  const headers: Record<string, string> = { host: opts.url.host };
  for (const [name, value] of Object.entries(opts.headers ?? {})) headers[name.toLowerCase()] = value;
  const signedHeaderNames = Object.keys(headers).sort();

  const query = parseQuery(opts.url.search.replace(/^\?/, ""));
  query.push(["X-Amz-Algorithm", SIGV4_ALGORITHM]);
  query.push(["X-Amz-Credential", `${opts.accessKeyId}/${scope}`]);
  query.push(["X-Amz-Date", longDate]);
  query.push(["X-Amz-Expires", String(opts.expiresSeconds)]);
  if (opts.sessionToken) query.push(["X-Amz-Security-Token", opts.sessionToken]);
  query.push(["X-Amz-SignedHeaders", signedHeaderNames.join(";")]);

  const canonicalRequest = [
    opts.method ?? "GET",
    canonicalPath(opts.url.pathname),
    canonicalQuery(query),
    `${signedHeaderNames.map((name) => `${name}:${canonicalHeaderValue(headers[name] as string)}`).join("\n")}\n`,
    signedHeaderNames.join(";"),
    sha256Hex(""),
  ].join("\n");
  const signature = createHmac("sha256", signingKey(opts.secretAccessKey, shortDate, opts.region, opts.service))
    .update(stringToSign(longDate, scope, canonicalRequest), "utf8")
    .digest("hex");
  query.push(["X-Amz-Signature", signature]);

  const search = query.map(([k, v]) => `${escapeUri(k)}=${escapeUri(v)}`).join("&");
  return `${opts.url.origin}${opts.url.pathname}?${search}`;
}
