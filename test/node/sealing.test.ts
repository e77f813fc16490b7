import { constants, createDecipheriv, privateDecrypt } from "node:crypto";
import { generate } from "selfsigned";
import { beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../core/errors";
import {
  SEALING_SCOPES,
  type SealingScope,
  sealingKeyFromCertificate,
  sealingLabel,
  sealValue,
} from "../../core/secrets/sealing";

/**
 * The controller's side, written from sealed-secrets' documented algorithm (HybridDecrypt): read
 * the wrapped key's length, unwrap the session key with RSA-OAEP(SHA-256) and the scope's label,
 * then open the AES-256-GCM box with a zero nonce. A wrong label or a changed byte throws.
 */
function unseal(privateKeyPem: string, sealed: string, label: string): string {
  const bytes = Buffer.from(sealed, "base64");
  const length = bytes.readUInt16BE(0);
  const sessionKey = privateDecrypt(
    {
      key: privateKeyPem,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: "sha256",
      oaepLabel: Buffer.from(label),
    },
    bytes.subarray(2, 2 + length),
  );
  const box = bytes.subarray(2 + length);
  const decipher = createDecipheriv("aes-256-gcm", sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(box.subarray(box.length - 16));
  return Buffer.concat([decipher.update(box.subarray(0, box.length - 16)), decipher.final()]).toString("utf8");
}

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
    const sealed = Buffer.from(await sealValue(key, binary, label), "base64");
    const length = sealed.readUInt16BE(0);
    const sessionKey = privateDecrypt(
      {
        key: controller.private,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: "sha256",
        oaepLabel: Buffer.from(label),
      },
      sealed.subarray(2, 2 + length),
    );
    const box = sealed.subarray(2 + length);
    const decipher = createDecipheriv("aes-256-gcm", sessionKey, Buffer.alloc(12));
    decipher.setAuthTag(box.subarray(box.length - 16));
    const out = Buffer.concat([decipher.update(box.subarray(0, box.length - 16)), decipher.final()]);
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
