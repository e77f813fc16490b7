import type { Context } from "hono";
import type { ZodError } from "zod";
import { problemResponse } from "./problem";

const TARGET_NAMES: Record<string, string> = { json: "body", query: "query", param: "path", header: "header" };

function location(target: string, path: PropertyKey[]): string {
  let out = TARGET_NAMES[target] ?? target;
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
  return out;
}

/** Route validation failures become one 400 problem listing every issue with its location. */
export function validationHook(
  result: { success: boolean; error?: ZodError; target: string },
  c: Context,
): Response | undefined {
  if (result.success || !result.error) return undefined;
  const errors = result.error.issues.map((issue) => ({
    location: location(result.target, issue.path),
    message:
      issue.code === "unrecognized_keys"
        ? `unknown field(s): ${(issue as { keys: string[] }).keys.join(", ")}`
        : issue.message,
  }));
  const first = errors[0];
  return problemResponse(
    c,
    400,
    "validation_failed",
    `The request is invalid: ${first ? `${first.location}: ${first.message}` : "unknown problem"}`,
    errors,
  );
}
