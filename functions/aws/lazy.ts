import type { AwsAccess } from "./access";

/**
 * The AWS SDK loads on first use, not when the host starts: imported clusters and the
 * request path never pay for it.
 */
export function lazyAwsAccess(env: Record<string, string | undefined>): AwsAccess {
  let loaded: Promise<AwsAccess> | undefined;
  const load = () => {
    loaded ??= import("./access").then(({ awsAccess }) => awsAccess(env));
    return loaded;
  };
  return {
    eks: async (region) => (await load()).eks(region),
    eksToken: async (name, region) => (await load()).eksToken(name, region),
  };
}
