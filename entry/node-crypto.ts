import { createCipheriv, createDecipheriv, createHash } from "node:crypto";
import type { SyncAesGcm } from "../core/crypto";

/** SHA-256 as lowercase hex, synchronously (what `useSyncSha256` asks for). */
export const nodeSha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const TAG_BYTES = 16;

/** AES-256-GCM with the tag after the ciphertext, as WebCrypto lays it out. */
export const nodeAesGcm: SyncAesGcm = {
  encrypt(key, iv, associatedData, plaintext) {
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(associatedData);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  },
  decrypt(key, iv, associatedData, sealed) {
    if (sealed.length < TAG_BYTES) throw new Error("sealed value is shorter than its tag");
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const body = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  },
};
