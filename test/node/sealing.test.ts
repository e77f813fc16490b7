import { generate } from "selfsigned";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../core/errors";
import {
  SEALING_SCOPES,
  type SealingScope,
  sealingKeyFromCertificate,
  sealingLabel,
  sealValue,
} from "../../core/secrets/sealing";
import { crdsOf } from "../emulators/addons";
import { type KubeEmulator, startKubeEmulator } from "../emulators/kube";
import { CONTROLLER, startSealedSecretsController, unseal as unsealBytes } from "../emulators/sealed-secrets";
import { eventually } from "./support/harness";

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
  const install = () => {
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
    install();
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
