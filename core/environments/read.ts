import { eq } from "drizzle-orm";
import { environments } from "../../schema";
import type { Deps } from "../context";

/** The environment a cluster's `environment` names, if the platform team declared one. */
export async function findEnvironmentByName(deps: Deps, name: string | null | undefined) {
  if (!name) return undefined;
  const [row] = await deps.store.select().from(environments).where(eq(environments.name, name)).limit(1);
  return row;
}
