import { ApiException } from "@kubernetes/client-node";
import { generate } from "selfsigned";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent as FleetAgent } from "../../agent/agent";
import { StalledError, ValidationError } from "../../core/errors";
import {
  SEALING_SCOPES,
  type SealingScope,
  sealingKeyFromCertificate,
  sealingLabel,
  sealValue,
} from "../../core/secrets/sealing";
import { listen } from "../../entry/node";
import { agentKubeAccess } from "../../functions/kube/agent";
import { nodeKubeConnector } from "../../functions/kube/node";
import { crdsOf } from "../emulators/addons";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { CONTROLLER, startSealedSecretsController, unseal as unsealBytes } from "../emulators/sealed-secrets";
import { freePort } from "../support/net";
import { agentKubeconfig } from "./support/agent";
import { eventually, startTestHost, type TestHost } from "./support/harness";

/** The controller's side (the emulator's decryptor, written from sealed-secrets' algorithm), as text. */
const unseal = (privateKeyPem: string, sealed: string, label: string) =>
  unsealBytes(privateKeyPem, sealed, label).toString("utf8");

const inAYear = () => new Date(Date.now() + 365 * 24 * 3600 * 1000);

describe("sealing values for the sealed-secrets controller", () => {
  let controller: { cert: string; private: string };

  beforeAll(async () => {
    // The controller's own certificate: self-signed, RSA, as it generates at first start.
    controller = await generate([{ name: "commonName", value: "sealed-secret" }], {
      keyType: "rsa",
      keySize: 2048,
      algorithm: "sha256",
      notBeforeDate: new Date(Date.now() - 3600_000),
      notAfterDate: inAYear(),
    });
  }, 60_000);

  it.each(SEALING_SCOPES)("%s: the controller unseals it only where the scope allows", async (scope: SealingScope) => {
    const key = await sealingKeyFromCertificate(controller.cert);
    const value = "postgres://app:s3cr3t@db:5432/app";
    const sealed = await sealValue(key, value, sealingLabel(scope, "team-a", "db-url"));
    expect(sealed).not.toContain("s3cr3t");
    expect(unseal(controller.private, sealed, sealingLabel(scope, "team-a", "db-url"))).toBe(value);

    const renamed = () => unseal(controller.private, sealed, sealingLabel(scope, "team-a", "other-name"));
    const moved = () => unseal(controller.private, sealed, sealingLabel(scope, "team-b", "db-url"));
    if (scope === "strict") {
      expect(renamed).toThrow();
      expect(moved).toThrow();
    } else if (scope === "namespace-wide") {
      expect(renamed()).toBe(value);
      expect(moved).toThrow();
    } else {
      expect(renamed()).toBe(value);
      expect(moved()).toBe(value);
    }
  });

  it("uses a new session key every time, and a changed byte does not unseal", async () => {
    const key = await sealingKeyFromCertificate(controller.cert);
    const label = sealingLabel("strict", "team-a", "token");
    const [one, two] = await Promise.all([sealValue(key, "same", label), sealValue(key, "same", label)]);
    expect(one).not.toBe(two);
    const bytes = Buffer.from(one, "base64");
    expect(bytes.readUInt16BE(0)).toBe(256); // a 2048-bit key wraps into 256 bytes
    bytes[bytes.length - 20]! ^= 1;
    expect(() => unseal(controller.private, bytes.toString("base64"), label)).toThrow();
  });

  it("seals binary values and empty ones", async () => {
    const key = await sealingKeyFromCertificate(controller.cert);
    const label = sealingLabel("cluster-wide", "ns", "n");
    expect(unseal(controller.private, await sealValue(key, "", label), label)).toBe("");
    const binary = new Uint8Array(70_000).map((_, i) => i % 251);
    const out = unsealBytes(controller.private, await sealValue(key, binary, label), label);
    expect(new Uint8Array(out)).toEqual(binary);
  });

  it("refuses a certificate whose key is not RSA, naming why", async () => {
    const ec = await generate([{ name: "commonName", value: "not-rsa" }], {
      keyType: "ec",
      algorithm: "sha256",
      notAfterDate: inAYear(),
    });
    const refused = await sealingKeyFromCertificate(ec.cert).catch((e) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused.message).toMatch(/not an RSA key \(its algorithm is 1\.2\.840\.10045\.2\.1\)/);
  });

  it("refuses what is not a certificate, and a certificate past its validity", async () => {
    for (const pem of [
      "",
      "hello",
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
      controller.private,
    ]) {
      const refused = await sealingKeyFromCertificate(pem).catch((e) => e);
      expect(refused, pem).toBeInstanceOf(ValidationError);
    }
    const expired = await generate([{ name: "commonName", value: "sealed-secret" }], {
      keyType: "rsa",
      keySize: 2048,
      algorithm: "sha256",
      notBeforeDate: new Date(Date.now() - 7200_000),
      notAfterDate: new Date(Date.now() - 3600_000),
    });
    const refused = await sealingKeyFromCertificate(expired.cert).catch((e) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused.message).toMatch(/expired at \d{4}-/);
  }, 60_000);
});

