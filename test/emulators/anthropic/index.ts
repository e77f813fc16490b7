/**
 * A wire-level emulator of Anthropic's Messages API (`POST /v1/messages`): the headers, the
 * request body and the response and error shapes of the real endpoint, with a deterministic
 * answer. It keeps every request so tests can read the prompts that were sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface MessagesRequest {
  headers: Record<string, string | string[] | undefined>;
  body: {
    model: string;
    max_tokens: number;
    messages: { role: "user" | "assistant"; content: string | { type: string; text?: string }[] }[];
    system?: string;
  };
}

export interface MessagesEmulator {
  url: string;
  apiKey: string;
  requests: MessagesRequest[];
  /** Answer every request with this HTTP status and an Anthropic error body (e.g. 529 overloaded). */
  failWith: number | undefined;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_${Date.now()}` });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, message: string) {
  send(res, status, { type: "error", error: { type: ERROR_TYPES[status] ?? "api_error", message } });
}

/** The text of the first user message, whether sent as a string or as content blocks. */
export function promptOf(request: MessagesRequest): string {
  const content = request.body.messages.find((m) => m.role === "user")?.content ?? "";
  return typeof content === "string" ? content : content.map((c) => c.text ?? "").join("\n");
}

export async function startMessagesEmulator(opts: { apiKey?: string } = {}): Promise<MessagesEmulator> {
  const apiKey = opts.apiKey ?? `sk-ant-emulator-${Math.random().toString(36).slice(2)}`;
  const emulator: MessagesEmulator = {
    url: "",
    apiKey,
    requests: [],
    failWith: undefined,
    close: async () => undefined,
  };
  const handle = (req: IncomingMessage, raw: string, res: ServerResponse) => {
    if (req.method !== "POST" || req.url !== "/v1/messages")
      return error(res, 404, `No route ${req.method} ${req.url}`);
    if (req.headers["x-api-key"] !== apiKey) return error(res, 401, "invalid x-api-key");
    if (!req.headers["anthropic-version"]) return error(res, 400, "anthropic-version header is required");
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) {
      return error(res, 400, "content-type must be application/json");
    }
    let body: MessagesRequest["body"];
    try {
      body = JSON.parse(raw);
    } catch {
      return error(res, 400, "request body is not valid JSON");
    }
    if (typeof body.model !== "string" || !body.model) return error(res, 400, "model: Field required");
    if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return error(res, 400, "max_tokens: Field required");
    if (!Array.isArray(body.messages) || body.messages.length === 0) return error(res, 400, "messages: Field required");
    const request: MessagesRequest = { headers: req.headers, body };
    emulator.requests.push(request);
    if (emulator.failWith) return error(res, emulator.failWith, "emulated failure");
    const prompt = promptOf(request);
    const text = `Narrative (${body.model}): ${prompt.split("\n")[1] ?? "drift"}. Re-apply from Git or make the change in Git.`;
    send(res, 200, {
      id: `msg_${emulator.requests.length.toString().padStart(6, "0")}`,
      type: "message",
      role: "assistant",
      model: body.model,
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: Math.ceil(prompt.length / 4), output_tokens: Math.ceil(text.length / 4) },
    });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, Buffer.concat(chunks).toString("utf8"), res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  emulator.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/messages`;
  emulator.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return emulator;
}
