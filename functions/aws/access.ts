import { EKSClient, type EKSClientConfig } from "@aws-sdk/client-eks";
import { SignatureV4 } from "@smithy/signature-v4";

/**
 * What the functions need from AWS: an EKS client per region and bearer tokens for EKS API
 * servers. Configuration follows the SDK's standard settings (AWS_REGION, the credential
 * chain, AWS_ENDPOINT_URL_EKS / AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL), read from the host's
 * environment so the same names work on Workers, and so an emulator can stand in.
 */
export interface AwsAccess {
  eks(region: string | undefined): Promise<EKSClient>;
  /** `k8s-aws-v1.` token for one cluster, cached well inside its 15-minute validity. */
  eksToken(clusterName: string, region: string | undefined): Promise<string>;
}

/** STS honours a presigned GetCallerIdentity for 15 minutes; renew well before. */
const TOKEN_REUSE_MS = 10 * 60 * 1000;
const STS_API_VERSION = "2011-06-15";

export function awsAccess(env: Record<string, string | undefined>, now: () => number = Date.now): AwsAccess {
  const clients = new Map<string, EKSClient>();
  const tokens = new Map<string, { token: string; mintedAt: number }>();
  const defaultRegion = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  const endpoint = env.AWS_ENDPOINT_URL_EKS || env.AWS_ENDPOINT_URL || undefined;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;

  const eks = async (region: string | undefined): Promise<EKSClient> => {
    const key = region ?? defaultRegion ?? "";
    let client = clients.get(key);
    if (!client) {
      const config: EKSClientConfig = {};
      if (region ?? defaultRegion) config.region = region ?? defaultRegion;
      if (endpoint) config.endpoint = endpoint;
      // Explicit keys in the host's environment win; otherwise the SDK's default chain
      // (environment, profile, web identity, container and instance metadata).
      if (credentials) config.credentials = credentials;
      client = new EKSClient(config);
      clients.set(key, client);
    }
    return client;
  };

  return {
    eks,
    async eksToken(clusterName, region) {
      const key = `${region ?? defaultRegion ?? ""}/${clusterName}`;
      const cached = tokens.get(key);
      if (cached && now() - cached.mintedAt < TOKEN_REUSE_MS) return cached.token;
      const client = await eks(region);
      const signingRegion = await client.config.region();
      const stsUrl = new URL(
        env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL || `https://sts.${signingRegion}.amazonaws.com/`,
      );
      // Sign with the EKS client's own credential chain and hash, so one configuration serves both.
      const signer = new SignatureV4({
        service: "sts",
        region: signingRegion,
        credentials: client.config.credentials,
        sha256: client.config.sha256,
      });
      const mintedAt = now();
      const signed = await signer.presign(
        {
          method: "GET",
          protocol: stsUrl.protocol,
          hostname: stsUrl.hostname,
          ...(stsUrl.port ? { port: Number(stsUrl.port) } : {}),
          path: "/",
          query: { Action: "GetCallerIdentity", Version: STS_API_VERSION },
          // The cluster name is signed in, so a token for one cluster is refused by another.
          headers: { host: stsUrl.host, "x-k8s-aws-id": clusterName },
        },
        { expiresIn: 60, signingDate: new Date(mintedAt) },
      );
      const query = Object.entries(signed.query ?? {})
        .map(([k, v]) => `${rfc3986(k)}=${rfc3986(String(v))}`)
        .join("&");
      const presigned = `${stsUrl.protocol}//${stsUrl.host}/?${query}`;
      const token = `k8s-aws-v1.${base64url(presigned)}`;
      tokens.set(key, { token, mintedAt });
      return token;
    },
  };
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The URL is ASCII, so btoa (there on Node and Workers) encodes it without Buffer. */
function base64url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
