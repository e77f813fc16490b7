/**
 * Named points in the write and job paths where the reliability suite kills the Node host
 * with SIGKILL, so a crash lands exactly between two steps that must survive it:
 *
 * - `before-commit`: the request (or function) has validated and built its batch; nothing
 *   is written yet.
 * - `before-dispatch`: the batch committed (rows and their jobs), the dispatch nudge has not
 *   happened; only the sweep can find the jobs.
 * - `function-applied`: a function changed the cluster (or AWS) and returned; the job's
 *   completion is not recorded, so the function runs again after the lease expires.
 *
 * In production nothing installs a hook and `crashPoint` is a no-op. Only the Node host
 * installs one, and only when FLEET_TEST_CRASH_AT is set (see entry/crash-hook.ts).
 */
export type CrashPoint = "before-commit" | "before-dispatch" | "function-applied";

let hook: ((point: CrashPoint) => void) | undefined;

export function installCrashHook(next: ((point: CrashPoint) => void) | undefined): void {
  hook = next;
}

export function crashPoint(point: CrashPoint): void {
  if (hook) hook(point);
}
