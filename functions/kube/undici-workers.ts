/**
 * Stands in for `undici` in the Workers bundle (see `alias` in wrangler.toml). client-node
 * imports undici at module load, and undici cannot start inside workerd. Fleetplane never uses
 * undici there: the Workers transport (fetch.ts) sends every request through the platform
 * `fetch`. These exports only satisfy client-node's imports and fail loudly if reached.
 */
export const fetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init);

class Unavailable {
  constructor() {
    throw new Error("undici agents are not available on Workers; use the fetch transport");
  }
}

export const Agent = Unavailable;
export const ProxyAgent = Unavailable;
export default { fetch, Agent, ProxyAgent };
