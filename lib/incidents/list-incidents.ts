// The incident list behind the board, the history page and GET /api/v1/incidents. Two orders: `newest`
// (by number, descending) and `severity` (most severe first, then oldest first — the board's order).
// Keyset pagination: a page boundary is a position in that order (the number, or severity and number),
// so incidents opened while someone pages through never shift what the next page holds.
import { and, count, eq, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { incidents, users } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { invalid } from "../errors";
import { parseInput } from "../input";
import type { IncidentReadCache } from "./incident-read-cache";
import { readIncidentAnswers, selectIncidentAnswerJson, selectIncidentAnswers } from "./incident-answer";
import { MAX_INCIDENT_NUMBER, parseIncidentRef } from "./ref";
import { ListIncidentsInput, severities, type IncidentList, type Severity } from "./schemas";

export async function listIncidents({ ctx, input }: VerbArgs<ListIncidentsInput>): Promise<IncidentList> {
  const page = pageOf(readFilters(ctx, input));
  const rows = await readIncidentAnswers(
    ctx.db,
    sql`${selectIncidentAnswers}${page.where} order by ${page.order} limit ${page.limit + 1}`,
  );
  const more = rows.length > page.limit;
  if (more) rows.length = page.limit;
  const last = rows.at(-1);
  return {
    data: rows,
    next_cursor: more && last ? encodeCursor(last.number, page.bySeverity ? last.severity : undefined) : null,
  };
}

/**
 * The same page as `listIncidents`, as the JSON text of the API's answer: PostgreSQL writes the incidents'
 * JSON and the process passes it on without parsing a row or building an object (GET /api/v1/incidents,
 * the hottest read: bench/README.md, "Issue 22, goal 1"). With `cache`, a page asked for again is answered
 * from the process's recent answers until an incident changes (lib/incidents/incident-read-cache.ts).
 */
export async function listIncidentsJson(
  { ctx, input }: VerbArgs<ListIncidentsInput>,
  cache?: IncidentReadCache,
): Promise<string> {
  const filters = readFilters(ctx, input);
  const read = () => readPageJson(ctx.db, filters);
  return cache ? cache.get(`list ${JSON.stringify(filters)}`, read) : read();
}

async function readPageJson(db: DbOrTx, filters: ListFilters): Promise<string> {
  const page = pageOf(filters);
  // The page's order again, over its own columns: the page shows the first `limit` rows, and the last of
  // them makes the cursor when there is one more.
  const pageOrder = sql.raw(page.bySeverity ? "severity asc, number asc" : "number desc");
  const [found] = await db.execute<{
    data: string | null;
    rows: number;
    number: number | null;
    severity: Severity | null;
  }>(
    sql`${selectIncidentAnswerJson}${page.where} order by ${page.order} limit ${page.limit + 1}),
        shown as (select * from page order by ${pageOrder} limit ${page.limit})
        select (select json_agg(shown order by ${pageOrder}) from shown)::text as data,
               (select count(*)::int from page) as rows,
               (select number from shown order by ${pageOrder} offset ${page.limit - 1} limit 1) as number,
               (select severity::text from shown order by ${pageOrder} offset ${page.limit - 1} limit 1) as severity`,
  );
  const more = (found?.rows ?? 0) > page.limit;
  const cursor =
    more && found?.number
      ? encodeCursor(found.number, page.bySeverity ? (found.severity ?? undefined) : undefined)
      : null;
  return `{"data":${found?.data ?? "[]"},"next_cursor":${JSON.stringify(cursor)}}`;
}

type ListFilters = z.output<typeof ListIncidentsInput>;

/** The caller's right to read incidents, and the query's filters as parsed (defaults filled in). */
function readFilters(ctx: VerbArgs<unknown>["ctx"], input: VerbArgs<ListIncidentsInput>["input"]): ListFilters {
  authorize(ctx.actor, "incident.read");
  return parseInput(ListIncidentsInput, input, "query");
}

/** A page's filters, order and size. */
function pageOf(filters: ListFilters) {
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
  return { where, order, limit: filters.limit, bySeverity };
}

/** How many incidents match the filters, per severity (the severity filter itself is left out). */
export async function countIncidentsBySeverity({
  ctx,
  input,
}: VerbArgs<ListIncidentsInput>): Promise<Record<Severity, number>> {
  return countBySeverity(ctx.db, readFilters(ctx, input));
}

/** The same counts as the API's JSON answer, through the process's recent answers as the list's pages. */
export async function countIncidentsBySeverityJson(
  { ctx, input }: VerbArgs<ListIncidentsInput>,
  cache?: IncidentReadCache,
): Promise<string> {
  const filters = { ...readFilters(ctx, input), severity: undefined };
  const read = async () => JSON.stringify(await countBySeverity(ctx.db, filters));
  return cache ? cache.get(`counts ${JSON.stringify(filters)}`, read) : read();
}

async function countBySeverity(db: DbOrTx, filters: ListFilters): Promise<Record<Severity, number>> {
  const rows = await db
    .select({ severity: incidents.severity, n: count() })
    .from(incidents)
    .where(and(...filterConditions({ ...filters, severity: undefined })))
    .groupBy(incidents.severity);
  return Object.fromEntries(severities.map((s) => [s, rows.find((r) => r.severity === s)?.n ?? 0])) as Record<
    Severity,
    number
  >;
}

function filterConditions(filters: ListFilters): SQL[] {
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
