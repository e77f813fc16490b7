import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fleet, startFleet } from "./support/fleet";
import { expectProblem } from "./support/harness";

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ runJobs: false });
  await fleet.request("POST", "/v1/tenants", {
    body: {
      name: "team-payments",
      namespace: "team-payments",
      source: { url: "https://github.com/acme/payments-k8s" },
      placement: { labelSelector: "tier=prod" },
    },
  });
});
afterAll(() => fleet.close());

const post = (body: Record<string, unknown>) => fleet.request("POST", "/v1/tenants/team-payments/secrets", { body });

describe("secrets: errors", () => {
  it("refuses the policy combinations External Secrets refuses (422), writing nothing to AWS", async () => {
    for (const [creationPolicy, deletionPolicy] of [
      ["Merge", "Delete"],
      ["None", "Delete"],
      ["None", "Merge"],
    ]) {
      const res = await post({ name: "bad", data: { a: "b" }, creationPolicy, deletionPolicy });
      expectProblem(res, 422, "invalid_policy_combination");
      expect(res.body.errors[0].location).toBe("body.deletionPolicy");
    }
    expect(fleet.aws.requests.filter((r) => r.service === "secretsmanager")).toEqual([]);
    // What ESO accepts is accepted.
    expect(
      (await post({ name: "owned", data: { a: "b" }, creationPolicy: "Owner", deletionPolicy: "Delete" })).status,
    ).toBe(202);
    expect(
      (await post({ name: "merged", remoteRef: { key: "prod/x" }, creationPolicy: "Merge", deletionPolicy: "Retain" }))
        .status,
    ).toBe(202);
  });

  it("needs exactly one of data and remoteRef", async () => {
    expectProblem(await post({ name: "neither" }), 422, "value_or_reference");
    expectProblem(
      await post({ name: "both", data: { a: "b" }, remoteRef: { key: "prod/x" } }),
      422,
      "value_or_reference",
    );
  });

  it("a secret stays in its tenant's namespace", async () => {
    const res = await post({ name: "escape", namespace: "kube-system", data: { a: "b" } });
    expectProblem(res, 422, "namespace_escape");
    expect(res.body.errors[0].location).toBe("body.namespace");
  });

  it("malformed input is 400: key names, sizes, durations", async () => {
    expectProblem(await post({ name: "k", data: { "bad key!": "x" } }), 400, "validation_failed");
    expectProblem(await post({ name: "k", data: {} }), 400, "validation_failed");
    expectProblem(await post({ name: "k", data: { a: "x".repeat(70_000) } }), 400, "validation_failed");
    expectProblem(await post({ name: "k", data: { a: "x" }, refreshInterval: "soon" }), 400, "validation_failed");
    expectProblem(await post({ name: "Not_DNS", data: { a: "x" } }), 400, "validation_failed");
  });

  it("duplicates are 409; PUT cannot rename or switch between value and reference", async () => {
    expect((await post({ name: "db", data: { password: "one" } })).status).toBe(202);
    expectProblem(await post({ name: "db", data: { password: "two" } }), 409, "already_exists");
    const put = (body: Record<string, unknown>, headers = {}) =>
      fleet.request("PUT", "/v1/tenants/team-payments/secrets/db", { body, headers });
    expectProblem(await put({ name: "renamed", data: { password: "x" } }), 422, "immutable_field");
    expectProblem(await put({ name: "db", remoteRef: { key: "prod/db" } }), 422, "immutable_field");
    expectProblem(
      await put({ name: "db", data: { password: "x" } }, { "if-match": '"7"' }),
      412,
      "precondition_failed",
    );
    expectProblem(
      await fleet.request("PUT", "/v1/tenants/team-payments/secrets/merged", {
        body: { name: "merged", data: { a: "value" } },
      }),
      422,
      "immutable_field",
    );
  });

  it("Secrets Manager failing is a 503 and nothing is half-written", async () => {
    fleet.aws.faults.throttleNext = 100;
    const res = await post({ name: "throttled", data: { password: "p" } });
    fleet.aws.faults.throttleNext = 0;
    expectProblem(res, 503, "unavailable");
    expect(res.body.detail).toMatch(/Secrets Manager CreateSecret failed/);
    expectProblem(await fleet.request("GET", "/v1/tenants/team-payments/secrets/throttled"), 404);
    // A retry once AWS is back works.
    expect((await post({ name: "throttled", data: { password: "p" } })).status).toBe(202);
  });

  it("a referenced secret writes nothing to AWS", async () => {
    const before = fleet.aws.requests.length;
    const res = await post({ name: "shared-db", remoteRef: { key: "prod/payments/db", property: "password" } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      remoteRef: { key: "prod/payments/db", property: "password" },
      keys: ["password"],
    });
    expect(res.body.secretsManager).toBeUndefined();
    expect(fleet.aws.requests.length).toBe(before);
  });
});
