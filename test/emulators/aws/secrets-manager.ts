/**
 * AWS Secrets Manager, `awsJson1_1` protocol (`POST /` with
 * `X-Amz-Target: secretsmanager.<Operation>`).
 *
 * The parts Fleetplane leans on are modelled faithfully: versions and their
 * staging labels (AWSCURRENT / AWSPREVIOUS move on every PutSecretValue),
 * ClientRequestToken idempotency, the soft-delete recovery window and
 * RestoreSecret, and the exact error codes the SDK maps to exception classes.
 */
import { randomUUID } from "node:crypto";
import type { EmulatorContext } from "./context";
import {
  AwsError,
  awsJson,
  awsJsonError,
  epochSeconds,
  optBoolean,
  optInteger,
  optString,
  optStringList,
  paginate,
  parseJsonObject,
  randomAlphanumeric,
  reqString,
  type WireRequest,
  type WireResponse,
} from "./protocol";
import type { MatchedOperation, ServiceFrontend } from "./service";
import type { SigV4FailureKind } from "./sigv4";

export const AWSCURRENT = "AWSCURRENT";
export const AWSPREVIOUS = "AWSPREVIOUS";
const DAY_MS = 24 * 60 * 60 * 1000;
/** Secrets Manager keeps deprecated (unlabelled) versions until a secret has about 100. */
const MAX_VERSIONS = 100;

/** JSON 1.1 errors are 400 unless they are service faults. */
export function smError(code: string, message: string): AwsError {
  return new AwsError(code, message, code === "InternalServiceError" ? 500 : 400);
}

const invalidParameter = (message: string) => smError("InvalidParameterException", message);
const MARKED_FOR_DELETION = "You can't perform this operation on the secret because it was marked for deletion.";

export interface SecretVersion {
  versionId: string;
  secretString?: string;
  secretBinary?: Buffer;
  /** ms since epoch */
  createdAt: number;
  /** Staging labels; a version without labels is "deprecated" but still readable by id. */
  stages: string[];
}

export interface StoredSecret {
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  tags: Array<{ Key: string; Value: string }>;
  createdAt: number;
  lastChangedAt: number;
  /** Secrets Manager only records the day of the last access. */
  lastAccessedAt?: number;
  /** When DeleteSecret was called (the secret is then "scheduled for deletion"). */
  deletedAt?: number;
  /** When the recovery window ends and the secret disappears for good. */
  purgeAt?: number;
  versions: Map<string, SecretVersion>;
}

/** The version carrying `stage` (AWSCURRENT by default), e.g. to assert what was stored. */
export function secretVersionByStage(secret: StoredSecret, stage: string = AWSCURRENT): SecretVersion | undefined {
  for (const version of secret.versions.values()) if (version.stages.includes(stage)) return version;
  return undefined;
}

export class SecretsState {
  private readonly map = new Map<string, StoredSecret>();

  /** Secrets by name; secrets whose recovery window has passed are gone. */
  get secrets(): Map<string, StoredSecret> {
    this.settle(Date.now());
    return this.map;
  }

  get raw(): Map<string, StoredSecret> {
    return this.map;
  }

  settle(now: number): void {
    for (const [name, secret] of this.map) {
      if (secret.purgeAt !== undefined && secret.purgeAt <= now) this.map.delete(name);
    }
  }

  clear(): void {
    this.map.clear();
  }
}

type Input = Record<string, unknown>;
type Handler = (req: WireRequest, input: Input) => unknown;

export class SecretsManagerApi implements ServiceFrontend {
  readonly name = "secretsmanager" as const;
  readonly signingName = "secretsmanager";
  private readonly handlers: Record<string, Handler> = {
    CreateSecret: (r, i) => this.createSecret(r, i),
    PutSecretValue: (r, i) => this.putSecretValue(r, i),
    GetSecretValue: (r, i) => this.getSecretValue(r, i),
    DescribeSecret: (_r, i) => this.describeSecret(i),
    ListSecrets: (_r, i) => this.listSecrets(i),
    TagResource: (r, i) => this.tagResource(r, i),
    UntagResource: (r, i) => this.untagResource(r, i),
    DeleteSecret: (r, i) => this.deleteSecret(r, i),
    RestoreSecret: (r, i) => this.restoreSecret(r, i),
  };

  constructor(
    private readonly ctx: EmulatorContext,
    readonly state: SecretsState,
  ) {}

