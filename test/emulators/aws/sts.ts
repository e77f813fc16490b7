/**
 * AWS STS, `awsQuery` protocol — GetCallerIdentity only, which is all EKS
 * authentication needs. It arrives two ways:
 *
 * - `POST /` with a form body `Action=GetCallerIdentity&Version=2011-06-15`,
 *   header-signed (what `@aws-sdk/client-sts` sends);
 * - `GET /?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-...` presigned —
 *   the decoded body of an EKS bearer token `k8s-aws-v1.<base64url(url)>`,
 *   which aws-iam-authenticator replays (with `x-k8s-aws-id: <cluster>` and
 *   `Accept: application/json`) to learn who the caller is.
 *
 * Answers are XML by default and JSON when asked for, as STS does.
 */
import { createHash } from "node:crypto";
import type { EmulatorContext } from "./context";
import { AwsError, header, type WireRequest, type WireResponse, xmlEscape } from "./protocol";
import type { MatchedOperation, ServiceFrontend } from "./service";
import type { SigV4FailureKind, SigV4Identity } from "./sigv4";

export const STS_API_VERSION = "2011-06-15";
const STS_XMLNS = `https://sts.amazonaws.com/doc/${STS_API_VERSION}/`;

export function stsError(code: string, message: string, status = 400): AwsError {
  return new AwsError(code, message, status);
}

export interface CallerIdentity {
  Account: string;
  Arn: string;
  UserId: string;
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** IAM unique ids are a 4-letter type prefix + 17 characters; derive them stably from the ARN. */
function uniqueId(prefix: string, seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ID_ALPHABET[(digest[i] as number) % ID_ALPHABET.length];
  return id;
}

export function callerIdentity(ctx: EmulatorContext, accessKeyId: string): CallerIdentity {
  const configured = ctx.credentials.find((c) => c.accessKeyId === accessKeyId)?.arn;
  const arn = configured ?? `arn:aws:iam::${ctx.accountId}:user/${accessKeyId}`;
  const account = arn.split(":")[4] || ctx.accountId;
  // UserId depends on the principal type: AIDA… for users, AROA…:<session> for
  // assumed roles, and the account id itself for the root user.
  const assumed = /:assumed-role\/[^/]+\/(.+)$/.exec(arn);
  let userId: string;
  if (assumed) userId = `${uniqueId("AROA", arn.replace(/\/[^/]+$/, ""))}:${assumed[1]}`;
  else if (arn.endsWith(":root")) userId = account;
  else userId = uniqueId("AIDA", arn);
  return { Account: account, Arn: arn, UserId: userId };
}

const wantsJson = (req: WireRequest): boolean => (header(req, "accept") ?? "").includes("application/json");

export class StsApi implements ServiceFrontend {
  readonly name = "sts" as const;
  readonly signingName = "sts";
  readonly presignValidity = "sts-fixed-15-minutes" as const;

  constructor(private readonly ctx: EmulatorContext) {}

  match(req: WireRequest): MatchedOperation | undefined {
    if (req.rawPath !== "/" || req.headers["x-amz-target"] !== undefined) return undefined;
    let params: URLSearchParams;
    const contentType = header(req, "content-type") ?? "";
    if (req.method === "POST" && contentType.startsWith("application/x-www-form-urlencoded")) {
      params = new URLSearchParams(req.body.toString("utf8"));
    } else if (req.method === "GET" && req.query.has("Action")) {
      params = req.query;
    } else {
      return undefined;
    }
    const action = params.get("Action") ?? "";
    const version = params.get("Version");
    const cluster = header(req, "x-k8s-aws-id");
    return {
      operation: action === "GetCallerIdentity" ? action : "UnknownOperation",
      ...(cluster ? { target: cluster } : {}),
      handle: async (caller: SigV4Identity): Promise<WireResponse> => {
        if (action !== "GetCallerIdentity" || version !== STS_API_VERSION) {
          throw stsError(
            "InvalidAction",
            `Could not find operation ${action} for version ${version ?? "NO_VERSION_SPECIFIED"}`,
          );
        }
        return this.getCallerIdentity(req, caller);
      },
    };
  }

  private getCallerIdentity(req: WireRequest, caller: SigV4Identity): WireResponse {
    const identity = callerIdentity(this.ctx, caller.accessKeyId);
    if (wantsJson(req)) {
      return {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          GetCallerIdentityResponse: {
            GetCallerIdentityResult: identity,
            ResponseMetadata: { RequestId: req.requestId },
          },
        }),
      };
    }
    const body =
      `<GetCallerIdentityResponse xmlns="${STS_XMLNS}">\n` +
      "  <GetCallerIdentityResult>\n" +
      `    <Arn>${xmlEscape(identity.Arn)}</Arn>\n` +
      `    <UserId>${xmlEscape(identity.UserId)}</UserId>\n` +
      `    <Account>${xmlEscape(identity.Account)}</Account>\n` +
      "  </GetCallerIdentityResult>\n" +
      "  <ResponseMetadata>\n" +
      `    <RequestId>${req.requestId}</RequestId>\n` +
      "  </ResponseMetadata>\n" +
      "</GetCallerIdentityResponse>\n";
    return { status: 200, headers: { "content-type": "text/xml" }, body };
  }

  renderError(err: AwsError, req: WireRequest): WireResponse {
    if (wantsJson(req)) {
      return {
        status: err.status,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          Error: { Code: err.code, Message: err.message, Type: err.faultType },
          RequestId: req.requestId,
        }),
      };
    }
    const body =
      `<ErrorResponse xmlns="${STS_XMLNS}">\n` +
      "  <Error>\n" +
      `    <Type>${err.faultType}</Type>\n` +
      `    <Code>${xmlEscape(err.code)}</Code>\n` +
      `    <Message>${xmlEscape(err.message)}</Message>\n` +
      "  </Error>\n" +
      `  <RequestId>${req.requestId}</RequestId>\n` +
      "</ErrorResponse>\n";
    return { status: err.status, headers: { "content-type": "text/xml" }, body };
  }

  throttlingError(): AwsError {
    return stsError("Throttling", "Rate exceeded");
  }

  internalError(message: string): AwsError {
    return stsError("InternalFailure", message, 500);
  }

  authError(kind: SigV4FailureKind, message: string): AwsError {
    if (kind === "missing")
      return stsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
    if (kind === "incomplete") return stsError("IncompleteSignature", message);
    return stsError("SignatureDoesNotMatch", message, 403);
  }
}
