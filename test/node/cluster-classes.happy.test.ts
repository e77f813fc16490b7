import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
});
afterAll(() => t.close());

describe("cluster classes: happy paths", () => {
  const eksClass = {
    name: "eks-cluster-class",
    provider: "eks",
    region: "eu-west-1",
    version: "1.30",
    labels: { "fleet.acme.io/tier": "prod", Team: "Platform" },
    workers: [{ name: "worker", replicas: 5, instanceType: "m6i.large" }],
    eks: { roleArn: "arn:aws:iam::123456789012:role/eks", subnetIds: ["subnet-0a1b", "subnet-0c2d"] },
  };

  it("creates a class and returns the user's fields exactly as written", async () => {
    const res = await t.request("POST", "/v1/cluster-classes", { body: eksClass });
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("location")).toBe(`/v1/cluster-classes/${res.body.id}`);
    expect(res.body.id).toMatch(/^ccl_[0-9A-Z]{26}$/);
    const { id, status, generation, revision, createdAt, updatedAt, ...echo } = res.body;
    expect(echo).toEqual(eksClass);
    expect(status).toEqual({ conditions: [], observedGeneration: 1 });
    expect([generation, revision]).toEqual([1, 1]);
    expect(Date.parse(createdAt)).toBe(Date.parse(updatedAt));
  });

  it("reads by id and by name, identically", async () => {
    const byName = await t.request("GET", "/v1/cluster-classes/eks-cluster-class");
    const byId = await t.request("GET", `/v1/cluster-classes/${byName.body.id}`);
    expect(byName.status).toBe(200);
    expect(byId.body).toEqual(byName.body);
  });

  it("merge-patches: null removes, labels merge, generation and revision move", async () => {
    const res = await t.request("PATCH", "/v1/cluster-classes/eks-cluster-class", {
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
    const res = await t.request("PUT", "/v1/cluster-classes/eks-cluster-class", {
      body: { name: "eks-cluster-class", provider: "eks", description: "replaced" },
    });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe("replaced");
    expect(res.body).not.toHaveProperty("workers");
    expect(res.body.labels).toEqual({});
  });

  it("an identical PUT is a no-op: no new revision", async () => {
    const before = await t.request("GET", "/v1/cluster-classes/eks-cluster-class");
    const res = await t.request("PUT", "/v1/cluster-classes/eks-cluster-class", {
      body: { name: "eks-cluster-class", provider: "eks", description: "replaced" },
    });
    expect(res.body.revision).toBe(before.body.revision);
  });

  it("lists with label selectors and a provider filter", async () => {
    await t.request("POST", "/v1/cluster-classes", {
      body: { name: "imported", provider: "imported", labels: { tier: "dev" } },
    });
    await t.request("POST", "/v1/cluster-classes", {
      body: { name: "capi-small", provider: "capi", labels: { tier: "prod", size: "s" } },
    });
    const names = async (query: string) =>
      (await t.request("GET", `/v1/cluster-classes?${query}`)).body.items.map((i: { name: string }) => i.name).sort();
    expect(await names("labelSelector=tier%3Dprod")).toEqual(["capi-small"]);
    expect(await names("labelSelector=tier%20in%20(dev,prod)")).toEqual(["capi-small", "imported"]);
    expect(await names("labelSelector=!size")).toEqual(["eks-cluster-class", "imported"]);
    expect(await names("labelSelector=tier!%3Ddev")).toEqual(["capi-small", "eks-cluster-class"]);
    expect(await names("provider=imported")).toEqual(["imported"]);
  });

  it("deletes an unused class; then it is 404", async () => {
    const res = await t.request("DELETE", "/v1/cluster-classes/capi-small");
    expect(res.status).toBe(204);
    expect((await t.request("GET", "/v1/cluster-classes/capi-small")).status).toBe(404);
  });

  it("records an audit trail in events", async () => {
    const res = await t.request("GET", "/v1/events?resource=eks-cluster-class");
    expect(res.body.items.map((e: { reason: string }) => e.reason)).toEqual(["Created", "Updated", "Updated"]);
    expect(res.body.items[1].diff.version).toEqual({ from: "1.30", to: "1.31" });
    expect(res.body.items[0].actor).toBe("tok_admin_env");
  });
});
