/**
 * EKS bearer tokens: `k8s-aws-v1.` + base64url(presigned STS
 * GetCallerIdentity URL, with the `x-k8s-aws-id: <cluster>` header signed).
 *
 * `createEksToken` is what `aws eks get-token` does; `verifyEksToken` is what
 * aws-iam-authenticator does inside an EKS API server: check the token's
 * shape, then replay the URL against STS and believe the identity STS returns.
 * Here the "STS" is the emulator, so the kube emulator can accept EKS tokens
 * with the same rules a real cluster applies.
 */
import { request } from "node:http";
import { parseQuery, presignUrl } from "./sigv4";
import { STS_API_VERSION } from "./sts";

export const EKS_TOKEN_PREFIX = "k8s-aws-v1.";
/** The header that binds a token to one cluster. */
export const CLUSTER_ID_HEADER = "x-k8s-aws-id";
/** aws-iam-authenticator refuses tokens older than this (counted from X-Amz-Date). */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const MAX_TOKEN_LENGTH = 4096;
/** Query parameters aws-iam-authenticator allows in the presigned URL (lower-cased). */
const ALLOWED_PARAMETERS = new Set([
  "action",
  "version",
  "x-amz-algorithm",
  "x-amz-credential",
  "x-amz-date",
  "x-amz-expires",
  "x-amz-security-token",
  "x-amz-signature",
  "x-amz-signedheaders",
]);
/** Real STS endpoints: global, regional, FIPS, China. */
const STS_HOST = /^sts(-fips)?(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;

export interface CreateEksTokenOptions {
  clusterName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Signing region; default eu-west-1. */
  region?: string;
  /**
   * STS endpoint baked into the token. Default the regional AWS endpoint
   * (`https://sts.<region>.amazonaws.com/`); pass the emulator URL to mimic
   * an SDK configured with a custom STS endpoint.
   */
  stsUrl?: string;
  /** Signing time (ms since epoch); default now. */
  now?: number;
}

export function createEksToken(opts: CreateEksTokenOptions): string {
  const region = opts.region ?? "eu-west-1";
  const url = new URL(opts.stsUrl ?? `https://sts.${region}.amazonaws.com/`);
  url.search = `Action=GetCallerIdentity&Version=${STS_API_VERSION}`;
  const presigned = presignUrl({
    url,
    headers: { [CLUSTER_ID_HEADER]: opts.clusterName },
    accessKeyId: opts.accessKeyId,
    secretAccessKey: opts.secretAccessKey,
    ...(opts.sessionToken ? { sessionToken: opts.sessionToken } : {}),
    region,
    service: "sts",
    // aws-iam-authenticator presigns with 60 s; STS ignores it and honours the
    // URL for 15 minutes, which is the token lifetime clients cache for.
    expiresSeconds: 60,
    ...(opts.now !== undefined ? { signingDate: opts.now } : {}),
  });
  return EKS_TOKEN_PREFIX + Buffer.from(presigned, "utf8").toString("base64url");
}

export interface EksTokenVerification {
  ok: boolean;
  /** The caller's IAM ARN, as STS reported it. */
  arn?: string;
  account?: string;
  userId?: string;
  reason?: string;
}

const refuse = (reason: string): EksTokenVerification => ({ ok: false, reason });

/**
 * Validates an EKS bearer token for `clusterName` the way aws-iam-authenticator
 * does, then asks the emulator's STS (at `emu.url`) who signed it.
 */
export async function verifyEksToken(
  emu: { url: string },
  token: string,
  clusterName: string,
  now: number = Date.now(),
): Promise<EksTokenVerification> {
  if (token.length > MAX_TOKEN_LENGTH) return refuse("token is too large");
  if (!token.startsWith(EKS_TOKEN_PREFIX)) return refuse(`token is missing expected "${EKS_TOKEN_PREFIX}" prefix`);
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return refuse("token is not valid base64url");

  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    return refuse("token does not decode to a URL");
  }
  const emulatorHost = new URL(emu.url).host;
  // The emulator itself counts as an STS endpoint (over plain HTTP) so that
  // tokens minted by an SDK pointed at the emulator are accepted too.
  const isEmulator = url.host === emulatorHost;
  if (!isEmulator && !(url.protocol === "https:" && STS_HOST.test(url.hostname) && url.port === "")) {
    return refuse(`unexpected STS endpoint ${url.protocol}//${url.host}`);
  }
  if (url.pathname !== "/") return refuse("unexpected path in pre-signed URL");

  const params = new Map<string, string>();
  for (const [key, value] of parseQuery(url.search.replace(/^\?/, ""))) {
    const lower = key.toLowerCase();
    if (!ALLOWED_PARAMETERS.has(lower)) return refuse(`non-allowed query parameter ${key}`);
    if (params.has(lower)) return refuse(`duplicate query parameter ${key}`);
    params.set(lower, value);
  }
  if (params.get("action") !== "GetCallerIdentity") return refuse("unexpected action parameter in pre-signed URL");
  const signedHeaders = (params.get("x-amz-signedheaders") ?? "").split(";");
  if (!signedHeaders.includes(CLUSTER_ID_HEADER)) {
    return refuse(`client did not sign the ${CLUSTER_ID_HEADER} header in the pre-signed URL`);
  }
  const expires = Number(params.get("x-amz-expires"));
  if (!Number.isInteger(expires) || expires < 1 || expires > TOKEN_LIFETIME_MS / 1000) {
    return refuse("X-Amz-Expires must be an integer between 1 and 900 seconds");
  }
  const signedAt = Date.parse(
    (params.get("x-amz-date") ?? "").replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
  );
  if (Number.isNaN(signedAt)) return refuse("X-Amz-Date is missing or malformed");
  if (now > signedAt + TOKEN_LIFETIME_MS) return refuse("X-Amz-Date parameter is expired (15 minute expiration)");

  // Replay the URL at the emulator, presenting the host it was signed for.
  const response = await replay(emu.url, url, clusterName);
  if (response.status !== 200) {
    let message = `STS answered ${response.status}`;
    try {
      const parsed = JSON.parse(response.body) as { Error?: { Code?: string; Message?: string } };
      if (parsed.Error) message += `: ${parsed.Error.Code}: ${parsed.Error.Message}`;
    } catch {
      // Not JSON: keep the status-only message.
    }
    return refuse(message);
  }
  const identity = (
    JSON.parse(response.body) as {
      GetCallerIdentityResponse?: { GetCallerIdentityResult?: { Arn?: string; Account?: string; UserId?: string } };
    }
  ).GetCallerIdentityResponse?.GetCallerIdentityResult;
  if (!identity?.Arn) return refuse("STS response did not contain an identity");
  return {
    ok: true,
    arn: identity.Arn,
    ...(identity.Account ? { account: identity.Account } : {}),
    ...(identity.UserId ? { userId: identity.UserId } : {}),
  };
}

function replay(emulatorUrl: string, tokenUrl: URL, clusterName: string): Promise<{ status: number; body: string }> {
  const target = new URL(emulatorUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname.replace(/^\[|\]$/g, ""),
        port: target.port,
        method: "GET",
        path: `/${tokenUrl.search}`,
        headers: { host: tokenUrl.host, [CLUSTER_ID_HEADER]: clusterName, accept: "application/json" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}