  match(req: WireRequest): MatchedOperation | undefined {
    const target = req.headers["x-amz-target"];
    if (typeof target !== "string" || !target.startsWith("secretsmanager.")) return undefined;
    const operation = target.slice("secretsmanager.".length);
    const handler = this.handlers[operation];
    let input: Input | undefined;
    let parseError: AwsError | undefined;
    try {
      input = parseJsonObject(req.body, (m) => smError("SerializationException", m));
    } catch (err) {
      parseError = err as AwsError;
    }
    const logTarget = input?.SecretId ?? input?.Name;
    return {
      operation: handler ? operation : "UnknownOperation",
      ...(typeof logTarget === "string" ? { target: logTarget } : {}),
      handle: async (): Promise<WireResponse> => {
        if (req.method !== "POST") throw smError("UnknownOperationException", "Only POST is supported.");
        if (!handler) throw smError("UnknownOperationException", `The emulator does not implement ${target}`);
        if (parseError || !input) throw parseError ?? smError("SerializationException", "Invalid body");
        this.state.settle(req.now);
        return awsJson(await handler(req, input));
      },
    };
  }

  renderError(err: AwsError): WireResponse {
    return awsJsonError(err);
  }

  throttlingError(): AwsError {
    // Not modelled by Secrets Manager, but the SDK retries it by name.
    return smError("ThrottlingException", "Rate exceeded");
  }

  internalError(message: string): AwsError {
    return smError("InternalServiceError", message);
  }

  authError(kind: SigV4FailureKind, message: string): AwsError {
    if (kind === "missing") return smError("MissingAuthenticationTokenException", message);
    if (kind === "incomplete") return smError("IncompleteSignatureException", message);
    return smError("InvalidSignatureException", message);
  }

  // --- lookups ------------------------------------------------------------

  /** SecretId may be the name, the full ARN, or the ARN without its random suffix. */
  private find(secretId: string): StoredSecret | undefined {
    const byName = this.state.raw.get(secretId);
    if (byName) return byName;
    if (!secretId.startsWith("arn:")) return undefined;
    for (const secret of this.state.raw.values()) {
      if (secret.arn === secretId || secret.arn.slice(0, -7) === secretId) return secret;
    }
    return undefined;
  }

  private secret(input: Input): StoredSecret {
    const secretId = reqString(input, "SecretId", invalidParameter);
    const secret = this.find(secretId);
    if (!secret) throw smError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    return secret;
  }

  private liveSecret(input: Input): StoredSecret {
    const secret = this.secret(input);
    if (secret.deletedAt !== undefined) throw smError("InvalidRequestException", MARKED_FOR_DELETION);
    return secret;
  }

  // --- values -------------------------------------------------------------

  /** Reads SecretString / SecretBinary; `required` for PutSecretValue, optional for CreateSecret. */
  private readValue(input: Input, required: boolean): { secretString?: string; secretBinary?: Buffer } | undefined {
    const secretString = optString(input, "SecretString", invalidParameter);
    const rawBinary = optString(input, "SecretBinary", invalidParameter);
    if (secretString !== undefined && rawBinary !== undefined) {
      throw invalidParameter(
        "You can't specify both a binary secret value and a string secret value in the same secret.",
      );
    }
    if (secretString !== undefined) return { secretString };
    // Blobs travel as base64 in JSON protocols.
    if (rawBinary !== undefined) return { secretBinary: Buffer.from(rawBinary, "base64") };
    if (required) throw invalidParameter("You must provide either SecretString or SecretBinary.");
    return undefined;
  }

  private readToken(input: Input): string | undefined {
    const token = optString(input, "ClientRequestToken", invalidParameter);
    if (token !== undefined && (token.length < 32 || token.length > 64)) {
      throw invalidParameter("ClientRequestToken must be between 32 and 64 characters long.");
    }
    return token;
  }

  private static sameValue(version: SecretVersion, value: { secretString?: string; secretBinary?: Buffer }): boolean {
    if (value.secretString !== undefined) return version.secretString === value.secretString;
    return (
      version.secretBinary !== undefined &&
      value.secretBinary !== undefined &&
      version.secretBinary.equals(value.secretBinary)
    );
  }

