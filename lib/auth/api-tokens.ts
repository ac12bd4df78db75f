// API tokens: random secrets shown once, stored as SHA-256 (a token has 192 bits of entropy, so a fast
// hash is enough and keeps every request's lookup cheap). Each has a role, a scope (lib/auth/token-scopes.ts)
// and optionally an expiry. Revocation and expiry take effect on the next request.
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { builtOnce } from "@/db/built-once";
import type { DbOrTx } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { type Actor, type Ctx, type VerbArgs, inTransaction } from "../context";
import { invalid, notFound } from "../errors";
import { parseInput } from "../input";
import { authorize, can, scopedActions } from "./permissions";
import { roles, type Role } from "./roles";
import { announceTokenChange, type TokenActorCache } from "./token-actor-cache";
import { tokenScopes, type TokenScope } from "./token-scopes";

const TOKEN_PREFIX = "vgl_";
/** last_used_at is refreshed at most this often, so reads do not turn into a write per request. */
const LAST_USED_GRANULARITY_MS = 60_000;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const displayPrefixOf = (token: string) => `${token.slice(0, TOKEN_PREFIX.length + 4)}…`;

export const CreateApiTokenInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    role: z
      .enum(roles)
      .optional()
      .describe("Needed for scope full; an alerts:write token is a responder unless you say otherwise"),
    scope: z
      .enum(tokenScopes)
      .default("full")
      .describe(
        "full: everything the role allows; alerts:write: only sending alerts (POST /api/v1/webhooks/alertmanager), for Alertmanager and other alert senders",
      ),
    expires_at: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .describe("When the token stops working (it is then refused like a revoked one); omitted or null: never"),
  })
  .refine((v) => v.role !== undefined || v.scope !== "full", {
    message: "a token with scope full needs a role",
    path: ["role"],
  });
export type CreateApiTokenInput = z.input<typeof CreateApiTokenInput>;

export interface ApiTokenSummary {
  id: string;
  name: string;
  role: Role;
  scope: TokenScope;
  display_prefix: string;
  created_at: string;
  last_used_at: string | null;
  /** After this the token is refused; null: it does not expire. */
  expires_at: string | null;
  revoked_at: string | null;
}

export type TokenRow = typeof apiTokens.$inferSelect;
export const toSummary = (row: TokenRow): ApiTokenSummary => ({
  id: row.id,
  name: row.name,
  role: row.role,
  scope: row.scope,
  display_prefix: row.displayPrefix,
  created_at: row.createdAt.toISOString(),
  last_used_at: row.lastUsedAt?.toISOString() ?? null,
  expires_at: row.expiresAt?.toISOString() ?? null,
  revoked_at: row.revokedAt?.toISOString() ?? null,
});

/** Creates a token and returns its secret: the only time anyone sees it. */
export async function createApiToken({
  ctx,
  input,
}: VerbArgs<CreateApiTokenInput>): Promise<ApiTokenSummary & { token: string }> {
  authorize(ctx.actor, "api_token.manage");
  const { name, scope, expires_at, ...given } = parseInput(CreateApiTokenInput, input);
  const role = given.role ?? "responder";
  if (scope !== "full" && !scopedActions[scope].some((action) => can(role, action))) {
    throw invalid(
      `A ${role} token with scope ${scope} could do nothing: ${scopedActions[scope].join(", ")} needs another role`,
      [{ path: "role", message: `not with scope ${scope}` }],
    );
  }
  const expiresAt = expires_at ? new Date(expires_at) : null;
  if (expiresAt && expiresAt <= ctx.now)
    throw invalid("expires_at must be in the future", [{ path: "expires_at", message: "in the past" }]);
  return inTransaction(ctx, async (txCtx) => {
    const { row, token } = await insertApiToken(txCtx, { name, role, scope, expiresAt });
    return { ...toSummary(row), token };
  });
}

