import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { eventually, startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
let kube: KubeEmulator;

beforeAll(async () => {
  kube = await startKubeEmulator({ gitVersion: "v1.30.2", name: "edge" });
  t = await startTestHost();
  await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
});
afterAll(async () => {
  await t.close();
  await kube.close();
});

const readyOf = (cluster: { status: { conditions: { type: string }[] } }) =>
  cluster.status.conditions.find((c) => c.type === "Ready") as unknown as {
    status: string;
    reason: string;
    message: string;
  };

describe("imported clusters: the whole life", () => {
  let id: string;

  it("registers with 202, its id readable at once, the token never echoed", async () => {
    const body = {
      name: "edge-1",
      class: "imported",
      environment: "staging",
      region: "eu-west-1",
      labels: { tier: "edge", Team: "Payments" },
      wave: 0,
      connection: { server: kube.url, caData: kube.caData, token: kube.token },
    };
    const res = await t.request("POST", "/v1/clusters", { body });
    expect(res.status).toBe(202);
    id = res.body.id;
    expect(id).toMatch(/^cls_/);
    expect(res.headers.get("location")).toBe(`/v1/clusters/${id}`);
    const { connection, ...rest } = body;
    expect(res.body).toMatchObject({ ...rest, provider: "imported", connection: { server: kube.url } });
    expect(res.body.connection).toEqual({ server: kube.url });
    expect(res.text).not.toContain(kube.token);
    expect(res.text).not.toContain(kube.caData);
    expect(res.body.status.phase).toBe("Pending");
    expect(readyOf(res.body)).toMatchObject({ status: "Unknown", reason: "Connecting" });
  });

  it("becomes Ready with the server's version, read through the real client", async () => {
    const cluster = await eventually(async () => {
      const res = await t.request("GET", `/v1/clusters/${id}`);
      return readyOf(res.body).status === "True" ? res.body : undefined;
    });
    expect(cluster.status.phase).toBe("Provisioned");
    expect(cluster.status.serverVersion).toBe("v1.30.2");
    // A bare cluster: the built-in groups only, until the add-ons bring theirs.
    expect(cluster.status.apiGroups).toBeGreaterThanOrEqual(3);
    expect(readyOf(cluster).reason).toBe("Connected");
    expect(cluster.status.observedGeneration).toBe(cluster.generation);
    const paths = kube.requests.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(["/version", "/apis"]));
  });

  it("hands the cluster to Flux when its class names a fleet-config repository", async () => {
    await t.request("POST", "/v1/cluster-classes", {
      body: {
        name: "imported-gitops",
        provider: "imported",
        fleetConfig: { url: "https://github.com/acme/fleet-config" },
      },
    });
    const created = await t.request("POST", "/v1/clusters", {
      body: {
        name: "edge-gitops",
        class: "imported-gitops",
        environment: "staging",
        connection: { server: kube.url, caData: kube.caData, token: kube.token },
      },
    });
    expect(created.status).toBe(202);
    const kustomization = await eventually(async () =>
      kube.store.get({
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        namespace: "flux-system",
        name: "fleet-config",
      }),
    );
    expect((kustomization as any).spec).toMatchObject({ path: "./clusters/staging/edge-gitops", prune: true });
    const cluster = await eventually(async () => {
      const res = await t.request("GET", "/v1/clusters/edge-gitops");
      return res.body.status.conditions.some((c: { type: string }) => c.type === "FluxReady") ? res.body : undefined;
    });
    expect(cluster.status.conditions.find((c: { type: string }) => c.type === "FluxReady").status).toBe("Unknown");
    await t.request("DELETE", "/v1/clusters/edge-gitops");
    await eventually(async () =>
      (await t.request("GET", "/v1/clusters/edge-gitops")).status === 404 ? true : undefined,
    );
  });

  it("shows the job that did it", async () => {
    const jobs = await t.request("GET", "/v1/jobs?cluster=edge-1&kind=connectCluster");
    expect(jobs.body.items).toHaveLength(1);
    expect(jobs.body.items[0]).toMatchObject({ kind: "connectCluster", state: "Succeeded", attempts: 1, cluster: id });
    const one = await t.request("GET", `/v1/jobs/${jobs.body.items[0].id}`);
    expect(one.body.id).toBe(jobs.body.items[0].id);
  });

  it("filters the fleet by labels, environment and phase", async () => {
    const names = async (q: string) =>
      (await t.request("GET", `/v1/clusters?${q}`)).body.items.map((c: { name: string }) => c.name);
    expect(await names("labelSelector=tier%3Dedge")).toEqual(["edge-1"]);
    expect(await names("labelSelector=tier%3Dcore")).toEqual([]);
    expect(await names("environment=staging")).toEqual(["edge-1"]);
    expect(await names("phase=Provisioned")).toEqual(["edge-1"]);
    expect(await names("phase=Pending")).toEqual([]);
  });

  it("patches labels (merge) without touching the connection", async () => {
    const before = await t.request("GET", "/v1/clusters/edge-1");
    const res = await t.request("PATCH", "/v1/clusters/edge-1", {
      headers: { "if-match": before.headers.get("etag")! },
      body: { labels: { Team: null, owner: "sre" }, wave: 2 },
    });
    expect(res.status).toBe(200);
    expect(res.body.labels).toEqual({ tier: "edge", owner: "sre" });
    expect(res.body.wave).toBe(2);
    expect(res.body.generation).toBe(before.body.generation + 1);
  });

  it("rotating the token reconnects", async () => {
    const res = await t.request("PATCH", "/v1/clusters/edge-1", { body: { connection: { token: kube.token } } });
    expect(res.status).toBe(200);
    await eventually(async () => {
      const jobs = await t.request("GET", "/v1/jobs?cluster=edge-1&kind=connectCluster&state=Succeeded");
      return jobs.body.items.length === 2 ? true : undefined;
    });
    const events = await t.request("GET", `/v1/events?resource=${id}`);
    const update = events.body.items.find((e: { diff?: { connection?: unknown } }) => e.diff?.connection);
    expect(update.diff.connection).toEqual({ from: "[write-only]", to: "[write-only]" });
  });

  it("deletes with 202 (phase Deleting), then answers 404; deleting again is 404", async () => {
    const res = await t.request("DELETE", "/v1/clusters/edge-1");
    expect(res.status).toBe(202);
    expect(res.body.status.phase).toBe("Deleting");
    await eventually(async () => ((await t.request("GET", "/v1/clusters/edge-1")).status === 404 ? true : undefined));
    expect((await t.request("GET", `/v1/clusters/${id}`)).status).toBe(404);
    expect((await t.request("DELETE", "/v1/clusters/edge-1")).status).toBe(404);
    const events = await t.request("GET", `/v1/events?resource=${id}`);
    expect(events.body.items.map((e: { reason: string }) => e.reason)).toEqual(
      expect.arrayContaining(["Registered", "Connected", "Updated", "DeletionRequested", "Deleted"]),
    );
  });

  it("never writes the token to the database file or the logs", async () => {
    const { readFile } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const files = ["fleet.db", "fleet.db-wal"].map((f) => join(t.dir, f));
    for (const file of files) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(kube.token))).toBe(false);
    }
    expect(t.logs.join("\n")).not.toContain(kube.token);
  });
});
