import { createFleetplane, type Fleetplane, ProblemError } from "../../sdk";

/**
 * The signed-in person's token lives in session storage: it goes with the tab, never to disk
 * for good, and never into a URL. The API decides what the token may see; the dashboard only
 * shows what it is given.
 */
const KEY = "fleetplane.token";

export function savedToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

export function clientFor(token: string): Fleetplane {
  return createFleetplane({ baseUrl: location.origin, token, retry: { attempts: 2 } });
}

/** Checks a token by asking for one cluster; keeps it only if the API accepts it. */
export async function signIn(token: string): Promise<Fleetplane> {
  const fp = clientFor(token);
  await fp.request("GET", "/v1/clusters", { query: { pageSize: 1 } });
  sessionStorage.setItem(KEY, token);
  return fp;
}

/** A refusal in the API's own words: its detail, its field errors, and the request id. */
export function describeProblem(error: unknown): string {
  if (error instanceof ProblemError) {
    const fields = (error.errors ?? []).map((e) => `${e.location}: ${e.message}`);
    return [`${error.detail ?? error.message}`, ...fields, error.requestId ? `(request ${error.requestId})` : ""]
      .filter(Boolean)
      .join(" — ");
  }
  return error instanceof Error ? error.message : String(error);
}

/** Every item of a list the token may see, page after page. */
export async function listAll<T>(fp: Fleetplane, path: string): Promise<T[]> {
  const items: T[] = [];
  for await (const item of fp.list<T>(path, { pageSize: 200 })) items.push(item);
  return items;
}
