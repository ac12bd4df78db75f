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

/** PostgreSQL keeps neither NUL nor a lone surrogate (in text or jsonb): whatever a sender sent is kept, those replaced. */
const storable = (text: string) =>
  (text as string & { toWellFormed(): string }).toWellFormed().replaceAll("\u0000", "\ufffd");
function storableValue(value: unknown): unknown {
  if (typeof value === "string") return storable(value);
  if (Array.isArray(value)) return value.map(storableValue);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storableValue(v)]));
  return value;
}

export async function recordDevInboxMessage(db: DbOrTx, message: ReceivedMessage): Promise<DevInboxMessageRow> {
  const subject = message.subject == null ? null : storable(message.subject);
  const body = storable(message.body);
  const [row] = await db
    .insert(devInboxMessages)
    .values({
      channel: message.channel,
      recipient: storable(message.recipient),
      subject,
      body,
      incidentNumber: incidentNumberIn(subject, body),
      raw: storableValue(message.raw) as Record<string, unknown>,
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
