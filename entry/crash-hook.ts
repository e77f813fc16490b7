import { type CrashPoint, installCrashHook } from "../core/crash-points";

const POINTS: CrashPoint[] = ["before-commit", "before-dispatch", "function-applied"];

/**
 * Test-only: `FLEET_TEST_CRASH_AT=<point>:<n>` makes the process SIGKILL itself the n-th
 * time it passes that crash point (see core/crash-points.ts). Unset, nothing is installed.
 * A signal, not `process.exit`: no exit handlers, no flushing, exactly like `kill -9`.
 */
export function installCrashHookFromEnv(value: string | undefined): void {
  if (!value) return;
  const [point, nth] = value.split(":");
  const countdown = Number(nth ?? "1");
  if (!POINTS.includes(point as CrashPoint) || !Number.isInteger(countdown) || countdown < 1) {
    throw new Error(`FLEET_TEST_CRASH_AT must be <${POINTS.join("|")}>:<n>, got "${value}"`);
  }
  let remaining = countdown;
  installCrashHook((reached) => {
    if (reached !== point) return;
    remaining -= 1;
    if (remaining === 0) process.kill(process.pid, "SIGKILL");
  });
}
