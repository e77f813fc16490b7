import {
  ApiException,
  ApisApi,
  type AuthMethodsConfiguration,
  createConfiguration,
  type HttpLibrary,
  HttpMethod,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  type RequestContext,
  type ResponseContext,
  ServerConfiguration,
  VersionApi,
} from "@kubernetes/client-node";
import { StalledError, TransientError } from "../../core/errors";
import { classifyStatus } from "./refusals";

/** Field manager for every server-side apply Fleetplane makes; drift detection keys off it. */
export const FIELD_MANAGER = "fleetplane";

/** The response type that makes `processResponse` answer the body as text. */
const AS_TEXT = "fleetplane:text";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ServerVersion {
  gitVersion: string;
  major: string;
  minor: string;
  platform?: string;
}

/**
 * Everything Fleetplane does to a cluster goes through this small interface, so the three
 * transports (Node with the cluster's CA, Workers fetch, and anything tests point it at)
 * are adapters and the functions never see client-node directly.
 */
export interface KubeAccess {
  version(): Promise<ServerVersion>;
  /** Names of the API groups the server serves (`""` is the core group). */
  apiGroups(): Promise<string[]>;
  apply<T extends KubernetesObject>(object: T): Promise<T>;
  get<T extends KubernetesObject>(ref: ObjectRef): Promise<T | undefined>;
  list<T extends KubernetesObject>(
    apiVersion: string,
    kind: string,
    opts?: { namespace?: string; labelSelector?: string },
  ): Promise<T[]>;
  /** Deletes if present; answers whether there was something to delete. */
  delete(ref: ObjectRef): Promise<boolean>;
  /**
   * GET through the API server's service proxy (`/api/v1/namespaces/{ns}/services/{name}/proxy/{path}`),
   * answered as text: how `kubeseal` fetches the sealed-secrets controller's certificate
   * without a route into the cluster. A refusal is an `ApiException` with the status (404 for a
   * missing Service, 503 when it has no ready endpoints).
   */
  serviceProxyGet(ref: ServiceProxyRef): Promise<string>;
}

export interface ServiceProxyRef {
  namespace: string;
  /** The Service's name, optionally with its port (`name:port`). */
  service: string;
  /** The path on the Service, from `/`. */
  path: string;
}

/** The most a service-proxy read returns: a certificate or a status page, not a download. */
export const SERVICE_PROXY_MAX_BYTES = 256 * 1024;

/** The API server path of a service-proxy GET, each segment escaped but the path's slashes kept. */
export function serviceProxyPath(ref: ServiceProxyRef): string {
  const path = ref.path.replace(/^\/+/, "").split("/").map(encodeURIComponent).join("/");
  return `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/services/${encodeURIComponent(ref.service)}/proxy/${path}`;
}

/** What a function needs to reach one cluster. */
export interface KubeTarget {
  server: string;
  caData?: string;
  /** Bearer token, or else an x509 client certificate and key (base64 PEM, as kubeconfigs carry them). */
  token?: string;
  clientCertData?: string;
  clientKeyData?: string;
  /** Set for an agent-mode cluster: nothing dials it, its agent takes the calls (see agent.ts). */
  agent?: { clusterId: string; clusterName: string };
}

export type KubeConnector = (target: KubeTarget) => Promise<KubeAccess>;

/**
 * client-node's `patch` sends an object through its typed model, which keeps only the fields
 * that model knows: a CustomResourceDefinition loses every `default`, `enum` and
 * `x-kubernetes-*` key of its schema (on a real cluster that prunes, for example, every
 * HelmRelease's `spec.values`), and a built-in kind loses fields newer than the client. A
 * server-side apply sends the object exactly as we built it instead; discovery, auth, the
 * transport and the response handling stay client-node's own.
 */
class RawApplyObjectApi extends KubernetesObjectApi {
  /** A GET through the service proxy, with client-node's auth, middleware and transport. */
  async proxyText(ref: ServiceProxyRef): Promise<string> {
    const context = this.configuration.baseServer.makeRequestContext(serviceProxyPath(ref), HttpMethod.GET);
    context.setHeaderParam("Accept", "*/*");
    return (await this.requestPromise(context, AS_TEXT)) as unknown as string;
  }

