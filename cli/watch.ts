import { type ProgressItem, ProgressRenderer, type ProgressStream } from "./progress";

/** One look at a long operation, as `watch` draws it. */
export interface WatchFrame {
  items: ProgressItem[];
  /** Lines worth saying once, e.g. "wave prod-eu waits for approval" (repeats are dropped). */
  messages?: string[];
  /** Finished: `succeeded` ends with exit 0, anything else names why it ended and exits 1. */
  outcome?: { succeeded: boolean; message: string };
}

export interface WatchOptions {
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Polls `fetch`, draws each frame with a `ProgressRenderer` until the operation finishes, and
 * returns the last value with whether it succeeded. `rollouts watch` is this with a frame of
 * the rollout's waves.
 */
export async function watch<T>(
  out: ProgressStream,
  fetch: () => Promise<T>,
  frameOf: (value: T) => WatchFrame,
  options: WatchOptions = {},
): Promise<{ value: T; succeeded: boolean }> {
  const progress = new ProgressRenderer(out);
  const said = new Set<string>();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (;;) {
    options.signal?.throwIfAborted();
    const value = await fetch();
    const frame = frameOf(value);
    for (const message of frame.messages ?? []) {
      if (said.has(message)) continue;
      said.add(message);
      progress.log(message);
    }
    progress.update(frame.items);
    if (frame.outcome) {
      progress.log(frame.outcome.message);
      return { value, succeeded: frame.outcome.succeeded };
    }
    await sleep(options.intervalMs ?? 1000);
  }
}
