import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({}, { runJobs: false });
});
afterAll(() => t.close());

/** Each test makes its own provider, so no test depends on what another left behind. */
async function provider(name: string) {
  const res = await t.request("POST", "/v1/notification-providers", {
    body: { name, type: "webhook", url: `http://127.0.0.1:9/${name}` },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; revision: number };
}

describe("notification providers and alert rules: errors", () => {
  it("rejects unknown fields, a bad type and a non-DNS name, each with its location", async () => {
    const res = await t.request("POST", "/v1/notification-providers", {
      body: { name: "Bad_Name", type: "pager", url: "http://127.0.0.1:9/x", status: {} },
    });
    expectProblem(res, 400, "validation_failed");
    const rule = await t.request("POST", "/v1/alert-rules", {
      body: { name: "r", providers: [], severities: ["loud"] },
    });
    expectProblem(rule, 400, "validation_failed");
    const locations = rule.body.errors.map((e: { location: string }) => e.location);
    expect(locations).toEqual(expect.arrayContaining(["body.providers", "body.severities[0]"]));
  });

  it("answers 404 for what does not exist, and 409 for a name taken", async () => {
    expectProblem(await t.request("GET", "/v1/notification-providers/nobody"), 404, "not_found");
    expectProblem(await t.request("PATCH", "/v1/alert-rules/nothing", { body: { severities: ["info"] } }), 404);
    await provider("dup");
    expectProblem(
      await t.request("POST", "/v1/notification-providers", {
        body: { name: "dup", type: "webhook", url: "http://127.0.0.1:9/other" },
      }),
      409,
      "already_exists",
    );
  });

  it("a delete naming an old revision is refused with 412 and deletes nothing", async () => {
    const p = await provider("stale");
    await t.request("PATCH", "/v1/notification-providers/stale", { body: { labels: { team: "ops" } } });
    expectProblem(
      await t.request("DELETE", "/v1/notification-providers/stale", { headers: { "if-match": `"${p.revision}"` } }),
      412,
      "precondition_failed",
    );
    expect((await t.request("GET", "/v1/notification-providers/stale")).status).toBe(200);

    await t.request("POST", "/v1/alert-rules", { body: { name: "stale-rule", providers: ["stale"] } });
    const rule = (await t.request("GET", "/v1/alert-rules/stale-rule")).body;
    expectProblem(
      await t.request("DELETE", "/v1/alert-rules/stale-rule", { headers: { "if-match": `"${rule.revision + 1}"` } }),
      412,
    );
    expect(
      (await t.request("DELETE", "/v1/alert-rules/stale-rule", { headers: { "if-match": `"${rule.revision}"` } }))
        .status,
    ).toBe(204);
  });

  it("a patch to a URL the policy refuses is 422 and leaves the provider as it was", async () => {
    const p = await provider("guarded");
    const res = await t.request("PATCH", "/v1/notification-providers/guarded", {
      body: { url: "http://169.254.169.254/latest" },
    });
    expectProblem(res, 422, "url_not_allowed");
    const after = await t.request("GET", "/v1/notification-providers/guarded");
    expect(after.body.revision).toBe(p.revision);
    expect(after.body.url).toBe("http://127.0.0.1:9/guarded");
  });
});
