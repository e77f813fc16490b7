/**
 * One domain error hierarchy. Each error carries a stable `code` that clients may switch on;
 * the HTTP layer maps codes to statuses in one place. `retryable` tells the jobs engine whether
 * a function failure is transient (retry with backoff) or stalling (needs a human).
 */
export interface FieldError {
  location: string;
  message: string;
}

/**
 * Codes of problems met in the outside world, carried by `TransientError`/`StalledError` and
 * shown as the reason of the condition they block.
 */
export const PROBLEM_CODES = [
  // reaching a cluster's API server
  "Unauthorized",
  "Forbidden",
  "ServerError",
  "RequestRejected",
  "CertificateInvalid",
  "Unreachable",
  "AddressNotAllowed",
  "ClientCertificateUnsupported",
  "CredentialsUnreadable",
  "KubeconfigInvalid",
  "KubeconfigMissing",
  "KubeconfigUnsupported",
  "NoEndpoint",
  "NoCredentials",
  "NotYetVisible",
  "WaitingForAgent",
  "AgentSilent",
  "AgentTimeout",
  "AgentRefused",
  "AgentOutdated",
  // provisioning
  "CapiSettingsMissing",
  "ClassMissing",
  "ManagementClusterMissing",
  "VersionRequired",
  "NameTaken",
  "ClusterFailed",
  "NodegroupFailed",
  "UpdateFailed",
  // the platform a tenant needs
  "FluxNotInstalled",
  "SealingCertificateInvalid",
  "MissingAPIs",
  // the resource went away or is going
  "ClusterDeleting",
  "ClusterMissing",
  "PruneStuck",
  // notification receivers
  "ReceiverRejected",
  "ReceiverUnreachable",
  // the jobs engine
  "UnknownFunction",
  "InternalError",
] as const;

declare const externalCode: unique symbol;
/**
 * A code that is the outside world's own word, passed through unchanged because it is what that
 * system's documentation explains: AWS's exception names and health issue codes, Cluster API's
 * failure reasons. Made only by `external()`, so each pass-through is visible where it happens.
 */
export type ExternalCode = string & { readonly [externalCode]: true };
export const external = (code: string) => code as ExternalCode;

export type ProblemCode = (typeof PROBLEM_CODES)[number] | ExternalCode;

/** Every code a domain error can carry: the closed set clients and conditions switch on. */
export type ErrorCode =
  | "validation_failed"
  | "invalid_json"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "not_offered"
  | "already_exists"
  | "conflict"
  | "not_supported"
  | "precondition_failed"
  | "idempotency_key_reused"
  | "idempotency_in_flight"
  | "payload_too_large"
  | "unsupported_media_type"
  | "upgrade_required"
  | "rate_limited"
  | "unavailable"
  | UnprocessableCode
  | ProblemCode;

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  readonly retryable: boolean = false;
  readonly errors?: FieldError[];

  constructor(message: string, errors?: FieldError[]) {
    super(message);
    this.name = new.target.name;
    if (errors) this.errors = errors;
  }
}

export class ValidationError extends DomainError {
  readonly code = "validation_failed";
}

export class InvalidJsonError extends DomainError {
  readonly code = "invalid_json";
}

export class UnauthorizedError extends DomainError {
  readonly code = "unauthorized";
}

export class ForbiddenError extends DomainError {
  readonly code = "forbidden";
}

export class NotFoundError extends DomainError {
  readonly code = "not_found";
  constructor(kind: string, ref: string) {
    super(`${kind} "${ref}" was not found`);
  }
}

export class AlreadyExistsError extends DomainError {
  readonly code = "already_exists";
}

export class ConflictError extends DomainError {
  readonly code = "conflict";
}

/**
 * The codes of semantic refusals (422), a closed set clients may switch on: a new refusal adds
 * its code here, and a code outside it cannot be raised by mistake.
 */
export const UNPROCESSABLE_CODES = [
  "capi_settings_required",
  "class_required",
  "connection_required",
  "duplicate_wave",
  "eks_settings_required",
  "immutable_field",
  "invalid_addon",
  "invalid_expiry",
  "invalid_expression",
  "invalid_policy_combination",
  "invalid_reference",
  "invalid_version",
  "namespace_escape",
  "not_applicable",
  "provider_mismatch",
  "reserved_name",
  "reserved_namespace",
  "secret_refused",
  "tenant_required",
  "unknown_addon",
  "unknown_tenant",
  "url_not_allowed",
  "value_or_reference",
  "version_downgrade",
  "version_skew",
] as const;
export type UnprocessableCode = (typeof UNPROCESSABLE_CODES)[number];

/** The semantic check failed: the input is well-formed but cannot be acted on. */
export class UnprocessableError extends DomainError {
  readonly code: UnprocessableCode;
  constructor(code: UnprocessableCode, message: string, errors?: FieldError[]) {
    super(message, errors);
    this.code = code;
  }
}

export class NotSupportedError extends DomainError {
  readonly code = "not_supported";
}

/** The path speaks another protocol (a WebSocket) than the request asked for. */
export class UpgradeRequiredError extends DomainError {
  readonly code = "upgrade_required";
}

/** The host does not offer this (a doorbell where wake-ups are in-process). */
export class NotOfferedError extends DomainError {
  readonly code = "not_offered";
}

export class PreconditionFailedError extends DomainError {
  readonly code = "precondition_failed";
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = "idempotency_key_reused";
}

export class IdempotencyInFlightError extends DomainError {
  readonly code = "idempotency_in_flight";
}

export class PayloadTooLargeError extends DomainError {
  readonly code = "payload_too_large";
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = "unsupported_media_type";
}

export class RateLimitedError extends DomainError {
  readonly code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds}s`);
  }
}

export class UnavailableError extends DomainError {
  readonly code = "unavailable";
  override readonly retryable = true;
}

/**
 * Raised by functions when the outside world is not ready yet or failed transiently
 * (unreachable endpoint, 5xx, throttling). The jobs engine retries with backoff.
 */
export class TransientError extends DomainError {
  readonly code: ProblemCode;
  override readonly retryable = true;
  constructor(code: ProblemCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Raised by functions when retrying cannot help until a person changes something
 * (bad credentials, untrusted CA). The engine fails the job at once.
 */
export class StalledError extends DomainError {
  readonly code: ProblemCode;
  constructor(code: ProblemCode, message: string) {
    super(message);
    this.code = code;
  }
}
