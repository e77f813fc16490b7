import type { SecretsManager } from "../../core/secrets/secrets-manager";

/**
 * The Secrets Manager port over `@aws-sdk/client-secrets-manager`. Configuration follows the
 * SDK's standard environment (AWS_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL,
 * the credential chain), read from the host's env so the same names work on Workers and an
 * emulator can stand in. The SDK loads on first use, like the EKS client.
 */
export function lazySecretsManager(env: Record<string, string | undefined>): SecretsManager {
  let loaded: Promise<SecretsManager> | undefined;
  const load = () => {
    loaded ??= sdkSecretsManager(env);
    return loaded;
  };
  return {
    writeSecret: async (input) => (await load()).writeSecret(input),
    scheduleDeletion: async (name, days) => (await load()).scheduleDeletion(name, days),
    region: async () => (await load()).region(),
  };
}

async function sdkSecretsManager(env: Record<string, string | undefined>): Promise<SecretsManager> {
  const sdk = await import("@aws-sdk/client-secrets-manager");
  const { UnavailableError } = await import("../../core/errors");
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  const endpoint = env.AWS_ENDPOINT_URL_SECRETS_MANAGER || env.AWS_ENDPOINT_URL || undefined;
  const client = new sdk.SecretsManagerClient({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    // Explicit keys in the host's environment win; otherwise the SDK's default chain.
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  });

  // Only the error's name and AWS's own message reach our errors: neither carries the value.
  const failed = (operation: string, error: unknown) => {
    const name = (error as { name?: string }).name ?? "Error";
    const message = (error as { message?: string }).message ?? "";
    return new UnavailableError(`Secrets Manager ${operation} failed: ${name}${message ? `: ${message}` : ""}`);
  };
  const is = (error: unknown, name: string) => (error as { name?: string }).name === name;

  return {
    async writeSecret({ name, value, tags, requestToken }) {
      const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      try {
        const created = await client.send(
          new sdk.CreateSecretCommand({ Name: name, SecretString: value, Tags, ClientRequestToken: requestToken }),
        );
        return { arn: created.ARN ?? "", versionId: created.VersionId ?? requestToken };
      } catch (error) {
        const scheduled =
          is(error, "InvalidRequestException") && /scheduled for deletion/i.test(String((error as Error).message));
        if (!is(error, "ResourceExistsException") && !scheduled) throw failed("CreateSecret", error);
      }
      try {
        // The name is ours (fleetplane/<tenant>/<secret>): an existing secret under it is an
        // earlier one of this tenant, deleted within its recovery window or left by a retry.
        await client.send(new sdk.RestoreSecretCommand({ SecretId: name }));
        await client.send(new sdk.TagResourceCommand({ SecretId: name, Tags }));
        const put = await client.send(
          new sdk.PutSecretValueCommand({ SecretId: name, SecretString: value, ClientRequestToken: requestToken }),
        );
        return { arn: put.ARN ?? "", versionId: put.VersionId ?? requestToken };
      } catch (error) {
        throw failed("PutSecretValue", error);
      }
    },
    async scheduleDeletion(name, days) {
      try {
        await client.send(new sdk.DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: days }));
      } catch (error) {
        if (is(error, "ResourceNotFoundException")) return;
        if (is(error, "InvalidRequestException") && /marked for deletion/i.test(String((error as Error).message)))
          return;
        throw failed("DeleteSecret", error);
      }
    },
    async region() {
      return client.config.region().catch(() => undefined);
    },
  };
}
