import createClient, { type Client } from "openapi-fetch";
import { ProblemError, WaitError } from "./errors";
import type { components, paths } from "./generated/schema";
import { createTransport, type TransportOptions } from "./transport";

export type Schemas = components["schemas"];

export interface FleetplaneOptions extends Omit<TransportOptions, "sleep"> {
  /** Where the API lives, e.g. `https://fleet.example.com` (no `/v1`). */
  baseUrl: string;
  sleep?: (ms: number) => Promise<void>;
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string | undefined;
}

export interface WaitOptions<T> {
  /** Give up after this long (default 5 minutes). */
  timeoutMs?: number;
  /** Pause between polls (default 1 s). */
  intervalMs?: number;
  /** Stop early with a `WaitError` when this holds, e.g. phase `Failed`. */
  failWhen?: (value: T) => boolean;
  signal?: AbortSignal;
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * The Fleetplane client: the generated, fully typed `api` (openapi-fetch over the OpenAPI
 * document) on a transport that authenticates, keys and retries, plus the helpers every caller
 * would otherwise write: `unwrap` into data-or-ProblemError, `paginate`, and `waitFor`.
 */
type RequestOptions = { query?: Query; body?: unknown; headers?: Record<string, string> };

export class Fleetplane {
  /** Typed access to every operation: `await fp.api.GET("/v1/clusters/{ref}", { params: { path: { ref } } })`. */
  readonly api: Client<paths>;
  private readonly baseUrl: string;
  private readonly transport: (request: Request) => Promise<Response>;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: FleetplaneOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.transport = createTransport({ ...options, sleep: this.sleep });
    this.api = createClient<paths>({ baseUrl: this.baseUrl, fetch: this.transport });
  }

  /**
   * The data of a typed call, or its problem thrown as a `ProblemError`:
   * `const cluster = await fp.unwrap(fp.api.GET("/v1/clusters/{ref}", …))`.
   */
  async unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const { data, error, response } = await call;
    if (!response.ok) throw await ProblemError.fromResponse(response, error ?? undefined);
    return data as T;
  }

  /**
   * An untyped request by path, for generic tools (the CLI): JSON in, JSON out, problems thrown.
   * A 204 or empty body resolves to `undefined`.
   */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const text = await this.requestText(method, path, options);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The same, for an answer that is text rather than JSON (a cluster's agent install manifest). */
  async requestText(method: string, path: string, options: RequestOptions = {}): Promise<string> {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
    }
    const headers = new Headers(options.headers);
    if (options.body !== undefined) headers.set("content-type", "application/json");
    const response = await this.transport(
      new Request(url, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      }),
    );
    if (!response.ok) throw await ProblemError.fromResponse(response);
    return response.text();
  }

  /** Every item of a paginated list, following `nextPageToken` until the last page. */
  async *paginate<T>(fetchPage: (pageToken: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
    let token: string | undefined;
    do {
      const page = await fetchPage(token);
      yield* page.items;
      token = page.nextPageToken || undefined;
    } while (token);
  }

  /** `paginate` over a list path by name: `fp.list("/v1/clusters", { labelSelector: "tier=prod" })`. */
  list<T = unknown>(path: string, query: Query = {}): AsyncGenerator<T> {
    return this.paginate((pageToken) => this.request<Page<T>>("GET", path, { query: { ...query, pageToken } }));
  }

  /**
   * The event log as it happens (`GET /v1/events/stream`, server-sent events), each event once
   * and in order, with the list's filters. The server ends a stream after a while (so proxies
   * see requests end) and a network may cut it: the generator then returns, and the caller
   * follows on with `after` set to the last event's id. Refusals throw a `ProblemError`.
   */
  async *events(
    query: { resource?: string; reason?: string } = {},
    options: { after?: string | undefined; signal?: AbortSignal | undefined } = {},
  ): AsyncGenerator<Schemas["Event"]> {
    const url = new URL(`${this.baseUrl}/v1/events/stream`);
    for (const [name, value] of Object.entries(query)) if (value) url.searchParams.set(name, value);
    const headers = new Headers({ accept: "text/event-stream" });
    if (options.after) headers.set("last-event-id", options.after);
    const response = await this.transport(new Request(url, { headers, signal: options.signal ?? null }));
    if (!response.ok) throw await ProblemError.fromResponse(response);
    if (!response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value.replace(/\r\n?/g, "\n");
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          // Only `data:` lines carry the event (it has its own id); comments keep the line alive.
          const data = block
            .split("\n")
            .filter((line) => line.startsWith("data:"))
            .map((line) => line.slice(5).replace(/^ /, ""))
            .join("\n");
          if (data) yield JSON.parse(data) as Schemas["Event"];
        }
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
  }

  /**
   * Polls `fetcher` until `predicate` holds and returns that value. A 404 from the fetcher
   * reaches the predicate as `undefined`, so "deleted" is `(c) => c === undefined`.
   */
  async waitFor<T>(
    fetcher: () => Promise<T>,
    predicate: (value: T | undefined) => boolean,
    options: WaitOptions<T> = {},
  ): Promise<T | undefined> {
    const timeoutMs = options.timeoutMs ?? 300_000;
    const intervalMs = options.intervalMs ?? 1_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      options.signal?.throwIfAborted();
      let value: T | undefined;
      try {
        value = await fetcher();
      } catch (error) {
        if (!(error instanceof ProblemError && error.status === 404)) throw error;
        value = undefined;
      }
      if (predicate(value)) return value;
      if (value !== undefined && options.failWhen?.(value)) {
        throw new WaitError("the awaited operation failed", value, "failed");
      }
      if (Date.now() >= deadline) throw new WaitError(`condition not met within ${timeoutMs} ms`, value, "timeout");
      await this.sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
    }
  }
}

export const createFleetplane = (options: FleetplaneOptions) => new Fleetplane(options);

/** A resource is gone once its fetcher answers 404: `fp.waitFor(get, gone)`. */
export const gone = (value: unknown) => value === undefined;
