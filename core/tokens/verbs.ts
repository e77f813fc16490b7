import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { tokens } from "../../schema";
import { requireAdmin } from "../access";
import type { Ctx, Deps, Principal } from "../context";
import { constantTimeEqual, randomSecret, sha256Hex } from "../crypto";
import { ConflictError, NotFoundError, UnprocessableError } from "../errors";
import { recordEvent } from "../events";
import { newId } from "../ids";
import { TOKEN_KIND } from "../kinds";
import { clampPageSize, decodePageToken, type PageRequest, toPage } from "../pagination";
import { Name } from "../resource";
import { prepared, type Store, writeBatch } from "../store";

export type TokenRow = typeof tokens.$inferSelect;
const KIND = TOKEN_KIND;
/** Tokens are recognisable in logs and secret scanners by their prefix. */
const TOKEN_PREFIX = "fpt_";
export const ENV_ADMIN_TOKEN_ID = "tok_admin_env";

export const TokenCreate = z
  .strictObject({
    name: Name.openapi({ example: "ci-pipeline" }),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "When the token stops working; never when omitted" }),
  })
  .openapi("TokenCreate");
export type TokenCreateInput = z.infer<typeof TokenCreate>;

export const Token = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(["admin", "tenant"]),
    tenant: z.string().optional(),
    createdAt: z.string(),
    expiresAt: z.string().optional(),
    revokedAt: z.string().optional(),
  })
  .openapi("Token");

export const TokenWithSecret = Token.extend({
  token: z.string().openapi({ description: "The bearer token. Shown only in this response; store it now." }),
}).openapi("TokenWithSecret");

/**
 * `expiresAt` is written by users (and Terraform, whose timestamps carry whole seconds), so it
 * reads back in that form: fractional seconds only when there are some.
 */
const userTime = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

export function tokenToWire(row: TokenRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role as "admin" | "tenant",
    ...(row.tenantId ? { tenant: row.tenantId } : {}),
    createdAt: new Date(row.createdAt).toISOString(),
    ...(row.expiresAt ? { expiresAt: userTime(row.expiresAt) } : {}),
    ...(row.revokedAt ? { revokedAt: new Date(row.revokedAt).toISOString() } : {}),
  };
}

/** Mints a token row; the caller batches it. The secret is returned once and only hashed at rest. */
export async function mintToken(
  deps: Deps,
  opts: { name: string; role: "admin" | "tenant"; tenantId?: string; expiresAt?: number; createdBy: string },
) {
  const now = deps.now();
  const secret = `${TOKEN_PREFIX}${randomSecret(32)}`;
  const row: TokenRow = {
    id: newId("tok", now),
    name: opts.name,
    role: opts.role,
    tenantId: opts.tenantId ?? null,
    hash: await sha256Hex(secret),
    createdAt: now,
    expiresAt: opts.expiresAt ?? null,
    revokedAt: null,
    createdBy: opts.createdBy,
  };
  return { row, secret, insert: deps.store.insert(tokens).values(row) };
}

export async function createToken(ctx: Ctx, input: TokenCreateInput) {
  requireAdmin(ctx, "Minting an admin token");
  const expiresAt = input.expiresAt ? Date.parse(input.expiresAt) : undefined;
  if (expiresAt !== undefined && expiresAt <= ctx.now()) {
    throw new UnprocessableError("invalid_expiry", "expiresAt must be in the future", [
      { location: "body.expiresAt", message: "must be in the future" },
    ]);
  }
  const minted = await mintToken(ctx, {
    name: input.name,
    role: "admin",
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    createdBy: ctx.principal.tokenId,
  });
  await writeBatch(ctx.store, [
    minted.insert,
    recordEvent(ctx.store, {
      reason: "Created",
      resourceType: KIND,
      resourceId: minted.row.id,
      resourceName: input.name,
      message: `admin token ${input.name} created`,
      actor: ctx.principal,
      requestId: ctx.requestId,
      at: ctx.now(),
    }),
  ]);
  return { ...tokenToWire(minted.row), token: minted.secret };
}

export async function getToken(ctx: Ctx, id: string): Promise<TokenRow> {
  requireAdmin(ctx, "Reading tokens");
  const rows = await ctx.store.select().from(tokens).where(eq(tokens.id, id)).limit(1);
  if (!rows[0]) throw new NotFoundError(KIND, id);
  return rows[0];
}

