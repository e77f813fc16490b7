import { createHash } from "node:crypto";
import { lookup } from "node:dns/promises";
import { KubeConfig, type RequestContext, type SecurityAuthentication } from "@kubernetes/client-node";
import { StalledError } from "../../core/errors";
import { isAddressAllowed } from "../../core/url-policy";
import { type KubeConnector, kubeAccess } from "./access";
import { noRedirectHttpLibrary } from "./node-http";

/**
 * Node transport: client-node as shipped (undici, trusting the cluster's own CA via the
 * KubeConfig). Before connecting, the host name is resolved and every address is checked
 * against the URL policy, so a DNS name cannot smuggle a request to loopback or metadata
 * addresses (SSRF by DNS). Redirects are not followed (see node-http.ts).
 */
export function nodeKubeConnector(opts: { timeoutMs: number; urlAllow: string[] }): KubeConnector {
  const dispatchers = new DispatcherCache(DISPATCHERS_KEPT);
  return async (target) => {
    await checkResolvedAddresses(target.server, opts.urlAllow);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "target", server: target.server, caData: target.caData, skipTLSVerify: false }],
      users: [
        target.token
          ? { name: "fleetplane", token: target.token }
          : { name: "fleetplane", certData: target.clientCertData, keyData: target.clientKeyData },
      ],
      contexts: [{ name: "target", cluster: "target", user: "fleetplane" }],
      currentContext: "target",
    });
    // The KubeConfig is the authenticator: it sets the bearer header (or presents the client
    // certificate) and the undici dispatcher that trusts caData.
    const auth = dispatchers.reusing(kc, tlsIdentity(target));
    return kubeAccess({ server: target.server, auth, timeoutMs: opts.timeoutMs, httpApi: noRedirectHttpLibrary });
  };
}

/** Dispatchers (connection pools) kept across jobs; the least recently used beyond it are closed. */
const DISPATCHERS_KEPT = 512;

/** What a TLS connection to the API server depends on: where, which CA, which client certificate. */
function tlsIdentity(target: Parameters<KubeConnector>[0]): string {
  return createHash("sha256")
    .update(
      JSON.stringify([target.server, target.caData ?? "", target.clientCertData ?? "", target.clientKeyData ?? ""]),
    )
    .digest("hex");
}

type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;

/**
 * client-node builds a new undici Agent for every request, so every call to a cluster paid a TCP
 * and TLS handshake (the largest cost of a fleet-wide install or reconcile, measured). One
 * dispatcher per API server, CA and client certificate keeps connections alive across calls and
 * jobs; the bearer token is a header, so a rotated token (EKS) reuses the connection.
 */
class DispatcherCache {
  private readonly kept = new Map<string, Dispatcher>();

  constructor(private readonly limit: number) {}

  reusing(kc: KubeConfig, key: string): SecurityAuthentication {
    return {
      getName: () => kc.getName(),
      applySecurityAuthentication: async (context) => {
        await kc.applySecurityAuthentication(context);
        const cached = this.kept.get(key);
        if (cached) {
          // Most recently used last, so eviction takes the oldest first.
          this.kept.delete(key);
          this.kept.set(key, cached);
          const fresh = context.getDispatcher();
          context.setDispatcher(cached);
          if (fresh && fresh !== cached) void fresh.close();
          return;
        }
        const created = context.getDispatcher();
        if (!created) return;
        this.kept.set(key, created);
        if (this.kept.size > this.limit) {
          const [oldest, dispatcher] = this.kept.entries().next().value as [string, Dispatcher];
          this.kept.delete(oldest);
          void dispatcher.close();
        }
      },
    };
  }
}

/**
 * Resolves a URL's host and refuses it when any address it resolves to is one the URL policy
 * does not allow: the check made at write time sees only the name.
 */
export async function checkResolvedAddresses(url: string, urlAllow: string[]): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const addresses = await lookup(host, { all: true }).catch(() => []);
  for (const { address } of addresses) {
    if (!isAddressAllowed(address, host, urlAllow)) {
      throw new StalledError(
        "AddressNotAllowed",
        `${host} resolves to ${address}, which the URL policy does not allow (see FLEET_URL_ALLOW)`,
      );
    }
  }
}
