/**
 * Wire-level kube-apiserver emulator.
 *
 * Real clients (`@kubernetes/client-node`, kubectl) talk to it over HTTP(S)
 * exactly as to a real API server: bearer-token auth, discovery, CRUD, list
 * paging and selectors, merge/JSON patches, server-side apply with
 * managedFields and conflicts, status subresources, watch, and Status errors.
 * Tests additionally get an in-process control surface (direct store access,
 * edits as other field managers, fault injection, request log); the
 * standalone process (main.ts) exposes the same controls under /_emulator.
 *
 * See README.md in this folder for what is emulated and what is simplified.
 */
import { randomBytes } from "node:crypto";
import { Controls, startControllers } from "./controllers.js";
import type { Operation } from "./fields.js";
import type { JsonObject } from "./json.js";
import { type Faults, KubeServer, type RequestLogEntry, type ServiceBackend } from "./server.js";
import { type KubeObject, KubeStore, type ObjectRef } from "./store.js";
import { tlsMaterial } from "./tls.js";

export { Controls, type DeploymentFailure } from "./controllers.js";
export { ApiError, type Status, type StatusCause } from "./errors.js";
export type { ManagedFieldsEntry, Operation } from "./fields.js";
export { BUILTIN_RESOURCES, type ResourceType, typesOfCrd } from "./resources.js";
export type { Faults, RequestLogEntry, ServiceBackend } from "./server.js";
export { type KubeObject, KubeStore, type ObjectMeta, type ObjectRef } from "./store.js";
export { tlsMaterial } from "./tls.js";

export interface KubeEmulatorOptions {
  /** 0 = random (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default true: HTTPS with the process-wide self-signed CA (server cert valid for 127.0.0.1, ::1 and localhost). */
  tls?: boolean;
  /** Bearer token required on every request except the health endpoints; default random. */
  token?: string;
  /** Decides API bearer tokens instead of `token` (e.g. EKS tokens via `verifyEksToken`); the control API keeps `token`. */
  authenticate?: (token: string) => boolean | Promise<boolean>;
  /** Default "v1.30.2". */
  gitVersion?: string;
  /** Cluster name, used in logs. Default "kube-emulator". */
  name?: string;
  /** Create what a fresh cluster contains (system namespaces, default service accounts, kube-root-ca.crt, the kubernetes Service). Default true. */
  seed?: boolean;
  /**
   * Run the apiextensions and Deployment controllers (CRDs become Established, Deployments
   * Available, a few milliseconds after each write). Default true.
   */
  controllers?: boolean;
  /** Maximum request log entries kept (oldest dropped first); 0 disables the log. Default 10,000. */
  requestLogLimit?: number;
}

export interface KubeEmulator {
  /** e.g. https://127.0.0.1:43211 */
  url: string;
  /** base64 of the CA PEM, as in a kubeconfig's certificate-authority-data ("" without TLS). */
  caData: string;
  /** A client certificate and key (base64 PEM, as in a kubeconfig) the server accepts instead of `token`. */
  clientCertData: string;
  clientKeyData: string;
  token: string;
  name: string;
  close(): Promise<void>;
  /** Direct access to the objects (reads return copies). */
  store: KubeStore;
  /** Replace `.status` through the status subresource (bumps resourceVersion, not generation). */
  setStatus(ref: ObjectRef, status: object, manager?: string): KubeObject;
  /**
   * Change an object as another field manager (e.g. "kubectl-edit"), recording managedFields.
   * "Update" (default) merge-patches an existing object; "Apply" server-side applies `patch` with force.
   */
  editAs(manager: string, ref: ObjectRef, patch: object, operation?: Operation): KubeObject;
  /** Delete an object (namespaces cascade). Returns false if it did not exist. */
  remove(ref: ObjectRef): boolean;
  faults: Faults;
  /** Steers the emulated controllers: hold a CRD un-established, keep a Deployment unavailable. */
  controls: Controls;
  /** API requests received (not /_emulator ones), oldest first, capped at `requestLogLimit` entries. */
  requests: RequestLogEntry[];
  /** Connections (TLS handshakes) accepted so far: a client that keeps connections alive makes few. */
  readonly connections: number;
  /**
   * Serve what a Service's pods answer through the API server's service proxy, while `ready()`
   * (its controller runs); the Service object itself must exist, as on a real cluster.
   */
  serveService(namespace: string, name: string, backend: ServiceBackend, ready: () => boolean): void;
  /** Clear objects created by clients (back to the seeded cluster), faults, request log and open watches. */
  reset(): void;
}

function base64(pem: string): string {
  return Buffer.from(pem, "utf8").toString("base64");
}

export async function startKubeEmulator(opts: KubeEmulatorOptions = {}): Promise<KubeEmulator> {
  const useTls = opts.tls ?? true;
  const material = useTls ? await tlsMaterial() : undefined;
  const token = opts.token ?? randomBytes(24).toString("base64url");
  const name = opts.name ?? "kube-emulator";
  const store = new KubeStore({ seed: opts.seed ?? true, caPem: material?.caCert ?? "" });
  const server = new KubeServer({
    name,
    token,
    ...(opts.authenticate ? { authenticate: opts.authenticate } : {}),
    gitVersion: opts.gitVersion ?? "v1.30.2",
    tls: material ? { key: material.key, cert: material.cert, ca: material.caCert } : undefined,
    store,
    requestLogLimit: opts.requestLogLimit ?? 10_000,
  });
  const controls = new Controls();
  const controllers = opts.controllers === false ? undefined : startControllers(store, controls);
  server.controls = controls;
  const url = await server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1");
  return {
    url,
    caData: material ? base64(material.caCert) : "",
    clientCertData: material ? base64(material.clientCert) : "",
    clientKeyData: material ? base64(material.clientKey) : "",
    token,
    name,
    close: () => {
      controllers?.stop();
      return server.close();
    },
    store,
    setStatus: (ref, status, manager) => store.setStatus(ref, status, manager),
    editAs: (manager, ref, patch, operation) => store.editAs(manager, ref, patch as JsonObject, operation),
    remove: (ref) => store.remove(ref),
    faults: server.faults,
    controls,
    requests: server.requests,
    get connections() {
      return server.connectionsAccepted;
    },
    serveService: (namespace, name, backend, ready) => {
      server.services.set(`${namespace}/${name}`, { backend, ready });
    },
    reset: () => {
      server.reset();
      controls.clear();
    },
  };
}
