// Reads and writes the postmortem verbs share: find (optionally locked), save a revision, and build the
// postmortem and its action items as the API shows them.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  actionItems,
  incidents,
  postmortemRevisions,
  postmortems,
  users,
  type ActionItemRow,
  type PostmortemRow,
} from "@/db/schema";
import { describeActor, type Ctx } from "../context";
import { notFound } from "../errors";
import { formatIncidentRef } from "../incidents/ref";
import type { ActionItem, Postmortem, PostmortemSummary, TicketState } from "./schemas";

export async function findPostmortem(db: DbOrTx, id: string, options: { lock?: boolean } = {}): Promise<PostmortemRow> {
  const query = db.select().from(postmortems).where(eq(postmortems.id, id));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound(`Postmortem ${id}`);
  return row;
}

export async function findActionItem(
  db: DbOrTx,
  postmortemId: string,
  itemId: string,
  options: { lock?: boolean } = {},
): Promise<ActionItemRow> {
  const query = db
    .select()
    .from(actionItems)
    .where(and(eq(actionItems.id, itemId), eq(actionItems.postmortemId, postmortemId)));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound(`Action item ${itemId}`);
  return row;
}

/** Every saved version is kept with who saved it: the history the page shows. */
export async function saveRevision(ctx: Ctx, row: Pick<PostmortemRow, "id" | "version" | "markdown">): Promise<void> {
  const who = describeActor(ctx.actor);
  await ctx.db.insert(postmortemRevisions).values({
    postmortemId: row.id,
    version: row.version,
    markdown: row.markdown,
    authorType: who.type,
    authorId: who.id,
    authorName: who.name,
    createdAt: ctx.now,
  });
}

/** Derived from the row: a requested ticket has its tracker set, then either a key or the tracker's error. */
export function ticketStateOf(row: Pick<ActionItemRow, "tracker" | "externalKey" | "lastError">): TicketState {
  if (row.externalKey) return "created";
  if (row.lastError) return "failed";
  return row.tracker ? "pending" : "none";
}

type Owner = { id: string; name: string; email: string };

export function toActionItemDto(row: ActionItemRow, owner: Owner | null, today: string): ActionItem {
  return {
    id: row.id,
    postmortem_id: row.postmortemId,
    title: row.title,
    owner,
    due_date: row.dueDate,
    status: row.status,
    overdue: row.status !== "done" && row.dueDate !== null && row.dueDate < today,
    ticket: {
      state: ticketStateOf(row),
      tracker: row.tracker === "jira" || row.tracker === "github" ? row.tracker : null,
      key: row.externalKey,
      url: row.externalUrl,
      error: row.lastError,
    },
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export async function loadActionItems(db: DbOrTx, postmortemId: string, today: string): Promise<ActionItem[]> {
  const rows = await db
    .select({ item: actionItems, owner: { id: users.id, name: users.name, email: users.email } })
    .from(actionItems)
    .leftJoin(users, eq(users.id, actionItems.ownerId))
    .where(eq(actionItems.postmortemId, postmortemId))
    .orderBy(asc(actionItems.createdAt), asc(actionItems.id));
  return rows.map((r) => toActionItemDto(r.item, r.owner, today));
}

export async function loadActionItem(db: DbOrTx, row: ActionItemRow, today: string): Promise<ActionItem> {
  const [owner] = row.ownerId
    ? await db
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(eq(users.id, row.ownerId))
    : [];
  return toActionItemDto(row, owner ?? null, today);
}

/** Summaries of these postmortems, their action items counted (open: not done; overdue: also past due). */
export async function toPostmortemSummaries(
  db: DbOrTx,
  rows: PostmortemRow[],
  today: string,
): Promise<PostmortemSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const incidentRows = await db
    .select({ id: incidents.id, number: incidents.number, title: incidents.title, severity: incidents.severity })
    .from(incidents)
    .where(
      inArray(
        incidents.id,
        rows.map((r) => r.incidentId),
      ),
    );
  const counts = await db
    .select({
      postmortemId: actionItems.postmortemId,
      total: sql<number>`count(*)::int`,
      open: sql<number>`count(*) filter (where ${actionItems.status} <> 'done')::int`,
      overdue: sql<number>`count(*) filter (where ${actionItems.status} <> 'done' and ${actionItems.dueDate} < ${today}::date)::int`,
    })
    .from(actionItems)
    .where(inArray(actionItems.postmortemId, ids))
    .groupBy(actionItems.postmortemId);
  return rows.map((row) => {
    const incident = incidentRows.find((i) => i.id === row.incidentId);
    if (!incident) throw new Error(`postmortem ${row.id} has no incident`);
    const c = counts.find((x) => x.postmortemId === row.id);
    return {
      id: row.id,
      incident: {
        id: incident.id,
        ref: formatIncidentRef(incident.number),
        title: incident.title,
        severity: incident.severity,
      },
      status: row.status,
      version: row.version,
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
      updated_by: row.updatedByName,
      published_at: row.publishedAt?.toISOString() ?? null,
      action_item_counts: { total: c?.total ?? 0, open: c?.open ?? 0, overdue: c?.overdue ?? 0 },
    };
  });
}

export async function toPostmortemDto(db: DbOrTx, row: PostmortemRow, today: string): Promise<Postmortem> {
  const [summary] = await toPostmortemSummaries(db, [row], today);
  const revisions = await db
    .select()
    .from(postmortemRevisions)
    .where(eq(postmortemRevisions.postmortemId, row.id))
    .orderBy(desc(postmortemRevisions.version));
  return {
    ...summary!,
    markdown: row.markdown,
    generated_at: row.generatedAt.toISOString(),
    action_items: await loadActionItems(db, row.id, today),
    revisions: revisions.map((r) => ({
      version: r.version,
      author: { type: r.authorType, id: r.authorId, name: r.authorName },
      created_at: r.createdAt.toISOString(),
    })),
  };
}
