import { z } from "@hono/zod-openapi";
import type { Condition } from "./conditions";
import { CONDITION_REASONS, reasonsDescription } from "./reasons";
import { labelKeyProblem, labelValueProblem } from "./selector";
import { isoTime } from "./time";

/**
 * Shapes every resource shares. Schemas here are the domain contract; the HTTP
 * layer documents them in OpenAPI, and the verbs use their inferred types.
 */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const Name = z
  .string()
  .min(1)
  .max(63)
  .regex(DNS_LABEL, "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending alphanumeric")
  .openapi({ example: "prod-eu-west-1" });

export const Labels = z
  .record(z.string(), z.string())
  .superRefine((labels, ctx) => {
    const entries = Object.entries(labels);
    if (entries.length > 64) ctx.addIssue({ code: "custom", message: "at most 64 labels" });
    for (const [key, value] of entries) {
      const problem = labelKeyProblem(key) ?? labelValueProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem, path: [key] });
    }
  })
  .openapi({ example: { tier: "prod" } });

export const ConditionSchema = z
  .object({
    type: z.string(),
    status: z.enum(["True", "False", "Unknown"]),
    reason: z.string().openapi({ description: reasonsDescription(CONDITION_REASONS) }),
    message: z.string(),
    lastTransitionTime: z.string(),
  })
  .openapi("Condition");

export const ResourceMeta = {
  id: z.string().openapi({ description: "Immutable opaque id", example: "cls_01JAB4Q8N3X0V6W5T0R7C2Y9ZK" }),
  name: Name,
  labels: Labels,
  generation: z.int().openapi({ description: "Bumped on every spec change" }),
  revision: z.int().openapi({ description: "Bumped on every write; also the ETag" }),
  createdAt: z.string().openapi({ format: "date-time" }),
  updatedAt: z.string().openapi({ format: "date-time" }),
};

/** The spec part of a resource's wire form: what the `spec` column stores. */
export type SpecOf<Wire> = Omit<
  Wire,
  "id" | "name" | "labels" | "generation" | "revision" | "createdAt" | "updatedAt" | "status"
>;

export interface ResourceRow<
  Spec extends object = Record<string, unknown>,
  Status extends object = Record<string, unknown>,
> {
  id: string;
  name: string;
  labels: Record<string, string>;
  spec: Spec;
  status: Status;
  generation: number;
  revision: number;
  createdAt: number;
  updatedAt: number;
}

export interface BaseStatus {
  phase?: string;
  conditions: Condition[];
  observedGeneration: number;
  [key: string]: unknown;
}

/**
 * The wire form: the user's spec fields at the top level exactly as written (Terraform compares
 * them byte for byte), then the system-owned status and bookkeeping.
 */
export function toWire<Spec extends object, Status extends object>(row: ResourceRow<Spec, Status>) {
  return {
    id: row.id,
    name: row.name,
    ...row.spec,
    labels: row.labels,
    status: row.status,
    generation: row.generation,
    revision: row.revision,
    createdAt: isoTime(row.createdAt),
    updatedAt: isoTime(row.updatedAt),
  };
}

/**
 * A row's wire columns as the store hands them over, in `WIRE_COLUMNS` order: labels, spec and
 * status still as their stored JSON text.
 */
export type WireValues = [
  id: string,
  name: string,
  labels: string,
  spec: string,
  status: string,
  generation: number,
  revision: number,
  createdAt: number,
  updatedAt: number,
];

/**
 * `toWire` rendered as JSON text straight from the stored columns, for lists. The store keeps
 * labels, spec and status as `JSON.stringify` wrote them, so splicing that text in gives the
 * very bytes `JSON.stringify(toWire(row))` gives (a test holds the two to it). A key the spec
 * shares with a field around it resolves as the spread does: the later one wins.
 */
export function wireJson(values: WireValues): string {
  const [id, name, labels, spec, status, generation, revision, createdAt, updatedAt] = values;
  const specFields = spec.slice(1, -1);
  return `{"id":${JSON.stringify(id)},"name":${JSON.stringify(name)},${/\S/.test(specFields) ? `${specFields},` : ""}"labels":${labels},"status":${status},"generation":${generation},"revision":${revision},"createdAt":"${isoTime(createdAt)}","updatedAt":"${isoTime(updatedAt)}"}`;
}

export function etagOf(revision: number): string {
  return `"${revision}"`;
}

/** RFC 7386 JSON merge patch: `null` removes a key, objects merge, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> =
    target !== null && typeof target === "object" && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}
