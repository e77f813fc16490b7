import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen } from "../../entry/node";
import { freePort } from "../support/net";
import { startTestHost, type TestHost } from "./support/harness";

/**
 * What the HTTP server itself refuses, before the app sees a request: the answer is a problem
 * document like any other refusal, not Node's bare status line.
 */
let t: TestHost;
let server: Awaited<ReturnType<typeof listen>>;
let port: number;

beforeAll(async () => {
  t = await startTestHost();
  port = await freePort();
  server = await listen(t.host, port, "127.0.0.1");
});
afterAll(async () => {
  server?.close();
  await t?.close();
});

/** Sends raw bytes and reads the whole answer (the server closes the connection after it). */
function raw(request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(request));
    let data = "";
    socket.on("data", (chunk) => {
      data += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = data.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), headers: head.toLowerCase(), body });
    });
  });
}

describe("the HTTP edge", () => {
  it("answers a path with a raw backslash or space with a 400 problem", async () => {
    for (const path of ["/v1/clu\\sters", "/v1/clusters/a b"]) {
      const res = await raw(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(res.status, path).toBe(400);
      expect(res.headers).toContain("content-type: application/problem+json");
      const problem = JSON.parse(res.body);
      expect(problem).toMatchObject({ status: 400, code: "malformed_request", title: "Bad Request" });
      expect(problem.requestId).toMatch(/^req_/);
    }
  });

  it("answers a malformed header with a 400 problem, and too large headers with a 431", async () => {
    const malformed = await raw("GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n");
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).code).toBe("malformed_request");
    const large = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(large.status).toBe(431);
    expect(JSON.parse(large.body).code).toBe("headers_too_large");
  });

  it("still serves well-formed requests on the same server", async () => {
    const res = await raw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(res.status).toBe(200);
  });
});
