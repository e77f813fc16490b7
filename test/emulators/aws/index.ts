/**
 * A wire-level AWS emulator: one plain-HTTP server that the real AWS SDK v3
 * clients talk to through a custom `endpoint`.
 *
 *     const emu = await startAwsEmulator();
 *     const eks = new EKSClient({
 *       endpoint: emu.url, region: "eu-west-1",
 *       credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
 *     });
 *
 * Requests are routed by protocol, the way they would reach different AWS
 * endpoints: `X-Amz-Target: secretsmanager.*` → Secrets Manager (JSON 1.1),
 * `/clusters...` → EKS (REST-JSON), `Action=` form posts and presigned GETs on
 * `/` → STS (Query). In front of every service sits what AWS's edge does:
 * a request id, SigV4 authentication, throttling, error-rate, dropped-connection
 * and latency faults, and a
 * request log tests can assert on (e.g. "control plane upgraded before the
 * nodegroups").
 *
 * Control endpoints (plain JSON, unauthenticated) for out-of-process use:
 * `GET|POST /_emulator/faults`, `GET /_emulator/requests`,
 * `GET /_emulator/state`, `POST /_emulator/reset`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ClusterEndpoint,
  type CredentialEntry,
  defaultFaults,
  type EmulatorContext,
  type Faults,
  secretFor,
  type TimeScale,
} from "./context";
import { EksApi, type EksCluster, type EksNodegroup, EksState, type EksUpdate } from "./eks";
import { AwsError, newRequestId, type ServiceName, sleep, type WireRequest, type WireResponse } from "./protocol";
import { SecretsManagerApi, SecretsState, type StoredSecret } from "./secrets-manager";
import type { ServiceFrontend } from "./service";
import { verifySigV4 } from "./sigv4";
import { StsApi } from "./sts";

export type { ClusterEndpoint, CredentialEntry, Faults, TimeScale } from "./context";
export {
  EKS_DEFAULT_KUBERNETES_VERSION,
  EKS_KUBERNETES_VERSIONS,
  type EksCluster,
  type EksNodegroup,
  type EksUpdate,
} from "./eks";
export { type CreateEksTokenOptions, createEksToken, type EksTokenVerification, verifyEksToken } from "./eks-token";
export {
  AWSCURRENT,
  AWSPREVIOUS,
  type SecretVersion,
  type StoredSecret,
  secretVersionByStage,
} from "./secrets-manager";
export { type CallerIdentity, callerIdentity } from "./sts";

export const DEFAULT_ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "eu-west-1";
/** The credentials the emulator knows (and therefore verifies signatures for) unless told otherwise. */
export const DEFAULT_CREDENTIALS: readonly CredentialEntry[] = [
  { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
];

export interface AwsEmulatorOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 123456789012. */
  accountId?: string;
  /** Region used in ARNs and endpoints; default eu-west-1. */
  region?: string;
  /** How long async transitions take; every value defaults to 50 ms so tests stay fast. */
  timeScale?: Partial<TimeScale>;
  /**
   * Access keys whose signatures are verified cryptographically (and what
   * GetCallerIdentity reports for them). Requests signed with other keys are
   * still accepted after structural checks. Default: AKIDEXAMPLE / secret.
   */
  credentials?: CredentialEntry[];
  /**
   * Decides the API server a new EKS cluster reports (`endpoint` and
   * `certificateAuthority.data`), e.g. a kube emulator. By default each
   * cluster gets an unreachable `https://<id>.gr7.<region>.eks.amazonaws.com`
   * and a freshly generated CA certificate.
   */
  clusterEndpoint?: (clusterName: string) => ClusterEndpoint | undefined | Promise<ClusterEndpoint | undefined>;
}

export interface AwsRequestLogEntry {
  service: ServiceName;
  /** SDK operation name without "Command", e.g. "UpdateClusterVersion". */
  operation: string;
  /** Arrival time, ms since epoch. */
  at: number;
  /** Cluster name, `cluster/nodegroup`, secret id, or the cluster an EKS token is for. */
  target?: string;
  /** HTTP status answered (429 / 400 for throttled calls). */
  status: number;
}

/** Read-only view of the EKS state; reading it settles due transitions first. */
export interface EksStateView {
  readonly clusters: Map<string, EksCluster>;
  /** clusterName → nodegroupName → nodegroup */
  readonly nodegroups: Map<string, Map<string, EksNodegroup>>;
  /** updateId → update */
  readonly updates: Map<string, EksUpdate>;
}

