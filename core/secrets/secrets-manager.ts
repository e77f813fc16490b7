/**
 * What Fleetplane needs from AWS Secrets Manager. The API verbs call it with the value in
 * hand: a value must never be stored (not even in a job payload), so it cannot be handed to a
 * function for later, and it goes straight from the request to AWS. The functions only
 * schedule deletions, which carry no value. Hosts provide the SDK-backed implementation
 * (functions/aws/secrets-manager.ts); failures are domain errors whose messages never
 * include the value.
 */
export interface SecretsManager {
  /**
   * Stores `value` as the current version of `name`: creates the secret (tagged), or, when it
   * exists (a retry, or a name whose earlier secret is still in its recovery window), restores
   * it if needed and puts a new version. `requestToken` makes a retried call the same version.
   */
  writeSecret(input: {
    name: string;
    value: string;
    tags: Record<string, string>;
    requestToken: string;
  }): Promise<{ arn: string; versionId: string }>;
  /** Schedules deletion with a recovery window; already scheduled or gone counts as done. */
  scheduleDeletion(name: string, recoveryWindowDays: number): Promise<void>;
  /** The region the client talks to (the ClusterSecretStore's default). */
  region(): Promise<string | undefined>;
}

/** Secrets Manager's shortest recovery window: a mistaken delete can be undone for a week. */
export const RECOVERY_WINDOW_DAYS = 7;
