import { z } from "@hono/zod-openapi";
import { Environment, type ParseResult } from "@marcbachmann/cel-js";
import { UnprocessableError } from "../errors";

/**
 * Health of any kind of object, declared rather than coded: per API group and kind, CEL
 * expressions over `self` (the object as the API server returns it) in the shape of Flux's
 * `healthCheckExprs`: `current` (healthy), `inProgress` and `failed`. CEL cannot loop or call
 * out, and the parser's limits bound an expression's size and nesting, so a rule costs at most
 * a few passes over the object it reads; the same code runs on Node and on Workers.
 *
 * The verdict follows Flux: `inProgress`, then `failed`, then `current`, the first that holds
 * decides; when none does, or an expression reads a field the object does not have yet, the
 * object is still progressing. A verdict about an older generation than the object's (its
 * controller has not looked at the last change) is progressing too.
 */

/** The parser's limits: a health rule is a line or three, not a program. */
const LIMITS = { maxAstNodes: 400, maxDepth: 24, maxListElements: 64, maxMapEntries: 64, maxCallArguments: 8 };
const MAX_EXPRESSION = 2048;

const environment = new Environment({ enableOptionalTypes: true, limits: LIMITS }).registerVariable("self", "dyn");

export const HEALTH_STATES = ["Healthy", "Progressing", "Degraded"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export interface HealthVerdict {
  state: HealthState;
  /** In a person's words: the object's own condition message where it has one. */
  message: string;
}

const Expression = z.string().min(1).max(MAX_EXPRESSION);

export const HealthRuleInput = z
  .strictObject({
    apiVersion: z
      .string()
      .min(1)
      .max(253)
      .regex(/^([a-z0-9.-]+\/)?v[0-9a-z]+$/, "must be group/version (or v1 for the core group)")
      .openapi({ example: "cert-manager.io/v1" }),
    kind: z
      .string()
      .min(1)
      .max(63)
      .regex(/^[A-Z][A-Za-z0-9]*$/, "must be a Kubernetes kind")
      .openapi({ example: "Certificate" }),
    current: Expression.openapi({
      description: "CEL over `self`: true when the object is healthy",
      example: "self.status.?conditions.orValue([]).exists(c, c.type == 'Ready' && c.status == 'True')",
    }),
    inProgress: Expression.optional().openapi({ description: "CEL over `self`: true while it is still converging" }),
    failed: Expression.optional().openapi({ description: "CEL over `self`: true when it has failed" }),
  })
  .openapi("HealthRuleExpressions");
export type HealthRuleValue = z.infer<typeof HealthRuleInput>;

const EXPRESSION_FIELDS = ["inProgress", "failed", "current"] as const;

/** A rule with its expressions parsed once. */
export interface CompiledHealthRule {
  group: string;
  kind: string;
  expressions: { field: (typeof EXPRESSION_FIELDS)[number]; run: ParseResult }[];
}

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");

/**
 * Parses and type-checks a rule's expressions; one that does not parse, or cannot be a bool, is
 * refused with CEL's own error and where in the expression it is (422). `location` is where the
 * rule sits in the request body.
 */
export function compileHealthRule(rule: HealthRuleValue, location = "body"): CompiledHealthRule {
  const expressions: CompiledHealthRule["expressions"] = [];
  for (const field of EXPRESSION_FIELDS) {
    const text = rule[field];
    if (text === undefined) continue;
    expressions.push({ field, run: compileExpression(text, `${location}.${field}`) });
  }
  return { group: groupOf(rule.apiVersion), kind: rule.kind, expressions };
}

function compileExpression(text: string, location: string): ParseResult {
  let parsed: ParseResult;
  try {
    parsed = environment.parse(text);
  } catch (error) {
    throw invalidExpression(error, text, location);
  }
  const checked = parsed.check();
  if (!checked.valid) throw invalidExpression(checked.error, text, location);
  if (checked.type !== "bool" && checked.type !== "dyn") {
    throw new UnprocessableError("invalid_expression", `${location} must be a bool expression, not ${checked.type}`, [
      { location, message: `evaluates to ${checked.type}; a health expression must be true or false` },
    ]);
  }
  return parsed;
}

function invalidExpression(error: unknown, text: string, location: string): UnprocessableError {
  const first = error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
  const start = (error as { range?: { start?: number } } | undefined)?.range?.start;
  const at = typeof start === "number" ? ` at position ${start + 1}` : "";
  const near = typeof start === "number" ? `: ${JSON.stringify(text.slice(Math.max(0, start - 10), start + 10))}` : "";
  return new UnprocessableError("invalid_expression", `${location} is not a valid CEL expression${at}: ${first}`, [
    { location, message: `${first}${at}${near}` },
  ]);
}

interface Condition {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  message?: unknown;
}

interface Inspected {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; generation?: number };
  status?: { observedGeneration?: number; conditions?: Condition[] };
}

