import { eq, sql } from "drizzle-orm";
import { clusters } from "../../schema";
import type { Ctx, Deps } from "../context";
import { NotFoundError } from "../errors";
import { isId } from "../ids";
import { CLUSTER_KIND } from "../kinds";
import { listWirePage, type WireRow, wireColumns } from "../list";
import type { PageRequest } from "../pagination";
import { toWire, type WireValues, wireJson } from "../resource";
import { prepared, type Store } from "../store";

export type ClusterRow = typeof clusters.$inferSelect;

/** The wire form never carries the sealed credentials; only `connection.server` is in spec. */
export function clusterToWire(row: WireRow<typeof clusters>) {
  return toWire(row);
}

/** One prepared lookup per column: `prepared` keys on the builder, so each is a module constant. */
const clusterWhere = (column: typeof clusters.id | typeof clusters.name) => (store: Store) =>
  store
    .select()
    .from(clusters)
    .where(eq(column, sql.placeholder("ref")))
    .limit(1)
    .prepare();
const clusterById = clusterWhere(clusters.id);
const clusterByName = clusterWhere(clusters.name);

/** The same lookups reading only the wire form's columns, as stored, for `wireJson`. */
const clusterWireWhere = (column: typeof clusters.id | typeof clusters.name) => (store: Store) =>
  store
    .select(wireColumns(clusters))
    .from(clusters)
    .where(eq(column, sql.placeholder("ref")))
    .limit(1)
    .prepare();
const clusterWireById = clusterWireWhere(clusters.id);
const clusterWireByName = clusterWireWhere(clusters.name);

/**
 * A cluster's wire form as JSON text, with its revision for the ETag: the read `GET` answers,
 * rendered from the stored columns without mapping the row to objects and back.
 */
export async function getClusterWire(ctx: Deps, ref: string): Promise<{ json: string; revision: number }> {
  const query = prepared(ctx.store, isId(ref) ? clusterWireById : clusterWireByName);
  const [values] = (await query.values({ ref })) as WireValues[];
  if (!values) throw new NotFoundError(CLUSTER_KIND, ref);
  return { json: wireJson(values), revision: values[6] };
}

export async function findCluster(deps: Deps, ref: string): Promise<ClusterRow | undefined> {
  return prepared(deps.store, isId(ref) ? clusterById : clusterByName).get({ ref });
}

export async function getCluster(ctx: Deps, ref: string): Promise<ClusterRow> {
  const row = await findCluster(ctx, ref);
  if (!row) throw new NotFoundError(CLUSTER_KIND, ref);
  return row;
}

export interface ListClusters extends PageRequest {
  labelSelector?: string | undefined;
  environment?: string | undefined;
  phase?: string | undefined;
}

/** A page of clusters, each item already the wire form's JSON text (`listWirePage`). */
export function listClustersWire(ctx: Ctx, query: ListClusters) {
  return listWirePage(ctx.store, clusters, query, {
    filters: { environment: query.environment ?? "", phase: query.phase ?? "" },
    where: [
      query.environment ? eq(clusters.environment, query.environment) : undefined,
      query.phase ? eq(clusters.phase, query.phase) : undefined,
    ],
  });
}
