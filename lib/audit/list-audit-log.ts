// Reading the audit log: filters by actor, action, resource and time; newest first, keyset-paginated
// on the row id. The CSV export walks the same query.
import { and, desc, eq, gte, ilike, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditLog, users, type AuditRow } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { invalid } from "../errors";
import { parseInput } from "../input";

export const AuditQuery = z.object({
  actor: z.string().trim().max(200).optional().describe("Part of the actor's name, their email address, or their id"),
  action: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe("Exact action (incident.resolve) or a prefix ending in a dot (incident.)"),
  resource_type: z.string().trim().max(50).optional(),
  resource_id: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(40).optional(),
});
export type AuditQuery = z.input<typeof AuditQuery>;

export interface AuditEntry {
  id: number;
  timestamp: string;
  actor: { type: string; id: string | null; name: string; user_id: string | null };
  action: string;
  resource_type: string;
  resource_id: string | null;
  details: Record<string, unknown>;
  ip_address: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  timestamp: r.timestamp.toISOString(),
  actor: { type: r.actorType, id: r.actorId, name: r.actorName, user_id: r.userId },
  action: r.action,
  resource_type: r.resourceType,
  resource_id: r.resourceId,
  details: r.details,
  ip_address: r.ipAddress,
});

export async function listAuditLog({
  ctx,
  input,
}: VerbArgs<AuditQuery>): Promise<{ data: AuditEntry[]; next_cursor: string | null }> {
  authorize(ctx.actor, "audit.read");
  const q = parseInput(AuditQuery, input, "query");
  const conditions: SQL[] = [];
  if (q.actor) {
    const byEmail = ctx.db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${q.actor})`);
    conditions.push(
      or(
        ilike(auditLog.actorName, `%${q.actor.replace(/[\\%_]/g, "\\$&")}%`),
        eq(auditLog.actorId, q.actor),
        inArray(auditLog.userId, byEmail),
      ) as SQL,
    );
  }
  if (q.action)
    conditions.push(
      q.action.endsWith(".")
        ? ilike(auditLog.action, `${q.action.replace(/[\\%_]/g, "\\$&")}%`)
        : eq(auditLog.action, q.action),
    );
  if (q.resource_type) conditions.push(eq(auditLog.resourceType, q.resource_type));
  if (q.resource_id) conditions.push(eq(auditLog.resourceId, q.resource_id));
  if (q.from) conditions.push(gte(auditLog.timestamp, new Date(q.from)));
  if (q.to) conditions.push(lte(auditLog.timestamp, new Date(q.to)));
  if (q.cursor) {
    // Audit ids are bigints; 15 digits stay exact as a JavaScript number.
    if (!/^\d{1,15}$/.test(q.cursor))
      throw invalid("The cursor is not one this API returned", [{ path: "cursor", message: "unrecognised cursor" }]);
    conditions.push(lt(auditLog.id, Number(q.cursor)));
  }
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { data: page.map(toEntry), next_cursor: rows.length > q.limit ? String(page.at(-1)!.id) : null };
}
