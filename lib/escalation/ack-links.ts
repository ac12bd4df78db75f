// One-time acknowledge links put in pages (email, SMS) and the voice call's "press 1" callback. The token
// is the credential, so only its SHA-256 is stored; the doors that redeem it live in app/ (confirm page,
// Twilio callbacks). Opening a link never acknowledges: mail scanners and previews open every link.
import { randomBytes } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { ackLinks } from "@/db/schema";
import { hashToken } from "../auth/api-tokens";
import type { ContactMethodKind } from "../oncall/contact-methods";

/** Long enough for a page that wakes someone at 3 a.m. and a follow-up look in the morning. */
export const ACK_LINK_TTL_MS = 24 * 60 * 60 * 1000;

export interface IssuedAckLink {
  token: string;
  /** The confirm page: `<APP_URL>/ack/<token>`. */
  url: string;
  /** Where a voice call's `<Gather>` posts the digit pressed. */
  voiceActionUrl: string;
}

export interface AckLinkFor {
  incidentId: string;
  userId: string;
  pageId?: string | null;
  method: ContactMethodKind;
  address: string;
}

/** One link per entry, in one insert (a bundled page carries one per incident); in the order given. */
export async function issueAckLinks(
  db: DbOrTx,
  links: readonly AckLinkFor[],
  { now, appUrl }: { now: Date; appUrl: string },
): Promise<IssuedAckLink[]> {
  if (links.length === 0) return [];
  const tokens = links.map(() => randomBytes(24).toString("base64url"));
  await db.insert(ackLinks).values(
    links.map((link, i) => ({
      tokenHash: hashToken(tokens[i]!),
      incidentId: link.incidentId,
      userId: link.userId,
      pageId: link.pageId ?? null,
      method: link.method,
      address: link.address,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ACK_LINK_TTL_MS),
    })),
  );
  return tokens.map((token) => ({
    token,
    url: `${appUrl}/ack/${token}`,
    voiceActionUrl: `${appUrl}/api/v1/webhooks/twilio/voice?token=${token}`,
  }));
}

export async function issueAckLink(
  db: DbOrTx,
  link: AckLinkFor & { now: Date; appUrl: string },
): Promise<IssuedAckLink> {
  const [issued] = await issueAckLinks(db, [link], link);
  return issued!;
}