  /**
   * Attaches `stages` to `version`, taking each label away from whichever
   * version had it. When AWSCURRENT moves, the version losing it becomes
   * AWSPREVIOUS — that is how rotation-safe readers find the last good value.
   */
  private static moveStages(secret: StoredSecret, version: SecretVersion, stages: string[]): void {
    const previousCurrent = secretVersionByStage(secret, AWSCURRENT);
    for (const other of secret.versions.values()) {
      if (other !== version) other.stages = other.stages.filter((s) => !stages.includes(s));
    }
    version.stages = [...new Set([...version.stages, ...stages])];
    if (stages.includes(AWSCURRENT) && previousCurrent && previousCurrent !== version) {
      for (const other of secret.versions.values()) other.stages = other.stages.filter((s) => s !== AWSPREVIOUS);
      previousCurrent.stages.push(AWSPREVIOUS);
    }
    // Drop the oldest deprecated versions beyond the service's cap.
    const deprecated = [...secret.versions.values()].filter((v) => v.stages.length === 0);
    let excess = secret.versions.size - MAX_VERSIONS;
    for (const old of deprecated) {
      if (excess-- <= 0) break;
      secret.versions.delete(old.versionId);
    }
  }

  private static versionsToStages(secret: StoredSecret): Record<string, string[]> | undefined {
    const out: Record<string, string[]> = {};
    for (const v of secret.versions.values()) if (v.stages.length > 0) out[v.versionId] = [...v.stages];
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private readTags(input: Input): Array<{ Key: string; Value: string }> | undefined {
    const raw = input.Tags;
    if (raw === undefined || raw === null) return undefined;
    if (!Array.isArray(raw)) throw invalidParameter("Tags must be a list.");
    return raw.map((tag) => {
      if (typeof tag !== "object" || tag === null || typeof tag.Key !== "string" || tag.Key === "") {
        throw invalidParameter("Each tag needs a non-empty Key.");
      }
      return { Key: tag.Key as string, Value: typeof tag.Value === "string" ? tag.Value : "" };
    });
  }

  // --- operations -----------------------------------------------------------

  private createSecret(req: WireRequest, input: Input) {
    const name = reqString(input, "Name", invalidParameter);
    if (!/^[\w/+=.@-]{1,512}$/.test(name)) {
      throw invalidParameter(
        "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
      );
    }
    const value = this.readValue(input, false);
    const token = this.readToken(input);
    const tags = this.readTags(input) ?? [];

    const existing = this.state.raw.get(name);
    if (existing) {
      if (existing.deletedAt !== undefined) {
        throw smError(
          "InvalidRequestException",
          "You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
      }
      // A retry of the very call that created the secret is answered, not refused.
      const retried = token ? existing.versions.get(token) : undefined;
      if (retried && value && SecretsManagerApi.sameValue(retried, value)) {
        return { ARN: existing.arn, Name: existing.name, VersionId: retried.versionId };
      }
      throw smError("ResourceExistsException", `The operation failed because the secret ${name} already exists.`);
    }

    const secret: StoredSecret = {
      name,
      // The random suffix makes a re-created secret's ARN differ from the old one's.
      arn: `arn:aws:secretsmanager:${this.ctx.region}:${this.ctx.accountId}:secret:${name}-${randomAlphanumeric(6)}`,
      tags,
      createdAt: req.now,
      lastChangedAt: req.now,
      versions: new Map(),
    };
    const description = optString(input, "Description", invalidParameter);
    if (description !== undefined) secret.description = description;
    const kmsKeyId = optString(input, "KmsKeyId", invalidParameter);
    if (kmsKeyId !== undefined) secret.kmsKeyId = kmsKeyId;

    let versionId: string | undefined;
    if (value) {
      versionId = token ?? randomUUID();
      secret.versions.set(versionId, { versionId, ...value, createdAt: req.now, stages: [AWSCURRENT] });
    }
    this.state.raw.set(name, secret);
    return { ARN: secret.arn, Name: secret.name, ...(versionId ? { VersionId: versionId } : {}) };
  }

  private putSecretValue(req: WireRequest, input: Input) {
    const secret = this.liveSecret(input);
    const value = this.readValue(input, true) as { secretString?: string; secretBinary?: Buffer };
    const token = this.readToken(input);
    const stages = optStringList(input, "VersionStages", invalidParameter) ?? [AWSCURRENT];
    if (stages.length === 0 || stages.length > 20 || stages.some((s) => s === "")) {
      throw invalidParameter("VersionStages must contain between 1 and 20 non-empty staging labels.");
    }

    // ClientRequestToken names the version: a retry with the same value is a
    // no-op that returns the same version, a different value is a conflict.
    const existing = token ? secret.versions.get(token) : undefined;
    if (existing) {
      if (!SecretsManagerApi.sameValue(existing, value)) {
        throw smError(
          "ResourceExistsException",
          "You can't modify an existing version, you can only create a new version.",
        );
      }
      return { ARN: secret.arn, Name: secret.name, VersionId: existing.versionId, VersionStages: [...existing.stages] };
    }

    const version: SecretVersion = { versionId: token ?? randomUUID(), ...value, createdAt: req.now, stages: [] };
    secret.versions.set(version.versionId, version);
    SecretsManagerApi.moveStages(secret, version, stages);
    secret.lastChangedAt = req.now;
    return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: [...version.stages] };
  }

  private getSecretValue(req: WireRequest, input: Input) {
    const secret = this.liveSecret(input);
    const versionId = optString(input, "VersionId", invalidParameter);
    const versionStage = optString(input, "VersionStage", invalidParameter);
    let version: SecretVersion | undefined;
    if (versionId !== undefined) {
      version = secret.versions.get(versionId);
      if (!version || (versionStage !== undefined && !version.stages.includes(versionStage))) {
        const stagePart = versionStage !== undefined ? ` and staging label: ${versionStage}` : "";
        throw smError(
          "ResourceNotFoundException",
          `Secrets Manager can't find the specified secret value for VersionId: ${versionId}${stagePart}`,
        );
      }
    } else {
      const stage = versionStage ?? AWSCURRENT;
      version = secretVersionByStage(secret, stage);
      if (!version) {
        throw smError(
          "ResourceNotFoundException",
          `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
        );
      }
    }
    secret.lastAccessedAt = Math.floor(req.now / DAY_MS) * DAY_MS;
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      ...(version.secretString !== undefined ? { SecretString: version.secretString } : {}),
      ...(version.secretBinary !== undefined ? { SecretBinary: version.secretBinary.toString("base64") } : {}),
      VersionStages: [...version.stages],
      CreatedDate: epochSeconds(version.createdAt),
    };
  }

  /** Metadata common to DescribeSecret and ListSecrets entries — never values. */
  private static metadata(secret: StoredSecret): Record<string, unknown> {
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description !== undefined ? { Description: secret.description } : {}),
      ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
      LastChangedDate: epochSeconds(secret.lastChangedAt),
      ...(secret.lastAccessedAt !== undefined ? { LastAccessedDate: epochSeconds(secret.lastAccessedAt) } : {}),
      ...(secret.deletedAt !== undefined ? { DeletedDate: epochSeconds(secret.deletedAt) } : {}),
      ...(secret.tags.length > 0 ? { Tags: secret.tags.map((t) => ({ ...t })) } : {}),
      CreatedDate: epochSeconds(secret.createdAt),
    };
  }

  private describeSecret(input: Input) {
    const secret = this.secret(input);
    const stages = SecretsManagerApi.versionsToStages(secret);
    return { ...SecretsManagerApi.metadata(secret), ...(stages ? { VersionIdsToStages: stages } : {}) };
  }

  private listSecrets(input: Input) {
    const includeDeleted = optBoolean(input, "IncludePlannedDeletion", invalidParameter) ?? false;
    const maxResults = optInteger(input, "MaxResults", invalidParameter);
    if (maxResults !== undefined && (maxResults < 1 || maxResults > 100)) {
      throw invalidParameter("MaxResults must be between 1 and 100.");
    }
    const filters = this.readFilters(input);
    const sortBy = optString(input, "SortBy", invalidParameter) ?? "created-date";
    const sortOrder = optString(input, "SortOrder", invalidParameter) ?? "desc";
    const sortKey: Record<string, (s: StoredSecret) => number | string> = {
      "created-date": (s) => s.createdAt,
      "last-accessed-date": (s) => s.lastAccessedAt ?? 0,
      "last-changed-date": (s) => s.lastChangedAt,
      name: (s) => s.name,
    };
    const key = sortKey[sortBy];
    if (!key) throw invalidParameter(`Invalid SortBy value: ${sortBy}`);
    if (sortOrder !== "asc" && sortOrder !== "desc") throw invalidParameter(`Invalid SortOrder value: ${sortOrder}`);

    const secrets = [...this.state.raw.values()]
      .filter((s) => includeDeleted || s.deletedAt === undefined)
      .filter((s) => filters.every((f) => f(s)))
      .sort((a, b) => {
        const [ka, kb] = [key(a), key(b)];
        const cmp = ka < kb ? -1 : ka > kb ? 1 : 0;
        return sortOrder === "asc" ? cmp : -cmp;
      });
    const { page, nextToken } = paginate(
      secrets,
      maxResults ?? 100,
      optString(input, "NextToken", invalidParameter),
      () => smError("InvalidNextTokenException", "The NextToken value is invalid."),
    );
    return {
      SecretList: page.map((s) => {
        const stages = SecretsManagerApi.versionsToStages(s);
        return { ...SecretsManagerApi.metadata(s), ...(stages ? { SecretVersionsToStages: stages } : {}) };
      }),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  /**
   * ListSecrets filters: values within one filter are OR-ed, filters are
   * AND-ed, matching is by prefix, and a leading `!` negates a value.
   */
  private readFilters(input: Input): Array<(s: StoredSecret) => boolean> {
    const raw = input.Filters;
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw invalidParameter("Filters must be a list.");
    const fields: Record<string, (s: StoredSecret) => string[]> = {
      name: (s) => [s.name],
      description: (s) => (s.description !== undefined ? [s.description] : []),
      "tag-key": (s) => s.tags.map((t) => t.Key),
      "tag-value": (s) => s.tags.map((t) => t.Value),
      all: (s) => [
        s.name,
        ...(s.description !== undefined ? [s.description] : []),
        ...s.tags.flatMap((t) => [t.Key, t.Value]),
      ],
    };
    return raw.map((filter: unknown) => {
      if (typeof filter !== "object" || filter === null) throw invalidParameter("Each filter must be an object.");
      const key = optString(filter as Input, "Key", invalidParameter);
      const values = optStringList(filter as Input, "Values", invalidParameter) ?? [];
      const field = key !== undefined ? fields[key] : undefined;
      if (!field) throw invalidParameter(`Invalid filter key: ${key}`);
      return (s: StoredSecret) =>
        values.some((value) => {
          const negate = value.startsWith("!");
          const prefix = negate ? value.slice(1) : value;
          const hit = field(s).some((candidate) => candidate.startsWith(prefix));
          return negate ? !hit : hit;
        });
    });
  }

  private tagResource(req: WireRequest, input: Input) {
    const secret = this.liveSecret(input);
    const tags = this.readTags(input);
    if (!tags) throw invalidParameter("Tags is required.");
    for (const tag of tags) {
      const existing = secret.tags.find((t) => t.Key === tag.Key);
      if (existing) existing.Value = tag.Value;
      else secret.tags.push(tag);
    }
    secret.lastChangedAt = req.now;
    return {};
  }

  private untagResource(req: WireRequest, input: Input) {
    const secret = this.liveSecret(input);
    const keys = optStringList(input, "TagKeys", invalidParameter);
    if (!keys) throw invalidParameter("TagKeys is required.");
    secret.tags = secret.tags.filter((t) => !keys.includes(t.Key));
    secret.lastChangedAt = req.now;
    return {};
  }

  private deleteSecret(req: WireRequest, input: Input) {
    const secret = this.secret(input);
    const window = optInteger(input, "RecoveryWindowInDays", invalidParameter);
    const force = optBoolean(input, "ForceDeleteWithoutRecovery", invalidParameter) ?? false;
    if (force && window !== undefined) {
      throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    if (window !== undefined && (window < 7 || window > 30)) {
      throw invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }
    if (force) {
      // Gone at once — a secret already in its recovery window can be force-deleted too.
      this.state.raw.delete(secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(req.now) };
    }
    if (secret.deletedAt !== undefined) throw smError("InvalidRequestException", MARKED_FOR_DELETION);
    secret.deletedAt = req.now;
    secret.purgeAt = req.now + (window ?? 30) * DAY_MS;
    return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(secret.purgeAt) };
  }

  private restoreSecret(req: WireRequest, input: Input) {
    const secret = this.secret(input);
    if (secret.deletedAt !== undefined) {
      secret.deletedAt = undefined;
      secret.purgeAt = undefined;
      secret.lastChangedAt = req.now;
    }
    return { ARN: secret.arn, Name: secret.name };
  }
}
