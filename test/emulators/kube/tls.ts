/**
 * TLS material for the emulators: a self-signed CA and a server certificate
 * it signs, valid for 127.0.0.1, ::1 and localhost (plus the in-cluster
 * names a real apiserver certificate carries).
 *
 * Generated once per process and shared by every emulator: certificate
 * generation is the slowest part of starting an emulator, and a benchmark
 * may start a thousand of them. Clients still verify the chain properly,
 * they just all trust the same CA. EC P-256 keys keep handshakes cheap.
 */
import { generate } from "selfsigned";

export interface TlsMaterial {
  /** CA certificate, PEM. */
  caCert: string;
  /** Server certificate and key, PEM. */
  cert: string;
  key: string;
  /**
   * A client certificate the CA signed (CN kubernetes-admin, O system:masters), as Cluster API
   * puts in the kubeconfigs it writes; the emulators accept it in place of a bearer token.
   */
  clientCert: string;
  clientKey: string;
}

let material: Promise<TlsMaterial> | undefined;

async function create(): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000); // tolerate small clock skew
  const notAfterDate = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  const ca = await generate([{ name: "commonName", value: "fleetplane-kube-emulator-ca" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "kube-apiserver" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 2, value: "kubernetes" },
          { type: 2, value: "kubernetes.default" },
          { type: 2, value: "kubernetes.default.svc" },
          { type: 2, value: "kubernetes.default.svc.cluster.local" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  const client = await generate(
    [
      { name: "commonName", value: "kubernetes-admin" },
      { name: "organizationName", value: "system:masters" },
    ],
    {
      keyType: "ec",
      algorithm: "sha256",
      notBeforeDate,
      notAfterDate,
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", clientAuth: true },
      ],
    },
  );
  return {
    caCert: ca.cert,
    cert: server.cert,
    key: server.private,
    clientCert: client.cert,
    clientKey: client.private,
  };
}

/** The process-wide TLS material, generated on first use. */
export function tlsMaterial(): Promise<TlsMaterial> {
  material ??= create().catch((err: unknown) => {
    material = undefined; // let a later call retry
    throw err;
  });
  return material;
}
