// Records which PagerDuty incident pages for a Vigil incident. PagerDuty makes it when Vigil triggers
// with the incident's id as dedup key, and names it only in its webhooks: the id finds the incident for
// the events that carry no incident_key (notes), and the timeline says where the page is.
import { z } from "zod";
import { authorize } from "../auth/permissions";
import { type VerbArgs, inTransaction } from "../context";
import { parseInput } from "../input";
import { findIncident } from "./incident-store";
import { recordIncidentChange } from "./record-incident-change";
import { IncidentRefInput } from "./schemas";

export const LinkPagerDutyIncidentInput = IncidentRefInput.extend({
  pagerduty_incident_id: z.string().trim().min(1).max(255),
  /** The incident's page in PagerDuty, when the webhook gave it. */
  html_url: z
    .string()
    .max(2048)
    .regex(/^https?:\/\/\S+$/)
    .optional(),
});
export type LinkPagerDutyIncidentInput = z.input<typeof LinkPagerDutyIncidentInput>;

/**
 * Links the PagerDuty incident, or replaces the link when PagerDuty opened a new incident for the same
 * dedup key (Vigil triggers again on reopen, after the first was resolved). Linking the same id again
 * changes nothing.
 */
export async function linkPagerDutyIncident({
  ctx,
  input,
}: VerbArgs<LinkPagerDutyIncidentInput>): Promise<{ changed: boolean }> {
  authorize(ctx.actor, "incident.update");
  const data = parseInput(LinkPagerDutyIncidentInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const row = await findIncident(txCtx.db, data.ref, { lock: true });
    const previous = row.pagerdutyIncidentId;
    if (previous === data.pagerduty_incident_id) return { changed: false };
    const where = data.html_url ? ` (${data.html_url})` : "";
    const text = previous
      ? `PagerDuty incident ${data.pagerduty_incident_id}${where} replaces ${previous}`
      : `Paging in PagerDuty incident ${data.pagerduty_incident_id}${where}`;
    const details = { pagerduty_incident_id: data.pagerduty_incident_id, previous, html_url: data.html_url ?? null };
    await recordIncidentChange(txCtx, row, {
      patch: { pagerdutyIncidentId: data.pagerduty_incident_id },
      event: { kind: "pagerduty_linked", text, data: details },
      audit: { action: "incident.link_pagerduty", details },
    });
    return { changed: true };
  });
}
