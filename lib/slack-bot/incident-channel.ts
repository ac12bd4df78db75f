// Incident channels (SLACK_INCIDENT_CHANNELS=1): a P0 or P1 incident gets its own Slack channel,
// #inc-<n>-<slug>. Which incidents get one, the channel's name, and the job that makes it; the job itself
// lives in incident-channel-job.ts (it talks to Slack, so it runs in the worker, never in a request).
import { eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { incidents } from "@/db/schema";
import type { Incident } from "../incidents/schemas";
import { addJobsSql, jobSpec } from "../jobs/job-specs";

export const INCIDENT_CHANNEL_JOB = "slack.incident_channel";

/** Severe enough to gather people in a channel of its own, and still going on. */
export const wantsIncidentChannel = (incident: Pick<Incident, "severity" | "status">) =>
  (incident.severity === "P0" || incident.severity === "P1") && incident.status !== "resolved";

/** Slack channel names: lowercase letters, digits, - and _, at most 80 characters. */
export function incidentChannelName(number: number, title: string): string {
  const prefix = `inc-${number}`;
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const room = 80 - prefix.length - 1;
  const cut = slug.slice(0, room).replace(/-+$/, "");
  return cut ? `${prefix}-${cut}` : prefix;
}

/**
 * Called by notification planning for each event that may change who should be in the channel (the
 * incident opened, got more severe, changed owner): creates the channel once, then invites the owner.
 * One pending job per incident is enough; a later event replaces it.
 */
export async function enqueueIncidentChannel(db: DbOrTx, incident: Incident, eventId: number): Promise<void> {
  if (!wantsIncidentChannel(incident)) return;
  await db.execute(
    addJobsSql([sql`select ${incidentChannelJob(sql`${incident.id}::uuid`, sql`${eventId}::bigint`)} as spec`]),
  );
}

/** The job as a job spec (lib/jobs/job-specs.ts), for the caller's statement; the ids may be columns of its rows. */
export const incidentChannelJob = (incidentId: SQL, eventId: SQL) =>
  jobSpec({
    identifier: INCIDENT_CHANNEL_JOB,
    payload: sql`json_build_object('incident_id', ${incidentId}, 'event_id', ${eventId})`,
    jobKey: sql`'incident-channel:' || ${incidentId}`,
    maxAttempts: 10,
  });

/** The incident whose own channel this is, as a reference for the verbs; undefined elsewhere. */
export async function findIncidentInChannel(db: DbOrTx, channelId: string | undefined): Promise<string | undefined> {
  if (!channelId) return undefined;
  const [row] = await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.slackChannelId, channelId));
  return row?.id;
}
