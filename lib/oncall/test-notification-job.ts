// The test message a person asks for ("does my phone ring?"): sent by the worker through the channel the
// contact method's kind uses (a voice test is a call that says the words), and its outcome audited.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { contactMethods, users } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { systemActor } from "../context";
import { DeliveryError } from "../integrations/delivery-error";
import { sendEmail } from "../integrations/email/send-email";
import { slackClient, slackDeliveryError } from "../integrations/slack/web-api";
import { gatherTwiml, placeCall } from "../integrations/sms/place-call";
import { sendSms } from "../integrations/sms/send-sms";
import { defineJob } from "../jobs/job-definition";
import { notificationSettingsOf, type NotificationSettings } from "../notifications/settings";
import { TEST_NOTIFICATION_JOB } from "./people";

const text = (name: string) => `Vigil test notification for ${name}: this is how you will be paged.`;

/** Sends the test; returns why not when the channel is not configured. */
async function sendTest(
  settings: NotificationSettings,
  method: { id: string; kind: string; value: string },
  name: string,
): Promise<string | null> {
  switch (method.kind) {
    case "email":
      if (!settings.email) return "SMTP_URL is not set";
      await sendEmail(settings.email, {
        to: method.value,
        subject: "Vigil test notification",
        text: text(name),
        html: `<p>${text(name).replace(/[<>&]/g, "")}</p>`,
        messageId: `<test-${method.id}-${Date.now()}@vigil>`,
      });
      return null;
    case "sms":
      if (!settings.sms) return "SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM are not all set";
      await sendSms(settings.sms, method.value, text(name));
      return null;
    case "slack":
      if (!settings.slack) return "SLACK_BOT_TOKEN is not set";
      await slackClient(settings.slack)
        .chat.postMessage({ channel: method.value, text: text(name) })
        .catch((error: unknown) => {
          throw slackDeliveryError(error);
        });
      return null;
    case "voice":
      if (!settings.sms) return "SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM are not all set";
      await placeCall(settings.sms, method.value, gatherTwiml(text(name), []));
      return null;
    default:
      return `unknown contact method kind ${method.kind}`;
  }
}

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
      notSent = await sendTest(notificationSettingsOf(job.config), method, method.name);
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
