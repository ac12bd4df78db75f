// Writes one audit row on the context's database (inside a verb: its transaction), so the record and the
// change commit together.
import { sql, type SQL } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { describeActor, type Ctx } from "../context";

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(ctx: Ctx, entry: AuditEntry): Promise<void> {
  await ctx.db.execute(auditInsert(ctx, entry));
}

/**
 * The audit row's INSERT, unexecuted: appendTimelineEvent can carry it in its own statement. Written as
 * SQL rather than with drizzle's insert builder, which took several times the CPU to build (every alert
 * delivery that changes an incident writes one: bench/README.md).
 */
export function auditInsert(ctx: Ctx, entry: AuditEntry, options: { returningId?: boolean } = {}): SQL {
  const who = describeActor(ctx.actor);
  const details = ctx.actor.via ? { ...entry.details, via: ctx.actor.via } : (entry.details ?? {});
  return sql`insert into ${auditLog} (timestamp, user_id, actor_type, actor_id, actor_name, action, resource_type,
                                      resource_id, details, ip_address)
             values (${ctx.now.toISOString()}::timestamptz, ${who.userId}::uuid, ${who.type}::text, ${who.id}::text,
                     ${who.name}::text, ${entry.action}::text, ${entry.resourceType}::text, ${entry.resourceId}::text,
                     ${JSON.stringify(details)}::jsonb, ${ctx.actor.ip ?? null}::inet)${options.returningId ? sql` returning id` : sql``}`;
}
