/**
 * The AWS emulator, driven only through real clients: the AWS SDK v3 for EKS
 * and Secrets Manager, and plain `fetch` for STS with URLs and requests signed
 * by the SDK's own SigV4 signer (`@smithy/signature-v4`) — so the emulator's
 * signature checks are tested against the implementation AWS clients use.
 */
import { spawn } from "node:child_process";
import { createHash, createHmac, type Hash, type Hmac, X509Certificate } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  InvalidRequestException as EksInvalidRequestException,
  InvalidParameterException,
  ListClustersCommand,
  ListNodegroupsCommand,
  ListUpdatesCommand,
  ResourceInUseException,
  ResourceLimitExceededException,
  ResourceNotFoundException,
  ThrottlingException,
  UpdateClusterVersionCommand,
  UpdateNodegroupConfigCommand,
  UpdateNodegroupVersionCommand,
} from "@aws-sdk/client-eks";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  RestoreSecretCommand,
  SecretsManagerClient,
  InvalidParameterException as SmInvalidParameterException,
  InvalidRequestException as SmInvalidRequestException,
  ResourceNotFoundException as SmResourceNotFoundException,
  TagResourceCommand,
} from "@aws-sdk/client-secrets-manager";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type AwsEmulator,
  createEksToken,
  secretVersionByStage,
  startAwsEmulator,
  verifyEksToken,
} from "../../emulators/aws";

const REGION = "eu-west-1";
const ACCOUNT = "123456789012";
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-cluster`;
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-node`;
const SUBNETS = ["subnet-0a1b2c3d", "subnet-0e4f5a6b"];

let emu: AwsEmulator;
let eks: EKSClient;
let sm: SecretsManagerClient;

beforeAll(async () => {
  emu = await startAwsEmulator({
    timeScale: { clusterCreateMs: 40, nodegroupCreateMs: 40, updateMs: 40, deleteMs: 40 },
  });
  eks = new EKSClient({ endpoint: emu.url, region: REGION, credentials });
  sm = new SecretsManagerClient({ endpoint: emu.url, region: REGION, credentials });
});
afterAll(async () => {
  eks?.destroy();
  sm?.destroy();
  await emu?.close();
});
beforeEach(() => emu.reset());

/** Polls `read` until `done` holds — the way a control plane watches EKS. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves with the error a promise rejects with (fails the test if it resolves). */
/** What an SDK service exception looks like from the outside. */
type ServiceFailure = Error & {
  $metadata: { httpStatusCode?: number; requestId?: string; attempts?: number };
  [member: string]: unknown;
};

async function failure(promise: Promise<unknown>): Promise<ServiceFailure> {
  try {
    await promise;
  } catch (err) {
    return err as ServiceFailure;
  }
  throw new Error("expected the call to fail");
}

const createCluster = (name: string, version = "1.30") =>
  eks.send(
    new CreateClusterCommand({
      name,
      version,
      roleArn: ROLE,
      resourcesVpcConfig: { subnetIds: SUBNETS, endpointPublicAccess: true },
      tags: { "fleetplane.io/cluster": name },
    }),
  );

const clusterStatus = (name: string) => eks.send(new DescribeClusterCommand({ name })).then((r) => r.cluster);

