import type { HttpLibrary, RequestContext } from "@kubernetes/client-node";
import { ResponseContext, wrapHttpLibrary } from "@kubernetes/client-node";
import { StalledError } from "../../core/errors";
import { type KubeConnector, kubeAccess } from "./access";
import { retrying } from "./retry";

/**
 * Workers transport. client-node's default transport is undici, which cannot run in workerd
 * (it compiles WebAssembly at startup), so requests go through the platform `fetch`. Workers
 * `fetch` cannot be told to trust a private CA: only API servers with publicly trusted
 * certificates are reachable this way; private clusters use a runner on Node instead.
 */
export const fetchHttpLibrary: HttpLibrary = wrapHttpLibrary({
  send: retrying(async (request: RequestContext): Promise<ResponseContext> => {
    const signal = request.getSignal();
    const response = await fetch(request.getUrl(), {
      method: request.getHttpMethod().toString(),
      headers: request.getHeaders(),
      body: request.getBody() as BodyInit | undefined,
      // As on Node: a redirect would reach an address the URL policy never judged.
      redirect: "manual",
      ...(signal ? { signal } : {}),
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

export function fetchKubeConnector(opts: { timeoutMs: number }): KubeConnector {
  return async (target) => {
    // Workers' fetch cannot present a client certificate: such clusters need a runner on Node.
    if (!target.token) {
      throw new StalledError(
        "ClientCertificateUnsupported",
        `${target.server} authenticates with a client certificate, which Workers cannot present; run a Node runner (FLEET_RUN_JOBS) for this cluster`,
      );
    }
    return kubeAccess({
      server: target.server,
      timeoutMs: opts.timeoutMs,
      httpApi: fetchHttpLibrary,
      auth: {
        getName: () => "BearerToken",
        applySecurityAuthentication: async (context: RequestContext) => {
          context.setHeaderParam("Authorization", `Bearer ${target.token}`);
        },
      },
    });
  };
}