/** The conditions whose message says most about an object's health, in the order they are looked for. */
const TELLING_CONDITIONS = ["Ready", "Available", "Synced", "Complete", "Failed", "Progressing"];

function describe(object: Inspected, state: HealthState): string {
  const conditions = Array.isArray(object.status?.conditions) ? object.status.conditions : [];
  for (const type of TELLING_CONDITIONS) {
    const found = conditions.find((c) => c.type === type && typeof c.message === "string" && c.message !== "");
    if (found) return found.message as string;
  }
  const name = `${object.kind ?? "object"} ${object.metadata?.name ?? ""}`.trim();
  return state === "Healthy"
    ? `${name} is healthy`
    : state === "Degraded"
      ? `${name} has failed`
      : `${name} is progressing`;
}

const STATE_OF = { inProgress: "Progressing", failed: "Degraded", current: "Healthy" } as const;

/** The verdict of one rule on one object. */
export function evaluateHealth(rule: CompiledHealthRule, object: unknown): HealthVerdict {
  const inspected = object as Inspected;
  const generation = inspected.metadata?.generation;
  const observed = inspected.status?.observedGeneration;
  if (typeof generation === "number" && typeof observed === "number" && observed < generation) {
    return {
      state: "Progressing",
      message: `${inspected.kind} ${inspected.metadata?.name}: its controller has not seen generation ${generation} yet`,
    };
  }
  for (const { field, run } of rule.expressions) {
    let holds: unknown;
    try {
      holds = run({ self: object });
    } catch (error) {
      // A field the object does not have yet: as Flux, wait rather than fail.
      const reason = error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
      return {
        state: "Progressing",
        message: `${inspected.kind} ${inspected.metadata?.name}: waiting (${field}: ${reason})`,
      };
    }
    if (holds === true) return { state: STATE_OF[field], message: describe(inspected, STATE_OF[field]) };
  }
  return { state: "Progressing", message: describe(inspected, "Progressing") };
}

/** True when the condition of this type is True (false while absent). */
const condition = (type: string, status = "True") =>
  `self.status.?conditions.orValue([]).exists(c, c.type == '${type}' && c.status == '${status}')`;

/** The Ready-condition rule every Flux kind, ExternalSecret and cert-manager Certificate follows. */
const readyCondition = (apiVersion: string, kind: string): HealthRuleValue => ({
  apiVersion,
  kind,
  inProgress: condition("Reconciling"),
  failed: condition("Ready", "False"),
  current: condition("Ready"),
});

/**
 * Rules for the kinds every fleet runs, used where no rule of the user's names the kind:
 * workloads (Deployment, StatefulSet, Job), Flux's kinds, External Secrets, Sealed Secrets and
 * cert-manager's Certificate.
 */
export const BUILT_IN_HEALTH_RULES: readonly HealthRuleValue[] = [
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    failed: condition("Progressing", "False"),
    current:
      "self.status.?updatedReplicas.orValue(0) >= self.spec.?replicas.orValue(1) && self.status.?availableReplicas.orValue(0) >= self.spec.?replicas.orValue(1)",
  },
  {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    current:
      "self.status.?readyReplicas.orValue(0) >= self.spec.?replicas.orValue(1) && self.status.?updatedReplicas.orValue(0) >= self.spec.?replicas.orValue(1)",
  },
  { apiVersion: "batch/v1", kind: "Job", failed: condition("Failed"), current: condition("Complete") },
  readyCondition("kustomize.toolkit.fluxcd.io/v1", "Kustomization"),
  readyCondition("helm.toolkit.fluxcd.io/v2", "HelmRelease"),
  readyCondition("source.toolkit.fluxcd.io/v1", "GitRepository"),
  readyCondition("source.toolkit.fluxcd.io/v1", "HelmRepository"),
  readyCondition("source.toolkit.fluxcd.io/v1beta2", "OCIRepository"),
  readyCondition("external-secrets.io/v1", "ExternalSecret"),
  readyCondition("cert-manager.io/v1", "Certificate"),
  {
    apiVersion: "bitnami.com/v1alpha1",
    kind: "SealedSecret",
    failed: condition("Synced", "False"),
    current: condition("Synced"),
  },
];

const builtIns = BUILT_IN_HEALTH_RULES.map((rule) => compileHealthRule(rule));

/**
 * The verdict on an object: the first of `rules` (the user's) for its group and kind, else the
 * built-in one; a kind nobody has a rule for is healthy once it exists, as Flux's generic check
 * treats an object without status.
 */
export function healthOf(object: unknown, rules: readonly CompiledHealthRule[] = []): HealthVerdict {
  const inspected = object as Inspected;
  const group = groupOf(inspected.apiVersion ?? "");
  const rule = [...rules, ...builtIns].find((r) => r.group === group && r.kind === inspected.kind);
  if (rule) return evaluateHealth(rule, object);
  return {
    state: "Healthy",
    message: `${inspected.kind} ${inspected.metadata?.name ?? ""} exists (no health rule for its kind)`,
  };
}
