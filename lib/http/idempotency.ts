// Idempotency-Key for POSTs that create things: the first request's response is stored in the same
// transaction as its effect; a repeat (same caller, same key, same request) gets that response back and
// changes nothing. The same key with a different request is a conflict. A failed request stores nothing,
// so it can be retried with its key.
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { idempotencyKeys } from "@/db/schema";
import { describeActor, type Ctx, inTransaction } from "../context";
import { AppError, conflict } from "../errors";

export interface StoredResponse {
  status: number;
  body: unknown;
}

export function readIdempotencyKey(req: Request): string | null {
  const key = req.headers.get("idempotency-key");
  if (key === null) return null;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError("invalid", "Idempotency-Key must be 1 to 255 visible ASCII characters", {
      fieldErrors: [{ path: "Idempotency-Key", message: "1 to 255 visible ASCII characters" }],
    });
  }
  return key;
}

export async function withIdempotencyKey(
  ctx: Ctx,
  request: { key: string; method: string; path: string; body: unknown },
  run: (ctx: Ctx) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const who = describeActor(ctx.actor);
  const callerId = `${who.type}:${who.id ?? who.name}`;
  const requestHash = createHash("sha256")
    .update(`${request.method} ${request.path}\n${JSON.stringify(request.body)}`)
    .digest("hex");

  return inTransaction(ctx, async (txCtx) => {
    const claimed = await txCtx.db
      .insert(idempotencyKeys)
      .values({ callerId, key: request.key, requestHash, createdAt: ctx.now })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    const where = and(eq(idempotencyKeys.callerId, callerId), eq(idempotencyKeys.key, request.key));
    if (claimed.length === 0) {
      const [previous] = await txCtx.db.select().from(idempotencyKeys).where(where);
      if (!previous || previous.responseStatus === null)
        throw conflict("A request with this Idempotency-Key is still in progress");
      if (previous.requestHash !== requestHash)
        throw conflict("This Idempotency-Key was already used for a different request");
      return { status: previous.responseStatus, body: previous.responseBody, replayed: true };
    }
    const response = await run({ ...ctx, db: txCtx.db });
    await txCtx.db
      .update(idempotencyKeys)
      .set({ responseStatus: response.status, responseBody: response.body })
      .where(where);
    return { ...response, replayed: false };
  });
}
