import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { AddonRelease } from "./applications";

/**
 * Which sha256 each add-on release URL is trusted with: the catalog's or the class's digest,
 * or the one the first fetch found. A later fetch of the same URL that finds other bytes is
 * refused, so a re-tagged release or a tampered mirror never reaches a cluster.
 */
export const addonPins = sqliteTable("addon_pins", {
  /** The release's manifest URLs, space-separated, in order. */
  urls: text("urls").primaryKey(),
  sha256: text("sha256").notNull(),
  pinnedAt: integer("pinned_at").notNull(),
});

/**
 * Add-on release bundles, parsed once and kept by digest. A bundle is public (upstream release
 * manifests) and never holds a value of ours. Big bundles are split into parts that fit D1's
 * row size; `part` orders them. This is a cache: a bundle that is gone is fetched again and
 * must match its pin.
 */
export const addonBundles = sqliteTable(
  "addon_bundles",
  {
    sha256: text("sha256").notNull(),
    part: integer("part").notNull(),
    /** How many parts the bundle has (the same on every row of a digest). */
    parts: integer("parts").notNull(),
    /** JSON array of the bundle's objects in this part, in manifest order. */
    objects: text("objects").notNull(),
    fetchedAt: integer("fetched_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.part] })],
);

/**
 * An add-on version a cluster keeps while its spec asks for another: a fleet-wide upgrade
 * holds every affected cluster at what it had until its wave reaches it, and a rollback holds
 * the clusters it took back until the spec changes again. A hold wins over the
 * class < environment < cluster layering; `rolloutId` is the rollout that set it.
 */
export const addonHolds = sqliteTable(
  "addon_holds",
  {
    clusterId: text("cluster_id").notNull(),
    addon: text("addon").notNull(),
    release: text("release", { mode: "json" }).$type<AddonRelease["addon"]>().notNull(),
    rolloutId: text("rollout_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.addon] }), index("addon_holds_rollout").on(t.rolloutId)],
);
