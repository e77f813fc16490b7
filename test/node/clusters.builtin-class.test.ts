import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { eventually, expectProblem, startTestHost, type TestHost } from "./support/harness";

/** Registering an existing cluster needs nothing beforehand: no class to create first. */
let t: TestHost;
let kube: KubeEmulator;

beforeAll(async () => {
  kube = await startKubeEmulator({ name: "first" });
  t = await startTestHost();
});
afterAll(async () => {
  await t.close();
  await kube.close();
});

const connection = () => ({ server: kube.url, caData: kube.caData, token: kube.token });

describe("clusters: the built-in imported class", () => {
  it("puts an existing cluster registered without a class in the built-in imported class, made on first use", async () => {
    expect((await t.request("GET", "/v1/cluster-classes/imported")).status).toBe(404);
    const created = await t.request("POST", "/v1/clusters", { body: { name: "first", connection: connection() } });
    expect(created.status, created.text).toBe(202);
    expect(created.body).toMatchObject({ class: "imported", provider: "imported" });
    const builtIn = await t.request("GET", "/v1/cluster-classes/imported");
    expect(builtIn.status).toBe(200);
    expect(builtIn.body.provider).toBe("imported");
    await eventually(async () => {
      const got = await t.request("GET", "/v1/clusters/first");
      return got.body.status.conditions.find((c: { type: string; status: string }) => c.type === "Ready")?.status ===
        "True"
        ? true
        : undefined;
    });

    // The next ones share it; an agent-mode cluster needs no class either.
    const second = await t.request("POST", "/v1/clusters", {
      body: { name: "second", provider: "imported", connection: connection() },
    });
    expect(second.status, second.text).toBe(202);
    const agent = await t.request("POST", "/v1/clusters", {
      body: { name: "behind-nat", connection: { mode: "agent" } },
    });
    expect(agent.status, agent.text).toBe(202);
    expect(agent.body.class).toBe("imported");
    const classes = await t.request("GET", "/v1/cluster-classes");
    expect(classes.body.items.filter((c: { name: string }) => c.name === "imported")).toHaveLength(1);
  });

  it("still asks a provisioned cluster for its class, and refuses a class that does not exist", async () => {
    const eks = await t.request("POST", "/v1/clusters", { body: { name: "new-eks", provider: "eks" } });
    expectProblem(eks, 422, "class_required");
    expect(eks.body.errors[0].location).toBe("body.class");
    const missing = await t.request("POST", "/v1/clusters", {
      body: { name: "typo", class: "imported-typo", connection: connection() },
    });
    expectProblem(missing, 422, "invalid_reference");
    expect((await t.request("GET", "/v1/clusters/new-eks")).status).toBe(404);
    expect((await t.request("GET", "/v1/clusters/typo")).status).toBe(404);
  });
});