describe("EKS", () => {
  it("runs a cluster through create → ACTIVE → nodegroup → upgrade → delete", async () => {
    const created = await createCluster("prod-eu");
    expect(created.cluster).toMatchObject({
      name: "prod-eu",
      arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod-eu`,
      status: "CREATING",
      version: "1.30",
      roleArn: ROLE,
      tags: { "fleetplane.io/cluster": "prod-eu" },
    });
    expect(created.cluster?.endpoint).toBeUndefined();
    expect(created.cluster?.createdAt).toBeInstanceOf(Date);

    const active = await until(
      () => clusterStatus("prod-eu"),
      (c) => c?.status === "ACTIVE",
    );
    expect(active?.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.eu-west-1\.eks\.amazonaws\.com$/);
    expect(active?.platformVersion).toMatch(/^eks\.\d+$/);
    const ca = new X509Certificate(Buffer.from(active?.certificateAuthority?.data ?? "", "base64"));
    expect(ca.subject).toBe("CN=kubernetes");
    expect(ca.ca).toBe(true);
    expect((await eks.send(new ListClustersCommand({}))).clusters).toEqual(["prod-eu"]);

    const ng = await eks.send(
      new CreateNodegroupCommand({
        clusterName: "prod-eu",
        nodegroupName: "workers",
        scalingConfig: { minSize: 1, maxSize: 5, desiredSize: 3 },
        subnets: SUBNETS,
        nodeRole: NODE_ROLE,
        instanceTypes: ["m6i.large"],
        labels: { tier: "general" },
      }),
    );
    expect(ng.nodegroup).toMatchObject({ status: "CREATING", version: "1.30", clusterName: "prod-eu" });
    const describeNg = () =>
      eks
        .send(new DescribeNodegroupCommand({ clusterName: "prod-eu", nodegroupName: "workers" }))
        .then((r) => r.nodegroup);
    const ngActive = await until(describeNg, (n) => n?.status === "ACTIVE");
    expect(ngActive?.resources?.autoScalingGroups?.[0]?.name).toMatch(/^eks-workers-/);
    expect((await eks.send(new ListNodegroupsCommand({ clusterName: "prod-eu" }))).nodegroups).toEqual(["workers"]);

    // Kubelets may not run ahead of the API server, and the control plane moves one minor at a time.
    const tooNew = await failure(
      eks.send(
        new UpdateNodegroupVersionCommand({ clusterName: "prod-eu", nodegroupName: "workers", version: "1.31" }),
      ),
    );
    expect(tooNew).toBeInstanceOf(InvalidParameterException);
    expect(
      await failure(eks.send(new UpdateClusterVersionCommand({ name: "prod-eu", version: "1.32" }))),
    ).toBeInstanceOf(InvalidParameterException);

    const cpUpdate = await eks.send(new UpdateClusterVersionCommand({ name: "prod-eu", version: "1.31" }));
    expect(cpUpdate.update).toMatchObject({ status: "InProgress", type: "VersionUpdate" });
    expect(cpUpdate.update?.params).toContainEqual({ type: "Version", value: "1.31" });
    expect((await clusterStatus("prod-eu"))?.status).toBe("UPDATING");
    // A second upgrade while one is running is refused.
    expect(
      await failure(eks.send(new UpdateClusterVersionCommand({ name: "prod-eu", version: "1.31" }))),
    ).toBeInstanceOf(ResourceInUseException);
    const cpDone = await until(
      () => eks.send(new DescribeUpdateCommand({ name: "prod-eu", updateId: cpUpdate.update?.id })),
      (r) => r.update?.status === "Successful",
    );
    expect(cpDone.update?.id).toBe(cpUpdate.update?.id);
    expect(await clusterStatus("prod-eu")).toMatchObject({ status: "ACTIVE", version: "1.31" });

    const ngUpdate = await eks.send(
      new UpdateNodegroupVersionCommand({ clusterName: "prod-eu", nodegroupName: "workers" }),
    );
    expect(ngUpdate.update?.params).toContainEqual({ type: "Version", value: "1.31" });
    await until(
      () =>
        eks.send(
          new DescribeUpdateCommand({ name: "prod-eu", updateId: ngUpdate.update?.id, nodegroupName: "workers" }),
        ),
      (r) => r.update?.status === "Successful",
    );
    expect((await describeNg())?.version).toBe("1.31");
    // Nodegroup updates are listed under the nodegroup, not the cluster.
    expect((await eks.send(new ListUpdatesCommand({ name: "prod-eu" }))).updateIds).toEqual([cpUpdate.update?.id]);
    expect((await eks.send(new ListUpdatesCommand({ name: "prod-eu", nodegroupName: "workers" }))).updateIds).toEqual([
      ngUpdate.update?.id,
    ]);

    const scale = await eks.send(
      new UpdateNodegroupConfigCommand({
        clusterName: "prod-eu",
        nodegroupName: "workers",
        scalingConfig: { desiredSize: 5 },
      }),
    );
    expect(scale.update).toMatchObject({ type: "ConfigUpdate", params: [{ type: "DesiredSize", value: "5" }] });
    await until(describeNg, (n) => n?.status === "ACTIVE");
    expect((await describeNg())?.scalingConfig).toEqual({ minSize: 1, maxSize: 5, desiredSize: 5 });

    // EKS refuses to delete a cluster that still has managed nodegroups.
    const inUse = await failure(eks.send(new DeleteClusterCommand({ name: "prod-eu" })));
    expect(inUse).toBeInstanceOf(ResourceInUseException);
    expect(inUse.$metadata.httpStatusCode).toBe(409);

    const deletingNg = await eks.send(new DeleteNodegroupCommand({ clusterName: "prod-eu", nodegroupName: "workers" }));
    expect(deletingNg.nodegroup?.status).toBe("DELETING");
    await until(
      () => describeNg().catch((e: unknown) => e),
      (r) => r instanceof ResourceNotFoundException,
    );
    expect((await eks.send(new DeleteClusterCommand({ name: "prod-eu" }))).cluster?.status).toBe("DELETING");
    await until(
      () => clusterStatus("prod-eu").catch((e: unknown) => e),
      (r) => r instanceof ResourceNotFoundException,
    );
    expect(emu.eks.clusters.size).toBe(0);

    // The request log proves the ordering a control plane must respect.
    const ops = emu.requests.filter((r) => r.status === 200).map((r) => r.operation);
    expect(ops.indexOf("UpdateClusterVersion")).toBeLessThan(ops.indexOf("UpdateNodegroupVersion"));
    expect(emu.requests.find((r) => r.operation === "UpdateNodegroupVersion")?.target).toBe("prod-eu/workers");
  });

  it("refuses a control-plane upgrade while nodegroups lag behind, unless forced", async () => {
    await createCluster("lagging");
    await until(
      () => clusterStatus("lagging"),
      (c) => c?.status === "ACTIVE",
    );
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: "lagging",
        nodegroupName: "ng",
        subnets: SUBNETS,
        nodeRole: NODE_ROLE,
      }),
    );
    await until(
      () => eks.send(new DescribeNodegroupCommand({ clusterName: "lagging", nodegroupName: "ng" })),
      (r) => r.nodegroup?.status === "ACTIVE",
    );
    await eks.send(new UpdateClusterVersionCommand({ name: "lagging", version: "1.31" }));
    await until(
      () => clusterStatus("lagging"),
      (c) => c?.status === "ACTIVE",
    );
    const blocked = await failure(eks.send(new UpdateClusterVersionCommand({ name: "lagging", version: "1.32" })));
    expect(blocked).toBeInstanceOf(EksInvalidRequestException);
    expect(blocked.message).toContain("ng");
    const forced = await eks.send(new UpdateClusterVersionCommand({ name: "lagging", version: "1.32", force: true }));
    expect(forced.update?.status).toBe("InProgress");
  });

  it("answers errors with the shapes the SDK maps to exception classes", async () => {
    const missing = await failure(clusterStatus("nope"));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing).toMatchObject({ clusterName: "nope", message: "No cluster found for name: nope." });
    expect(missing.$metadata).toMatchObject({ httpStatusCode: 404, requestId: expect.any(String) });

    await createCluster("dup");
    const dup = await failure(createCluster("dup"));
    expect(dup).toBeInstanceOf(ResourceInUseException);
    expect(dup.clusterName).toBe("dup");

    const oneSubnet = await failure(
      eks.send(
        new CreateClusterCommand({ name: "x", roleArn: ROLE, resourcesVpcConfig: { subnetIds: ["subnet-0a1b"] } }),
      ),
    );
    expect(oneSubnet).toBeInstanceOf(InvalidParameterException);
    const badSubnet = await failure(
      eks.send(
        new CreateClusterCommand({
          name: "x",
          roleArn: ROLE,
          resourcesVpcConfig: { subnetIds: ["subnet-0a1b", "subnet-nope"] },
        }),
      ),
    );
    expect(badSubnet).toBeInstanceOf(InvalidParameterException);
    expect(badSubnet.message).toContain("subnet-nope");

    expect(
      await failure(eks.send(new DescribeNodegroupCommand({ clusterName: "dup", nodegroupName: "ghost" }))),
    ).toMatchObject({ name: "ResourceNotFoundException", nodegroupName: "ghost" });
    expect(
      await failure(
        eks.send(new DescribeUpdateCommand({ name: "dup", updateId: "00000000-0000-0000-0000-000000000000" })),
      ),
    ).toBeInstanceOf(ResourceNotFoundException);

    emu.faults.failCreateCluster = {
      code: "ResourceLimitExceededException",
      message: "Cluster limit exceeded for account",
    };
    const limited = await failure(createCluster("over-quota"));
    expect(limited).toBeInstanceOf(ResourceLimitExceededException);
    expect(limited.message).toBe("Cluster limit exceeded for account");
    delete emu.faults.failCreateCluster;

    emu.faults.failClusterDuringCreate = "doomed";
    await createCluster("doomed");
    const failed = await until(
      () => clusterStatus("doomed"),
      (c) => c?.status !== "CREATING",
    );
    expect(failed?.status).toBe("FAILED");
    expect(failed?.health?.issues?.[0]?.code).toBe("InsufficientFreeAddresses");
    expect(failed?.endpoint).toBeUndefined();
  });

  it("checks SigV4 signatures for keys it knows", async () => {
    const forged = new EKSClient({
      endpoint: emu.url,
      region: REGION,
      credentials: { ...credentials, secretAccessKey: "wrong" },
    });
    const err = await failure(forged.send(new ListClustersCommand({})));
    expect(err.name).toBe("InvalidSignatureException");
    expect(err.$metadata.httpStatusCode).toBe(403);
    forged.destroy();
    // An access key the emulator doesn't know is accepted (structural checks only).
    const adHoc = new EKSClient({
      endpoint: emu.url,
      region: REGION,
      credentials: { accessKeyId: "AKIAOTHER", secretAccessKey: "x" },
    });
    expect((await adHoc.send(new ListClustersCommand({}))).clusters).toEqual([]);
    adHoc.destroy();
  });

  it("throttles the next N calls with an error the SDK's standard retry strategy retries", async () => {
    emu.faults.throttleNext = 2;
    const listed = await eks.send(new ListClustersCommand({}));
    expect(listed.$metadata.attempts).toBe(3);
    expect(emu.requests.map((r) => r.status)).toEqual([429, 429, 200]);

    emu.faults.throttleNext = 1;
    const once = new EKSClient({ endpoint: emu.url, region: REGION, credentials, maxAttempts: 1 });
    const throttled = await failure(once.send(new ListClustersCommand({})));
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(throttled.$metadata.httpStatusCode).toBe(429);
    once.destroy();

    emu.faults.throttleNext = 1;
    await sm.send(new CreateSecretCommand({ Name: "after-throttle", SecretString: "x" }));
    expect([...emu.secrets.keys()]).toEqual(["after-throttle"]);
  });
});

describe("Secrets Manager", () => {
  const TOKEN_1 = "11111111-1111-4111-8111-111111111111";
  const TOKEN_2 = "22222222-2222-4222-8222-222222222222";

  const stagesOf = async (id: string) =>
    (await sm.send(new DescribeSecretCommand({ SecretId: id }))).VersionIdsToStages;

  it("versions values and moves AWSCURRENT / AWSPREVIOUS", async () => {
    const created = await sm.send(
      new CreateSecretCommand({
        Name: "fleet/prod-eu/kubeconfig",
        SecretString: "v1",
        ClientRequestToken: TOKEN_1,
        Tags: [{ Key: "fleetplane.io/cluster", Value: "prod-eu" }],
      }),
    );
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleet\/prod-eu\/kubeconfig-[A-Za-z0-9]{6}$/,
    );
    expect(created.VersionId).toBe(TOKEN_1);
    expect(
      await failure(sm.send(new CreateSecretCommand({ Name: "fleet/prod-eu/kubeconfig", SecretString: "other" }))),
    ).toBeInstanceOf(ResourceExistsException);

    const put = await sm.send(
      new PutSecretValueCommand({
        SecretId: "fleet/prod-eu/kubeconfig",
        SecretString: "v2",
        ClientRequestToken: TOKEN_2,
      }),
    );
    expect(put).toMatchObject({ VersionId: TOKEN_2, VersionStages: ["AWSCURRENT"] });
    expect(await stagesOf("fleet/prod-eu/kubeconfig")).toEqual({
      [TOKEN_1]: ["AWSPREVIOUS"],
      [TOKEN_2]: ["AWSCURRENT"],
    });

    // Same token + same value is a retry; same token + another value is a conflict.
    const retry = await sm.send(
      new PutSecretValueCommand({
        SecretId: "fleet/prod-eu/kubeconfig",
        SecretString: "v2",
        ClientRequestToken: TOKEN_2,
      }),
    );
    expect(retry.VersionId).toBe(TOKEN_2);
    expect(
      await failure(
        sm.send(
          new PutSecretValueCommand({
            SecretId: "fleet/prod-eu/kubeconfig",
            SecretString: "v3",
            ClientRequestToken: TOKEN_2,
          }),
        ),
      ),
    ).toBeInstanceOf(ResourceExistsException);

    const third = await sm.send(new PutSecretValueCommand({ SecretId: created.ARN, SecretString: "v3" }));
    // v1 lost its last label: deprecated, no longer listed, still readable by id.
    expect(await stagesOf("fleet/prod-eu/kubeconfig")).toEqual({
      [TOKEN_2]: ["AWSPREVIOUS"],
      [third.VersionId as string]: ["AWSCURRENT"],
    });

    const current = await sm.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(current).toMatchObject({
      SecretString: "v3",
      VersionStages: ["AWSCURRENT"],
      Name: "fleet/prod-eu/kubeconfig",
    });
    expect(current.CreatedDate).toBeInstanceOf(Date);
    expect(
      (await sm.send(new GetSecretValueCommand({ SecretId: "fleet/prod-eu/kubeconfig", VersionStage: "AWSPREVIOUS" })))
        .SecretString,
    ).toBe("v2");
    expect(
      (await sm.send(new GetSecretValueCommand({ SecretId: "fleet/prod-eu/kubeconfig", VersionId: TOKEN_1 })))
        .SecretString,
    ).toBe("v1");
    expect(
      await failure(sm.send(new GetSecretValueCommand({ SecretId: "fleet/prod-eu/kubeconfig", VersionStage: "NOPE" }))),
    ).toBeInstanceOf(SmResourceNotFoundException);

    // Tests can read what was stored without going through the API.
    const stored = emu.secrets.get("fleet/prod-eu/kubeconfig");
    expect(stored && secretVersionByStage(stored)?.secretString).toBe("v3");

    await sm.send(
      new TagResourceCommand({ SecretId: "fleet/prod-eu/kubeconfig", Tags: [{ Key: "team", Value: "platform" }] }),
    );
    const described = await sm.send(new DescribeSecretCommand({ SecretId: "fleet/prod-eu/kubeconfig" }));
    expect(described.Tags).toEqual([
      { Key: "fleetplane.io/cluster", Value: "prod-eu" },
      { Key: "team", Value: "platform" },
    ]);
    expect(described).not.toHaveProperty("SecretString");
    expect(described.DeletedDate).toBeUndefined();
  });

  it("stores binary secrets and lists with filters", async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await sm.send(new CreateSecretCommand({ Name: "fleet/a/ca-key", SecretBinary: bytes }));
    await sm.send(new CreateSecretCommand({ Name: "other/b", SecretString: "x" }));
    const got = await sm.send(new GetSecretValueCommand({ SecretId: "fleet/a/ca-key" }));
    expect(got.SecretBinary).toEqual(bytes);
    expect(got.SecretString).toBeUndefined();
    const listed = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["fleet/"] }] }));
    expect(listed.SecretList?.map((s) => s.Name)).toEqual(["fleet/a/ca-key"]);
    const paged = await sm.send(new ListSecretsCommand({ MaxResults: 1 }));
    expect(paged.SecretList).toHaveLength(1);
    expect(paged.NextToken).toBeDefined();
    const rest = await sm.send(new ListSecretsCommand({ MaxResults: 1, NextToken: paged.NextToken }));
    expect(rest.SecretList).toHaveLength(1);
    expect(rest.NextToken).toBeUndefined();
  });

  it("deletes with a recovery window, refuses reads meanwhile, and restores", async () => {
    await sm.send(new CreateSecretCommand({ Name: "doomed", SecretString: "s3cr3t" }));
    expect(
      await failure(sm.send(new DeleteSecretCommand({ SecretId: "doomed", RecoveryWindowInDays: 3 }))),
    ).toBeInstanceOf(SmInvalidParameterException);

    const before = Date.now();
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: "doomed", RecoveryWindowInDays: 7 }));
    const window = (deleted.DeletionDate?.getTime() ?? 0) - before;
    expect(window).toBeGreaterThan(7 * 86_400_000 - 5_000);
    expect(window).toBeLessThan(7 * 86_400_000 + 5_000);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: "doomed" }))).DeletedDate).toBeInstanceOf(Date);
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: "doomed" })))).toBeInstanceOf(
      SmInvalidRequestException,
    );
    expect(await failure(sm.send(new PutSecretValueCommand({ SecretId: "doomed", SecretString: "x" })))).toBeInstanceOf(
      SmInvalidRequestException,
    );
    expect((await sm.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    expect(
      (await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList?.map((s) => s.Name),
    ).toEqual(["doomed"]);

    await sm.send(new RestoreSecretCommand({ SecretId: "doomed" }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "doomed" }))).SecretString).toBe("s3cr3t");
    expect((await sm.send(new DescribeSecretCommand({ SecretId: "doomed" }))).DeletedDate).toBeUndefined();

    await sm.send(new DeleteSecretCommand({ SecretId: "doomed", ForceDeleteWithoutRecovery: true }));
    expect(await failure(sm.send(new DescribeSecretCommand({ SecretId: "doomed" })))).toBeInstanceOf(
      SmResourceNotFoundException,
    );
    expect(emu.secrets.has("doomed")).toBe(false);
  });
});

/** node:crypto behind the hash interface `@smithy/signature-v4` expects. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

describe("STS", () => {
  const rfc3986 = (v: string) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

  /** Presigns GetCallerIdentity with the SDK's signer, as `aws eks get-token` does. */
  async function presign(opts: { cluster?: string; secret?: string; signingDate?: Date } = {}): Promise<string> {
    const url = new URL(emu.url);
    const signer = new SignatureV4({
      service: "sts",
      region: REGION,
      credentials: { ...credentials, secretAccessKey: opts.secret ?? credentials.secretAccessKey },
      sha256: Sha256,
    });
    const headers: Record<string, string> = { host: url.host };
    if (opts.cluster) headers["x-k8s-aws-id"] = opts.cluster;
    const signed = await signer.presign(
      {
        method: "GET",
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
        headers,
      },
      { expiresIn: 60, ...(opts.signingDate ? { signingDate: opts.signingDate } : {}) },
    );
    const query = Object.entries(signed.query ?? {})
      .map(([k, v]) => `${rfc3986(k)}=${rfc3986(String(v))}`)
      .join("&");
    return `${emu.url}/?${query}`;
  }

  const tokenFor = (url: string) => `k8s-aws-v1.${Buffer.from(url).toString("base64url")}`;

  it("answers a presigned GetCallerIdentity with the real XML, and JSON when asked", async () => {
    const url = await presign({ cluster: "prod-eu" });
    const res = await fetch(url, { headers: { "x-k8s-aws-id": "prod-eu" } });
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(xml).toContain(`<Arn>arn:aws:iam::${ACCOUNT}:user/AKIDEXAMPLE</Arn>`);
    expect(xml).toContain(`<Account>${ACCOUNT}</Account>`);
    expect(xml).toMatch(/<UserId>AIDA[A-Z0-9]{17}<\/UserId>/);
    expect(xml).toContain(`<RequestId>${res.headers.get("x-amzn-requestid")}</RequestId>`);

    const json = await fetch(url, { headers: { "x-k8s-aws-id": "prod-eu", accept: "application/json" } });
    expect((await json.json()).GetCallerIdentityResponse.GetCallerIdentityResult).toMatchObject({ Account: ACCOUNT });
    expect(emu.requests.at(-1)).toMatchObject({ service: "sts", operation: "GetCallerIdentity", target: "prod-eu" });
  });

  it("accepts EKS tokens bound to the right cluster and refuses the rest", async () => {
    const token = tokenFor(await presign({ cluster: "prod-eu" }));
    expect(await verifyEksToken(emu, token, "prod-eu")).toMatchObject({
      ok: true,
      arn: `arn:aws:iam::${ACCOUNT}:user/AKIDEXAMPLE`,
    });
    // The signed x-k8s-aws-id header binds the token to one cluster.
    expect((await verifyEksToken(emu, token, "other")).ok).toBe(false);
    expect((await verifyEksToken(emu, tokenFor(await presign()), "prod-eu")).reason).toContain("x-k8s-aws-id");
    expect(
      (await verifyEksToken(emu, tokenFor(await presign({ cluster: "prod-eu", secret: "wrong" })), "prod-eu")).ok,
    ).toBe(false);
    expect((await verifyEksToken(emu, "Bearer nonsense", "prod-eu")).ok).toBe(false);

    // Tokens minted for the real STS endpoint work too (the emulator stands in for it).
    const minted = createEksToken({ clusterName: "prod-eu", ...credentials, region: REGION });
    expect(Buffer.from(minted.slice("k8s-aws-v1.".length), "base64url").toString()).toMatch(
      /^https:\/\/sts\.eu-west-1\.amazonaws\.com\/\?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&/,
    );
    expect((await verifyEksToken(emu, minted, "prod-eu")).ok).toBe(true);
  });

  it("refuses an expired presigned URL", async () => {
    const stale = await presign({ cluster: "prod-eu", signingDate: new Date(Date.now() - 20 * 60_000) });
    const res = await fetch(stale, { headers: { "x-k8s-aws-id": "prod-eu" } });
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(body).toContain("<Type>Sender</Type>");
    expect(body).toContain("Signature expired");
    const verdict = await verifyEksToken(emu, tokenFor(stale), "prod-eu");
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toContain("expired");
  });

  it("answers the form-encoded POST, signed or not", async () => {
    const url = new URL(emu.url);
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const signer = new SignatureV4({ service: "sts", region: REGION, credentials, sha256: Sha256 });
    const signed = await signer.sign({
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      headers: { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body,
    });
    const ok = await fetch(`${emu.url}/`, { method: "POST", headers: signed.headers, body });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("<GetCallerIdentityResult>");

    const anonymous = await fetch(`${emu.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toMatch(
      /<ErrorResponse[^>]*>\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>MissingAuthenticationToken<\/Code>/,
    );
  });
});

describe("control endpoints and standalone process", () => {
  it("exposes faults, the request log and reset over HTTP from `main.ts`", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/emulators/aws/main.ts", "--port", "0"], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
      const { url } = JSON.parse(line) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const set = await fetch(`${url}/_emulator/faults`, { method: "POST", body: JSON.stringify({ throttleNext: 1 }) });
      expect(await set.json()).toMatchObject({ throttleNext: 1, latencyMs: 0 });
      const client = new EKSClient({ endpoint: url, region: REGION, credentials });
      expect((await client.send(new ListClustersCommand({}))).$metadata.attempts).toBe(2);
      client.destroy();
      const log = (await (await fetch(`${url}/_emulator/requests`)).json()) as Array<{
        operation: string;
        status: number;
      }>;
      expect(log.map((r) => [r.operation, r.status])).toEqual([
        ["ListClusters", 429],
        ["ListClusters", 200],
      ]);
      await fetch(`${url}/_emulator/reset`, { method: "POST" });
      expect(await (await fetch(`${url}/_emulator/requests`)).json()).toEqual([]);
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });
});
