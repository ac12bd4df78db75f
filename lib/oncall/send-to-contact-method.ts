// A short personal message (a test, a handoff reminder) to one contact method, through the channel its
// kind uses. Pages about incidents go through the escalation engine instead, which bundles and records
// them; these are one-off messages whose outcome is audited by the caller.
import { sendEmail } from "../integrations/email/send-email";
import { slackClient, slackDeliveryError } from "../integrations/slack/web-api";
import { gatherTwiml, placeCall } from "../integrations/sms/place-call";
import { sendSms } from "../integrations/sms/send-sms";
import type { NotificationSettings } from "../notifications/settings";
import type { ContactMethodKind } from "./contact-methods";

export interface PersonalMessage {
  subject: string;
  text: string;
  /** Unique per message: the email's Message-ID is `<id@vigil>`. */
  id: string;
}

/** Sends it; returns why not when the channel is not configured (a DeliveryError when the vendor refuses). */
export async function sendToContactMethod(
  settings: NotificationSettings,
  method: { kind: ContactMethodKind; value: string },
  message: PersonalMessage,
): Promise<string | null> {
  switch (method.kind) {
    case "email":
      if (!settings.email) return "SMTP_URL is not set";
      await sendEmail(settings.email, {
        to: method.value,
        subject: message.subject,
        text: message.text,
        html: `<p>${message.text.replace(/[<>&]/g, "")}</p>`,
        messageId: `<${message.id}@vigil>`,
      });
      return null;
    case "sms":
      if (!settings.sms) return "SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM are not all set";
      await sendSms(settings.sms, method.value, message.text);
      return null;
    case "slack":
      if (!settings.slack) return "SLACK_BOT_TOKEN is not set";
      await slackClient(settings.slack)
        .chat.postMessage({ channel: method.value, text: message.text })
        .catch((error: unknown) => {
          throw slackDeliveryError(error);
        });
      return null;
    case "voice":
      if (!settings.sms) return "SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM are not all set";
      await placeCall(settings.sms, method.value, gatherTwiml(message.text, []));
      return null;
  }
}
