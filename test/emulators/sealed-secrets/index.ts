import { constants, createDecipheriv, privateDecrypt } from "node:crypto";
import { generate } from "selfsigned";
import { controllerRunning } from "../flux/index.js";
import type { KubeEmulator } from "../kube/index.js";

/**
 * Bitnami's sealed-secrets controller for kube emulators, written from its documented
 * algorithm: it holds an RSA key pair per cluster (and every earlier one after a rotation),
 * serves its certificate at `/v1/cert.pem` through the API server's service proxy, and turns
 * each SealedSecret into a Secret by unsealing every value with the label its scope demands. A
 * value it cannot unseal leaves the SealedSecret `Synced=False`, as the controller reports it.
 * Nothing happens on a cluster until its controller Deployment runs.
 */
export const CONTROLLER = { namespace: "kube-system", name: "sealed-secrets-controller" };
const SEALED_SECRET = { apiVersion: "bitnami.com/v1alpha1", kind: "SealedSecret" };

interface KeyPair {
  cert: string;
  privateKey: string;
}

interface SealedSecretObject {
  metadata: {
    name: string;
    namespace: string;
    generation?: number;
    annotations?: Record<string, string>;
    uid?: string;
  };
  spec: {
    encryptedData?: Record<string, string>;
    template?: { type?: string; metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } };
  };
  status?: { observedGeneration?: number };
}

/** The controller's HybridDecrypt: length-prefixed RSA-OAEP(SHA-256, label) session key, then AES-256-GCM with a zero nonce. */
export function unseal(privateKeyPem: string, sealed: string, label: string): Buffer {
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
  return Buffer.concat([decipher.update(box.subarray(0, box.length - 16)), decipher.final()]);
}

/** The label the controller expects, from the scope annotations the SealedSecret carries. */
export function labelOf(object: SealedSecretObject): string {
  const annotations = object.metadata.annotations ?? {};
  if (annotations["sealedsecrets.bitnami.com/cluster-wide"] === "true") return "";
  if (annotations["sealedsecrets.bitnami.com/namespace-wide"] === "true") return object.metadata.namespace;
  return `${object.metadata.namespace}/${object.metadata.name}`;
}

export async function newKeyPair(): Promise<KeyPair> {
  const generated = await generate([{ name: "commonName", value: "sealed-secret" }], {
    keyType: "rsa",
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(Date.now() - 3600_000),
    notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600_000),
  });
  return { cert: generated.cert, privateKey: generated.private };
}

export interface SealedSecretsController {
  /** The key pairs of a cluster, newest last (empty until its controller first ran). */
  keysOf(cluster: string): KeyPair[];
  /** A new sealing key on the cluster, as the controller's periodic renewal makes; older keys still unseal. */
  rotate(cluster: string): Promise<void>;
  stop(): void;
}

export function startSealedSecretsController(
  clusters: Map<string, KubeEmulator>,
  opts: { intervalMs?: number } = {},
): SealedSecretsController {
  const keys = new Map<string, KeyPair[]>();
  const starting = new Set<string>();
  const tick = async () => {
    for (const [name, kube] of clusters) {
      if (!controllerRunning(kube, CONTROLLER.namespace, CONTROLLER.name)) continue;
      if (!keys.has(name)) {
        if (starting.has(name)) continue;
        starting.add(name);
        keys.set(name, [await newKeyPair()]);
        kube.serveService(
          CONTROLLER.namespace,
          CONTROLLER.name,
          (method, path) => {
            if (method !== "GET" || path !== "/v1/cert.pem") return { status: 404, body: "404 page not found\n" };
            const pairs = keys.get(name) ?? [];
            return {
              status: 200,
              body: (pairs[pairs.length - 1] as KeyPair).cert,
              contentType: "application/x-pem-file",
            };
          },
          () => controllerRunning(kube, CONTROLLER.namespace, CONTROLLER.name),
        );
      }
      let items: SealedSecretObject[];
      try {
        items = kube.store.list(SEALED_SECRET) as never;
      } catch {
        continue; // the CRD is not installed
      }
      for (const item of items) {
        const generation = item.metadata.generation ?? 1;
        if (item.status?.observedGeneration === generation) continue;
        reconcile(kube, item, keys.get(name) ?? [], generation);
      }
    }
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void tick().finally(() => {
      running = false;
    });
  }, opts.intervalMs ?? 20);
  return {
    keysOf: (cluster) => keys.get(cluster) ?? [],
    async rotate(cluster) {
      keys.get(cluster)?.push(await newKeyPair());
    },
    stop: () => clearInterval(timer),
  };
}

function reconcile(kube: KubeEmulator, item: SealedSecretObject, pairs: KeyPair[], generation: number) {
  const ref = { ...SEALED_SECRET, namespace: item.metadata.namespace, name: item.metadata.name };
  const label = labelOf(item);
  const data: Record<string, string> = {};
  for (const [key, sealed] of Object.entries(item.spec.encryptedData ?? {})) {
    const opened = pairs
      .map((pair) => {
        try {
          return unseal(pair.privateKey, sealed, label);
        } catch {
          return undefined;
        }
      })
      .find((value) => value !== undefined);
    if (!opened) {
      kube.setStatus(ref, {
        observedGeneration: generation,
        conditions: [
          {
            type: "Synced",
            status: "False",
            reason: "ErrUnsealFailed",
            message: `no key could decrypt secret (${key})`,
          },
        ],
      });
      return;
    }
    data[key] = opened.toString("base64");
  }
  const template = item.spec.template ?? {};
  kube.editAs(
    "sealed-secrets-controller",
    { apiVersion: "v1", kind: "Secret", namespace: item.metadata.namespace, name: item.metadata.name },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: item.metadata.name,
        namespace: item.metadata.namespace,
        ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
        ownerReferences: [
          {
            apiVersion: SEALED_SECRET.apiVersion,
            kind: SEALED_SECRET.kind,
            name: item.metadata.name,
            uid: item.metadata.uid ?? "",
            controller: true,
          },
        ],
      },
      type: template.type ?? "Opaque",
      data,
    },
    "Apply",
  );
  kube.setStatus(ref, {
    observedGeneration: generation,
    conditions: [{ type: "Synced", status: "True", reason: "", message: "" }],
  });
}
