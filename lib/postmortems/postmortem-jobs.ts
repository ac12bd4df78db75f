// The postmortem jobs the worker runs: draft an incident's postmortem after it resolved, and file an
// action item's ticket.
import { z } from "zod";
import { inTransaction, systemActor } from "../context";
import { findIncident } from "../incidents/incident-store";
import { defineJob } from "../jobs/job-definition";
import { createActionItemTicket } from "./create-ticket";
import { DRAFT_JOB } from "./draft-on-resolve";
import { postmortemSettingsFrom } from "./postmortem-settings";
import { TICKET_JOB } from "./request-ticket";
import { writePostmortemDraft } from "./write-postmortem-draft";

export const draftPostmortemJob = defineJob({
  name: DRAFT_JOB,
  payload: z.object({ incident_id: z.uuid() }),
  maxAttempts: 10,
  async handler({ incident_id }, job) {
    const settings = postmortemSettingsFrom(job.config);
    const ctx = { db: job.db, actor: systemActor("Vigil postmortems"), now: new Date() };
    await inTransaction(ctx, async (txCtx) => {
      const incident = await findIncident(txCtx.db, incident_id);
      // Reopened before the worker got here: the next resolve asks again, with the fuller story.
      if (incident.status !== "resolved") return;
      const { outcome } = await writePostmortemDraft(txCtx, incident, settings);
      job.logger.info({ incident: incident_id, outcome }, "postmortem draft");
    });
  },
});

export const createTicketJob = defineJob({
  name: TICKET_JOB,
  payload: z.object({ action_item_id: z.uuid(), attempt: z.number().int().min(1) }),
  maxAttempts: 1,
  async handler({ action_item_id, attempt }, job) {
    const outcome = await createActionItemTicket(
      job.db,
      action_item_id,
      attempt,
      postmortemSettingsFrom(job.config),
      job.logger,
    );
    job.logger.info({ actionItemId: action_item_id, attempt, outcome }, "action item ticket");
  },
});
