// Reading postmortems: the list (newest first, with their action items counted), one postmortem with
// its action items and revisions, an incident's postmortem, and the export as markdown.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { actionItems, postmortems } from "@/db/schema";
import { authorize } from "../auth/permissions";
import { notFound } from "../errors";
import { findIncident } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { IncidentRefInput } from "../incidents/schemas";
import { parseInput } from "../input";
import { composePostmortemExport } from "./compose-export";
import type { PostmortemVerbArgs } from "./postmortem-settings";
import { findPostmortem, loadActionItems, toPostmortemDto, toPostmortemSummaries } from "./postmortem-store";
import { zonedToday } from "./postmortem-time";
import {
  ListPostmortemsQuery,
  PostmortemIdInput,
  type ActionItem,
  type Postmortem,
  type PostmortemSummary,
} from "./schemas";

export async function listPostmortems({
  ctx,
  input,
  settings,
}: PostmortemVerbArgs<ListPostmortemsQuery>): Promise<PostmortemSummary[]> {
  authorize(ctx.actor, "postmortem.read");
  const { status, overdue, limit } = parseInput(ListPostmortemsQuery, input, "query");
  const today = zonedToday(ctx.now, settings.timeZone);
  const hasOverdue = sql`exists (select 1 from ${actionItems} where ${actionItems.postmortemId} = ${postmortems.id}
    and ${actionItems.status} <> 'done' and ${actionItems.dueDate} < ${today}::date)`;
  const rows = await ctx.db
    .select()
    .from(postmortems)
    .where(and(status?.length ? inArray(postmortems.status, status) : undefined, overdue ? hasOverdue : undefined))
    .orderBy(desc(postmortems.createdAt), desc(postmortems.id))
    .limit(limit);
  return toPostmortemSummaries(ctx.db, rows, today);
}

export async function getPostmortem({ ctx, input, settings }: PostmortemVerbArgs<{ id: string }>): Promise<Postmortem> {
  authorize(ctx.actor, "postmortem.read");
  const { id } = parseInput(PostmortemIdInput, input);
  return toPostmortemDto(ctx.db, await findPostmortem(ctx.db, id), zonedToday(ctx.now, settings.timeZone));
}

/** The postmortem of an incident (by UUID or INC-<n>); not found until one was drafted. */
export async function getIncidentPostmortem({
  ctx,
  input,
  settings,
}: PostmortemVerbArgs<{ ref: string }>): Promise<Postmortem> {
  authorize(ctx.actor, "postmortem.read");
  const { ref } = parseInput(IncidentRefInput, input);
  const incident = await findIncident(ctx.db, ref);
  const [row] = await ctx.db.select().from(postmortems).where(eq(postmortems.incidentId, incident.id));
  if (!row) throw notFound(`The postmortem of ${formatIncidentRef(incident.number)}`);
  return toPostmortemDto(ctx.db, row, zonedToday(ctx.now, settings.timeZone));
}

export async function listActionItems({
  ctx,
  input,
  settings,
}: PostmortemVerbArgs<{ id: string }>): Promise<ActionItem[]> {
  authorize(ctx.actor, "postmortem.read");
  const { id } = parseInput(PostmortemIdInput, input);
  const row = await findPostmortem(ctx.db, id);
  return loadActionItems(ctx.db, row.id, zonedToday(ctx.now, settings.timeZone));
}

/** The document with its action items listed in it, and a file name for the download. */
export async function exportPostmortem(
  args: PostmortemVerbArgs<{ id: string }>,
): Promise<{ fileName: string; markdown: string }> {
  const postmortem = await getPostmortem(args);
  const markdown = composePostmortemExport(postmortem.markdown, postmortem.action_items);
  return { fileName: `postmortem-${postmortem.incident.ref}.md`, markdown };
}
