/**
 * Admission-time behaviour of kube-apiserver that the emulator reproduces:
 * defaulting of a few well-known fields and the validation clients most
 * often trip over (names, labels, secret data). Spec fields of workloads are
 * not validated.
 */
import { errors, type StatusCause } from "./errors.js";
import { isObject, type JsonObject } from "./json.js";
import type { ResourceType } from "./resources.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function invalidValue(field: string, value: unknown, why: string): StatusCause {
  return { reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(value)}: ${why}`, field };
}

/** Name rules differ per type, as in the real registry strategies. */
function nameProblem(rt: ResourceType, name: string): string | undefined {
  if (rt.group === "rbac.authorization.k8s.io") {
    // RBAC names only have to be valid path segments ("system:controller:foo" is fine).
    if (name === "." || name === ".." || /[/%]/.test(name))
      return `may not be '.' or '..' and may not contain '/' or '%'`;
    return undefined;
  }
  if (rt.kind === "Namespace") {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc')";
    }
    return undefined;
  }
  if (rt.kind === "Service") {
    if (name.length > 63 || !DNS1035_LABEL.test(name)) {
      return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123')";
    }
    return undefined;
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
  }
  return undefined;
}

function qualifiedKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'";
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, and be at most 63 characters";
  }
  return undefined;
}

/** kube-apiserver's TotalAnnotationSizeLimitB. */
const MAX_ANNOTATION_BYTES = 256 * 1024;

/** Throws a 422 Invalid `Status` listing every problem found. */
export function validate(rt: ResourceType, obj: JsonObject): void {
  const meta = (obj.metadata ?? {}) as JsonObject;
  const name = String(meta.name ?? "");
  const causes: StatusCause[] = [];

  if (!name) {
    causes.push({
      reason: "FieldValueRequired",
      message: "Required value: name or generateName is required",
      field: "metadata.name",
    });
  } else {
    const problem = nameProblem(rt, name);
    if (problem) causes.push(invalidValue("metadata.name", name, problem));
  }

  for (const field of ["labels", "annotations"] as const) {
    const map = meta[field];
    if (map === undefined) continue;
    if (!isObject(map)) {
      causes.push(invalidValue(`metadata.${field}`, map, "must be a map of strings"));
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      const keyProblem = qualifiedKeyProblem(key);
      if (keyProblem) causes.push(invalidValue(`metadata.${field}`, key, keyProblem));
      if (typeof value !== "string") {
        causes.push(invalidValue(`metadata.${field}.${key}`, value, "must be a string"));
      } else if (field === "labels" && (value.length > 63 || !LABEL_VALUE.test(value))) {
        causes.push(
          invalidValue(
            `metadata.labels`,
            value,
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, and be at most 63 characters",
          ),
        );
      }
    }
  }

  // The real limit on all annotations together: client-side apply copies the whole object into
  // `kubectl.kubernetes.io/last-applied-configuration`, so it cannot apply a big CRD.
  if (isObject(meta.annotations)) {
    const bytes = Object.entries(meta.annotations).reduce(
      (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(String(value)),
      0,
    );
    if (bytes > MAX_ANNOTATION_BYTES) {
      causes.push({
        reason: "FieldValueTooLong",
        message: `Too long: may not be more than ${MAX_ANNOTATION_BYTES} bytes`,
        field: "metadata.annotations",
      });
    }
  }

  if (rt.kind === "Secret" && rt.group === "" && isObject(obj.data)) {
    for (const [key, value] of Object.entries(obj.data)) {
      if (typeof value !== "string" || value.length % 4 !== 0 || !BASE64.test(value)) {
        causes.push(invalidValue(`data[${key}]`, "<secret contents redacted>", "must be base64-encoded"));
      }
    }
  }

  if (rt.kind === "CustomResourceDefinition") causes.push(...crdProblems(obj, name));

  if (causes.length > 0) throw errors.invalid(rt, name, causes);
}

/** The CRD rules installers most often trip over: the name, the names, one storage version. */
function crdProblems(obj: JsonObject, name: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = isObject(obj.spec) ? obj.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const group = typeof spec.group === "string" ? spec.group : "";
  if (!group) causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec.group" });
  for (const field of ["plural", "kind"] as const) {
    if (typeof names[field] !== "string" || !names[field]) {
      causes.push({ reason: "FieldValueRequired", message: "Required value", field: `spec.names.${field}` });
    }
  }
  if (group && typeof names.plural === "string" && name !== `${names.plural}.${group}`) {
    causes.push(invalidValue("metadata.name", name, `must be spec.names.plural+"."+spec.group`));
  }
  if (spec.scope !== "Namespaced" && spec.scope !== "Cluster") {
    causes.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: ${JSON.stringify(spec.scope)}: supported values: "Cluster", "Namespaced"`,
      field: "spec.scope",
    });
  }
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  if (versions.filter((v) => v.storage === true).length !== 1) {
    causes.push(
      invalidValue("spec.versions", versions.length, "must have exactly one version marked as storage version"),
    );
  }
  return causes;
}

/** The map at `obj[key]`, created if absent. */
function mapAt(obj: JsonObject, key: string): JsonObject {
  const existing = obj[key];
  if (isObject(existing)) return existing;
  const created: JsonObject = {};
  obj[key] = created;
  return created;
}

/**
 * Defaulting done by the real API server for the emulated built-in types
 * (only the fields clients commonly observe). Mutates and returns `obj`.
 */
export function applyDefaults(rt: ResourceType, obj: JsonObject): JsonObject {
  if (rt.group !== "" && rt.group !== "apps") return obj;
  switch (rt.kind) {
    case "Namespace": {
      // The namespace strategy always labels namespaces with their name.
      const meta = mapAt(obj, "metadata");
      mapAt(meta, "labels")["kubernetes.io/metadata.name"] = meta.name;
      if (!isObject(obj.spec)) obj.spec = { finalizers: ["kubernetes"] };
      if (!isObject(obj.status)) obj.status = { phase: "Active" };
      break;
    }
    case "Secret": {
      // stringData is a write-only convenience: it is merged into data (base64) and never stored.
      if (isObject(obj.stringData)) {
        const data = mapAt(obj, "data");
        for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v)).toString("base64");
      }
      delete obj.stringData;
      obj.type ??= "Opaque";
      break;
    }
    case "Service": {
      const spec = mapAt(obj, "spec");
      spec.type ??= "ClusterIP";
      spec.sessionAffinity ??= "None";
      break;
    }
    case "Deployment": {
      const spec = mapAt(obj, "spec");
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      spec.strategy ??= { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } };
      break;
    }
  }
  return obj;
}