export interface AwsEmulator {
  /** `http://host:port`, to be passed as the SDK clients' `endpoint`. */
  readonly url: string;
  readonly accountId: string;
  readonly region: string;
  readonly eks: EksStateView;
  /** Secrets Manager state by secret name (values included, for assertions). */
  readonly secrets: Map<string, StoredSecret>;
  /** Every API call, in arrival order. */
  readonly requests: AwsRequestLogEntry[];
  /** Mutable: tests flip these at any time. */
  readonly faults: Faults;
  /** Mutable: transition durations. */
  readonly timeScale: TimeScale;
  /** Forgets all resources, requests and faults (timeScale returns to its initial values). */
  reset(): void;
  close(): Promise<void>;
}

export async function startAwsEmulator(opts: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const initialTimeScale: TimeScale = {
    clusterCreateMs: 50,
    nodegroupCreateMs: 50,
    updateMs: 50,
    deleteMs: 50,
    ...opts.timeScale,
  };
  const ctx: EmulatorContext = {
    accountId: opts.accountId ?? DEFAULT_ACCOUNT_ID,
    region: opts.region ?? DEFAULT_REGION,
    timeScale: { ...initialTimeScale },
    faults: defaultFaults(),
    credentials: [...(opts.credentials ?? DEFAULT_CREDENTIALS)],
    ...(opts.clusterEndpoint ? { clusterEndpoint: opts.clusterEndpoint } : {}),
  };
  const eksState = new EksState();
  const secretsState = new SecretsState();
  const requests: AwsRequestLogEntry[] = [];
  // Order matters only for ambiguity, and there is none: each service claims
  // requests by a distinct feature (target header, /clusters path, Action).
  const services: ServiceFrontend[] = [
    new SecretsManagerApi(ctx, secretsState),
    new EksApi(ctx, eksState),
    new StsApi(ctx),
  ];

  const reset = (): void => {
    eksState.clear();
    secretsState.clear();
    requests.length = 0;
    // Mutate in place: tests hold references to `faults` and `timeScale`.
    for (const key of Object.keys(ctx.faults)) delete (ctx.faults as unknown as Record<string, unknown>)[key];
    Object.assign(ctx.faults, defaultFaults());
    Object.assign(ctx.timeScale, initialTimeScale);
  };

  const control = new ControlEndpoints(ctx, eksState, secretsState, requests, reset);

  async function dispatch(wire: WireRequest): Promise<WireResponse> {
    if (wire.rawPath.startsWith("/_emulator/")) return control.handle(wire);

    for (const service of services) {
      const op = service.match(wire);
      if (!op) continue;
      const entry: AwsRequestLogEntry = { service: service.name, operation: op.operation, at: wire.now, status: 0 };
      if (op.target !== undefined) entry.target = op.target;
      requests.push(entry);

      let response: WireResponse;
      try {
        const auth = verifySigV4(wire, {
          service: service.signingName,
          secretFor: (key) => secretFor(ctx, key),
          now: wire.now,
          presignValidity: service.presignValidity ?? "x-amz-expires",
        });
        if (!auth.ok) throw service.authError(auth.kind, auth.message);
        if (ctx.faults.throttleNext > 0) {
          ctx.faults.throttleNext--;
          throw service.throttlingError();
        }
        if (ctx.faults.errorRate > 0 && !fromAuthenticator(wire.headers) && Math.random() < ctx.faults.errorRate) {
          throw service.internalError("Injected fault: the service failed to process the request.");
        }
        response = await op.handle(auth.identity);
      } catch (err) {
        if (!(err instanceof AwsError)) console.error(`[aws-emulator] ${service.name}.${op.operation} crashed:`, err);
        const awsError =
          err instanceof AwsError ? err : service.internalError("The emulator failed to process the request.");
        response = service.renderError(awsError, wire);
      }
      entry.status = response.status;
      return response;
    }

    return {
      status: 404,
      headers: { "content-type": "application/json", "x-amzn-errortype": "UnknownOperationException" },
      body: JSON.stringify({ message: `No emulated AWS service handles ${wire.method} ${wire.rawPath}` }),
    };
  }

  const server = createServer((req, res) => {
    const faultable = !req.url?.startsWith("/_emulator/") && !fromAuthenticator(req.headers);
    if (faultable && ctx.faults.dropRate > 0 && Math.random() < ctx.faults.dropRate) {
      req.socket.destroy();
      return;
    }
    handleHttp(req, res, dispatch, () => ctx.faults.latencyMs).catch((err) => {
      console.error("[aws-emulator] failed to answer:", err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url,
    accountId: ctx.accountId,
    region: ctx.region,
    eks: eksState,
    get secrets() {
      return secretsState.secrets;
    },
    requests,
    faults: ctx.faults,
    timeScale: ctx.timeScale,
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // SDK clients hold keep-alive connections open; don't wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

/**
 * A cluster's authenticator replaying an EKS token at STS (verifyEksToken) is AWS talking to
 * itself, not a client's call: error and drop faults leave it alone, as an outage of the
 * client's path would not break token checks inside AWS.
 */
function fromAuthenticator(headers: Record<string, string | string[] | undefined>): boolean {
  return headers["x-k8s-aws-id"] !== undefined;
}

async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  dispatch: (wire: WireRequest) => Promise<WireResponse>,
  latencyMs: () => number,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const target = req.url ?? "/";
  const q = target.indexOf("?");
  const rawQuery = q === -1 ? "" : target.slice(q + 1);
  const wire: WireRequest = {
    method: req.method ?? "GET",
    rawPath: q === -1 ? target : target.slice(0, q),
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers: req.headers,
    body: Buffer.concat(chunks),
    requestId: newRequestId(),
    now: Date.now(),
  };
  const response = await dispatch(wire);
  const latency = wire.rawPath.startsWith("/_emulator/") ? 0 : latencyMs();
  if (latency > 0) await sleep(latency);
  const body = Buffer.from(response.body, "utf8");
  res.writeHead(response.status, {
    ...response.headers,
    "x-amzn-RequestId": wire.requestId,
    "content-length": String(body.length),
  });
  res.end(body);
}

/** The out-of-band HTTP API used when the emulator runs as its own process. */
class ControlEndpoints {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly eks: EksState,
    private readonly secrets: SecretsState,
    private readonly requests: AwsRequestLogEntry[],
    private readonly reset: () => void,
  ) {}

  handle(wire: WireRequest): WireResponse {
    const json = (body: unknown, status = 200): WireResponse => ({
      status,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const route = `${wire.method} ${wire.rawPath}`;
    try {
      switch (route) {
        case "GET /_emulator/faults":
          return json(this.ctx.faults);
        case "POST /_emulator/faults":
          this.updateFaults(JSON.parse(wire.body.toString("utf8") || "{}"));
          return json(this.ctx.faults);
        case "GET /_emulator/requests":
          return json(this.requests);
        case "GET /_emulator/state":
          return json(this.snapshot());
        case "POST /_emulator/reset":
          this.reset();
          return json({});
        default:
          return json({ message: `Unknown control endpoint ${route}` }, 404);
      }
    } catch (err) {
      return json({ message: err instanceof Error ? err.message : String(err) }, 400);
    }
  }

  /** Merges a partial faults object; `null` clears an optional fault. All or nothing. */
  private updateFaults(patch: unknown): void {
    if (typeof patch !== "object" || patch === null || Array.isArray(patch)) throw new Error("expected a JSON object");
    const faults: Faults = { ...this.ctx.faults };
    for (const [key, value] of Object.entries(patch)) {
      switch (key) {
        case "errorRate":
        case "dropRate":
          if (typeof value !== "number" || value < 0 || value > 1)
            throw new Error(`${key} must be a number from 0 to 1`);
          faults[key] = value;
          break;
        case "throttleNext":
        case "latencyMs":
          if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
            throw new Error(`${key} must be a non-negative integer`);
          }
          faults[key] = value;
          break;
        case "failCreateCluster":
          if (value === null) delete faults.failCreateCluster;
          else if (typeof value?.code === "string" && typeof value?.message === "string") {
            faults.failCreateCluster = { code: value.code, message: value.message };
          } else throw new Error("failCreateCluster must be {code, message} or null");
          break;
        case "failClusterDuringCreate":
          if (value === null) delete faults.failClusterDuringCreate;
          else if (typeof value === "string") faults.failClusterDuringCreate = value;
          else throw new Error("failClusterDuringCreate must be a cluster name or null");
          break;
        default:
          throw new Error(`unknown fault ${key}`);
      }
    }
    // Replace in place: in-process holders of `emu.faults` must see the change.
    for (const key of Object.keys(this.ctx.faults)) delete (this.ctx.faults as unknown as Record<string, unknown>)[key];
    Object.assign(this.ctx.faults, faults);
  }

  private snapshot(): unknown {
    const nodegroups: Record<string, EksNodegroup[]> = {};
    for (const [cluster, map] of this.eks.nodegroups) nodegroups[cluster] = [...map.values()];
    return {
      eks: {
        clusters: [...this.eks.clusters.values()],
        nodegroups,
        updates: [...this.eks.updates.values()],
      },
      secrets: [...this.secrets.secrets.values()].map((s) => ({
        ...s,
        versions: [...s.versions.values()].map((v) => ({
          ...v,
          ...(v.secretBinary ? { secretBinary: v.secretBinary.toString("base64") } : {}),
        })),
      })),
    };
  }
}
