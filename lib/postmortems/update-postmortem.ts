// Saving the document (optimistic concurrency: an edit names the version it started from, and one based
// on an older version is refused rather than silently overwriting someone else's), and moving it through
// review. A save keeps a revision with its author; publishing is announced in the incident's Slack thread.
import { eq } from "drizzle-orm";
import { incidents, postmortems, type PostmortemRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { type Ctx, inTransaction } from "../context";
import { conflict } from "../errors";
import { appendTimelineEvent } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { parseInput } from "../input";
import { canonicalMarkdown } from "./markdown-sections";
import { postmortemUrl, type PostmortemSettings, type PostmortemVerbArgs } from "./postmortem-settings";
import { assertEditable, planStatusMove, type PostmortemStatus } from "./postmortem-status";
import { findPostmortem, saveRevision, toPostmortemDto } from "./postmortem-store";
import { zonedToday } from "./postmortem-time";
import { UpdatePostmortemInput, type Postmortem } from "./schemas";

export async function updatePostmortem({
  ctx,
  input,
  settings,
}: PostmortemVerbArgs<UpdatePostmortemInput>): Promise<Postmortem> {
  authorize(ctx.actor, "postmortem.edit");
  const data = parseInput(UpdatePostmortemInput, input);
  return inTransaction(ctx, async (txCtx) => {
    let row = await findPostmortem(txCtx.db, data.id, { lock: true });
    if (data.markdown !== undefined) row = await saveMarkdown(txCtx, row, data.markdown, data.version!);
    if (data.status !== undefined && data.status !== row.status)
      row = await moveStatus(txCtx, row, data.status, settings);
    return toPostmortemDto(txCtx.db, row, zonedToday(ctx.now, settings.timeZone));
  });
}

async function saveMarkdown(ctx: Ctx, row: PostmortemRow, markdown: string, basedOn: number): Promise<PostmortemRow> {
  assertEditable(row.status);
  if (basedOn !== row.version) {
    throw conflict(
      `The postmortem changed since you opened it (it is at version ${row.version}, your edit is based on ${basedOn}): reload it and apply your edit again`,
    );
  }
  // Stored the way sections write it back, so regeneration compares like with like.
  const text = canonicalMarkdown(markdown);
  if (text === row.markdown) return row;
  const [saved] = await ctx.db
    .update(postmortems)
    .set({ markdown: text, version: row.version + 1, updatedAt: ctx.now, updatedByName: ctx.actor.name })
    .where(eq(postmortems.id, row.id))
    .returning();
  if (!saved) throw new Error(`postmortem ${row.id} vanished while locked`);
  await saveRevision(ctx, saved);
  await recordAudit(ctx, {
    action: "postmortem.edit",
    resourceType: "postmortem",
    resourceId: row.id,
    details: { version: saved.version },
  });
  return saved;
}

async function moveStatus(
  ctx: Ctx,
  row: PostmortemRow,
  to: PostmortemStatus,
  settings: PostmortemSettings,
): Promise<PostmortemRow> {
  const { permission } = planStatusMove(row.status, to);
  authorize(ctx.actor, permission);
  const [moved] = await ctx.db
    .update(postmortems)
    .set({
      status: to,
      publishedAt: to === "published" ? ctx.now : null,
      updatedAt: ctx.now,
      updatedByName: ctx.actor.name,
    })
    .where(eq(postmortems.id, row.id))
    .returning();
  if (!moved) throw new Error(`postmortem ${row.id} vanished while locked`);
  const [incident] = await ctx.db
    .select({ number: incidents.number })
    .from(incidents)
    .where(eq(incidents.id, row.incidentId));
  const ref = incident ? formatIncidentRef(incident.number) : "the incident";
  const event =
    to === "published"
      ? {
          kind: "postmortem_published",
          text: `Postmortem for ${ref} published by ${ctx.actor.name}: ${postmortemUrl(settings, row.id)}`,
        }
      : {
          kind: "postmortem_status_changed",
          text: `Postmortem for ${ref} moved from ${row.status.replace("_", " ")} to ${to.replace("_", " ")} by ${ctx.actor.name}`,
        };
  await appendTimelineEvent(ctx, row.incidentId, {
    ...event,
    data: { postmortem_id: row.id, from: row.status, to },
  });
  await recordAudit(ctx, {
    action: to === "published" ? "postmortem.publish" : "postmortem.set_status",
    resourceType: "postmortem",
    resourceId: row.id,
    details: { ref, from: row.status, to },
  });
  return moved;
}
