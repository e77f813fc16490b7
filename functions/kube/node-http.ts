import { type HttpLibrary, ResponseContext, wrapHttpLibrary } from "@kubernetes/client-node";
import { fetch } from "undici";
import { retrying } from "./retry";

/**
 * client-node's own undici transport, except that redirects are never followed. The URL
 * policy judged the API server's address; a 3xx pointing elsewhere (loopback, metadata, a
 * private network) would be a request to an address nobody checked, so it surfaces as the
 * error status it is instead. Failed calls are retried a couple of times (retry.ts).
 */
export const noRedirectHttpLibrary: HttpLibrary = wrapHttpLibrary({
  send: retrying(async (request) => {
    const signal = request.getSignal();
    const response = await fetch(request.getUrl(), {
      method: request.getHttpMethod().toString(),
      headers: request.getHeaders(),
      body: request.getBody() as never,
      dispatcher: request.getDispatcher() as never,
      redirect: "manual",
      ...(signal ? { signal: signal as never } : {}),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return new ResponseContext(response.status, headers, {
      text: () => response.text(),
      binary: async () => Buffer.from(await response.arrayBuffer()),
      stream: () => response.body as never,
    });
  }),
});
