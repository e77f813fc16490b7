import type { Deps } from "../core/context";
import type { ErrorCode } from "../core/errors";
import type { Job } from "../core/jobs/jobs";
import type { JobKind } from "../core/jobs/kinds";
import type { Statement } from "../core/store";
import type { AwsAccess } from "./aws/access";
import type { KubeConnector } from "./kube/access";

export interface FunctionDeps extends Deps {
  kube: KubeConnector;
  aws: AwsAccess;
  /**
   * Checks, right before a function calls a user-supplied URL (webhooks, Prometheus), the
   * addresses its host resolves to against the URL policy. Absent where the runtime cannot
   * resolve names (Workers): the write-time check of the URL itself still applies there.
   */
  outbound?: (url: string) => Promise<void>;
}

/**
 * What a function answers: `done`, or `poll` when the outside world is still working
 * (a cluster still creating) and the function wants to look again later. Failures are thrown
 * as domain errors: TransientError retries with backoff, anything else fails the job.
 */
export type FunctionResult =
  | { outcome: "done"; message?: string }
  | { outcome: "poll"; afterMs: number; message?: string };

export interface ClusterFunction {
  kind: JobKind;
  run(job: Job, deps: FunctionDeps): Promise<FunctionResult>;
  /**
   * Statements that make a final failure visible on the owning resource (conditions, phase);
   * batched with the job's transition to Failed.
   */
  onFailed?(job: Job, error: { code: ErrorCode; message: string }, deps: FunctionDeps): Promise<Statement[]>;
}
