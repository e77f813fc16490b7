import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fleet, startFleet } from "./support/fleet";
import { expectProblem } from "./support/harness";

/**
 * Refusals of the application routes: each a 4xx problem, and nothing written by any of them.
 * No functions run here, so what a verb wrote stays exactly as it left it.
 */
let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet({ runJobs: false });
}, 60_000);
afterAll(() => fleet?.close());

function appBody(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    source: { repoURL: "https://github.com/acme/apps", path: `apps/${name}`, targetRevision: "v1.0.0" },
    destination: { namespace: name },
    targets: { labelSelector: "tier=dev" },
    ...extra,
  };
}

async function created(name: string) {
  const res = await fleet.request("POST", "/v1/applications", { body: appBody(name) });
  expect(res.status).toBe(201);
  return res.body;
}

const mergePatch = { "content-type": "application/merge-patch+json" };

describe("applications: errors", () => {
  it("refuses unknown fields and ids in the body with 400, with where they are", async () => {
    const res = await fleet.request("POST", "/v1/applications", { body: { ...appBody("extra"), colour: "red" } });
    expectProblem(res, 400, "validation_failed");
    expectProblem(
      await fleet.request("POST", "/v1/applications", { body: { ...appBody("smuggled"), id: "app_x" } }),
      400,
    );
    expect((await fleet.request("GET", "/v1/applications/extra")).status).toBe(404);
  });

  it("refuses a duplicate name with 409 already_exists", async () => {
    await created("taken");
    expectProblem(await fleet.request("POST", "/v1/applications", { body: appBody("taken") }), 409, "already_exists");
  });

  it("If-Match with a stale revision is 412 and changes nothing; a malformed one is 400", async () => {
    const app = await created("guarded");
    const stale = await fleet.request("PATCH", "/v1/applications/guarded", {
      headers: { ...mergePatch, "if-match": '"7"' },
      body: { source: { targetRevision: "v9.9.9" } },
    });
    expectProblem(stale, 412, "precondition_failed");
    const malformed = await fleet.request("PATCH", "/v1/applications/guarded", {
      headers: { ...mergePatch, "if-match": "seven" },
      body: { source: { targetRevision: "v9.9.9" } },
    });
    expectProblem(malformed, 400);
    const after = await fleet.request("GET", "/v1/applications/guarded");
    expect(after.body.revision).toBe(app.revision);
    expect(after.body.source.targetRevision).toBe("v1.0.0");
    expect(after.body.status.latestRollout.number).toBe(1);
  });

  it("a patch that would make an invalid application is refused and changes nothing", async () => {
    const app = await created("kept");
    // Merged with the stored targets, this names clusters and a selector at once.
    const both = await fleet.request("PATCH", "/v1/applications/kept", {
      headers: mergePatch,
      body: { targets: { clusters: [{ name: "dev-1" }] } },
    });
    expectProblem(both, 400, "validation_failed");
    const waves = await fleet.request("PATCH", "/v1/applications/kept", {
      headers: mergePatch,
      body: { strategy: { waves: [{ name: "a" }, { name: "a" }] } },
    });
    expectProblem(waves, 422, "duplicate_wave");
    const renamed = await fleet.request("PATCH", "/v1/applications/kept", {
      headers: mergePatch,
      body: { name: "other" },
    });
    expectProblem(renamed, 400, "validation_failed");
    expect((await fleet.request("GET", "/v1/applications/other")).status).toBe(404);
    const after = await fleet.request("GET", "/v1/applications/kept");
    expect(after.body.revision).toBe(app.revision);
    expect(after.body.targets).toEqual({ labelSelector: "tier=dev" });
  });

  it("unknown applications and rollouts are 404 problems", async () => {
    expectProblem(await fleet.request("GET", "/v1/applications/nope"), 404, "not_found");
    expectProblem(await fleet.request("DELETE", "/v1/applications/nope"), 404, "not_found");
    expectProblem(await fleet.request("GET", "/v1/applications/nope/rollouts"), 404, "not_found");
    expectProblem(await fleet.request("POST", "/v1/rollouts/ro_01JAB4Q8N3X0V6W5T0R7C2Y9ZK/pause"), 404, "not_found");
  });

  it("invalid JSON is 400 invalid_json; a body that is not JSON is 415", async () => {
    expectProblem(await fleet.request("POST", "/v1/applications", { raw: '{"name":' }), 400, "invalid_json");
    const text = await fleet.request("POST", "/v1/applications", {
      raw: "name=x",
      headers: { "content-type": "text/plain" },
    });
    expectProblem(text, 415, "unsupported_media_type");
  });

  it("bad selectors and page tokens are 400 with the query location", async () => {
    const selector = await fleet.request("GET", "/v1/applications?labelSelector=%3D%3Dbad");
    expectProblem(selector, 400);
    const token = await fleet.request("GET", "/v1/applications?pageToken=not-a-token");
    expectProblem(token, 400);
  });

  it("a verb the rollout's phase does not allow is 409, and the rollout stays as it was", async () => {
    const app = await created("unpaused");
    const id = app.status.latestRollout.id as string;
    const before = (await fleet.request("GET", `/v1/rollouts/${id}`)).body;
    expectProblem(await fleet.request("POST", `/v1/rollouts/${id}/resume`), 409, "conflict");
    expectProblem(await fleet.request("POST", `/v1/rollouts/${id}/approve`), 409, "conflict");
    expect((await fleet.request("GET", `/v1/rollouts/${id}`)).body).toEqual(before);
  });

  it("an application being deleted refuses changes with 409", async () => {
    await created("leaving");
    expect((await fleet.request("DELETE", "/v1/applications/leaving")).status).toBe(202);
    const res = await fleet.request("PATCH", "/v1/applications/leaving", {
      headers: mergePatch,
      body: { source: { targetRevision: "v2.0.0" } },
    });
    expectProblem(res, 409, "conflict");
    expect((await fleet.request("GET", "/v1/applications/leaving")).body.source.targetRevision).toBe("v1.0.0");
  });
});
