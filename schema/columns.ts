import { integer, text } from "drizzle-orm/sqlite-core";

/**
 * Columns every Fleetplane resource shares: id, name, labels, spec, status, generation, revision. Spec and status are separate
 * JSON columns because the API writes one and the functions write the other. Each table types
 * them from its resource's zod schemas; a resource whose status is derived on read (from its
 * placements, deployments or member clusters) leaves the stored status untyped, as nothing
 * reads it back.
 */
export const resourceColumns = <
  Spec extends object = Record<string, unknown>,
  Status extends object = Record<string, unknown>,
>() => ({
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  labels: text("labels", { mode: "json" }).$type<Record<string, string>>().notNull(),
  spec: text("spec", { mode: "json" }).$type<Spec>().notNull(),
  status: text("status", { mode: "json" }).$type<Status>().notNull(),
  generation: integer("generation").notNull(),
  revision: integer("revision").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