/** A new token on the caller's transaction, with its audit row; the secret is returned once, never stored. */
export async function insertApiToken(
  ctx: Ctx,
  fields: { name: string; role: Role; scope: TokenScope; expiresAt: Date | null },
): Promise<{ row: TokenRow; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(24).toString("base64url");
  const [row] = await ctx.db
    .insert(apiTokens)
    .values({
      ...fields,
      tokenHash: hashToken(token),
      displayPrefix: displayPrefixOf(token),
      createdById: ctx.actor.type === "user" ? ctx.actor.userId : null,
      createdAt: ctx.now,
    })
    .returning();
  if (!row) throw new Error("insert returned no token");
  await recordAudit(ctx, {
    action: "api_token.create",
    resourceType: "api_token",
    resourceId: row.id,
    details: {
      name: fields.name,
      role: fields.role,
      scope: fields.scope,
      expires_at: fields.expiresAt?.toISOString() ?? null,
    },
  });
  return { row, token };
}

/** Revokes a token on the caller's transaction (no-op when already revoked), with its audit row. */
export async function markTokenRevoked(ctx: Ctx, id: string): Promise<TokenRow | undefined> {
  const [existing] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id)).for("update");
  if (!existing || existing.revokedAt) return existing;
  const [row] = await ctx.db.update(apiTokens).set({ revokedAt: ctx.now }).where(eq(apiTokens.id, id)).returning();
  await announceTokenChange(ctx.db, id);
  await recordAudit(ctx, {
    action: "api_token.revoke",
    resourceType: "api_token",
    resourceId: id,
    details: { name: existing.name },
  });
  return row ?? existing;
}

export async function revokeApiToken({ ctx, input }: VerbArgs<{ id: string }>): Promise<ApiTokenSummary> {
  authorize(ctx.actor, "api_token.manage");
  const { id } = parseInput(z.object({ id: z.uuid() }), input);
  return inTransaction(ctx, async (txCtx) => {
    const row = await markTokenRevoked(txCtx, id);
    if (!row) throw notFound(`API token ${id}`);
    return toSummary(row);
  });
}

export async function listApiTokens({ ctx }: VerbArgs<unknown>): Promise<ApiTokenSummary[]> {
  authorize(ctx.actor, "api_token.manage");
  const rows = await ctx.db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt));
  return rows.map(toSummary);
}

/**
 * The actor a Bearer token stands for, or null when it is unknown, revoked or expired. With a cache, the
 * token's row comes from there while it is fresh (lib/auth/token-actor-cache.ts says why that is safe).
 */
export async function authenticateApiToken(
  db: DbOrTx,
  token: string,
  now: Date,
  ip: string | null,
  cache?: TokenActorCache,
): Promise<Actor | null> {
  if (token.length < 16 || token.length > 512) return null;
  const tokenHash = hashToken(token);
  const nowMs = now.getTime();
  let row = cache?.get(tokenHash, nowMs);
  if (!row) {
    const generation = cache?.generation() ?? null;
    [row] = await liveTokenByHash(db).execute({ tokenHash });
    if (row) cache?.put(tokenHash, row, generation, nowMs);
  }
  if (!row || (row.expiresAt && row.expiresAt <= now)) return null;
  if (!row.lastUsedAt || nowMs - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    const stale = new Date(nowMs - LAST_USED_GRANULARITY_MS);
    // The cached row too, so the next minute's requests from the cache do not write again.
    row.lastUsedAt = now;
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale))));
  }
  return { type: "apiToken", tokenId: row.id, name: row.name, role: row.role, scope: row.scope, ip };
}

/** Every API request asks this. */
const liveTokenByHash = builtOnce((db) =>
  db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      scope: apiTokens.scope,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, sql.placeholder("tokenHash")), isNull(apiTokens.revokedAt)))
    .prepare("live_token_by_hash"),
);

/**
 * Makes sure an admin token with this exact value exists (BOOTSTRAP_ADMIN_TOKEN), for automation and
 * first start. A token an admin has revoked stays revoked: the operator's decision wins over the setting.
 */
export async function ensureBootstrapToken(
  db: DbOrTx,
  token: string,
  now: Date,
): Promise<"created" | "exists" | "revoked"> {
  const tokenHash = hashToken(token);
  const [inserted] = await db
    .insert(apiTokens)
    .values({
      name: "bootstrap admin (BOOTSTRAP_ADMIN_TOKEN)",
      role: "admin",
      tokenHash,
      displayPrefix: displayPrefixOf(token),
      createdAt: now,
    })
    .onConflictDoNothing({ target: apiTokens.tokenHash })
    .returning({ id: apiTokens.id });
  if (inserted) return "created";
  const [existing] = await db
    .select({ revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, tokenHash));
  return existing?.revokedAt ? "revoked" : "exists";
}
