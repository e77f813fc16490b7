import { sqliteTable, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { EnvironmentSpecFields } from "../core/environments/spec";
import { resourceColumns } from "./columns";

/**
 * Environments (`production`, `staging`, …): shared fleet-config values and repository for
 * every cluster whose `environment` names them, between the class's and the cluster's own.
 */
export const environments = sqliteTable("environments", { ...resourceColumns<EnvironmentSpecFields>() }, (t) => [
  uniqueIndex("environments_name").on(t.name),
]);
