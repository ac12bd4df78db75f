// Asks for approval where the responders are: a message with Approve / Reject buttons in the incident's
// Slack thread (under each card Vigil posted for it). A retried job finds the message it already posted
// (by its metadata) instead of posting it twice; with no card, or Slack not configured, there is nothing
// to do: the run waits for approval in the app.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { notifications } from "@/db/schema";
import { findIncident } from "../incidents/incident-store";
import { formatIncidentRef } from "../incidents/ref";
import { slackClient, slackDeliveryError, type SlackSettings } from "../integrations/slack/web-api";
import { defineJob } from "../jobs/job-definition";
import { ASK_APPROVAL_JOB } from "../remediation/job-names";
import { toRemediationRun } from "../remediation/run-dto";
import { actionTitleOf, findRun, runbookSlugOf } from "../remediation/run-store";
import { approvalRequest } from "./runbook-replies";

export const APPROVAL_EVENT_TYPE = "vigil_remediation_approval";

export async function postApprovalRequest(
  db: DbOrTx,
  runId: string,
  slack: SlackSettings | undefined,
  appUrl: string,
): Promise<"posted" | "skipped"> {
  if (!slack) return "skipped";
  const run = await findRun(db, runId);
  if (run.status !== "pending_approval" || !run.incidentId) return "skipped";
  const cards = await db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.incidentId, run.incidentId),
        eq(notifications.channel, "slack"),
        eq(notifications.purpose, "open"),
      ),
    );
  const posted = cards.filter((c) => c.status === "sent" && c.externalId);
  if (posted.length === 0) {
    // The card is on its way: ask again shortly (the job is retried); never posted: nowhere to ask.
    if (cards.some((c) => c.status === "pending" || c.status === "sending"))
      throw new Error("the incident's Slack card is not posted yet");
    return "skipped";
  }
  const incident = await findIncident(db, run.incidentId);
  const message = approvalRequest(
    toRemediationRun(run, await runbookSlugOf(db, run)),
    await actionTitleOf(db, run),
    formatIncidentRef(incident.number),
    appUrl,
  );
  const client = slackClient(slack);
  try {
    for (const card of posted) {
      const replies = await client.conversations.replies({
        channel: card.target,
        ts: card.externalId!,
        include_all_metadata: true,
        limit: 200,
      });
      const already = replies.messages?.some((m) => {
        const metadata = (m as { metadata?: { event_type?: string; event_payload?: { run_id?: string } } }).metadata;
        return metadata?.event_type === APPROVAL_EVENT_TYPE && metadata.event_payload?.run_id === run.id;
      });
      if (already) continue;
      await client.chat.postMessage({
        channel: card.target,
        thread_ts: card.externalId!,
        text: message.text,
        blocks: message.blocks,
        metadata: { event_type: APPROVAL_EVENT_TYPE, event_payload: { run_id: run.id } },
      });
    }
  } catch (error) {
    throw slackDeliveryError(error);
  }
  return "posted";
}

export const askApprovalJob = defineJob({
  name: ASK_APPROVAL_JOB,
  payload: z.object({ run_id: z.uuid() }),
  maxAttempts: 8,
  async handler({ run_id }, { db, config }) {
    const slack = config.slack.botToken ? { botToken: config.slack.botToken, apiUrl: config.slack.apiUrl } : undefined;
    await postApprovalRequest(db, run_id, slack, config.appUrl);
  },
});
