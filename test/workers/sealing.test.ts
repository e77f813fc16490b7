import { describe, expect, it } from "vitest";
import { compileHealthRule, healthOf } from "../../core/health/rules";
import { SEALING_SCOPES, sealingKeyFromCertificate, sealingLabel, sealValue } from "../../core/secrets/sealing";
import { CONTROLLER_CERTIFICATE, CONTROLLER_PRIVATE_KEY } from "./fixtures/sealing-key";

/**
 * What the sealed-secrets and health-rule code needs from its runtime, inside workerd: WebCrypto's
 * RSA-OAEP and AES-GCM for sealing (opened here by a decryptor written from the controller's
 * algorithm, also on WebCrypto), and the CEL evaluator.
 */
async function unseal(sealed: string, label: string): Promise<string> {
  const bytes = Uint8Array.from(atob(sealed), (c) => c.charCodeAt(0));
  const length = (bytes[0]! << 8) | bytes[1]!;
  const der = Uint8Array.from(atob(CONTROLLER_PRIVATE_KEY.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "")), (c) =>
    c.charCodeAt(0),
  );
  const privateKey = await crypto.subtle.importKey("pkcs8", der, { name: "RSA-OAEP", hash: "SHA-256" }, false, [
    "decrypt",
  ]);
  const sessionKey = await crypto.subtle.decrypt(
    { name: "RSA-OAEP", label: new TextEncoder().encode(label) },
    privateKey,
    bytes.subarray(2, 2 + length),
  );
  const aes = await crypto.subtle.importKey("raw", sessionKey, "AES-GCM", false, ["decrypt"]);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: new Uint8Array(12) },
    aes,
    bytes.subarray(2 + length),
  );
  return new TextDecoder().decode(plain);
}

describe("in workerd", () => {
  it.each(SEALING_SCOPES)("seals a value for the controller's certificate (%s scope)", async (scope) => {
    const key = await sealingKeyFromCertificate(CONTROLLER_CERTIFICATE);
    const label = sealingLabel(scope, "payments", "db");
    const sealed = await sealValue(key, "postgres://app:pw@db/app", label);
    expect(await unseal(sealed, label)).toBe("postgres://app:pw@db/app");
    if (scope !== "cluster-wide") await expect(unseal(sealed, "elsewhere/db")).rejects.toThrow();
  });

  it("evaluates health rules written in CEL", () => {
    const rule = compileHealthRule({
      apiVersion: "example.com/v1",
      kind: "Widget",
      current: "self.status.?phase.orValue('') == 'Done'",
    });
    const widget = (phase?: string) => ({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w" },
      status: phase ? { phase } : {},
    });
    expect(healthOf(widget("Done"), [rule]).state).toBe("Healthy");
    expect(healthOf(widget(), [rule]).state).toBe("Progressing");
  });
});
