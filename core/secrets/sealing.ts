import { base64Encode } from "../crypto";
import { ValidationError } from "../errors";

/**
 * Sealing a value for Bitnami's sealed-secrets controller, as `kubeseal` does, with WebCrypto
 * only (so it runs on Workers as on Node). The controller's format, per value:
 *
 *   uint16 big-endian length of the wrapped key ‖ RSA-OAEP(SHA-256, label)(session key)
 *   ‖ AES-256-GCM(session key, 12 zero bytes)(value) with its 16-byte tag
 *
 * The session key is random and used once, which is why a fixed nonce is safe. The OAEP label
 * binds the value to where it may be unsealed: `namespace/name` (strict), `namespace`
 * (namespace-wide) or nothing (cluster-wide), so a strict value moved to another Secret does not
 * decrypt.
 */
export const SEALING_SCOPES = ["strict", "namespace-wide", "cluster-wide"] as const;

/**
 * Where the controller serves its current certificate, through the API server's service proxy:
 * `kubeseal`'s defaults (the release manifest's Service in kube-system, its `http` port).
 */
export const SEALING_CERTIFICATE = {
  namespace: "kube-system",
  service: "http:sealed-secrets-controller:",
  path: "/v1/cert.pem",
} as const;

/** The annotations that widen a SealedSecret's scope, as `kubeseal --scope` writes them. */
export function scopeAnnotations(scope: SealingScope): Record<string, string> {
  if (scope === "namespace-wide") return { "sealedsecrets.bitnami.com/namespace-wide": "true" };
  if (scope === "cluster-wide") return { "sealedsecrets.bitnami.com/cluster-wide": "true" };
  return {};
}
export type SealingScope = (typeof SEALING_SCOPES)[number];

/** The OAEP label for a scope, exactly as the controller computes it. */
export function sealingLabel(scope: SealingScope, namespace: string, name: string): string {
  if (scope === "cluster-wide") return "";
  if (scope === "namespace-wide") return namespace;
  return `${namespace}/${name}`;
}

export interface SealingKey {
  key: CryptoKey;
  /** When the controller's certificate expires: kubeseal refuses to seal with an expired one. */
  notAfter: Date;
}

const RSA_ENCRYPTION_OID = "1.2.840.113549.1.1.1";
const SESSION_KEY_BYTES = 32;
const ZERO_NONCE = new Uint8Array(12);

/**
 * The RSA public key of a sealing certificate (PEM, as the controller serves it at
 * `/v1/cert.pem`). Anything else is refused with the reason: not a certificate, a key that is not
 * RSA, or a certificate past its validity.
 */
export async function sealingKeyFromCertificate(pem: string, now = new Date()): Promise<SealingKey> {
  const der = pemBody(pem, "CERTIFICATE");
  const { spki, algorithm, notAfter } = readCertificate(der);
  if (algorithm !== RSA_ENCRYPTION_OID) {
    throw new ValidationError(
      `The sealing certificate's key is not an RSA key (its algorithm is ${algorithm}); the sealed-secrets controller seals with RSA`,
    );
  }
  if (notAfter.getTime() <= now.getTime()) {
    throw new ValidationError(`The sealing certificate expired at ${notAfter.toISOString()}; the controller renews it`);
  }
  const key = await crypto.subtle
    .importKey("spki", spki, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["encrypt"])
    .catch((error: Error) => {
      throw new ValidationError(`The sealing certificate's RSA key cannot be used: ${error.message}`);
    });
  return { key, notAfter };
}

