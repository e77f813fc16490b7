/**
 * `Status` error objects, shaped exactly like kube-apiserver's
 * (k8s.io/apimachinery/pkg/api/errors), so client code that inspects
 * `body.reason`, `body.code` or `body.details` behaves as against a real
 * cluster.
 */
import { qualifiedResource, type ResourceType } from "./resources.js";

export type StatusReason =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "MethodNotAllowed"
  | "UnsupportedMediaType"
  | "RequestEntityTooLarge"
  | "Expired"
  | "InternalError"
  | "ServiceUnavailable";

export interface StatusCause {
  type?: string;
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** An error that the HTTP layer renders as a `Status` response. */
export class ApiError extends Error {
  readonly status: Status;
  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = "ApiError";
    this.status = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }
  get code(): number {
    return this.status.code;
  }
}

/** `details` as the real server fills it: the group is omitted for the core group, kind is the plural. */
function details(rt: ResourceType, name: string): StatusDetails {
  return rt.group ? { name, group: rt.group, kind: rt.plural } : { name, kind: rt.plural };
}

export const errors = {
  notFound(rt: ResourceType, name: string): ApiError {
    return new ApiError(404, "NotFound", `${qualifiedResource(rt)} "${name}" not found`, details(rt, name));
  },
  /** Unknown path / group / resource / subresource. */
  noSuchResource(): ApiError {
    return new ApiError(404, "NotFound", "the server could not find the requested resource", {});
  },
  alreadyExists(rt: ResourceType, name: string): ApiError {
    return new ApiError(409, "AlreadyExists", `${qualifiedResource(rt)} "${name}" already exists`, details(rt, name));
  },
  /** Optimistic-concurrency failure (stale metadata.resourceVersion or a failed precondition). */
  conflict(
    rt: ResourceType,
    name: string,
    why = "the object has been modified; please apply your changes to the latest version and try again",
  ): ApiError {
    return new ApiError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": ${why}`,
      details(rt, name),
    );
  },
  /** 422 with field causes, e.g. `Deployment.apps "x" is invalid: metadata.name: Required value: ...`. */
  invalid(rt: ResourceType, name: string, causes: StatusCause[]): ApiError {
    const kind = rt.group ? `${rt.kind}.${rt.group}` : rt.kind;
    const summary = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    const message =
      summary.length === 1
        ? `${kind} "${name}" is invalid: ${summary[0]}`
        : `${kind} "${name}" is invalid: [${summary.join(", ")}]`;
    return new ApiError(422, "Invalid", message, {
      name,
      ...(rt.group ? { group: rt.group } : {}),
      kind: rt.kind,
      causes,
    });
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, "BadRequest", message);
  },
  unauthorized(): ApiError {
    return new ApiError(401, "Unauthorized", "Unauthorized");
  },
  forbidden(message: string): ApiError {
    return new ApiError(403, "Forbidden", message);
  },
  methodNotAllowed(): ApiError {
    return new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  },
  unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
    return new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format (${contentType || "no Content-Type"}) - accepted media types include: ${accepted.join(", ")}`,
    );
  },
  tooLarge(): ApiError {
    return new ApiError(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
  },
  /** Watch from a resourceVersion older than the retained history (410 Gone). */
  expired(requested: number, oldest: number): ApiError {
    return new ApiError(410, "Expired", `too old resource version: ${requested} (${oldest})`);
  },
  internal(message: string): ApiError {
    return new ApiError(500, "InternalError", `Internal error occurred: ${message}`, {
      causes: [{ message }],
    });
  },
  unavailable(): ApiError {
    return new ApiError(503, "ServiceUnavailable", "the server is currently unable to handle the request", {
      causes: [{ reason: "UnexpectedServerResponse", message: "service unavailable" }],
    });
  },
  /**
   * Server-side apply conflicts. Mirrors the real message format, e.g.
   * `Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas`.
   */
  applyConflict(conflicts: Array<{ manager: string; field: string }>): ApiError {
    const causes = conflicts.map((c) => ({
      type: "FieldManagerConflict",
      message: `conflict with ${c.manager}`,
      field: c.field,
    }));
    const lines = conflicts.map((c) => `conflict with ${c.manager}: ${c.field}`);
    const message =
      conflicts.length === 1
        ? `Apply failed with 1 conflict: ${lines[0]}`
        : `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
    return new ApiError(409, "Conflict", message, { causes });
  },
};

/** A `Status` with status "Success", returned by DELETE for built-in types. */
export function successStatus(rt: ResourceType, name: string, uid: string | undefined) {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { ...details(rt, name), ...(uid ? { uid } : {}) },
  };
}
