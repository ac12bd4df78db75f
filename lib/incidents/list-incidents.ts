// The incident list behind the board, the history page and GET /api/v1/incidents. Keyset pagination on
// the incident number (newest first): a page boundary is a number, so incidents opened while someone
// pages through never shift what the next page holds — nothing is skipped or shown twice.
import { and, desc, eq, gte, ilike, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { incidents, users } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { invalid } from "../errors";
import { parseInput } from "../input";
import { toIncidentDto } from "./incident-dto";
import { parseIncidentRef } from "./ref";
import { ListIncidentsInput, type IncidentList } from "./schemas";

export async function listIncidents({ ctx, input }: VerbArgs<ListIncidentsInput>): Promise<IncidentList> {
  authorize(ctx.actor, "incident.read");
  const filters = parseInput(ListIncidentsInput, input, "query");
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
  if (filters.created_before) conditions.push(lte(incidents.createdAt, new Date(filters.created_before)));
  if (filters.cursor) conditions.push(lt(incidents.number, decodeCursor(filters.cursor)));

  const rows = await ctx.db
    .select({ incident: incidents, owner: { id: users.id, name: users.name, email: users.email } })
    .from(incidents)
    .leftJoin(users, eq(users.id, incidents.ownerId))
    .where(and(...conditions))
    .orderBy(desc(incidents.number))
    .limit(filters.limit + 1);

  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => toIncidentDto(r.incident, r.owner)),
    next_cursor: rows.length > filters.limit && last ? encodeCursor(last.incident.number) : null,
  };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function encodeCursor(number: number): string {
  return Buffer.from(JSON.stringify({ n: number })).toString("base64url");
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString()) as { n?: unknown };
    if (typeof parsed.n === "number" && Number.isInteger(parsed.n) && parsed.n > 0) return parsed.n;
  } catch {
    // fall through to the error below
  }
  throw invalid("The cursor is not one this API returned", [{ path: "cursor", message: "unrecognised cursor" }]);
}
