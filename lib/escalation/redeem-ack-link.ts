// Redeeming the one-time acknowledge links of lib/escalation/ack-links.ts: the confirm page reads a link
// (never writing: mail scanners open every link), and its POST, a voice call's "press 1" or an SMS reply
// acknowledges through the ordinary verb, as the person the link was sent to, and spends the link in the
// same transaction.
import { and, desc, eq, gt, isNull, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ackLinks, incidents, timelineEvents, users, type AckLinkRow, type IncidentRow } from "@/db/schema";
import { hashToken } from "../auth/api-tokens";
import { can } from "../auth/permissions";
import type { Role } from "../auth/roles";
import { type Actor, inTransaction, systemActor } from "../context";
import { acknowledgeIncident } from "../incidents/acknowledge-incident";
import { formatIncidentRef } from "../incidents/ref";
import type { ContactMethodKind } from "../oncall/contact-methods";

/** What the event data's `via` says for a link opened from each kind of message. */
export const linkVia: Record<ContactMethodKind, string> = {
  email: "email link",
  sms: "SMS link",
  voice: "voice call",
  slack: "Slack link",
};
export const VOICE_VIA = "voice call";
export const SMS_REPLY_VIA = "SMS reply";

export interface AckLinkIncident {
  ref: string;
  title: string;
  severity: IncidentRow["severity"];
  status: IncidentRow["status"];
  /** Who acknowledged it first, when it is past open. */
  acknowledgedBy: string | null;
}

export interface AckLinkPerson {
  name: string;
  role: Role;
  disabled: boolean;
}

/** What the confirm page shows. An unknown token tells nothing about any incident. */
export type AckLinkView =
  | { state: "unknown" }
  | {
      state: "ready" | "expired" | "used";
      method: ContactMethodKind;
      address: string;
      expiresAt: Date;
      usedAt: Date | null;
      incident: AckLinkIncident;
      person: AckLinkPerson;
    };

export type RedeemOutcome =
  | { outcome: "unknown" }
  | { outcome: "expired" | "used"; ref: string }
  | { outcome: "not_allowed"; ref: string; reason: "viewer" | "disabled" }
  | { outcome: "resolved"; ref: string }
  | { outcome: "acknowledged"; ref: string; by: string }
  | { outcome: "already_acknowledged"; ref: string; by: string | null };

const linkState = (link: AckLinkRow, now: Date) =>
  link.usedAt ? ("used" as const) : link.expiresAt <= now ? ("expired" as const) : ("ready" as const);

/** Reads a link for the confirm page. Writes nothing, whoever opens it. */
export async function describeAckLink(db: DbOrTx, token: string, now: Date): Promise<AckLinkView> {
  const [found] = await db
    .select({ link: ackLinks, incident: incidents, person: users })
    .from(ackLinks)
    .innerJoin(incidents, eq(incidents.id, ackLinks.incidentId))
    .innerJoin(users, eq(users.id, ackLinks.userId))
    .where(eq(ackLinks.tokenHash, hashToken(token)));
  if (!found) return { state: "unknown" };
  const { link, incident, person } = found;
  return {
    state: linkState(link, now),
    method: link.method,
    address: link.address,
    expiresAt: link.expiresAt,
    usedAt: link.usedAt,
    incident: {
      ref: formatIncidentRef(incident.number),
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      acknowledgedBy: incident.status === "open" ? null : await acknowledgedBy(db, incident.id),
    },
    person: { name: person.name, role: person.role, disabled: person.disabledAt !== null },
  };
}

/** Redeems a link by its token (the confirm page's POST, a voice call's "press 1"). */
export async function redeemAckLink(
  db: DbOrTx,
  args: { token: string; via?: string; now: Date; ip: string | null },
): Promise<RedeemOutcome> {
  return redeem(db, eq(ackLinks.tokenHash, hashToken(args.token)), args);
}

/**
 * An SMS reply: the newest unused, unexpired link sent by SMS to the number that replied. The reply
 * carries no token, so the number is the credential, as the message itself was.
 */
export async function redeemBySmsReply(
  db: DbOrTx,
  args: { from: string; now: Date; ip: string | null },
): Promise<RedeemOutcome> {
  const pending = await pendingSmsLink(db, args.from, args.now);
  if (!pending) return { outcome: "unknown" };
  return redeem(db, eq(ackLinks.id, pending.id), { ...args, via: SMS_REPLY_VIA });
}

/** The link an SMS reply from this number would redeem, and its incident's ref. */
export async function pendingSmsLink(
  db: DbOrTx,
  from: string,
  now: Date,
): Promise<{ id: string; ref: string } | undefined> {
  const [newest] = await db
    .select({ id: ackLinks.id, number: incidents.number })
    .from(ackLinks)
    .innerJoin(incidents, eq(incidents.id, ackLinks.incidentId))
    .where(
      and(eq(ackLinks.method, "sms"), eq(ackLinks.address, from), isNull(ackLinks.usedAt), gt(ackLinks.expiresAt, now)),
    )
    .orderBy(desc(ackLinks.createdAt))
    .limit(1);
  return newest && { id: newest.id, ref: formatIncidentRef(newest.number) };
}

async function redeem(
  db: DbOrTx,
  which: SQL,
  args: { via?: string; now: Date; ip: string | null },
): Promise<RedeemOutcome> {
  const { now } = args;
  // The person is known only once the link is read: the verb below runs as them.
  return inTransaction({ db, actor: systemActor(), now }, async (txCtx) => {
    // Locked, so two POSTs of the same link (a double click, a retried callback) acknowledge once.
    const [found] = await txCtx.db
      .select({ link: ackLinks, incident: incidents, person: users })
      .from(ackLinks)
      .innerJoin(incidents, eq(incidents.id, ackLinks.incidentId))
      .innerJoin(users, eq(users.id, ackLinks.userId))
      .where(which)
      .for("update", { of: ackLinks });
    if (!found) return { outcome: "unknown" };
    const { link, incident, person } = found;
    const ref = formatIncidentRef(incident.number);
    const state = linkState(link, now);
    if (state !== "ready") return { outcome: state, ref };
    if (person.disabledAt) return { outcome: "not_allowed", ref, reason: "disabled" };
    if (!can(person.role, "incident.acknowledge")) return { outcome: "not_allowed", ref, reason: "viewer" };
    if (incident.status === "resolved") return { outcome: "resolved", ref };

    const actor: Actor = {
      type: "user",
      userId: person.id,
      name: person.name,
      email: person.email,
      role: person.role,
      ip: args.ip,
      via: args.via ?? linkVia[link.method],
    };
    const { changed } = await acknowledgeIncident({ ctx: { ...txCtx, actor }, input: { ref: incident.id } });
    await txCtx.db.update(ackLinks).set({ usedAt: now }).where(eq(ackLinks.id, link.id));
    return changed
      ? { outcome: "acknowledged", ref, by: person.name }
      : { outcome: "already_acknowledged", ref, by: await acknowledgedBy(txCtx.db, incident.id) };
  });
}

async function acknowledgedBy(db: DbOrTx, incidentId: string): Promise<string | null> {
  const [event] = await db
    .select({ name: timelineEvents.actorName })
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "acknowledged")))
    .orderBy(timelineEvents.at, timelineEvents.id)
    .limit(1);
  return event?.name ?? null;
}
