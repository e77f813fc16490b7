import { asc, eq } from "drizzle-orm";
import { parseAllDocuments } from "yaml";
import { addonBundles, addonPins } from "../../schema";
import type { Deps } from "../context";
import type { Statement } from "../store";

/** A Kubernetes object of a bundle, as the manifest declares it. */
export interface BundleObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

export interface Bundle {
  sha256: string;
  objects: BundleObject[];
}

/** D1 refuses rows over 2 MB; parts stay well under it. */
const PART_BYTES = 512 * 1024;

const pinKey = (urls: string[]) => urls.join(" ");

export async function findPin(deps: Deps, urls: string[]): Promise<string | undefined> {
  const [pin] = await deps.store
    .select()
    .from(addonPins)
    .where(eq(addonPins.urls, pinKey(urls)))
    .limit(1);
  return pin?.sha256;
}

/** The stored bundle with that digest, or undefined when it was never fetched (or was evicted). */
export async function findBundle(deps: Deps, sha256: string): Promise<Bundle | undefined> {
  const rows = await deps.store
    .select()
    .from(addonBundles)
    .where(eq(addonBundles.sha256, sha256))
    .orderBy(asc(addonBundles.part));
  if (rows.length === 0 || rows.length !== rows[0]?.parts) return undefined;
  return { sha256, objects: rows.flatMap((r) => JSON.parse(r.objects) as BundleObject[]) };
}

/** Writes the pin (if new) and the bundle's parts; both are idempotent, so a repeated run changes nothing. */
export function storeBundleStatements(deps: Deps, urls: string[], bundle: Bundle, now: number): Statement[] {
  const parts: BundleObject[][] = [[]];
  let size = 0;
  for (const object of bundle.objects) {
    const bytes = JSON.stringify(object).length;
    if (size + bytes > PART_BYTES && (parts[parts.length - 1] as BundleObject[]).length > 0) {
      parts.push([]);
      size = 0;
    }
    (parts[parts.length - 1] as BundleObject[]).push(object);
    size += bytes;
  }
  return [
    deps.store
      .insert(addonPins)
      .values({ urls: pinKey(urls), sha256: bundle.sha256, pinnedAt: now })
      .onConflictDoNothing(),
    ...parts.map((objects, part) =>
      deps.store
        .insert(addonBundles)
        .values({ sha256: bundle.sha256, part, parts: parts.length, objects: JSON.stringify(objects), fetchedAt: now })
        .onConflictDoNothing(),
    ),
  ];
}

/**
 * Parses a release manifest (multi-document YAML, or a `List`) into its objects, in order.
 * Throws with the document's position when a document is not a Kubernetes object.
 */
export function parseBundle(texts: string[]): BundleObject[] {
  const objects: BundleObject[] = [];
  texts.forEach((text, file) => {
    parseAllDocuments(text).forEach((doc, index) => {
      if (doc.errors.length > 0) throw new Error(`file ${file + 1}, document ${index + 1}: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) return;
      const items = isList(value) ? value.items : [value];
      for (const item of items) {
        if (!isObject(item) || typeof item.apiVersion !== "string" || typeof item.kind !== "string") {
          throw new Error(`file ${file + 1}, document ${index + 1}: not a Kubernetes object (apiVersion and kind)`);
        }
        const metadata = item.metadata as BundleObject["metadata"] | undefined;
        if (!metadata || typeof metadata.name !== "string") {
          throw new Error(`file ${file + 1}, document ${index + 1}: ${item.kind} without metadata.name`);
        }
        objects.push(item as BundleObject);
      }
    });
  });
  return objects;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isList(value: unknown): value is { items: unknown[] } {
  return isObject(value) && typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items);
}

/** Hex sha256 of the release's bytes (every file, in order), with WebCrypto so both hosts agree. */
export async function digestOf(texts: string[]): Promise<string> {
  const bytes = new TextEncoder().encode(texts.join("\n---\n"));
  const hash = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
