import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { clusters } from "../../schema";
import type { Ctx, Deps } from "../context";
import { NotFoundError } from "../errors";
import { isId } from "../ids";
import { CLUSTER_KIND } from "../kinds";
import { clampPageSize, decodePageToken, type PageRequest, toPage } from "../pagination";
import { toWire } from "../resource";
import { parseLabelSelector, selectorToSql } from "../selector";

export type ClusterRow = typeof clusters.$inferSelect;

/** The wire form never carries the sealed credentials; only `connection.server` is in spec. */
export function clusterToWire(row: ClusterRow) {
  return toWire(row);
}

export async function findCluster(deps: Deps, ref: string): Promise<ClusterRow | undefined> {
  const where = isId(ref) ? eq(clusters.id, ref) : eq(clusters.name, ref);
  const rows = await deps.store.select().from(clusters).where(where).limit(1);
  return rows[0];
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

export async function listClusters(ctx: Ctx, query: ListClusters) {
  const pageSize = clampPageSize(query.pageSize);
  const filters = {
    labelSelector: query.labelSelector ?? "",
    environment: query.environment ?? "",
    phase: query.phase ?? "",
  };
  const after = decodePageToken(query.pageToken, filters);
  const where: (SQL | undefined)[] = [
    selectorToSql(clusters.labels, parseLabelSelector(query.labelSelector ?? "")),
    query.environment ? eq(clusters.environment, query.environment) : undefined,
    query.phase ? eq(clusters.phase, query.phase) : undefined,
    after ? gt(clusters.id, after) : undefined,
  ];
  const rows = await ctx.store
    .select()
    .from(clusters)
    .where(and(...where))
    .orderBy(asc(clusters.id))
    .limit(pageSize + 1);
  return toPage(rows, pageSize, filters);
}