/** What the sealed-secrets add-on puts on a cluster that matters here: its CRD, Service and Deployment. */
function installController(kube: KubeEmulator) {
  for (const crd of crdsOf("sealed-secrets"))
    kube.editAs("installer", { ...crd, name: crd.metadata.name }, crd, "Apply");
  const service = { apiVersion: "v1", kind: "Service", namespace: "kube-system", name: CONTROLLER.name };
  kube.editAs(
    "installer",
    service,
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: CONTROLLER.name, namespace: "kube-system" },
      spec: { selector: { name: CONTROLLER.name }, ports: [{ name: "http", port: 8080 }] },
    },
    "Apply",
  );
  const deployment = { apiVersion: "apps/v1", kind: "Deployment", namespace: "kube-system", name: CONTROLLER.name };
  kube.editAs(
    "installer",
    deployment,
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: CONTROLLER.name, namespace: "kube-system" },
      spec: {
        selector: { matchLabels: { name: CONTROLLER.name } },
        template: {
          metadata: { labels: { name: CONTROLLER.name } },
          spec: { containers: [{ name: "c", image: "x" }] },
        },
      },
    },
    "Apply",
  );
}

describe("the emulated sealed-secrets controller", () => {
  let kube: KubeEmulator;
  let controller: ReturnType<typeof startSealedSecretsController>;
  const clusters = new Map<string, KubeEmulator>();
  const certPath = `/api/v1/namespaces/kube-system/services/http:${CONTROLLER.name}:/proxy/v1/cert.pem`;
  const get = async (path: string) => {
    const res = await fetch(`${kube.url}${path}`, {
      headers: { authorization: `Bearer ${kube.token}` },
      dispatcher: new Agent({ connect: { ca: Buffer.from(kube.caData, "base64").toString("utf8") } }),
    });
    return { status: res.status, text: await res.text() };
  };
  beforeAll(async () => {
    kube = await startKubeEmulator({ name: "sealing" });
    clusters.set("sealing", kube);
    controller = startSealedSecretsController(clusters);
  });
  afterAll(async () => {
    controller.stop();
    await kube.close();
  });

  it("serves nothing before it is installed, then its certificate through the service proxy", async () => {
    expect((await get(certPath)).status).toBe(404);
    installController(kube);
    const cert = await eventually(
      async () => {
        const res = await get(certPath);
        return res.status === 200 ? res.text : undefined;
      },
      20_000,
      "the controller's certificate",
    );
    expect(cert).toBe(controller.keysOf("sealing")[0]?.cert);
    await expect(sealingKeyFromCertificate(cert)).resolves.toMatchObject({ notAfter: expect.any(Date) });
  }, 30_000);

  it("unseals what was sealed for its scope into a Secret, and refuses a value moved elsewhere", async () => {
    const cert = (await get(certPath)).text;
    const key = await sealingKeyFromCertificate(cert);
    const sealed = (name: string, value: string) => sealValue(key, value, sealingLabel("strict", "default", name));
    const apply = async (name: string, encryptedData: Record<string, string>) =>
      kube.editAs(
        "fleetplane",
        { apiVersion: "bitnami.com/v1alpha1", kind: "SealedSecret", namespace: "default", name },
        {
          apiVersion: "bitnami.com/v1alpha1",
          kind: "SealedSecret",
          metadata: { name, namespace: "default" },
          spec: { encryptedData, template: { type: "Opaque" } },
        },
        "Apply",
      );
    await apply("db", { url: await sealed("db", "postgres://db") });
    // Sealed for "db", applied as "other": the strict label no longer matches.
    await apply("other", { url: await sealed("db", "postgres://db") });
    const secret = await eventually(
      async () =>
        kube.store.get({ apiVersion: "v1", kind: "Secret", namespace: "default", name: "db" }) as
          | { data: Record<string, string> }
          | undefined,
    );
    expect(Buffer.from(secret.data.url as string, "base64").toString()).toBe("postgres://db");
    const refused = await eventually(async () => {
      const live = kube.store.get({
        apiVersion: "bitnami.com/v1alpha1",
        kind: "SealedSecret",
        namespace: "default",
        name: "other",
      }) as any;
      return live?.status?.conditions?.[0];
    });
    expect(refused).toMatchObject({ type: "Synced", status: "False", message: "no key could decrypt secret (url)" });
    expect(kube.store.get({ apiVersion: "v1", kind: "Secret", namespace: "default", name: "other" })).toBeUndefined();
  }, 30_000);
});

