import { type AwsEmulator, startAwsEmulator, verifyEksToken } from "../../emulators/aws";
import { type KubeEmulator, startKubeEmulator } from "../../emulators/kube";
import { startTestHost, type TestHost } from "./harness";

export const EKS_CLASS = {
  name: "eks-standard",
  provider: "eks",
  region: "eu-west-1",
  version: "1.29",
  workers: [{ name: "worker", replicas: 2 }],
  eks: {
    roleArn: "arn:aws:iam::123456789012:role/eks-cluster",
    nodeRoleArn: "arn:aws:iam::123456789012:role/eks-node",
    subnetIds: ["subnet-0a1b2c", "subnet-0d4e5f"],
    securityGroupIds: ["sg-0abc"],
  },
  fleetConfig: { url: "https://github.com/acme/fleet-config", branch: "main" },
  values: { logLevel: "info", tier: "standard" },
};

export interface EksWorld {
  t: TestHost;
  aws: AwsEmulator;
  /** The API server behind each EKS cluster, by cluster name; it only accepts EKS tokens. */
  kubes: Map<string, KubeEmulator>;
  close(): Promise<void>;
}

/**
 * The AWS emulator (EKS + STS) with a kube-apiserver emulator behind every EKS cluster it
 * creates, accepting only tokens STS vouches for, and a Fleetplane host configured the
 * standard SDK way (AWS_REGION, AWS_ENDPOINT_URL_EKS/STS, static keys).
 */
export async function startEksWorld(env: Record<string, string> = {}, opts: { runJobs?: boolean } = {}) {
  const kubes = new Map<string, KubeEmulator>();
  let aws: AwsEmulator | undefined;
  aws = await startAwsEmulator({
    clusterEndpoint: async (name) => {
      const kube = await startKubeEmulator({
        name,
        gitVersion: "v1.29.8-eks",
        authenticate: async (token) => (await verifyEksToken(aws as AwsEmulator, token, name)).ok,
      });
      kubes.set(name, kube);
      return { endpoint: kube.url, certificateAuthorityData: kube.caData };
    },
  });
  const t = await startTestHost(
    {
      AWS_REGION: "eu-west-1",
      AWS_ENDPOINT_URL_EKS: aws.url,
      AWS_ENDPOINT_URL_STS: aws.url,
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      FLEET_PROVIDER_POLL_MS: "20",
      ...env,
    },
    opts,
  );
  const world: EksWorld = {
    t,
    aws,
    kubes,
    async close() {
      await t.close();
      await aws?.close();
      await Promise.all([...kubes.values()].map((k) => k.close()));
    },
  };
  return world;
}

export const conditionOf = (cluster: { status: { conditions: { type: string }[] } }, type: string) =>
  cluster.status.conditions.find((c) => c.type === type) as
    | { type: string; status: string; reason: string; message: string }
    | undefined;

export const operationsOn = (aws: AwsEmulator, target: string) =>
  aws.requests.filter((r) => r.target === target || r.target?.startsWith(`${target}/`)).map((r) => r.operation);
