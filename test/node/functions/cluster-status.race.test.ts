import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClusterRow } from "../../../core/clusters/read";
import { getCondition } from "../../../core/conditions";
import { recordProgress } from "../../../functions/clusters/progress";
import { clusters } from "../../../schema";
import { startTestHost, type TestHost } from "../support/harness";

/**
 * A cluster's status has many writers: the API verbs (observedGeneration, Upgrading, Deleting)
 * and every per-cluster function (conditions, drift, add-ons). A function writes from the row
 * it read when it started, which may be seconds old. Each writer must change only what it owns,
 * so a stale read never undoes what another writer recorded in the meantime.
 */
describe("cluster status writers", () => {
  let t: TestHost;
  let clusterId: string;

  const row = async (): Promise<ClusterRow> => {
    const [found] = await t.host.deps.store.select().from(clusters).where(eq(clusters.id, clusterId));
    if (!found) throw new Error("cluster row is gone");
    return found;
  };

  beforeEach(async () => {
    // No job runner: the test is the only function writing, at the moments it chooses.
    t = await startTestHost({}, { runJobs: false });
    await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
    const created = await t.request("POST", "/v1/clusters", {
      body: {
        name: "race-1",
        class: "imported",
        connection: { server: "https://127.0.0.1:9", token: "t0ken-for-a-cluster-never-dialled" },
      },
    });
    expect(created.status).toBe(202);
    clusterId = created.body.id;
    // The connect function's verdict: connected, generation 1 observed.
    await recordProgress(t.host.deps, await row(), {
      phase: "Provisioned",
      conditions: [{ type: "Ready", status: "True", reason: "Connected", message: "API server reachable" }],
    });
  });

  afterEach(async () => {
    await t.close();
  });

  it("a function writing from a stale read keeps the generation a verb observed since", async () => {
    const stale = await row();
    expect(stale.status.observedGeneration).toBe(1);

    // A spec change no function needs to act on is observed by the verb itself.
    const patched = await t.request("PATCH", `/v1/clusters/${clusterId}`, { body: { region: "eu-west-1" } });
    expect(patched.status).toBe(200);
    expect(patched.body.status.observedGeneration).toBe(2);

    await recordProgress(t.host.deps, stale, {
      conditions: [{ type: "Drifted", status: "False", reason: "NoDrift", message: "no drift" }],
    });

    const after = await t.request("GET", `/v1/clusters/${clusterId}`);
    expect(after.body.generation).toBe(2);
    expect(after.body.status.observedGeneration).toBe(2);
    expect(getCondition(after.body.status.conditions, "Drifted")?.reason).toBe("NoDrift");
  });

  it("two functions writing from the same read keep each other's conditions, fields and phase", async () => {
    const stale = await row();

    await recordProgress(t.host.deps, stale, {
      phase: "Upgrading",
      conditions: [
        { type: "Reconciling", status: "True", reason: "ControlPlaneUpgradePending", message: "control plane" },
      ],
      fields: { version: "1.31" },
    });
    await recordProgress(t.host.deps, stale, {
      conditions: [{ type: "Drifted", status: "True", reason: "Modified", message: "1 object drifted" }],
      fields: { drift: { objects: 1 } },
    });

    const after = await row();
    expect(after.phase).toBe("Upgrading");
    expect(after.status.phase).toBe("Upgrading");
    expect(after.status.version).toBe("1.31");
    expect(after.status.drift).toEqual({ objects: 1 });
    const types = (after.status.conditions as { type: string }[]).map((c) => c.type);
    expect(types).toEqual(["Ready", "Reconciling", "Drifted"]);
  });

  it("a condition keeps its transition time while its status holds, and moves when it flips", async () => {
    const first = await row();
    const readySince = getCondition(first.status.conditions as never, "Ready")?.lastTransitionTime;
    await new Promise((r) => setTimeout(r, 5));

    await recordProgress(t.host.deps, first, {
      conditions: [{ type: "Ready", status: "True", reason: "Connected", message: "still reachable" }],
    });
    const held = getCondition((await row()).status.conditions as never, "Ready");
    expect(held?.message).toBe("still reachable");
    expect(held?.lastTransitionTime).toBe(readySince);

    await recordProgress(t.host.deps, first, {
      conditions: [{ type: "Ready", status: "False", reason: "Unreachable", message: "connection refused" }],
    });
    const flipped = getCondition((await row()).status.conditions as never, "Ready");
    expect(flipped?.status).toBe("False");
    expect(flipped?.lastTransitionTime).not.toBe(readySince);
  });

  it("a function cannot write over a cluster whose deletion was requested", async () => {
    const stale = await row();
    const deleted = await t.request("DELETE", `/v1/clusters/${clusterId}`);
    expect(deleted.status).toBe(202);

    await recordProgress(t.host.deps, stale, { phase: "Provisioned", fields: { version: "1.30" } });

    const after = await row();
    expect(after.phase).toBe("Deleting");
    expect(after.status.phase).toBe("Deleting");
    expect(after.status.version).toBeUndefined();
  });
});
