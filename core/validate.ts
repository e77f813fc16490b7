import type { z } from "@hono/zod-openapi";
import { ValidationError } from "./errors";

/** Runs a schema and turns its issues into the API's `errors[]` with `location` paths. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, root = "body"): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    location: issue.path.reduce<string>(
      (out, part) => (typeof part === "number" ? `${out}[${part}]` : `${out}.${String(part)}`),
      root,
    ),
    message: issue.message,
  }));
  throw new ValidationError(`The ${root} is invalid: ${errors[0]?.message ?? "unknown problem"}`, errors);
}
