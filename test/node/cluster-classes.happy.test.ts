import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
});
afterAll(() => t.close());

/** Each test makes the classes it needs, named after it, so any one runs alone. */
const eksClass = (name: string) => ({
  name,
  provider: "eks",
  region: "eu-west-1",
  version: "1.30",
  labels: { "fleet.acme.io/tier": "prod", Team: "Platform" },
  workers: [{ name: "worker", replicas: 5, instanceType: "m6i.large" }],
  eks: { roleArn: "arn:aws:iam::123456789012:role/eks", subnetIds: ["subnet-0a1b", "subnet-0c2d"] },
});

async function created(body: Record<string, unknown>) {
  const res = await t.request("POST", "/v1/cluster-classes", { body });
  expect(res.status).toBe(201);
  return res.body;
}

describe("cluster classes: happy paths", () => {
  it("creates a class and returns the user's fields exactly as written", async () => {
    const res = await t.request("POST", "/v1/cluster-classes", { body: eksClass("eks-cluster-class") });
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("location")).toBe(`/v1/cluster-classes/${res.body.id}`);
    expect(res.body.id).toMatch(/^ccl_[0-9A-Z]{26}$/);
    const { id, status, generation, revision, createdAt, updatedAt, ...echo } = res.body;
    expect(echo).toEqual(eksClass("eks-cluster-class"));
    expect(status).toEqual({ conditions: [], observedGeneration: 1 });
    expect([generation, revision]).toEqual([1, 1]);
    expect(Date.parse(createdAt)).toBe(Date.parse(updatedAt));
  });

  it("reads by id and by name, identically", async () => {
    await created(eksClass("read-me"));
    const byName = await t.request("GET", "/v1/cluster-classes/read-me");
    const byId = await t.request("GET", `/v1/cluster-classes/${byName.body.id}`);
    expect(byName.status).toBe(200);
    expect(byId.body).toEqual(byName.body);
  });

  it("merge-patches: null removes, labels merge, generation and revision move", async () => {
    await created(eksClass("patch-me"));
    const res = await t.request("PATCH", "/v1/cluster-classes/patch-me", {
      headers: { "content-type": "application/merge-patch+json", "if-match": '"1"' },
      body: { version: "1.31", region: null, labels: { Team: null, owner: "sre" } },
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe("1.31");
    expect(res.body).not.toHaveProperty("region");
    expect(res.body.labels).toEqual({ "fleet.acme.io/tier": "prod", owner: "sre" });
    expect([res.body.generation, res.body.revision]).toEqual([2, 2]);
    expect(res.headers.get("etag")).toBe('"2"');
  });

  it("PUT replaces the whole spec", async () => {
    await created(eksClass("replace-me"));
    const res = await t.request("PUT", "/v1/cluster-classes/replace-me", {
      body: { name: "replace-me", provider: "eks", description: "replaced" },
    });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe("replaced");
    expect(res.body).not.toHaveProperty("workers");
    expect(res.body.labels).toEqual({});
  });

  it("an identical PUT is a no-op: no new revision", async () => {
    const body = { name: "same-again", provider: "eks", description: "as it is" };
    const before = await created(body);
    const res = await t.request("PUT", "/v1/cluster-classes/same-again", { body });
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(before.revision);
  });

  it("lists with label selectors and a provider filter", async () => {
    await created({ name: "list-eks", provider: "eks", labels: { group: "listing", tier: "prod" } });
    await created({ name: "list-imported", provider: "imported", labels: { group: "listing", tier: "dev" } });
    await created({ name: "list-capi", provider: "capi", labels: { group: "listing", tier: "prod", size: "s" } });
    const names = async (selector: string, extra = "") =>
      (
        await t.request(
          "GET",
          `/v1/cluster-classes?labelSelector=${encodeURIComponent(`group=listing,${selector}`)}${extra}`,
        )
      ).body.items
        .map((i: { name: string }) => i.name)
        .sort();
    expect(await names("tier=prod,size")).toEqual(["list-capi"]);
    expect(await names("tier in (dev,prod)")).toEqual(["list-capi", "list-eks", "list-imported"]);
    expect(await names("!size")).toEqual(["list-eks", "list-imported"]);
    expect(await names("tier!=dev")).toEqual(["list-capi", "list-eks"]);
    expect(await names("tier", "&provider=imported")).toEqual(["list-imported"]);
  });

  it("deletes an unused class; then it is 404", async () => {
    await created({ name: "unused", provider: "capi" });
    const res = await t.request("DELETE", "/v1/cluster-classes/unused");
    expect(res.status).toBe(204);
    expect((await t.request("GET", "/v1/cluster-classes/unused")).status).toBe(404);
  });

  it("records an audit trail in events", async () => {
    await created(eksClass("audited"));
    const patch = (body: Record<string, unknown>) =>
      t.request("PATCH", "/v1/cluster-classes/audited", {
        headers: { "content-type": "application/merge-patch+json" },
        body,
      });
    expect((await patch({ version: "1.31" })).status).toBe(200);
    expect((await patch({ labels: { owner: "sre" } })).status).toBe(200);
    const res = await t.request("GET", "/v1/events?resource=audited");
    expect(res.body.items.map((e: { reason: string }) => e.reason)).toEqual(["Created", "Updated", "Updated"]);
    expect(res.body.items[1].diff.version).toEqual({ from: "1.30", to: "1.31" });
    expect(res.body.items[0].actor).toBe("tok_admin_env");
  });
});
