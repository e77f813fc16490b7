/**
 * WebCrypto only, so the same code runs on Node and in workerd; a host may hand in faster
 * synchronous primitives (`useSyncSha256`, `useSyncAesGcm`).
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

/**
 * AES-256-GCM in one synchronous call each way, in WebCrypto's layout (the 16-byte tag after
 * the ciphertext), so either side opens what the other sealed. `decrypt` throws when the tag
 * does not match.
 */
export interface SyncAesGcm {
  encrypt(key: Uint8Array, iv: Uint8Array, associatedData: Uint8Array, plaintext: Uint8Array): Uint8Array;
  decrypt(key: Uint8Array, iv: Uint8Array, associatedData: Uint8Array, sealed: Uint8Array): Uint8Array;
}

let syncAesGcm: SyncAesGcm | undefined;

/**
 * Every cluster registration seals its credentials, and WebCrypto's encrypt is asynchronous
 * (on Node a round trip through the thread pool, which competes for the same cores as the
 * request) for a few hundred bytes: the Node host hands in `node:crypto`'s cipher instead.
 * `undefined` goes back to WebCrypto.
 */
export function useSyncAesGcm(cipher: SyncAesGcm | undefined): void {
  syncAesGcm = cipher;
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
    /** The key's bytes, for a host's synchronous cipher (they are in its configuration anyway). */
    private readonly raw: Uint8Array,
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
    return new SecretBox(key, macKey, raw);
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
    const aad = encoder.encode(associatedData);
    const sealed = syncAesGcm
      ? syncAesGcm.encrypt(this.raw, iv, aad, encoder.encode(plaintext))
      : new Uint8Array(
          await crypto.subtle.encrypt(
            { name: "AES-GCM", iv, additionalData: aad },
            this.key,
            encoder.encode(plaintext),
          ),
        );
    return `v1.${base64UrlEncode(iv)}.${base64UrlEncode(sealed)}`;
  }

  async open(sealed: string, associatedData: string): Promise<string> {
    const [version, iv, data] = sealed.split(".");
    if (version !== "v1" || !iv || !data) throw new Error("unrecognised sealed secret format");
    const params = { iv: base64UrlDecode(iv), additionalData: encoder.encode(associatedData) };
    const plain = syncAesGcm
      ? syncAesGcm.decrypt(this.raw, params.iv, params.additionalData, base64UrlDecode(data))
      : await crypto.subtle.decrypt({ name: "AES-GCM", ...params }, this.key, base64UrlDecode(data));
    return decoder.decode(plain);
  }
}
