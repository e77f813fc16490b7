/**
 * WebCrypto only, so the same code runs on Node and in workerd; a host may hand in a faster
 * synchronous hash (`useSyncSha256`).
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Standard base64 (RFC 4648 §4), padded: the alphabet Kubernetes Secrets and SealedSecrets use. */
export function base64Encode(bytes: Uint8Array): string {
  let binary = "";
  // In chunks: spreading a large array into one call would pass too many arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** URL-safe base64 (RFC 4648 §5), unpadded: tokens, ids and sealed values. */
export function base64UrlEncode(bytes: Uint8Array): string {
  return base64Encode(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> {
  const normal = text.replaceAll("-", "+").replaceAll("_", "/");
  const padded = normal + "=".repeat((4 - (normal.length % 4)) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

let syncSha256: ((text: string) => string) | undefined;

/**
 * Every authenticated request hashes its bearer, and WebCrypto's digest is asynchronous (on
 * Node a round trip through the thread pool) for a few dozen bytes: the Node host hands in
 * `node:crypto`'s synchronous hash instead. It must return SHA-256 as lowercase hex.
 */
export function useSyncSha256(hash: (text: string) => string): void {
  syncSha256 = hash;
}

export async function sha256Hex(text: string): Promise<string> {
  if (syncSha256) return syncSha256(text);
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function randomSecret(bytes = 32): string {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Compares without an early exit so the time taken does not reveal where strings differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let diff = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}

/**
 * Seals small secrets (imported clusters' tokens) with AES-256-GCM. The output carries a version
 * prefix and the random 96-bit IV, so the key can be rotated later without guessing formats.
 */
export class SecretBox {
  private constructor(
    private readonly key: CryptoKey,
    private readonly macKey: CryptoKey,
  ) {}

  static async fromBase64Key(keyBase64: string): Promise<SecretBox> {
    const raw = base64UrlDecode(keyBase64.trim());
    if (raw.length !== 32) {
      throw new Error("FLEET_ENCRYPTION_KEY must be 32 bytes, base64 encoded");
    }
    const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    // A separate key for fingerprints, derived with HKDF so the AES key is never used twice.
    const base = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
    const macKey = await crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode("fleetplane fingerprint v1") },
      base,
      { name: "HMAC", hash: "SHA-256", length: 256 },
      false,
      ["sign"],
    );
    return new SecretBox(key, macKey);
  }

  static generateKey(): string {
    return base64UrlEncode(crypto.getRandomValues(new Uint8Array(32)));
  }

  /**
   * A keyed hash (HMAC-SHA256): equal inputs give equal fingerprints, but unlike a plain hash
   * a fingerprint of a request that carried a weak password cannot be guessed offline.
   */
  async fingerprint(text: string): Promise<string> {
    const mac = await crypto.subtle.sign("HMAC", this.macKey, encoder.encode(text));
    return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  async seal(plaintext: string, associatedData: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(associatedData) },
      this.key,
      encoder.encode(plaintext),
    );
    return `v1.${base64UrlEncode(iv)}.${base64UrlEncode(new Uint8Array(sealed))}`;
  }

  async open(sealed: string, associatedData: string): Promise<string> {
    const [version, iv, data] = sealed.split(".");
    if (version !== "v1" || !iv || !data) throw new Error("unrecognised sealed secret format");
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: base64UrlDecode(iv), additionalData: encoder.encode(associatedData) },
      this.key,
      base64UrlDecode(data),
    );
    return decoder.decode(plain);
  }
}
