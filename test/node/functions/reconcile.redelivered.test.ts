import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reconcileCluster } from "../../../functions/clusters/reconcile";
import { jobs } from "../../../schema";
import { KUSTOMIZATION, useGitopsFleet } from "../support/gitops";
import { reconciled } from "../support/harness";

/**
 * Delivery is at least once: a queue may hand the same reconcile job over again after it ran
 * (a lost acknowledgement, a host killed after its commit). Running it again must change
 * nothing a person sees: no second alert, no second repair, the same report.
 */
describe("a reconcile delivered twice", () => {
  const fleet = useGitopsFleet();
  const { cluster } = fleet;

  /**
   * The cluster's reconcile job as the queue would hand it over again. It may still be queued
   * (it follows Flux after applying), so this second delivery can overlap the first's next run,
   * as two consumers of one queue can.
   */
  async function lastReconcileJob(clusterName: string) {
    const cluster = (await fleet.t.request("GET", `/v1/clusters/${clusterName}`)).body;
    const [job] = await fleet.t.host.deps.store
      .select()
      .from(jobs)
      .where(and(eq(jobs.resourceId, cluster.id), eq(jobs.kind, reconcileCluster.kind)))
      .orderBy(desc(jobs.createdAt))
      .limit(1);
    if (!job) {
      const all = await fleet.t.host.deps.store.select().from(jobs).where(eq(jobs.resourceId, cluster.id));
      throw new Error(
        `no reconcile job of ${clusterName}: ${JSON.stringify(all.map((j) => [j.kind, j.state, j.message]))}`,
      );
    }
    return job;
  }

  const eventsOf = async (name: string, reason: string) =>
    (
      (await fleet.t.request("GET", `/v1/events?resource=${name}&pageSize=500`)).body.items as { reason: string }[]
    ).filter((e) => e.reason === reason);

  it("reports drift once: the same report, no second DriftDetected", async () => {
    const kube = await cluster("twice-reported");
    kube.editAs("kubectl-edit", KUSTOMIZATION, { spec: { prune: false } });
    const first = await reconciled(fleet.t.request, "twice-reported");
    expect(first.state).toBe("Modified");
    expect(await eventsOf("twice-reported", "DriftDetected")).toHaveLength(1);

    const result = await reconcileCluster.run(await lastReconcileJob("twice-reported"), fleet.t.host.deps);
    // Whether it then keeps following Flux depends on timing; what it wrote is the point.
    expect(["done", "poll"]).toContain(result.outcome);
    const again = (await fleet.t.request("GET", "/v1/clusters/twice-reported/drift")).body;
    expect(again.state).toBe("Modified");
    expect(again.items).toEqual(first.items);
    expect(await eventsOf("twice-reported", "DriftDetected")).toHaveLength(1);
  });

  it("repairs once: the redelivered run finds nothing left to repair", async () => {
    const kube = await cluster("twice-repaired", { driftPolicy: "remediate" });
    kube.editAs("kubectl-edit", KUSTOMIZATION, { spec: { prune: false } });
    await reconciled(fleet.t.request, "twice-repaired");
    expect((kube.store.get(KUSTOMIZATION) as unknown as { spec: { prune: boolean } }).spec.prune).toBe(true);
    const repairs = await eventsOf("twice-repaired", "DriftRepaired");
    expect(repairs).toHaveLength(1);
    const writes = kube.requests.filter((r) => r.method === "PATCH" || r.method === "PUT").length;

    await reconcileCluster.run(await lastReconcileJob("twice-repaired"), fleet.t.host.deps);
    expect(await eventsOf("twice-repaired", "DriftRepaired")).toHaveLength(1);
    expect(kube.requests.filter((r) => r.method === "PATCH" || r.method === "PUT").length).toBe(writes);
    expect((await fleet.t.request("GET", "/v1/clusters/twice-repaired/drift")).body.state).toBe("Ready");
  });
});
