/**
 * A bound on how many tasks run at once: `run(task)` starts the task when a slot is free. A
 * finishing task hands its slot straight to the next waiter, so the bound holds exactly.
 */
export function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
