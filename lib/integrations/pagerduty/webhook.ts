// PagerDuty webhooks (V3) in: verify the signature on the raw body, process each delivery once (by its
// X-Webhook-Id, and each event once by its signed id), and turn incident events into the same verbs
// people use, acting as the PagerDuty user.
// Our incident is found by `incident_key`, which PagerDuty sets to the dedup_key we triggered with (our
// incident id); the PagerDuty incident id learnt there (from incident.triggered, or the first event that
// names it) finds the incident for events without a key. A PagerDuty incident Vigil did not trigger
// (Alertmanager's direct pages about Vigil itself, another integration of the service) is not ours.
import { createHmac, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { incidents, users, webhookDeliveries } from "@/db/schema";
import { inTransaction, type Actor, type Ctx } from "../../context";
import { AppError, isAppError } from "../../errors";
import { acknowledgeIncident } from "../../incidents/acknowledge-incident";
import { addTimelineEvent } from "../../incidents/add-timeline-event";
import { linkPagerDutyIncident } from "../../incidents/link-pagerduty-incident";
import { resolveIncident } from "../../incidents/resolve-incident";
import { NOTE_MAX_LENGTH } from "../../incidents/schemas";
import { updateIncident } from "../../incidents/update-incident";
import { parseJsonText } from "../../http/request";
import { parseInput } from "../../input";

/** `v1=<hex>[,v1=<hex>…]`: one signature per active secret; any match will do. */
export function verifyPagerDutySignature(rawBody: string, header: string | null, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return header
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.startsWith("v1="))
    .some((part) => {
      const given = Buffer.from(part.slice(3), "hex");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

const Reference = z.looseObject({
  id: z.string().optional(),
  summary: z.string().optional(),
  email: z.string().optional(),
});

const WebhookBody = z.looseObject({
  event: z.looseObject({
    id: z.string(),
    event_type: z.string(),
    resource_type: z.string().optional(),
    occurred_at: z.string().optional(),
    agent: Reference.nullish(),
    data: z.looseObject({
      id: z.string().optional(),
      incident_key: z.string().nullish(),
      content: z.string().optional(),
      incident: Reference.optional(),
      html_url: z.string().optional(),
      assignees: z.array(Reference).optional(),
    }),
  }),
});

export type PagerDutyWebhookResult = {
  outcome: "duplicate" | "ignored" | "applied" | "unknown_incident";
  event_type: string;
  incident?: string;
};

export async function handlePagerDutyWebhook(args: {
  ctx: Omit<Ctx, "actor"> & { ip: string | null };
  rawBody: string;
  signature: string | null;
  deliveryId: string | null;
  secret: string;
}): Promise<PagerDutyWebhookResult> {
  const { ctx, rawBody, signature, secret } = args;
  if (!verifyPagerDutySignature(rawBody, signature, secret))
    throw new AppError("unauthenticated", "The X-PagerDuty-Signature does not match this body");
  const { event } = parseInput(WebhookBody, parseJsonText(rawBody, { replaceNul: true }), "PagerDuty webhook");
  const deliveryId = args.deliveryId ?? event.id;
  const actor: Actor = {
    type: "webhook",
    source: "pagerduty",
    name: `${event.agent?.summary ?? "Someone"} (PagerDuty)`,
    role: "responder",
    ip: ctx.ip,
  };

  return inTransaction({ db: ctx.db, actor, now: ctx.now }, async (txCtx) => {
    // The delivery id is a header the signature does not cover, and V3 signs no timestamp: a body seen
    // once, re-sent under a new X-Webhook-Id, must not act again. So the signed event id counts too.
    const fresh = await txCtx.db
      .insert(webhookDeliveries)
      .values([
        { source: "pagerduty", deliveryId, receivedAt: ctx.now },
        { source: "pagerduty-event", deliveryId: event.id, receivedAt: ctx.now },
      ])
      .onConflictDoNothing()
      .returning();
    if (fresh.length < 2) return { outcome: "duplicate", event_type: event.event_type };

    const pagerdutyId = event.data.incident?.id ?? (event.resource_type === "incident" ? event.data.id : undefined);
    const [incident] = event.data.incident_key
      ? await txCtx.db
          .select()
          .from(incidents)
          .where(eq(incidents.id, uuidOr(event.data.incident_key)))
      : pagerdutyId
        ? await txCtx.db.select().from(incidents).where(eq(incidents.pagerdutyIncidentId, pagerdutyId))
        : [];
    if (!incident) {
      // Triggered for someone else's dedup key: nothing of ours to record, and nothing wrong either.
      return {
        outcome: event.event_type === "incident.triggered" ? "ignored" : "unknown_incident",
        event_type: event.event_type,
      };
    }

    // The first event that names the PagerDuty incident links it (deliveries may come out of order);
    // incident.triggered also replaces an older link: PagerDuty opened a new incident for our key.
    const linked =
      pagerdutyId &&
      event.resource_type === "incident" &&
      (event.event_type === "incident.triggered" || !incident.pagerdutyIncidentId)
        ? (
            await linkPagerDutyIncident({
              ctx: txCtx,
              input: {
                ref: incident.id,
                pagerduty_incident_id: pagerdutyId,
                html_url: httpUrlOrUndefined(event.data.html_url),
              },
            })
          ).changed
        : false;

    const ref = incident.id;
    switch (event.event_type) {
      case "incident.triggered":
        return { outcome: linked ? "applied" : "ignored", event_type: event.event_type, incident: ref };
      case "incident.acknowledged":
        if (incident.status === "resolved") return { outcome: "ignored", event_type: event.event_type, incident: ref };
        await acknowledgeIncident({ ctx: txCtx, input: { ref } });
        break;
      case "incident.resolved":
        // Resolved here first (by a person or its alerts), PagerDuty's echo has nothing to add: also when
        // that happened just after the read above (the verb then refuses to replace the note).
        if (incident.status === "resolved") return { outcome: "ignored", event_type: event.event_type, incident: ref };
        try {
          await resolveIncident({ ctx: txCtx, input: { ref, resolution_note: "Resolved in PagerDuty" } });
        } catch (error) {
          if (isAppError(error) && error.code === "conflict")
            return { outcome: "ignored", event_type: event.event_type, incident: ref };
          throw error;
        }
        break;
      case "incident.reassigned": {
        const assignee = event.data.assignees?.[0];
        const owner = assignee ? await vigilUserFor(txCtx.db, assignee) : null;
        if (owner) await updateIncident({ ctx: txCtx, input: { ref, owner } });
        else
          await addTimelineEvent({
            ctx: txCtx,
            input: { ref, text: `Reassigned in PagerDuty to ${clip(assignee?.summary ?? "someone", 200)}` },
          });
        break;
      }
      case "incident.annotated":
        // A note longer than a timeline note may be is cut, not refused: refusing would fail every
        // retry of the delivery and lose the note.
        await addTimelineEvent({
          ctx: txCtx,
          input: { ref, text: clip(`PagerDuty note: ${event.data.content ?? ""}`.trim(), NOTE_MAX_LENGTH) },
        });
        break;
      default:
        return { outcome: "ignored", event_type: event.event_type, incident: ref };
    }
    return { outcome: "applied", event_type: event.event_type, incident: ref };
  });
}

/**
 * The Vigil user a PagerDuty assignee is: by email when the payload carries one, else by name (PagerDuty's
 * V3 webhooks name assignees by `summary`, usually without an email) when exactly one user has that
 * name. Null when no user, or more than one, fits.
 */
async function vigilUserFor(db: DbOrTx, assignee: z.infer<typeof Reference>): Promise<string | null> {
  if (assignee.email) {
    const [byEmail] = await db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${assignee.email})`);
    if (byEmail) return byEmail.id;
  }
  if (!assignee.summary?.trim()) return null;
  const byName = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.name}) = lower(${assignee.summary.trim()})`)
    .limit(2);
  return byName.length === 1 ? byName[0]!.id : null;
}

/** PagerDuty's link to its incident page, when it is one: it only decorates the timeline, so an odd one is dropped, not refused. */
const httpUrlOrUndefined = (url: string | undefined) =>
  url && /^https?:\/\/\S+$/.test(url) && url.length <= 2048 ? url : undefined;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A key that is not one of our ids matches nothing (and must not reach PostgreSQL as a bad uuid). */
const uuidOr = (key: string) => (uuidPattern.test(key) ? key : "00000000-0000-0000-0000-000000000000");
