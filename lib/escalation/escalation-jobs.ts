// The engine's jobs: follow the timeline (start, stop, re-rate), run a due step, send a recipient's pages.
import { z } from "zod";
import { systemActor } from "../context";
import { defineJob } from "../jobs/job-definition";
import { notificationSettingsOf } from "../notifications/settings";
import { runDueStep } from "./due-step";
import { followEvent } from "./follow-events";
import { FOLLOW_JOB, SEND_JOB, STEP_JOB } from "./job-names";
import { ENGINE_ACTOR } from "./run-step";
import { sendDuePages } from "./send-pages";

export const followEscalationJob = defineJob({
  name: FOLLOW_JOB,
  payload: z.object({ event_id: z.coerce.number().int() }),
  maxAttempts: 10,
  async handler({ event_id }, job) {
    await followEvent(
      { db: job.db, actor: systemActor(ENGINE_ACTOR), now: new Date() },
      event_id,
      notificationSettingsOf(job.config),
    );
  },
});

export const escalationStepJob = defineJob({
  name: STEP_JOB,
  payload: z.object({ escalation_id: z.uuid() }),
  maxAttempts: 25,
  async handler({ escalation_id }, job) {
    const outcome = await runDueStep(job.db, escalation_id);
    job.logger.debug({ escalation: escalation_id, outcome }, "escalation step");
  },
});

export const sendPagesJob = defineJob({
  name: SEND_JOB,
  payload: z.object({
    user_id: z.uuid().nullable(),
    method: z.enum(["email", "sms", "slack", "voice"]),
    address: z.string(),
  }),
  maxAttempts: 5,
  async handler({ user_id, method, address }, job) {
    const report = await sendDuePages(
      job.db,
      { userId: user_id, method, address },
      notificationSettingsOf(job.config),
      job.logger,
    );
    job.logger.debug({ ...report, method }, "pages sent");
  },
});
