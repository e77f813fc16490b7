/**
 * The contract between the HTTP front door (index.ts) and each emulated
 * service. The front door does what AWS's edge does for every service —
 * request ids, logging, authentication, throttling, injected latency — and
 * asks the service only to recognise its requests and speak its protocol.
 */

import type { AwsError, ServiceName, WireRequest, WireResponse } from "./protocol";
import type { SigV4FailureKind, SigV4Identity } from "./sigv4";

export interface MatchedOperation {
  /** Operation name as in the SDK, e.g. "CreateCluster" (without "Command"). */
  operation: string;
  /** What the call is about (cluster name, `cluster/nodegroup`, secret id), for the request log. */
  target?: string;
  /** Runs the operation for an authenticated caller; throws AwsError for modelled failures. */
  handle(caller: SigV4Identity): Promise<WireResponse>;
}

export interface ServiceFrontend {
  readonly name: ServiceName;
  /** The SigV4 signing name that must appear in the credential scope. */
  readonly signingName: string;
  /** Recognises a request addressed to this service, or returns undefined. */
  match(req: WireRequest): MatchedOperation | undefined;
  renderError(err: AwsError, req: WireRequest): WireResponse;
  /** The error this service answers when throttling — one the SDK retries. */
  throttlingError(): AwsError;
  authError(kind: SigV4FailureKind, message: string): AwsError;
  /** What a bug in the emulator looks like on this service's wire (a 500). */
  internalError(message: string): AwsError;
  /** STS honours presigned URLs for 15 minutes regardless of X-Amz-Expires. */
  readonly presignValidity?: "x-amz-expires" | "sts-fixed-15-minutes";
}
