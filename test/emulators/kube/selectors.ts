/**
 * Label and field selectors, with the grammar of k8s.io/apimachinery's
 * labels.Parse and fields.ParseSelector:
 *
 *   label:  a=b  a==b  a!=b  a in (x,y)  a notin (x)  a  !a  a>1  a<1   (comma = AND)
 *   field:  metadata.name=x  metadata.name==x  metadata.name!=x  (also metadata.namespace)
 */
import { errors } from "./errors.js";
import { isObject, type JsonObject } from "./json.js";

export type Labels = Record<string, string>;
export type Predicate<T> = (v: T) => boolean;

const MATCH_ALL = () => true;

/** Split on commas that are not inside parentheses: "a in (x,y),b" → ["a in (x,y)", "b"]. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim());
}

const KEY = "[A-Za-z0-9][-A-Za-z0-9_./]*";
const VALUE = "[-A-Za-z0-9_.]*";
const SET_RE = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^)]*)\)$`);
const CMP_RE = new RegExp(String.raw`^(${KEY})\s*(==|!=|=|>|<)\s*(${VALUE})$`);
const EXISTS_RE = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

function labelRequirement(term: string, selector: string): Predicate<Labels> {
  let m = SET_RE.exec(term);
  if (m) {
    const [, key = "", op, list = ""] = m;
    const values = new Set(list.split(",").map((v) => v.trim()));
    if (op === "in") return (l) => Object.hasOwn(l, key) && values.has(l[key] as string);
    // notin also matches objects without the label, as in Kubernetes.
    return (l) => !Object.hasOwn(l, key) || !values.has(l[key] as string);
  }
  m = CMP_RE.exec(term);
  if (m) {
    const [, key = "", op, value = ""] = m;
    switch (op) {
      case "=":
      case "==":
        return (l) => l[key] === value;
      case "!=":
        return (l) => l[key] !== value;
      default: {
        const n = Number(value);
        if (!Number.isInteger(n)) {
          throw errors.badRequest(
            `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
        return op === ">"
          ? (l) => Object.hasOwn(l, key) && Number(l[key]) > n
          : (l) => Object.hasOwn(l, key) && Number(l[key]) < n;
      }
    }
  }
  m = EXISTS_RE.exec(term);
  if (m) {
    const [, not, key = ""] = m;
    return not ? (l) => !Object.hasOwn(l, key) : (l) => Object.hasOwn(l, key);
  }
  throw errors.badRequest(`unable to parse requirement: found '${term}' in label selector "${selector}"`);
}

export function parseLabelSelector(selector: string | null | undefined): Predicate<Labels> {
  if (!selector?.trim()) return MATCH_ALL;
  const reqs = splitTerms(selector).map((t) => labelRequirement(t, selector));
  return (labels) => reqs.every((r) => r(labels));
}

/** Fields every type supports in field selectors. (Real per-type fields such as pods' status.phase are not modelled.) */
const FIELD_GETTERS: Record<string, (obj: JsonObject) => string> = {
  "metadata.name": (o) => String((o.metadata as JsonObject | undefined)?.name ?? ""),
  "metadata.namespace": (o) => String((o.metadata as JsonObject | undefined)?.namespace ?? ""),
};

export function parseFieldSelector(selector: string | null | undefined): Predicate<JsonObject> {
  if (!selector?.trim()) return MATCH_ALL;
  const reqs = splitTerms(selector).map((term): Predicate<JsonObject> => {
    const m = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!m) throw errors.badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, field = "", op, value = ""] = m;
    const get = FIELD_GETTERS[field];
    if (!get) throw errors.badRequest(`field label not supported: ${field}`);
    return op === "!=" ? (o) => get(o) !== value : (o) => get(o) === value;
  });
  return (obj) => reqs.every((r) => r(obj));
}

export function labelsOf(obj: JsonObject): Labels {
  const labels = (obj.metadata as JsonObject | undefined)?.labels;
  return isObject(labels) ? (labels as Labels) : {};
}
