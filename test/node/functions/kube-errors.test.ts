import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StalledError, TransientError } from "../../../core/errors";
import { classifyKubeError, type KubeTarget } from "../../../functions/kube/access";
import { type KubeEmulator, startKubeEmulator } from "../../emulators/kube";
import { startTestHost, type TestHost } from "../support/harness";

/**
 * What a function makes of a cluster that refuses it: the real client-node, through the host's
 * own connector, against an emulated API server. The class decides retry (transient) or stop
 * (stalled); the code is the reason a person reads on the cluster's conditions.
 */
describe("classifying a cluster's refusals", () => {
  let t: TestHost;
  let kube: KubeEmulator;

  beforeAll(async () => {
    t = await startTestHost({}, { runJobs: false });
    kube = await startKubeEmulator({ name: "refusing" });
  });
  afterAll(async () => {
    await t?.close();
    await kube?.close();
  });

  const target = (extra: Partial<KubeTarget> = {}): KubeTarget => ({
    server: kube.url,
    caData: kube.caData,
    token: kube.token,
    ...extra,
  });

  async function problemOf(to: KubeTarget) {
    try {
      const access = await t.host.deps.kube(to);
      await access.version();
    } catch (error) {
      return classifyKubeError(error, to.server);
    }
    throw new Error("the call succeeded");
  }

  it("answers when nothing is wrong", async () => {
    const access = await t.host.deps.kube(target());
    expect((await access.version()).gitVersion).toMatch(/^v1\./);
  });

  it("a token the API server rejects stalls with Unauthorized: retrying cannot help", async () => {
    const problem = await problemOf(target({ token: "not-the-token" }));
    expect(problem).toBeInstanceOf(StalledError);
    expect(problem.code).toBe("Unauthorized");
    expect(problem.message).toContain("connection.token");
  });

  it("a certificate no CA data vouches for stalls with CertificateInvalid", async () => {
    // The emulator's certificate is signed by its own CA, which only its caData names.
    const problem = await problemOf({ server: kube.url, token: kube.token });
    expect(problem).toBeInstanceOf(StalledError);
    expect(problem.code).toBe("CertificateInvalid");
    expect(problem.message).toContain("caData");
  });

  it("a cluster that drops the connection is Unreachable, and worth retrying", async () => {
    kube.faults.set({ down: true });
    try {
      const problem = await problemOf(target());
      expect(problem).toBeInstanceOf(TransientError);
      expect(problem.code).toBe("Unreachable");
      expect(problem.message).toContain(kube.url);
    } finally {
      kube.faults.clear();
    }
  });

  it("an API server failing with 5xx is a ServerError, and worth retrying", async () => {
    kube.faults.set({ errorRate: 1 });
    try {
      const problem = await problemOf(target());
      expect(problem).toBeInstanceOf(TransientError);
      expect(problem.code).toBe("ServerError");
    } finally {
      kube.faults.clear();
    }
  });
});
