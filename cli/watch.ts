import type { Fleetplane } from "../sdk";
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
  /** Looks again as soon as these say something changed, instead of on a fixed interval. */
  changes?: Changes;
}

/** When to look again: at once after a change, else after a pause that depends on how we learn of changes. */
export interface Changes {
  /** Resolves at the next change, or after the pause, whichever comes first. */
  next(): Promise<void>;
  /** A line for the person watching when the way changes are learnt changes ("the event stream was cut"). */
  news(): string | undefined;
  close(): void;
}

/**
 * Changes as the event stream tells them (`resource` and its events), with a look every
 * `idleMs` anyway for progress the event log does not record step by step (clusters finishing
 * inside a wave). A stream that will not stay open (a proxy that cuts or buffers streams) is
 * given up for polling every `pollMs`, and said so once.
 */
export function followEvents(fp: Fleetplane, resource: string, opts: { idleMs: number; pollMs: number }): Changes {
  const controller = new AbortController();
  let changed = false;
  let wake: (() => void) | undefined;
  let cut = false;
  let said: string | undefined;
  let pending: string | undefined;
  const ring = () => {
    changed = true;
    wake?.();
  };
  void (async () => {
    let after: string | undefined;
    let shortLived = 0;
    while (!controller.signal.aborted) {
      const opened = Date.now();
      let heard = false;
      try {
        for await (const event of fp.events({ resource }, { after, signal: controller.signal })) {
          after = event.id;
          heard = true;
          ring();
        }
      } catch {
        // Refused or cut: counted below like a stream that ended at once.
      }
      if (controller.signal.aborted) return;
      shortLived = heard || Date.now() - opened > 5_000 ? 0 : shortLived + 1;
      if (shortLived >= 2) {
        cut = true;
        pending = `the event stream does not stay open here (a proxy?); looking every ${opts.pollMs / 1000} s instead`;
        ring();
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return {
    next() {
      if (changed) {
        changed = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake = undefined;
          changed = false;
          resolve();
        };
        const timer = setTimeout(done, cut ? opts.pollMs : opts.idleMs);
        wake = done;
      });
    },
    news() {
      if (pending === said) return undefined;
      said = pending;
      return pending;
    },
    close() {
      controller.abort();
      wake?.();
    },
  };
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
    const news = options.changes?.news();
    if (news) progress.log(news);
    progress.update(frame.items);
    if (frame.outcome) {
      progress.log(frame.outcome.message);
      return { value, succeeded: frame.outcome.succeeded };
    }
    if (options.changes) await options.changes.next();
    else await sleep(options.intervalMs ?? 1000);
  }
}
