// Email through SMTP (nodemailer). The Message-ID is derived from the notification, so a message sent
// again after a crash carries the same id and mail systems can tell it is the same message.
import nodemailer, { type Transporter } from "nodemailer";
import { DeliveryError, VENDOR_TIMEOUT_MS } from "../delivery-error";

export interface EmailSettings {
  smtpUrl: string;
  from: string;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(smtpUrl, {
      connectionTimeout: VENDOR_TIMEOUT_MS,
      greetingTimeout: VENDOR_TIMEOUT_MS,
      socketTimeout: VENDOR_TIMEOUT_MS,
    });
    transports.set(smtpUrl, transport);
  }
  return transport;
}

export async function sendEmail(settings: EmailSettings, message: EmailMessage): Promise<{ messageId: string }> {
  try {
    const info = await transportFor(settings.smtpUrl).sendMail({ from: settings.from, ...message });
    return { messageId: info.messageId };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    // SMTP 5xx is a definite no (unknown mailbox, rejected); 4xx and network trouble may pass later.
    if (code && code >= 500)
      throw new DeliveryError(`SMTP server refused the message (${code}): ${(error as Error).message}`, true);
    throw new DeliveryError(`Email not sent: ${(error as Error).message}`, false);
  }
}
