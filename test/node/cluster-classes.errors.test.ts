import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
  await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
});
afterAll(() => t.close());

describe("cluster classes: errors", () => {
  it("rejects unknown fields and names where they are wrong", async () => {
    const res = await t.request("POST", "/v1/cluster-classes", {
      body: { name: "x", provider: "eks", status: { phase: "Provisioned" }, id: "ccl_x" },
    });
    expectProblem(res, 400, "validation_failed");
    expect(res.body.errors[0].location).toBe("body");
    expect(res.body.errors[0].message).toMatch(/unknown field\(s\): status, id/);
  });

  it("rejects a non-DNS name, a bad version and bad labels, each with its location", async () => {
    const res = await t.request("POST", "/v1/cluster-classes", {
      body: { name: "Bad_Name", provider: "eks", version: "latest", labels: { "-bad": "x" } },
    });
    expectProblem(res, 400, "validation_failed");
    const locations = res.body.errors.map((e: { location: string }) => e.location);
    expect(locations).toEqual(expect.arrayContaining(["body.name", "body.version", "body.labels.-bad"]));
  });

  it("refuses a duplicate name with 409 already_exists", async () => {
    expectProblem(
      await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } }),
      409,
      "already_exists",
    );
  });

  it("refuses changing name or provider with 422", async () => {
    const res = await t.request("PUT", "/v1/cluster-classes/imported", { body: { name: "imported", provider: "eks" } });
    expectProblem(res, 422, "immutable_field");
    expect(res.body.errors[0].location).toBe("body.provider");
  });

  it("a patch that would produce an invalid class is refused and changes nothing", async () => {
    const before = await t.request("GET", "/v1/cluster-classes/imported");
    expectProblem(
      await t.request("PATCH", "/v1/cluster-classes/imported", { body: { workers: [{ name: "w", replicas: -1 }] } }),
      400,
      "validation_failed",
    );
    expect((await t.request("GET", "/v1/cluster-classes/imported")).body).toEqual(before.body);
  });

  it("If-Match with a stale revision is 412 and writes nothing", async () => {
    const before = await t.request("GET", "/v1/cluster-classes/imported");
    const res = await t.request("PATCH", "/v1/cluster-classes/imported", {
      headers: { "if-match": '"999"' },
      body: { description: "x" },
    });
    expectProblem(res, 412, "precondition_failed");
    expectProblem(
      await t.request("DELETE", "/v1/cluster-classes/imported", { headers: { "if-match": 'W/"1"' } }),
      412,
      "precondition_failed",
    );
    expect((await t.request("GET", "/v1/cluster-classes/imported")).body).toEqual(before.body);
  });

  it("a malformed If-Match is a 400", async () => {
    expectProblem(
      await t.request("PATCH", "/v1/cluster-classes/imported", { headers: { "if-match": "seven" }, body: {} }),
      400,
      "validation_failed",
    );
  });

  it("unknown refs are 404 problems", async () => {
    expectProblem(await t.request("GET", "/v1/cluster-classes/nope"), 404, "not_found");
    expectProblem(await t.request("GET", "/v1/cluster-classes/ccl_nope"), 404, "not_found");
    expectProblem(await t.request("DELETE", "/v1/cluster-classes/nope"), 404, "not_found");
  });

  it("invalid JSON is 400 invalid_json; a non-JSON content type is 415", async () => {
    expectProblem(await t.request("POST", "/v1/cluster-classes", { raw: '{"name":' }), 400, "invalid_json");
    expectProblem(
      await t.request("POST", "/v1/cluster-classes", { raw: "name=x", headers: { "content-type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
  });

  it("bodies over the cap are 413", async () => {
    const res = await t.request("POST", "/v1/cluster-classes", {
      body: { name: "big", provider: "eks", description: "x".repeat(2 * 1024 * 1024) },
    });
    expectProblem(res, 413, "payload_too_large");
  });

  it("bad selectors and page tokens are 400 with the query location", async () => {
    const selector = await t.request("GET", "/v1/cluster-classes?labelSelector=a%20in%20(");
    expectProblem(selector, 400, "validation_failed");
    expect(selector.body.errors[0].location).toBe("query.labelSelector");
    const token = await t.request("GET", "/v1/cluster-classes?pageToken=garbage!");
    expectProblem(token, 400, "validation_failed");
    expect(token.body.errors[0].location).toBe("query.pageToken");
  });

  it("unknown routes are 404 problems, not HTML", async () => {
    expectProblem(await t.request("GET", "/v1/nothing-here"), 404, "not_found");
  });
});
