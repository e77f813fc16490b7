import type { TestHost } from "./harness";

/**
 * The shared generator of authentication and authorisation cases every route's security test
 * runs: no token, a malformed header, an unknown token, a revoked token, an expired token and
 * a tenant-scoped token (which may read platform resources but not change them).
 */
export interface AuthCase {
  name: string;
  token(t: TestHost): Promise<string | null>;
  /**
   * The status this credential must get on a route that changes things or is platform-only
   * (true), or on a read a tenant may make (false).
   */
  statusFor(write: boolean): number;
}

export function authCases(opts: { tenantMayRead?: boolean } = {}): AuthCase[] {
  const tenantRead = opts.tenantMayRead ?? true;
  return [
    { name: "no token", token: async () => null, statusFor: () => 401 },
    { name: "an unknown token", token: async () => "fpt_not-a-real-token", statusFor: () => 401 },
    { name: "a token of the wrong shape", token: async () => "a b", statusFor: () => 401 },
    {
      name: "a revoked token",
      async token(t) {
        const created = await t.request("POST", "/v1/tokens", { body: { name: "revoke-me" } });
        await t.request("DELETE", `/v1/tokens/${created.body.id}`);
        return created.body.token;
      },
      statusFor: () => 401,
    },
    {
      name: "an expired token",
      token: (t) => t.expiredToken(),
      statusFor: () => 401,
    },
    {
      name: "a tenant-scoped token",
      token: (t) => t.tenantToken("tnt_someone"),
      statusFor: (write) => (write ? 403 : tenantRead ? 200 : 403),
    },
  ];
}
