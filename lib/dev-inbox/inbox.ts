// The dev inbox's store: what the loopback vendors (Twilio and Slack look-alikes, the SMTP receiver of
// `npm start`) received, newest first, for the /dev/inbox page.
import { desc } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { devInboxMessages, type DevInboxMessageRow } from "@/db/schema";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";

export const devInboxChannels = ["email", "sms", "voice", "slack"] as const;
export type DevInboxChannel = (typeof devInboxChannels)[number];

export interface ReceivedMessage {
  channel: DevInboxChannel;
  recipient: string;
  subject?: string | null;
  body: string;
  raw: Record<string, unknown>;
  receivedAt?: Date;
}

export const DevInboxMessage = z.object({
  id: z.uuid(),
  channel: z.enum(devInboxChannels),
  recipient: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  /** INC-<n> when the message names an incident. */
  incident_ref: z.string().nullable(),
  received_at: z.string(),
});
export type DevInboxMessage = z.infer<typeof DevInboxMessage>;

/** The first INC-<n> a message names (Vigil's messages name their incident), if any. */
export function incidentNumberIn(...texts: (string | null | undefined)[]): number | null {
  for (const text of texts) {
    const match = /\bINC-(\d{1,9})\b/.exec(text ?? "");
    if (match) return Number(match[1]);
  }
  return null;
}

export async function recordDevInboxMessage(db: DbOrTx, message: ReceivedMessage): Promise<DevInboxMessageRow> {
  const [row] = await db
    .insert(devInboxMessages)
    .values({
      channel: message.channel,
      recipient: message.recipient,
      subject: message.subject ?? null,
      body: message.body,
      incidentNumber: incidentNumberIn(message.subject, message.body),
      raw: message.raw,
      receivedAt: message.receivedAt ?? new Date(),
    })
    .returning();
  return row!;
}

const ListInput = z.object({ limit: z.number().int().min(1).max(500).default(200) });

const toDto = (row: DevInboxMessageRow): DevInboxMessage => ({
  id: row.id,
  channel: row.channel,
  recipient: row.recipient,
  subject: row.subject,
  body: row.body,
  incident_ref: row.incidentNumber === null ? null : `INC-${row.incidentNumber}`,
  received_at: row.receivedAt.toISOString(),
});

/** Newest first. Anyone who may read incidents may read what was sent about them. */
export async function listDevInboxMessages({
  ctx,
  input = {},
}: VerbArgs<z.input<typeof ListInput>>): Promise<DevInboxMessage[]> {
  authorize(ctx.actor, "incident.read");
  const { limit } = parseInput(ListInput, input);
  const rows = await ctx.db
    .select()
    .from(devInboxMessages)
    .orderBy(desc(devInboxMessages.receivedAt), desc(devInboxMessages.id))
    .limit(limit);
  return rows.map(toDto);
}
