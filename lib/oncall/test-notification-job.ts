// The test message a person asks for ("does my phone ring?"): sent by the worker through the channel the
// contact method's kind uses (a voice test is a call that says the words), and its outcome audited.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { contactMethods, users } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { systemActor } from "../context";
import { DeliveryError } from "../integrations/delivery-error";
import { defineJob } from "../jobs/job-definition";
import { notificationSettingsOf } from "../notifications/settings";
import { TEST_NOTIFICATION_JOB } from "./people";
import { sendToContactMethod } from "./send-to-contact-method";

const text = (name: string) => `Vigil test notification for ${name}: this is how you will be paged.`;

export const testNotificationJob = defineJob({
  name: TEST_NOTIFICATION_JOB,
  payload: z.object({ contact_method_id: z.uuid() }),
  maxAttempts: 3,
  async handler({ contact_method_id }, job) {
    const [method] = await job.db
      .select({
        id: contactMethods.id,
        kind: contactMethods.kind,
        value: contactMethods.value,
        userId: users.id,
        name: users.name,
      })
      .from(contactMethods)
      .innerJoin(users, eq(users.id, contactMethods.userId))
      .where(eq(contactMethods.id, contact_method_id));
    if (!method) return job.logger.info("contact method removed before its test was sent");
    let notSent: string | null;
    try {
      notSent = await sendToContactMethod(notificationSettingsOf(job.config), method, {
        subject: "Vigil test notification",
        text: text(method.name),
        id: `test-${method.id}-${Date.now()}`,
      });
    } catch (error) {
      // A passing failure is retried while attempts remain; the last one is recorded.
      if (error instanceof DeliveryError && !error.permanent && job.attempt < job.maxAttempts) throw error;
      notSent = (error as Error).message;
    }
    await recordAudit(
      { db: job.db, actor: systemActor(), now: new Date() },
      {
        action: notSent ? "person.test_notification_failed" : "person.test_notification_sent",
        resourceType: "user",
        resourceId: method.userId,
        details: { kind: method.kind, value: method.value, ...(notSent ? { reason: notSent } : {}) },
      },
    );
  },
});
