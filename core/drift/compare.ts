import type { DriftOwner } from "./sources";

/** The field manager of every server-side apply Fleetplane makes. */
export const FLEETPLANE_MANAGER = "fleetplane";

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  /** A string on the wire; client-node hands built-in types' times over as Dates. */
  time?: string | Date;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

export interface LiveObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    managedFields?: ManagedFieldsEntry[];
  };
  [key: string]: unknown;
}

/** Who last wrote a field, as `metadata.managedFields` says. */
export type DriftCause =
  | "ManualEdit"
  | "OwnerConflict"
  | "AdmissionMutation"
  | "Deleted"
  | "NoLongerWanted"
  | "Unreachable";

/** What a person needs to act on a drift item without reading YAML. */
export interface Explanation {
  cause: DriftCause;
  /** What changed, in one sentence. */
  summary: string;
  /** What that manager (or that kind of change) usually means. */
  meaning: string;
  remediation: string;
}

export interface FieldManager {
  name: string;
  operation: string;
  time: string | null;
}

export interface FieldDifference {
  path: string;
  desired: unknown;
  live: unknown;
  /** Another manager that owns the field now; absent when Fleetplane (or nobody) owns it. */
  manager: FieldManager | undefined;
}

type Segment = string;

/**
 * The fields Fleetplane owns on an object are exactly those it applies: the leaves of the
 * desired object (scalars, lists, empty maps), as server-side apply tracks them. Identity
 * fields are not compared.
 */
function leafPaths(value: unknown, prefix: Segment[] = []): Segment[][] {
  if (!isMap(value) || Object.keys(value).length === 0) return [prefix];
  const paths: Segment[][] = [];
  for (const [key, child] of Object.entries(value)) paths.push(...leafPaths(child, [...prefix, key]));
  return paths;
}

const IDENTITY = new Set(['["apiVersion"]', '["kind"]', '["metadata","name"]', '["metadata","namespace"]']);

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueAt(object: unknown, path: Segment[]): unknown {
  let current = object;
  for (const segment of path) {
    if (!isMap(current)) return undefined;
    current = current[segment];
  }
  return current;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** `.spec.postBuild.substitute.cluster_name`, with keys that are not identifiers in brackets. */
export function formatPath(path: Segment[]): string {
  return path.map((s) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join("");
}

/** Whether a FieldsV1 set (`{"f:spec":{"f:replicas":{}}}`) covers the path or a parent of it. */
function ownsPath(fields: Record<string, unknown> | undefined, path: Segment[]): boolean {
  let current: unknown = fields;
  for (const segment of path) {
    if (!isMap(current)) return false;
    const next = current[`f:${segment}`];
    if (next === undefined) return false;
    // An owned list or an owned leaf covers everything below it.
    if (isMap(next) && Object.keys(next).length === 0) return true;
    current = next;
  }
  return true;
}

function timeOf(entry: ManagedFieldsEntry): string {
  const time = entry.time as unknown;
  if (time instanceof Date) return Number.isNaN(time.getTime()) ? "" : time.toISOString();
  return typeof time === "string" ? time : "";
}

function managerOf(live: LiveObject, path: Segment[]): FieldManager | undefined {
  const owners = (live.metadata?.managedFields ?? []).filter(
    (entry) => entry.manager !== FLEETPLANE_MANAGER && !entry.subresource && ownsPath(entry.fieldsV1, path),
  );
  // The latest writer is the one that made the value what it is.
  owners.sort((a, b) => timeOf(b).localeCompare(timeOf(a)));
  const found = owners[0];
  if (!found) return undefined;
  return { name: found.manager ?? "unknown", operation: found.operation ?? "Update", time: timeOf(found) || null };
}

/**
 * Every field Fleetplane applies whose live value differs. A difference is drift when another
 * manager owns the field now (it took it with an Update or a forced apply); when Fleetplane
 * still owns it, or nobody does, the difference is Fleetplane's own change not yet applied.
 */
export function compareObject(desired: Record<string, unknown>, live: LiveObject): FieldDifference[] {
  const differences: FieldDifference[] = [];
  for (const path of leafPaths(desired)) {
    if (IDENTITY.has(JSON.stringify(path))) continue;
    const want = valueAt(desired, path);
    const have = valueAt(live, path);
    if (deepEqual(want, have)) continue;
    differences.push({ path: formatPath(path), desired: want, live: have ?? null, manager: managerOf(live, path) });
  }
  return differences;
}

export type DriftItemType = "Modified" | "Missing" | "PruneCandidate";

export interface DriftItem {
  type: DriftItemType;
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  owner: Omit<DriftOwner, "policy"> | null;
  path: string | null;
  desired: unknown;
  live: unknown;
  manager: FieldManager | null;
  explanation: Explanation;
}