describe("reading a controller's certificate through the API server's service proxy (KubeAccess)", () => {
  let t: TestHost;
  let server: Awaited<ReturnType<typeof listen>>;
  let url: string;
  let controller: ReturnType<typeof startSealedSecretsController>;
  const clusters = new Map<string, KubeEmulator>();
  const agents: FleetAgent[] = [];
  const certRef = { namespace: "kube-system", service: `http:${CONTROLLER.name}:`, path: "/v1/cert.pem" };

  beforeAll(async () => {
    t = await startTestHost({ FLEET_AGENT_CALL_TIMEOUT_SECONDS: "5" }, { runJobs: false });
    const port = await freePort();
    server = await listen(t.host, port, "127.0.0.1");
    url = `http://127.0.0.1:${port}`;
    await t.request("POST", "/v1/cluster-classes", { body: { name: "imported", provider: "imported" } });
    controller = startSealedSecretsController(clusters);
  });
  afterAll(async () => {
    for (const agent of agents) agent.stop();
    controller?.stop();
    server?.close();
    for (const kube of clusters.values()) await kube.close();
    await t?.close();
  }, 20_000);

  const emulated = async (name: string) => {
    const kube = await startKubeEmulator({ name });
    clusters.set(name, kube);
    return kube;
  };
  const agentCluster = async (name: string) => {
    const created = await t.request("POST", "/v1/clusters", {
      body: { name, class: "imported", connection: { mode: "agent" } },
    });
    expect(created.status).toBe(202);
    return created.body as { id: string; agentJoin: { token: string } };
  };

  it("directly: 404 without the Service, 503 while it has no ready pods, then the certificate as text", async () => {
    const kube = await emulated("proxy-direct");
    const access = await nodeKubeConnector({ timeoutMs: 5_000, urlAllow: ["127.0.0.1"] })({
      server: kube.url,
      caData: kube.caData,
      token: kube.token,
    });
    const missing = await access.serviceProxyGet(certRef).catch((e) => e);
    expect(missing).toBeInstanceOf(ApiException);
    expect(missing.code).toBe(404);

    kube.editAs(
      "installer",
      { apiVersion: "v1", kind: "Service", namespace: "kube-system", name: CONTROLLER.name },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: CONTROLLER.name, namespace: "kube-system" },
        spec: { selector: { name: CONTROLLER.name }, ports: [{ name: "http", port: 8080 }] },
      },
      "Apply",
    );
    const unavailable = await access.serviceProxyGet(certRef).catch((e) => e);
    expect(unavailable).toBeInstanceOf(ApiException);
    expect(unavailable.code).toBe(503);
    expect(unavailable.body.message).toMatch(/no endpoints available/);

    installController(kube);
    const cert = await eventually(
      () => access.serviceProxyGet(certRef).catch(() => undefined),
      20_000,
      "the certificate through the proxy",
    );
    expect(cert).toBe(controller.keysOf("proxy-direct")[0]?.cert);
    await expect(sealingKeyFromCertificate(cert)).resolves.toMatchObject({ notAfter: expect.any(Date) });
  }, 30_000);

  it("through the cluster's agent: the same text, and the API server's refusal with its status", async () => {
    const kube = await emulated("proxy-agent");
    installController(kube);
    const created = await agentCluster("proxy-agent");
    const agent = new FleetAgent({
      url,
      joinToken: created.agentJoin.token,
      kubeconfig: agentKubeconfig(kube),
      namespace: "fleetplane-agent",
      version: "0.1.0",
      waitSeconds: 1,
      heartbeatMs: 300,
      log: () => {},
    });
    agents.push(agent);
    void agent.run().catch(() => {});

    const access = agentKubeAccess(t.host.deps, { clusterId: created.id, clusterName: "proxy-agent" });
    const cert = await eventually(
      () => access.serviceProxyGet(certRef).catch(() => undefined),
      20_000,
      "the certificate through the agent",
    );
    expect(cert).toBe(controller.keysOf("proxy-agent")[0]?.cert);
    const missing = await access.serviceProxyGet({ ...certRef, service: "nothing-here" }).catch((e) => e);
    expect(missing).toBeInstanceOf(StalledError);
    expect(missing.code).toBe("RequestRejected");
    expect(missing.message).toMatch(/answered 404.*nothing-here/);
  }, 30_000);

  it("says so when the agent is older than the operation (it answers nothing instead of refusing)", async () => {
    const created = await agentCluster("proxy-old-agent");
    const join = await t.request("POST", "/agent/v1/join", { token: null, body: { token: created.agentJoin.token } });
    const credential = join.body.credential as string;
    await t.request("POST", "/agent/v1/heartbeat", {
      token: credential,
      body: { version: "0.0.9", time: new Date().toISOString() },
    });
    const access = agentKubeAccess(t.host.deps, { clusterId: created.id, clusterName: "proxy-old-agent" });
    const answer = access.serviceProxyGet(certRef).catch((e) => e);
    // The old agent's loop: it takes the work and reports it done, with no result.
    const work = await eventually(async () => {
      const res = await t.request("GET", "/agent/v1/work?after=0&wait=0", { token: credential });
      return res.body.items.length > 0 ? res.body.items : undefined;
    });
    expect(work[0]).toMatchObject({ op: "proxyGet", object: certRef });
    await t.request("POST", "/agent/v1/reports", {
      token: credential,
      body: { number: Date.now(), results: [{ id: work[0].id, ok: true }] },
    });
    const refused = await answer;
    expect(refused).toBeInstanceOf(StalledError);
    expect(refused.code).toBe("AgentOutdated");
    expect(refused.message).toMatch(/proxy-old-agent is older than reads through the service proxy/);
  }, 30_000);
});
