import { useEffect, useRef, useState } from "preact/hooks";
import { describeProblem, savedToken } from "./session";

export interface LiveEvent {
  id: string;
  reason: string;
  type: "Normal" | "Warning";
  message: string;
  time: string;
  resource: { type: string; id: string; name?: string };
}

/**
 * Follows `GET /v1/events/stream` (server-sent events) and calls `onEvent` for each new event,
 * so a view reloads when something it shows changed instead of polling. EventSource cannot
 * send a bearer token, so the stream is read with fetch; on a cut it reconnects after a pause,
 * resuming after the last event seen (`Last-Event-ID`).
 */
export function useEventStream(query: Record<string, string>, onEvent: (event: LiveEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = JSON.stringify(query);
  useEffect(() => {
    const controller = new AbortController();
    let lastId: string | undefined;
    const follow = async () => {
      while (!controller.signal.aborted) {
        try {
          const headers: Record<string, string> = { authorization: `Bearer ${savedToken() ?? ""}` };
          if (lastId) headers["last-event-id"] = lastId;
          const res = await fetch(`/v1/events/stream?${new URLSearchParams(JSON.parse(key))}`, {
            headers,
            signal: controller.signal,
          });
          if (!res.ok || !res.body) throw new Error(`stream refused: ${res.status}`);
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buffer = "";
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            let end = buffer.indexOf("\n\n");
            while (end >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = block
                .split("\n")
                .filter((line) => line.startsWith("data:"))
                .map((line) => line.slice(5).trimStart())
                .join("\n");
              if (data) {
                const event = JSON.parse(data) as LiveEvent;
                lastId = event.id;
                handler.current(event);
              }
              end = buffer.indexOf("\n\n");
            }
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
