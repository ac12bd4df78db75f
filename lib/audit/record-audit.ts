// Writes one audit row on the context's database (inside a verb: its transaction), so the record and the
// change commit together.
import { auditLog } from "@/db/schema";
import { describeActor, type Ctx } from "../context";

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(ctx: Ctx, entry: AuditEntry): Promise<void> {
  await auditInsert(ctx, entry);
}

/** The audit row's INSERT, unexecuted: appendTimelineEvent can carry it in its own statement. */
export function auditInsert(ctx: Ctx, entry: AuditEntry) {
  const who = describeActor(ctx.actor);
  return ctx.db.insert(auditLog).values({
    timestamp: ctx.now,
    userId: who.userId,
    actorType: who.type,
    actorId: who.id,
    actorName: who.name,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    details: ctx.actor.via ? { ...entry.details, via: ctx.actor.via } : (entry.details ?? {}),
    ipAddress: ctx.actor.ip ?? null,
  });
}
