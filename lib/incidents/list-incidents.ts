// The incident list behind the board, the history page and GET /api/v1/incidents. Two orders: `newest`
// (by number, descending) and `severity` (most severe first, then oldest first — the board's order).
// Keyset pagination: a page boundary is a position in that order (the number, or severity and number),
// so incidents opened while someone pages through never shift what the next page holds.
import { and, count, eq, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { incidents, users } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { invalid } from "../errors";
import { parseInput } from "../input";
import { readIncidentAnswers, selectIncidentAnswers } from "./incident-answer";
import { MAX_INCIDENT_NUMBER, parseIncidentRef } from "./ref";
import { ListIncidentsInput, severities, type IncidentList, type Severity } from "./schemas";

export async function listIncidents({ ctx, input }: VerbArgs<ListIncidentsInput>): Promise<IncidentList> {
  authorize(ctx.actor, "incident.read");
  const filters = parseInput(ListIncidentsInput, input, "query");
  const conditions = filterConditions(filters);
  const bySeverity = filters.sort === "severity";
  if (filters.cursor) {
    const cursor = decodeCursor(filters.cursor, bySeverity);
    conditions.push(
      cursor.severity
        ? sql`(${incidents.severity}, ${incidents.number}) > (${cursor.severity}::incident_severity, ${cursor.number})`
        : lt(incidents.number, cursor.number),
    );
  }

  const order = bySeverity ? sql`${incidents.severity} asc, ${incidents.number} asc` : sql`${incidents.number} desc`;
  const where = conditions.length ? sql` where ${and(...conditions)}` : sql``;
  const rows = await readIncidentAnswers(
    ctx.db,
    sql`${selectIncidentAnswers}${where} order by ${order} limit ${filters.limit + 1}`,
  );

  const more = rows.length > filters.limit;
  if (more) rows.length = filters.limit;
  const last = rows.at(-1);
  return {
    data: rows,
    next_cursor: more && last ? encodeCursor(last.number, bySeverity ? last.severity : undefined) : null,
  };
}

/** How many incidents match the filters, per severity (the severity filter itself is left out). */
export async function countIncidentsBySeverity({
  ctx,
  input,
}: VerbArgs<ListIncidentsInput>): Promise<Record<Severity, number>> {
  authorize(ctx.actor, "incident.read");
  const filters = parseInput(ListIncidentsInput, input, "query");
  const rows = await ctx.db
    .select({ severity: incidents.severity, n: count() })
    .from(incidents)
    .where(and(...filterConditions({ ...filters, severity: undefined })))
    .groupBy(incidents.severity);
  return Object.fromEntries(severities.map((s) => [s, rows.find((r) => r.severity === s)?.n ?? 0])) as Record<
    Severity,
    number
  >;
}

function filterConditions(filters: z.output<typeof ListIncidentsInput>): SQL[] {
  const conditions: SQL[] = [];
  if (filters.status?.length) conditions.push(inArray(incidents.status, filters.status));
  if (filters.severity?.length) conditions.push(inArray(incidents.severity, filters.severity));
  if (filters.service) conditions.push(eq(incidents.service, filters.service));
  if (filters.team) conditions.push(eq(incidents.team, filters.team));
  if (filters.owner) {
    conditions.push(
      sql`${incidents.ownerId} in (select ${users.id} from ${users} where ${users.id}::text = ${filters.owner} or lower(${users.email}) = lower(${filters.owner}))`,
    );
  }
  if (filters.q) {
    const byTitle = ilike(incidents.title, `%${escapeLike(filters.q)}%`);
    const ref = parseIncidentRef(filters.q);
    conditions.push(ref && "number" in ref ? (or(byTitle, eq(incidents.number, ref.number)) as SQL) : byTitle);
  }
  if (filters.created_after) conditions.push(gte(incidents.createdAt, new Date(filters.created_after)));
  if (filters.created_before) conditions.push(lt(incidents.createdAt, new Date(filters.created_before)));
  if (filters.counted !== undefined) conditions.push(eq(incidents.excludeFromMetrics, !filters.counted));
  return conditions;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function encodeCursor(number: number, severity?: Severity): string {
  return Buffer.from(JSON.stringify(severity ? { s: severity, n: number } : { n: number })).toString("base64url");
}

function decodeCursor(cursor: string, bySeverity: boolean): { number: number; severity?: Severity } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString()) as { n?: unknown; s?: unknown };
    const severityOk = bySeverity ? severities.includes(parsed.s as Severity) : parsed.s === undefined;
    if (
      typeof parsed.n === "number" &&
      Number.isInteger(parsed.n) &&
      parsed.n > 0 &&
      parsed.n <= MAX_INCIDENT_NUMBER &&
      severityOk
    ) {
      return { number: parsed.n, ...(bySeverity ? { severity: parsed.s as Severity } : {}) };
    }
  } catch {
    // fall through to the error below
  }
  throw invalid("The cursor is not one this API returned for this order", [
    { path: "cursor", message: "unrecognised cursor" },
  ]);
}
