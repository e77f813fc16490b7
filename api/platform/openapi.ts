import { z } from "@hono/zod-openapi";

/** Components every route shares, so each error status is documented once. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://fleetplane.dev/problems/validation-failed" }),
    title: z.string().openapi({ example: "Bad Request" }),
    status: z.int().openapi({ example: 400 }),
    detail: z.string(),
    code: z.string().openapi({ description: "Stable machine-readable error code", example: "validation_failed" }),
    requestId: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ location: z.string().openapi({ example: "body.name" }), message: z.string() }))
      .optional(),
  })
  .openapi("Problem");

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

export const ERRORS = {
  400: problem("The request is malformed: invalid JSON, wrong types, unknown fields, bad query parameters"),
  401: problem("Missing or invalid bearer token"),
  403: problem("The token may not do this"),
  404: problem("No such resource (or not visible to this token)"),
  409: problem("Conflicts with the current state, or the same Idempotency-Key is still in flight"),
  412: problem("If-Match does not match the current revision"),
  413: problem("The request body is too large"),
  415: problem("The request body must be application/json"),
  426: problem("This path speaks WebSocket only: send an Upgrade request"),
  422: problem(
    "Well-formed but not acceptable (semantic check failed, or an Idempotency-Key reused with another body)",
  ),
  429: problem("Rate limited; see Retry-After"),
  500: problem("Unexpected server error"),
  503: problem("A service Fleetplane depends on (e.g. AWS Secrets Manager) failed or is unavailable; retry later"),
} as const;

type ErrorStatus = keyof typeof ERRORS;

export function errors(...statuses: ErrorStatus[]) {
  const out: Partial<typeof ERRORS> = {};
  for (const status of [400, 401, 429, 500, ...statuses] as ErrorStatus[]) {
    (out as Record<number, unknown>)[status] = ERRORS[status];
  }
  return out as typeof ERRORS;
}

export const RefParam = z.object({
  ref: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "ref", in: "path" }, description: "Resource id or name", example: "prod-eu-west-1" }),
});

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "id", in: "path" }, example: "job_01JAB4Q8N3X0V6W5T0R7C2Y9ZK" }),
});

export const PageQuery = {
  pageSize: z.coerce
    .number()
    .int()
    .optional()
    .openapi({ description: "Items per page (1-500, default 50; out-of-range values are clamped)" }),
  pageToken: z.string().max(512).optional().openapi({ description: "Opaque token from a previous nextPageToken" }),
};

export const LabelSelectorQuery = z.string().max(4096).optional().openapi({
  description: "Kubernetes-style label selector: a=b, a!=b, a in (x,y), a notin (x), a, !a",
  example: "tier=prod",
});

export const IfMatchHeader = z.object({
  "if-match": z
    .string()
    .max(64)
    .optional()
    .openapi({ description: "Only act if the resource's ETag (revision) still matches", example: '"3"' }),
});

export const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .max(255)
    .optional()
    .openapi({ description: "Makes a POST safe to retry: the same key and body replay the first response for 24 h" }),
});

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextPageToken: z.string().optional() }).openapi(name);

export const SECURITY = [{ bearerAuth: [] }];

/** A JSON response of the given schema, as every route declares them. */
export const jsonResponse = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A PATCH body: RFC 7386 merge patch, also accepted as plain JSON. */
export const mergePatchBody = <T>(schema: T) => ({
  required: true,
  content: { "application/merge-patch+json": { schema }, "application/json": { schema } },
});
