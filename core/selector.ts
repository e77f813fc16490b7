import { getTableName, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { resourceLabels } from "../schema/labels";
import { ValidationError } from "./errors";

/**
 * Kubernetes label selectors: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * joined by commas (AND). Parsed once, then either matched in memory (placement) or turned into
 * SQL over the label index (lists), so both agree on the same semantics.
 */
export type Requirement =
  | { key: string; op: "=" | "!="; values: [string] }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists"; values: [] };

// Qualified name: optional DNS subdomain prefix and a name segment (Kubernetes validation rules).
const NAME_SEGMENT = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?)$/;

export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))) {
    return `label key prefix "${prefix}" must be a DNS subdomain`;
  }
  if (!NAME_SEGMENT.test(name) || name.length > 63) {
    return `label key "${key}" must be 1-63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric, with an optional DNS prefix`;
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63 || !VALUE.test(value)) {
    return `label value "${value}" must be at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`;
  }
  return undefined;
}

function fail(selector: string, why: string): never {
  throw new ValidationError(`Invalid labelSelector "${selector}": ${why}`, [
    { location: "query.labelSelector", message: why },
  ]);
}

/** Splits on commas that are not inside a `( … )` value list. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim());
}

export function parseLabelSelector(selector: string): Requirement[] {
  if (selector.trim() === "") return [];
  if (selector.length > 4096) fail(selector.slice(0, 40), "selector is longer than 4096 characters");
  const requirements: Requirement[] = [];
  for (const term of splitTerms(selector)) {
    if (term === "") fail(selector, "empty requirement");
    const setMatch = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
    const eqMatch = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
    const existsMatch = /^(!?)\s*([^\s!=(),]+)$/.exec(term);
    let req: Requirement;
    if (setMatch) {
      const values = (setMatch[3] as string).split(",").map((v) => v.trim());
      if (values.some((v) => v === "")) fail(selector, `empty value in "${term}"`);
      req = { key: setMatch[1] as string, op: setMatch[2] as "in" | "notin", values };
    } else if (eqMatch) {
      const op = eqMatch[2] === "!=" ? "!=" : "=";
      req = { key: eqMatch[1] as string, op, values: [eqMatch[3] as string] };
    } else if (existsMatch) {
      req = { key: existsMatch[2] as string, op: existsMatch[1] ? "!exists" : "exists", values: [] };
    } else {
      fail(selector, `cannot parse "${term}"`);
    }
    const keyProblem = labelKeyProblem(req.key);
    if (keyProblem) fail(selector, keyProblem);
    for (const value of req.values) {
      const valueProblem = labelValueProblem(value);
      if (valueProblem) fail(selector, valueProblem);
    }
    requirements.push(req);
  }
  return requirements;
}

export function matchesSelector(labels: Record<string, string>, requirements: Requirement[]): boolean {
  return requirements.every((req) => {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    switch (req.op) {
      case "=":
        return has && value === req.values[0];
      case "!=":
        return !has || value !== req.values[0];
      case "in":
        return has && req.values.includes(value as string);
      case "notin":
        return !has || !req.values.includes(value as string);
      case "exists":
        return has;
      case "!exists":
        return !has;
      default:
        return unreachable(req);
    }
  });
}

/** A table whose rows carry labels, indexed in `resource_labels` by its triggers. */
export type LabelledTable = SQLiteTable & { id: SQLiteColumn };

/**
 * A selector as SQL over the label index: each requirement is an (anti-)semi-join on the
 * `resource_labels` primary key (resource, id, key), one index probe per row considered. Keys
 * and values are bound parameters, never spliced in. `except` leaves out a requirement the
 * caller already answers by driving the query from the index (see `listPage`).
 */
export function selectorToSql(
  table: LabelledTable,
  requirements: Requirement[],
  except?: Requirement,
): SQL | undefined {
  const resource = getTableName(table);
  const parts = requirements
    .filter((req) => req !== except)
    .map((req) => {
      const label = (value?: SQL) =>
        sql`EXISTS (SELECT 1 FROM ${resourceLabels} WHERE ${resourceLabels.resource} = ${resource} AND ${resourceLabels.resourceId} = ${table.id} AND ${resourceLabels.key} = ${req.key}${value ? sql` AND ${resourceLabels.value} ${value}` : sql``})`;
      const values = sql`IN (${sql.join(
        req.values.map((v) => sql`${v}`),
        sql`, `,
      )})`;
      switch (req.op) {
        case "=":
          return label(sql`= ${req.values[0]}`);
        case "!=":
          return sql`NOT ${label(sql`= ${req.values[0]}`)}`;
        case "in":
          return label(values);
        case "notin":
          return sql`NOT ${label(values)}`;
        case "exists":
          return label();
        case "!exists":
          return sql`NOT ${label()}`;
        default:
          return unreachable(req);
      }
    });
  return parts.length === 0 ? undefined : sql.join(parts, sql` AND `);
}

function unreachable(value: never): never {
  throw new Error(`unhandled selector operator in ${JSON.stringify(value)}`);
}
