import { newId } from "../core/ids";
import { findDueJobs, leaseJob } from "../core/jobs/jobs";
import { runLeasedJob } from "./engine";
import type { FunctionDeps } from "./types";

/**
 * The Node host's job runner. It plays the part Queues and the cron sweep play on Workers:
 * it wakes when a write dispatches jobs, and it also polls, which is the sweep: due jobs whose
 * dispatch was lost (the process died after the commit) and jobs whose lease expired (the
 * process died mid-function) are found by the same query. Concurrency is capped here for
 * this process, and in the lease itself for every host sharing the store.
 */
export class JobRunner {
  readonly owner = `runner_${newId("req").slice(4)}`;
  private readonly running = new Set<Promise<void>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private ticking = false;
  private again = false;

  constructor(
    private readonly deps: FunctionDeps,
    private readonly pollMs = 500,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  /** Stops taking new jobs and waits for the running ones to reach their next state. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.ticking || this.running.size > 0) {
      await Promise.allSettled([...this.running]);
      if (this.ticking) await new Promise((r) => setTimeout(r, 5));
    }
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Called after a write commits jobs, and after each job ends (a slot is free). */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.tick();
  }

  private async tick(): Promise<void> {
    this.ticking = true;
    try {
      do {
        this.again = false;
        const free = this.deps.config.jobConcurrency - this.running.size;
        if (free <= 0) break;
        // Ask for more candidates than free slots: some belong to busy clusters or are
        // taken by another host, and the lease decides.
        const due = await findDueJobs(this.deps.store, this.deps.now(), free * 4);
        for (const candidate of due) {
          if (this.stopped || this.running.size >= this.deps.config.jobConcurrency) break;
          const job = await leaseJob(this.deps.store, this.deps.config, candidate.id, this.owner, this.deps.now());
          if (!job) continue;
          const run: Promise<void> = runLeasedJob(job, this.deps)
            .then(() => undefined)
            .catch((error) => this.deps.log.error("job run crashed", { jobId: job.id, error: String(error) }))
            .finally(() => {
              this.running.delete(run);
              this.wake();
            });
          this.running.add(run);
        }
      } while (this.again && !this.stopped);
    } catch (error) {
      this.deps.log.error("job sweep failed", { error: String(error) });
    } finally {
      this.ticking = false;
      if (!this.stopped) {
        this.timer = setTimeout(() => this.wake(), this.pollMs);
        this.timer.unref?.();
      }
    }
  }
}
