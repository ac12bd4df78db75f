// The delivery log of one incident, as the incident page and the API show it.
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { notifications, type NotificationRow } from "@/db/schema";
import type { VerbArgs } from "../context";
import { readIncidentChildren } from "../incidents/read-incident-children";
import { shownTarget } from "./deliver-notification";

export const Notification = z.object({
  id: z.uuid(),
  channel: z.enum(["pagerduty", "slack", "email", "sms"]),
  target: z.string().describe("Where it went; PagerDuty routing keys are never shown"),
  purpose: z.enum(["open", "update", "fallback"]),
  rule: z.string().nullable(),
  status: z.enum(["pending", "sending", "sent", "failed"]),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  last_error: z.string().nullable(),
  external_id: z.string().nullable(),
  created_at: z.iso.datetime(),
  sent_at: z.iso.datetime().nullable(),
});
export type Notification = z.infer<typeof Notification>;

const toDto = (n: NotificationRow): Notification => ({
  id: n.id,
  channel: n.channel,
  target: shownTarget(n),
  purpose: n.purpose as Notification["purpose"],
  rule: n.rule,
  status: n.status,
  attempts: n.attempts,
  max_attempts: n.maxAttempts,
  last_error: n.lastError,
  external_id: n.channel === "pagerduty" ? null : n.externalId,
  created_at: n.createdAt.toISOString(),
  sent_at: n.sentAt?.toISOString() ?? null,
});

export function listIncidentNotifications(args: VerbArgs<{ ref: string }>): Promise<Notification[]> {
  const { db } = args.ctx;
  return readIncidentChildren(args, async (incidentId) =>
    (
      await db
        .select()
        .from(notifications)
        .where(eq(notifications.incidentId, incidentId))
        .orderBy(asc(notifications.createdAt))
    ).map(toDto),
  );
}
