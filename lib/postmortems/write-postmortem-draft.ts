// Writes an incident's postmortem from its record: the first time, a new draft (announced on the
// incident's timeline, and so in its Slack thread); after that, a regeneration merged into what people
// wrote (see merge-regenerated.ts). A published postmortem is the record and is left alone.
import { eq, sql } from "drizzle-orm";
import { postmortems, type IncidentRow, type PostmortemRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import type { Ctx } from "../context";
import { appendTimelineEvent } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { loadPostmortemFacts } from "./load-postmortem-facts";
import { canonicalMarkdown } from "./markdown-sections";
import { mergeRegenerated } from "./merge-regenerated";
import { postmortemUrl, type PostmortemSettings } from "./postmortem-settings";
import { renderPostmortem } from "./render-postmortem";
import { saveRevision } from "./postmortem-store";
import { advisoryLocks } from "@/db/advisory-locks";

export type DraftOutcome = "created" | "refreshed" | "unchanged" | "published";

/** `ctx.db` is the caller's transaction. */
export async function writePostmortemDraft(
  ctx: Ctx,
  incident: IncidentRow,
  settings: PostmortemSettings,
): Promise<{ row: PostmortemRow; outcome: DraftOutcome }> {
  const tx = ctx.db;
  // One writer per incident at a time: the resolve job and someone pressing "regenerate" cannot interleave.
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${incident.id}, ${advisoryLocks.postmortemDraft}))`,
  );
  const generated = renderPostmortem(await loadPostmortemFacts(tx, incident, settings.serviceLabel), {
    timeZone: settings.timeZone,
  });
  const ref = formatIncidentRef(incident.number);
  const [existing] = await tx.select().from(postmortems).where(eq(postmortems.incidentId, incident.id)).for("update");

  if (!existing) {
    const [row] = await tx
      .insert(postmortems)
      .values({
        incidentId: incident.id,
        markdown: generated,
        generatedMarkdown: generated,
        generatedAt: ctx.now,
        version: 1,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        updatedByName: ctx.actor.name,
      })
      .returning();
    if (!row) throw new Error("insert returned no postmortem");
    await saveRevision(ctx, row);
    await appendTimelineEvent(ctx, incident.id, {
      kind: "postmortem_drafted",
      text: `Postmortem draft for ${ref} is ready: ${postmortemUrl(settings, row.id)}`,
      data: { postmortem_id: row.id },
    });
    await recordAudit(ctx, {
      action: "postmortem.create",
      resourceType: "postmortem",
      resourceId: row.id,
      details: { ref, incident_id: incident.id },
    });
    return { row, outcome: "created" };
  }

  if (existing.status === "published") return { row: existing, outcome: "published" };
  const merged = mergeRegenerated(existing.markdown, existing.generatedMarkdown, generated);
  const markdownChanged = merged !== canonicalMarkdown(existing.markdown);
  if (!markdownChanged && generated === existing.generatedMarkdown) return { row: existing, outcome: "unchanged" };

  // The new generation is remembered even when every section was edited: the next merge compares with it.
  const [row] = await tx
    .update(postmortems)
    .set({
      generatedMarkdown: generated,
      generatedAt: ctx.now,
      ...(markdownChanged
        ? { markdown: merged, version: existing.version + 1, updatedAt: ctx.now, updatedByName: ctx.actor.name }
        : {}),
    })
    .where(eq(postmortems.id, existing.id))
    .returning();
  if (!row) throw new Error(`postmortem ${existing.id} vanished while locked`);
  if (markdownChanged) await saveRevision(ctx, row);
  await appendTimelineEvent(ctx, incident.id, {
    kind: "postmortem_regenerated",
    text: `Postmortem for ${ref} refreshed from the incident's record${markdownChanged ? "" : " (every generated section had been edited: nothing replaced)"}`,
    data: { postmortem_id: row.id, version: row.version },
  });
  await recordAudit(ctx, {
    action: "postmortem.regenerate",
    resourceType: "postmortem",
    resourceId: row.id,
    details: { ref, version: row.version, changed: markdownChanged },
  });
  return { row, outcome: "refreshed" };
}
