// The postmortem jobs the worker runs: draft an incident's postmortem after it resolved, and file an
// action item's ticket.
import { z } from "zod";
import { systemActor } from "../context";
import { findIncident } from "../incidents/incident-store";
import { defineJob } from "../jobs/job-definition";
import { getRuntime } from "../runtime";
import { createActionItemTicket } from "./create-ticket";
import { DRAFT_JOB } from "./draft-on-resolve";
import { postmortemSettings } from "./postmortem-settings";
import { TICKET_JOB } from "./request-ticket";
import { writePostmortemDraft } from "./write-postmortem-draft";

export const draftPostmortemJob = defineJob({
  name: DRAFT_JOB,
  payload: z.object({ incident_id: z.uuid() }),
  maxAttempts: 10,
  async handler({ incident_id }, job) {
    const { database } = getRuntime();
    const settings = postmortemSettings();
    await database.db.transaction(async (tx) => {
      const incident = await findIncident(tx, incident_id);
      // Reopened before the worker got here: the next resolve asks again, with the fuller story.
      if (incident.status !== "resolved") return;
      const { outcome } = await writePostmortemDraft(
        tx,
        { db: tx, actor: systemActor("Vigil postmortems"), now: new Date() },
        incident,
        settings,
      );
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
      getRuntime().database.db,
      action_item_id,
      attempt,
      postmortemSettings(),
      job.logger,
    );
    job.logger.info({ actionItemId: action_item_id, attempt, outcome }, "action item ticket");
  },
});