/** One value sealed for the controller: base64, as a SealedSecret's `encryptedData` holds it. */
export async function sealValue(
  key: SealingKey,
  value: Uint8Array<ArrayBuffer> | string,
  label: string,
): Promise<string> {
  const plaintext = typeof value === "string" ? new TextEncoder().encode(value) : value;
  const sessionKey = crypto.getRandomValues(new Uint8Array(SESSION_KEY_BYTES));
  const wrapped = new Uint8Array(
    await crypto.subtle.encrypt({ name: "RSA-OAEP", label: new TextEncoder().encode(label) }, key.key, sessionKey),
  );
  const aes = await crypto.subtle.importKey("raw", sessionKey, "AES-GCM", false, ["encrypt"]);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: ZERO_NONCE }, aes, plaintext));
  sessionKey.fill(0);
  const out = new Uint8Array(2 + wrapped.length + sealed.length);
  out[0] = wrapped.length >> 8;
  out[1] = wrapped.length & 0xff;
  out.set(wrapped, 2);
  out.set(sealed, 2 + wrapped.length);
  return base64Encode(out);
}

function pemBody(pem: string, label: string): Uint8Array {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!match) throw new ValidationError(`The sealing certificate is not a PEM ${label}`);
  try {
    return Uint8Array.from(atob((match[1] as string).replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    throw new ValidationError(`The sealing certificate's PEM body is not base64`);
  }
}

/** One DER element: its tag, where its content starts and ends, and where the element ends. */
interface Element {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readElement(der: Uint8Array, at: number, limit: number): Element {
  if (at + 2 > limit) throw new ValidationError("The sealing certificate is truncated");
  const tag = der[at] as number;
  let length = der[at + 1] as number;
  let contentStart = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4 || contentStart + octets > limit) {
      throw new ValidationError("The sealing certificate is not valid DER");
    }
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (der[contentStart + i] as number);
    contentStart += octets;
  }
  const end = contentStart + length;
  if (end > limit) throw new ValidationError("The sealing certificate is truncated");
  return { tag, start: at, contentStart, end };
}

function children(der: Uint8Array, parent: Element): Element[] {
  const out: Element[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = readElement(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

const SEQUENCE = 0x30;

/**
 * The parts of an X.509 certificate sealing needs (RFC 5280 §4.1): the subjectPublicKeyInfo as
 * it stands (WebCrypto imports it), its algorithm and the end of the validity period. The
 * signature is not checked: the certificate comes from the controller over the cluster's
 * authenticated API, which is what vouches for it.
 */
function readCertificate(der: Uint8Array) {
  const certificate = readElement(der, 0, der.length);
  if (certificate.tag !== SEQUENCE) throw new ValidationError("The sealing certificate is not an X.509 certificate");
  const [tbs] = children(der, certificate);
  if (!tbs || tbs.tag !== SEQUENCE) throw new ValidationError("The sealing certificate is not an X.509 certificate");
  // version [0] is optional; then serial, signature algorithm, issuer, validity, subject, key.
  const fields = children(der, tbs).filter((field, i) => !(i === 0 && field.tag === 0xa0));
  const validity = fields[3];
  const spki = fields[5];
  if (!validity || !spki || validity.tag !== SEQUENCE || spki.tag !== SEQUENCE) {
    throw new ValidationError("The sealing certificate is not an X.509 certificate");
  }
  const [algorithmIdentifier] = children(der, spki);
  const [oid] = algorithmIdentifier ? children(der, algorithmIdentifier) : [];
  if (oid?.tag !== 0x06) throw new ValidationError("The sealing certificate has no public key algorithm");
  const [, notAfter] = children(der, validity);
  if (!notAfter) throw new ValidationError("The sealing certificate has no validity period");
  return {
    spki: der.slice(spki.start, spki.end),
    algorithm: readOid(der.subarray(oid.contentStart, oid.end)),
    notAfter: readTime(notAfter.tag, new TextDecoder().decode(der.subarray(notAfter.contentStart, notAfter.end))),
  };
}

function readOid(bytes: Uint8Array): string {
  const first = bytes[0] ?? 0;
  const arcs = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}

/** UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ). */
function readTime(tag: number, text: string): Date {
  const utc = tag === 0x17;
  const match = (
    utc ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/
  ).exec(text);
  if (!match) throw new ValidationError(`The sealing certificate's validity is not a time it can read (${text})`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const year = utc ? ((y as number) < 50 ? 2000 + (y as number) : 1900 + (y as number)) : (y as number);
  return new Date(Date.UTC(year, (mo as number) - 1, d, h, mi, s));
}
