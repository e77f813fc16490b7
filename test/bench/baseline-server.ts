/**
 * The baselines of B1 and B2: bare `node:http` doing the least a server can do for the same
 * exchange — serve a fixed JSON document (B1), or parse a JSON body and echo it (B2).
 *
 *   node --import tsx test/bench/baseline-server.ts <port> <get|echo> [json-file]
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [portText, mode, file] = process.argv.slice(2);
const fixed = file ? readFileSync(file) : Buffer.from("{}");

createServer((req, res) => {
  if (mode === "get") {
    res.writeHead(200, { "content-type": "application/json", "content-length": fixed.length });
    res.end(fixed);
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    // An empty body is the readiness probe.
    const text = Buffer.concat(chunks).toString("utf8") || "{}";
    const body = JSON.stringify(JSON.parse(text));
    res.writeHead(201, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(Number(portText), "127.0.0.1", () => process.stdout.write("ready\n"));