  protected override async processResponse<T extends KubernetesObject>(
    response: ResponseContext,
    type?: string,
  ): Promise<T> {
    if (type !== AS_TEXT) return super.processResponse<T>(response, type);
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
      // The API server's own refusals are a Status object; a backend's are whatever it says.
      let status: { message?: unknown } | undefined;
      try {
        status = JSON.parse(text) as { message?: unknown };
      } catch {
        status = undefined;
      }
      const message = typeof status?.message === "string" ? status.message : text.slice(0, 1024);
      throw new ApiException(response.httpStatusCode, "Unsuccessful HTTP Request", { message }, response.headers);
    }
    if (text.length > SERVICE_PROXY_MAX_BYTES) {
      throw new Error(
        `the service answered ${text.length} bytes, more than the ${SERVICE_PROXY_MAX_BYTES} read through the proxy`,
      );
    }
    return text as unknown as T;
  }

  async applyAsSent<T extends KubernetesObject>(object: T): Promise<T> {
    const path = await this.specUriPath(object, "patch");
    const context = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    context.setHeaderParam("Accept", "application/json, */*;q=0.8");
    context.setHeaderParam("Content-Type", PatchStrategy.ServerSideApply);
    context.setQueryParam("fieldManager", FIELD_MANAGER);
    context.setQueryParam("force", "true");
    context.setBody(JSON.stringify(object));
    return this.requestPromise<T>(context);
  }
}

/**
 * Builds the client-node API clients over one configuration: the transport (`httpApi`, when
 * the default undici one cannot run) and the authentication are what the adapters vary.
 */
export function kubeAccess(opts: {
  server: string;
  auth: AuthMethodsConfiguration["default"];
  timeoutMs: number;
  httpApi?: HttpLibrary;
}): KubeAccess {
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(opts.server, {}),
    authMethods: { default: opts.auth },
    ...(opts.httpApi ? { httpApi: opts.httpApi } : {}),
    promiseMiddleware: [
      {
        // One deadline per call, so an API server that accepts connections but never answers
        // cannot hold a job (and its lease) forever.
        pre: async (context: RequestContext) => {
          context.setSignal(AbortSignal.timeout(opts.timeoutMs));
          return context;
        },
        post: async (context: ResponseContext) => context,
      },
    ],
  });
  const objects = new RawApplyObjectApi(configuration);
  const version = new VersionApi(configuration);
  const apis = new ApisApi(configuration);
  return {
    async version() {
      const info = await version.getCode();
      return { gitVersion: info.gitVersion, major: info.major, minor: info.minor, platform: info.platform };
    },
    async apiGroups() {
      const groups = await apis.getAPIVersions();
      return ["", ...groups.groups.map((g) => g.name)];
    },
    async apply(object) {
      return objects.applyAsSent(object);
    },
    async get(ref) {
      try {
        const header = {
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
        };
        return (await objects.read<KubernetesObject>(header)) as never;
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw error;
      }
    },
    async list(apiVersion, kind, opts = {}) {
      const items: never[] = [];
      let continueToken: string | undefined;
      do {
        const page = await objects.list(
          apiVersion,
          kind,
          opts.namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          opts.labelSelector,
          500,
          continueToken,
        );
        items.push(...(page.items as never[]));
        continueToken = page.metadata?._continue || undefined;
      } while (continueToken);
      return items;
    },
    async serviceProxyGet(ref) {
      return objects.proxyText(ref);
    },
    async delete(ref) {
      try {
        await objects.delete({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
        });
        return true;
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return false;
        throw error;
      }
    },
  };
}

const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_UNTRUSTED",
]);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns whatever the transport threw into a domain error whose code is the reason a person
 * sees on the cluster's Ready condition, and whose class says whether retrying can help.
 */
export function classifyKubeError(error: unknown, server: string): TransientError | StalledError {
  if (error instanceof StalledError || error instanceof TransientError) return error;
  if (error instanceof ApiException) {
    return classifyStatus(error.code, (error.body as { message?: string } | undefined)?.message ?? "", server);
  }
  const code = causeCode(error);
  if (code && TLS_CODES.has(code)) {
    return new StalledError(
      "CertificateInvalid",
      `The API server at ${server} presented a certificate that connection.caData does not trust (${code}). Check caData.`,
    );
  }
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new TransientError("Unreachable", `The API server at ${server} did not answer in time`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TransientError(
    "Unreachable",
    `Cannot reach the API server at ${server}${code ? ` (${code})` : ""}: ${message}`,
  );
}
