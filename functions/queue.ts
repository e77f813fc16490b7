import { getJobRow, leaseJob } from "../core/jobs/jobs";
import { runLeasedJob } from "./engine";
import type { FunctionDeps } from "./types";

export interface JobMessage {
  jobId: string;
}

/** What the Queues consumer should do with a message after handling it. */
export type Delivery = { ack: true; redeliverAfterMs?: number };

const TERMINAL = new Set(["Succeeded", "Failed", "Cancelled"]);
/** How long to wait before asking again for a job whose cluster is busy or the global cap is reached. */
const BUSY_RETRY_MS = 2000;

/**
 * Handles one Queue message (at-least-once delivery). The job row, not the message, is the
 * truth: a duplicate or late message finds the job already leased or finished and is simply
 * acknowledged. When the job must run later (backoff, polling, a busy cluster), a fresh
 * delayed message is sent instead of retrying this one, so waiting never counts toward the
 * queue's own retry limit and the dead-letter queue only sees consumers that crashed.
 */
export async function deliverJobMessage(message: JobMessage, owner: string, deps: FunctionDeps): Promise<Delivery> {
  const now = deps.now();
  const leased = await leaseJob(deps.store, deps.config, message.jobId, owner, now);
  if (!leased) {
    const job = await getJobRow(deps.store, message.jobId);
    if (!job || TERMINAL.has(job.state)) return { ack: true };
    if (job.state === "Running" && (job.leaseUntil ?? 0) >= now) return { ack: true };
    if (job.state === "Queued" && job.runAfter > now) return { ack: true, redeliverAfterMs: job.runAfter - now };
    return { ack: true, redeliverAfterMs: BUSY_RETRY_MS };
  }
  const outcome = await runLeasedJob(leased, deps);
  if (outcome.state === "Queued") return { ack: true, redeliverAfterMs: Math.max(0, outcome.runAfter - deps.now()) };
  return { ack: true };
}
