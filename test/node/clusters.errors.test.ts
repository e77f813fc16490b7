import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { eventually, expectProblem, startTestHost, type TestHost } from "./support/harness";

let t: TestHost;
let kube: KubeEmulator;
let closedPort: number;

beforeAll(async () => {
  kube = await startKubeEmulator({ name: "good" });
  t = await startTestHost({ FLEET_JOB_MAX_ATTEMPTS: "2" });
  await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
  await t.request("POST", "/v1/cluster-classes", {
    body: {
      name: "eks-class",
      provider: "eks",
      eks: { roleArn: "arn:aws:iam::123456789012:role/eks", subnetIds: ["subnet-0a", "subnet-0b"] },
    },
  });
  closedPort = await new Promise<number>((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
});
afterAll(async () => {
  await t.close();
  await kube.close();
});

const register = (name: string, connection: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  t.request("POST", "/v1/clusters", { body: { name, class: "imported", connection, ...extra } });

async function conditions(name: string) {
  const res = await t.request("GET", `/v1/clusters/${name}`);
  return Object.fromEntries(res.body.status.conditions.map((c: { type: string }) => [c.type, c])) as Record<
    string,
    { status: string; reason: string; message: string }
  >;
}

describe("imported clusters: connection failures a user can act on", () => {
  it("a wrong token: Ready=False Unauthorized, the job fails at once (retrying cannot help)", async () => {
    await register("bad-token", { server: kube.url, caData: kube.caData, token: "wrong" });
    const ready = await eventually(async () => {
      const c = await conditions("bad-token");
      return c.Ready?.reason === "Unauthorized" ? c : undefined;
    });
    expect(ready.Ready!.status).toBe("False");
    expect(ready.Ready!.message).toMatch(/rejected the token \(401\).*connection\.token/);
    expect(ready.Stalled!.status).toBe("True");
    const jobs = await eventually(async () => {
      const res = await t.request("GET", "/v1/jobs?cluster=bad-token&state=Failed");
      return res.body.items.length ? res.body.items : undefined;
    });
    expect(jobs[0]).toMatchObject({ attempts: 1, state: "Failed" });
    expect(jobs[0].lastError).toMatch(/^Unauthorized/);
    const events = await t.request("GET", "/v1/events?resource=bad-token");
    expect(
      events.body.items.some((e: { reason: string; type: string }) => e.reason === "JobFailed" && e.type === "Warning"),
    ).toBe(true);
  });

  it("a CA that does not sign the server's certificate: CertificateInvalid", async () => {
    await register("bad-ca", {
      server: kube.url,
      caData: Buffer.from("not the right CA").toString("base64"),
      token: kube.token,
    });
    const ready = await eventually(async () => {
      const c = await conditions("bad-ca");
      return c.Ready?.status === "False" ? c.Ready : undefined;
    });
    expect(ready.reason).toBe("CertificateInvalid");
  });

  it("no CA at all for a self-signed server: CertificateInvalid, stalled", async () => {
    await register("no-ca", { server: kube.url, token: kube.token });
    const ready = await eventually(async () => {
      const c = await conditions("no-ca");
      return c.Ready?.status === "False" ? c.Ready : undefined;
    });
    expect(ready.reason).toBe("CertificateInvalid");
    expect(ready.message).toMatch(/caData/);
  });

  it("nothing listening: Unreachable, retried with backoff until the budget is spent, then Failed and visible", async () => {
    await register("nobody-home", { server: `https://127.0.0.1:${closedPort}`, token: "x" });
    const failed = await eventually(async () => {
      const res = await t.request("GET", "/v1/jobs?cluster=nobody-home&state=Failed");
      return res.body.items[0];
    });
    expect(failed.attempts).toBe(2);
    expect(failed.lastError).toMatch(/^Unreachable/);
    const c = await conditions("nobody-home");
    expect(c.Ready).toMatchObject({ status: "False", reason: "Unreachable" });
    expect(c.Stalled).toMatchObject({ status: "True" });
    expect(c.Stalled!.message).toMatch(/connectCluster failed after 2 attempt/);
  });

  it("a failed job can be retried by hand with a fresh budget; a succeeded one cannot", async () => {
    const failed = (await t.request("GET", "/v1/jobs?cluster=nobody-home&state=Failed")).body.items[0];
    const res = await t.request("POST", `/v1/jobs/${failed.id}/retry`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: "Queued", attempts: 0 });
    await register("fine", { server: kube.url, caData: kube.caData, token: kube.token });
    const ok = await eventually(
      async () => (await t.request("GET", "/v1/jobs?cluster=fine&kind=connectCluster&state=Succeeded")).body.items[0],
    );
    expectProblem(await t.request("POST", `/v1/jobs/${ok.id}/retry`), 409, "conflict");
    expectProblem(await t.request("POST", "/v1/jobs/job_nope/retry"), 404, "not_found");
  });

  it("the server answering 5xx is transient: retried, not stalled", async () => {
    kube.faults.errorRate = 1;
    try {
      await register("flaky", { server: kube.url, caData: kube.caData, token: kube.token });
      const c = await eventually(async () => {
        const conds = await conditions("flaky");
        return conds.Ready?.reason === "ServerError" ? conds : undefined;
      });
      expect(c.Stalled).toMatchObject({ status: "False", reason: "Retrying" });
    } finally {
      kube.faults.errorRate = 0;
    }
  });
});

describe("imported clusters: refused requests", () => {
  it("an eks cluster whose class lacks what EKS needs is a clear 422; a provider mismatch too", async () => {
    const res = await t.request("POST", "/v1/clusters", {
      body: { name: "prod-eu", class: "eks-class", workers: [{ name: "worker", replicas: 2 }] },
    });
    expectProblem(res, 422, "eks_settings_required");
    expect(res.body.errors).toEqual([{ location: "body.eks.nodeRoleArn", message: "required" }]);
    expectProblem(
      await t.request("POST", "/v1/clusters", { body: { name: "p2", class: "imported", provider: "capi" } }),
      422,
      "provider_mismatch",
    );
  });

  it("an unknown class, a missing connection, and fields that do not apply are 422 with locations", async () => {
    const noClass = await t.request("POST", "/v1/clusters", {
      body: { name: "x1", class: "nope", connection: { server: kube.url, token: "t" } },
    });
    expectProblem(noClass, 422, "invalid_reference");
    expect(noClass.body.errors[0].location).toBe("body.class");
    expectProblem(
      await t.request("POST", "/v1/clusters", { body: { name: "x2", class: "imported" } }),
      422,
      "connection_required",
    );
    const version = await register("x3", { server: kube.url, token: "t" }, { version: "1.30" });
    expectProblem(version, 422, "not_applicable");
    expect(version.body.errors[0].location).toBe("body.version");
  });

  it("refuses link-local, metadata and private endpoints that are not allowed", async () => {
    for (const server of [
      "https://169.254.169.254",
      "https://10.0.0.1:6443",
      "https://[::ffff:169.254.169.254]",
      "http://api.example.com",
    ]) {
      const res = await register("ssrf", { server, token: "t" });
      expectProblem(res, 422, "url_not_allowed");
      expect(res.body.errors[0].location).toBe("body.connection.server");
    }
  });

  it("a duplicate name is 409; immutable and unknown fields in a patch are 400", async () => {
    await register("dup", { server: kube.url, caData: kube.caData, token: kube.token });
    expectProblem(await register("dup", { server: kube.url, token: "t" }), 409, "already_exists");
    expectProblem(
      await t.request("PATCH", "/v1/clusters/dup", { body: { name: "renamed" } }),
      400,
      "validation_failed",
    );
    expectProblem(
      await t.request("PATCH", "/v1/clusters/dup", { body: { status: { phase: "Failed" } } }),
      400,
      "validation_failed",
    );
    expectProblem(await t.request("PATCH", "/v1/clusters/dup", { body: { version: "1.31" } }), 422, "not_applicable");
  });

  it("If-Match mismatches are 412 on PATCH and DELETE, and nothing changes", async () => {
    const before = await t.request("GET", "/v1/clusters/dup");
    expectProblem(
      await t.request("PATCH", "/v1/clusters/dup", { headers: { "if-match": '"999"' }, body: { wave: 3 } }),
      412,
      "precondition_failed",
    );
    expectProblem(
      await t.request("DELETE", "/v1/clusters/dup", { headers: { "if-match": '"999"' } }),
      412,
      "precondition_failed",
    );
    const after = await t.request("GET", "/v1/clusters/dup");
    expect(after.body.wave).toBe(before.body.wave);
    expect(after.body.status.phase).not.toBe("Deleting");
  });

  it("a cluster class in use cannot be deleted", async () => {
    expectProblem(await t.request("DELETE", "/v1/cluster-classes/imported"), 409, "conflict");
  });

  it("a cluster being deleted cannot be patched", async () => {
    await t.request("DELETE", "/v1/clusters/dup");
    const res = await t.request("PATCH", "/v1/clusters/dup", { body: { wave: 1 } });
    expect([404, 409]).toContain(res.status);
  });
});