export async function listTokens(ctx: Ctx, query: PageRequest) {
  requireAdmin(ctx, "Listing tokens");
  const pageSize = clampPageSize(query.pageSize);
  const after = decodePageToken(query.pageToken, {});
  const rows = await ctx.store
    .select()
    .from(tokens)
    .where(after ? gt(tokens.id, after) : undefined)
    .orderBy(asc(tokens.id))
    .limit(pageSize + 1);
  return toPage(rows, pageSize, {});
}

/** Revoking is idempotent. The last usable admin token cannot be revoked unless FLEET_ADMIN_TOKEN is set. */
export async function revokeToken(ctx: Ctx, id: string): Promise<void> {
  const row = await getToken(ctx, id);
  if (row.revokedAt !== null) return;
  const now = ctx.now();
  if (row.role === "admin" && !ctx.config.adminToken) {
    const [others] = await ctx.store
      .select({ n: sql<number>`count(*)` })
      .from(tokens)
      .where(
        and(
          eq(tokens.role, "admin"),
          isNull(tokens.revokedAt),
          sql`${tokens.id} != ${row.id}`,
          or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now)),
        ),
      );
    if (Number(others?.n ?? 0) === 0) {
      throw new ConflictError("This is the last admin token; mint another before revoking it");
    }
  }
  await writeBatch(ctx.store, [
    ctx.store.update(tokens).set({ revokedAt: now }).where(eq(tokens.id, row.id)),
    recordEvent(ctx.store, {
      reason: "Revoked",
      resourceType: KIND,
      resourceId: row.id,
      resourceName: row.name,
      message: `token ${row.name} revoked`,
      actor: ctx.principal,
      requestId: ctx.requestId,
      at: now,
    }),
  ]);
}

/** The configured admin token's hash, computed once per configuration rather than per request. */
const adminHashes = new WeakMap<Deps["config"], Promise<string>>();
function adminTokenHash(config: Deps["config"]): Promise<string> | undefined {
  if (!config.adminToken) return undefined;
  let hash = adminHashes.get(config);
  if (hash === undefined) {
    hash = sha256Hex(config.adminToken);
    adminHashes.set(config, hash);
  }
  return hash;
}

const liveTokenByHash = (store: Store) =>
  store
    .select({ id: tokens.id, role: tokens.role, tenantId: tokens.tenantId })
    .from(tokens)
    .where(
      and(
        eq(tokens.hash, sql.placeholder("hash")),
        isNull(tokens.revokedAt),
        or(isNull(tokens.expiresAt), gt(tokens.expiresAt, sql.placeholder("now"))),
      ),
    )
    .limit(1)
    .prepare();

/**
 * Resolves a bearer token to a principal. Tokens are looked up by their SHA-256, so the
 * secret is never compared byte by byte against stored data; the configured admin token is
 * compared in constant time.
 */
export async function authenticate(deps: Deps, bearer: string): Promise<Principal | undefined> {
  const hash = await sha256Hex(bearer);
  const admin = await adminTokenHash(deps.config);
  if (admin && constantTimeEqual(hash, admin)) return { tokenId: ENV_ADMIN_TOKEN_ID, role: "admin" };
  if (!bearer.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await prepared(deps.store, liveTokenByHash).get({ hash, now: deps.now() });
  if (!row) return undefined;
  return row.tenantId
    ? { tokenId: row.id, role: "tenant", tenantId: row.tenantId }
    : { tokenId: row.id, role: row.role as "admin" | "tenant" };
}

/**
 * First start on Node without FLEET_ADMIN_TOKEN: mint one admin token, store only its hash,
 * and hand the secret back once so the host can print it.
 */
export async function bootstrapAdminToken(deps: Deps): Promise<string | undefined> {
  if (deps.config.adminToken) return undefined;
  const [existing] = await deps.store.select({ n: sql<number>`count(*)` }).from(tokens).where(eq(tokens.role, "admin"));
  if (Number(existing?.n ?? 0) > 0) return undefined;
  const minted = await mintToken(deps, { name: "bootstrap-admin", role: "admin", createdBy: "system" });
  await writeBatch(deps.store, [minted.insert]);
  return minted.secret;
}
