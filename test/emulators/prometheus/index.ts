import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface PrometheusEmulator {
  url: string;
  /** The value a query containing `match` returns; `undefined` makes it return no data. */
  set(match: string, value: number | undefined): void;
  /** Queries received, in order (after template substitution by the caller). */
  queries: string[];
  close(): Promise<void>;
}

/**
 * The Prometheus HTTP API's instant query endpoint (`GET|POST /api/v1/query`), answering with
 * an instant vector of one sample whose value the test chooses per query, in Prometheus's
 * response envelope (`{"status":"success","data":{"resultType":"vector","result":[…]}}`).
 */
export async function startPrometheusEmulator(listenPort = 0): Promise<PrometheusEmulator> {
  const values = new Map<string, number | undefined>();
  const queries: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let query = url.searchParams.get("query");
    if (req.method === "POST" && url.pathname === "/api/v1/query") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      query = new URLSearchParams(Buffer.concat(chunks).toString()).get("query");
    }
    res.setHeader("content-type", "application/json");
    // Control endpoint for local runs: POST /_emulator/values {"match": "...", "value": 95}.
    if (url.pathname === "/_emulator/values" && req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { match: string; value?: number };
        values.set(body.match, body.value);
        res.end(JSON.stringify({ match: body.match, value: body.value ?? null }));
      } catch {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: "expected {match, value}" }));
      }
      return;
    }
    if (url.pathname !== "/api/v1/query") {
      res.statusCode = 404;
      res.end(JSON.stringify({ status: "error", errorType: "not_found", error: "not found" }));
      return;
    }
    if (!query) {
      res.statusCode = 400;
      res.end(JSON.stringify({ status: "error", errorType: "bad_data", error: "query is required" }));
      return;
    }
    queries.push(query);
    const match = [...values.keys()].find((m) => query.includes(m));
    const value = match === undefined ? undefined : values.get(match);
    const result = value === undefined ? [] : [{ metric: {}, value: [Date.now() / 1000, String(value)] }];
    res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result } }));
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (match, value) => values.set(match, value),
    queries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
