import { useEffect, useRef, useState } from "preact/hooks";
import type { Event } from "../../sdk";
import { clientFor, describeProblem, savedToken } from "./session";

/**
 * Follows the event stream (through the SDK) and calls `onEvent` for each new event, so a view
 * reloads when something it shows changed instead of polling. When the server ends the stream
 * or the network cuts it, it follows on after a pause from the last event seen.
 */
export function useEventStream(query: Record<string, string>, onEvent: (event: Event) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = JSON.stringify(query);
  useEffect(() => {
    const controller = new AbortController();
    const fp = clientFor(savedToken() ?? "");
    let after: string | undefined;
    const follow = async () => {
      while (!controller.signal.aborted) {
        try {
          for await (const event of fp.events(JSON.parse(key), { after, signal: controller.signal })) {
            after = event.id;
            handler.current(event);
          }
        } catch {
          // Cut, refused or aborted: try again shortly unless the view went away.
        }
        await new Promise((r) => setTimeout(r, 2000));
      }
    };
    void follow();
    return () => controller.abort();
  }, [key]);
}

/** Calls `reload` at most once per `ms` however many events arrive. */
export function useThrottled(reload: () => void, ms = 500): () => void {
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const latest = useRef(reload);
  latest.current = reload;
  return () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, ms);
  };
}

/**
 * Loads a view's data, and loads it again when an event in `stream` says something changed
 * (at most once a second). A response that arrives after the view moved on is dropped.
 * `pollMs`, while set, also reloads on a timer: for progress the event log does not record
 * step by step (a wave's clusters finishing one by one).
 */
export function useLiveData<T>(
  load: () => Promise<T>,
  key: unknown[],
  stream: Record<string, string>,
  pollMs?: (data: T | undefined) => number | undefined,
): { data: T | undefined; error: string | undefined; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (d) => {
        if (!current) return;
        setData(d);
        setError(undefined);
      },
      (e) => current && setError(describeProblem(e)),
    );
    return () => {
      current = false;
    };
  }, [...key, generation]);
  const reload = useThrottled(() => setGeneration((g) => g + 1), 1000);
  useEventStream(stream, reload);
  const every = pollMs?.(data);
  useEffect(() => {
    if (!every) return;
    const timer = setTimeout(() => setGeneration((g) => g + 1), every);
    return () => clearTimeout(timer);
  }, [every, generation]);
  return { data, error, reload: () => setGeneration((g) => g + 1) };
}
