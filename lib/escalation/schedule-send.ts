// When a recipient's send job runs: at their earliest due page, but never sooner than a minute after the
// last message through that method, so pages arriving close together go out as one (bundling).
import { and, eq, inArray, isNull, max, min, sql } from "drizzle-orm";
import { advisoryLocks } from "@/db/advisory-locks";
import type { DbOrTx } from "@/db/client";
import { pages } from "@/db/schema";
import { enqueueJob } from "../jobs/enqueue";
import { pagingPriority, SEND_JOB, sendJobKey } from "./job-names";

/** At most one message per method per minute per recipient. */
export const BUNDLE_WINDOW_MS = 60_000;

export interface Recipient {
  userId: string | null;
  method: "email" | "sms" | "slack" | "voice";
  /** Only for a Slack channel post (no person); a person's pages are matched by person and method. */
  address: string;
}

/** The recipient's pages, as a WHERE condition: a person's through one method, or one Slack channel's. */
export const recipientPages = (r: Recipient) =>
  r.userId
    ? and(eq(pages.userId, r.userId), eq(pages.method, r.method))
    : and(isNull(pages.userId), eq(pages.method, r.method), eq(pages.address, r.address));

/**
 * (Re)schedules the recipient's send job for their earliest pending page. Serialised per recipient, so
 * two steps paging one person at once cannot leave the job at the later of their times.
 */
export async function scheduleSend(db: DbOrTx, recipient: Recipient): Promise<Date | null> {
  const key = sendJobKey(recipient);
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, ${advisoryLocks.pageSend}))`);
  // A page an attempt holds is due again when its lease runs out (the attempt may have died).
  const [due] = await db
    .select({
      at: min(sql<Date>`case when ${pages.status} = 'pending' then ${pages.dueAt} else ${pages.leaseUntil} end`),
    })
    .from(pages)
    .where(and(recipientPages(recipient), inArray(pages.status, ["pending", "sending"])));
  if (!due?.at) return null;
  const dueAt = new Date(due.at);
  const [last] = await db
    .select({ at: max(pages.sentAt) })
    .from(pages)
    .where(and(recipientPages(recipient), eq(pages.status, "sent")));
  const runAt = new Date(Math.max(dueAt.getTime(), (last?.at?.getTime() ?? 0) + BUNDLE_WINDOW_MS));
  await enqueueJob(
    db,
    SEND_JOB,
    { user_id: recipient.userId, method: recipient.method, address: recipient.address },
    { jobKey: key, runAt, maxAttempts: 5, priority: pagingPriority.send },
  );
  return runAt;
}
