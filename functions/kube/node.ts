import { lookup } from "node:dns/promises";
import { KubeConfig } from "@kubernetes/client-node";
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
    return kubeAccess({ server: target.server, auth: kc, timeoutMs: opts.timeoutMs, httpApi: noRedirectHttpLibrary });
  };
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
