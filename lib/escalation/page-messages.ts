// The words of a page, one message per recipient and method however many incidents it carries
// (bundling): each incident with its own acknowledge link (email, SMS), "press 1" (voice) or button (Slack).
import type { EmailMessage } from "../integrations/email/send-email";
import { cardActions } from "../integrations/slack/incident-card";
import { gatherTwiml } from "../integrations/sms/place-call";

export interface PagedIncident {
  id: string;
  ref: string;
  severity: string;
  title: string;
  service: string | null;
  /** The incident in Vigil. */
  url: string;
  /** The one-time acknowledge link (email, SMS) or the voice call's `<Gather>` action (voice). */
  ackUrl?: string;
}

const headline = (i: PagedIncident) => `${i.severity} ${i.ref}: ${i.title}${i.service ? ` (${i.service})` : ""}`;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const escapeHtml = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** Twilio's limit for one message body. */
export const SMS_MAX = 1600;

/**
 * The SMS texts of a page: one, or, when a bundle's incidents do not fit in one message, as many as it
 * takes ("(2/3)"): an incident cut from the text would be a page marked sent that nobody received.
 */
export function pageSms(incidents: PagedIncident[]): string[] {
  const [only] = incidents;
  if (incidents.length === 1 && only)
    return [clip(`Vigil page: ${clip(headline(only), 300)}\nAcknowledge: ${only.ackUrl}`, SMS_MAX)];
  const lines = incidents.map((i) => `${clip(headline(i), 120)}\nAcknowledge: ${i.ackUrl}`);
  const parts: string[][] = [[]];
  // Room for the longest header, "Vigil page: 999 incidents need you (99/99)\n".
  const room = SMS_MAX - 48;
  for (const line of lines) {
    const part = parts[parts.length - 1]!;
    if (part.length > 0 && [...part, line].join("\n").length > room) parts.push([line]);
    else part.push(line);
  }
  return parts.map((part, n) => {
    const counter = parts.length > 1 ? ` (${n + 1}/${parts.length})` : "";
    return clip(`Vigil page: ${incidents.length} incidents need you${counter}\n${part.join("\n")}`, SMS_MAX);
  });
}

export function pageEmail(incidents: PagedIncident[], to: string, messageId: string): EmailMessage {
  const [only] = incidents;
  const subject =
    incidents.length === 1 && only
      ? `[${only.severity}] ${only.ref}: ${only.title}`
      : `[Vigil] ${incidents.length} incidents need you: ${incidents.map((i) => i.ref).join(", ")}`;
  const text = [
    incidents.length === 1 ? "You are paged for this incident:" : `You are paged for ${incidents.length} incidents:`,
    "",
    ...incidents.flatMap((i) => [headline(i), `Acknowledge: ${i.ackUrl}`, `Open in Vigil: ${i.url}`, ""]),
    "Acknowledging stops the escalation: nobody else is paged for it.",
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif">
${incidents
  .map(
    (i) =>
      `<h3 style="margin:12px 0 4px">${escapeHtml(headline(i))}</h3><p><a href="${escapeHtml(i.ackUrl ?? i.url)}">Acknowledge</a> · <a href="${escapeHtml(i.url)}">Open in Vigil</a></p>`,
  )
  .join("\n")}
<p style="color:#666;font-size:12px">Acknowledging stops the escalation: nobody else is paged for it.</p>
</body></html>`;
  return { to, subject: clip(subject, 200), text, html, messageId };
}

export function pageVoice(incidents: PagedIncident[]): string {
  const intro =
    incidents.length === 1
      ? "This is Vigil. You are paged."
      : `This is Vigil. You are paged for ${incidents.length} incidents.`;
  // Refs read digit by digit ("I N C 1 2") sound worse than "incident 12".
  return gatherTwiml(
    intro,
    incidents.map((i) => ({
      say: `${i.severity} incident ${i.ref.replace(/^\D+-?/, "")}: ${clip(i.title, 200)}.`,
      actionUrl: i.ackUrl ?? i.url,
    })),
  );
}

/** A Slack DM (or a step's channel post): each incident with its Acknowledge button (the card's action). */
export function pageSlack(incidents: PagedIncident[]): { text: string; blocks: unknown[] } {
  const text =
    incidents.length === 1
      ? `Vigil page: ${headline(incidents[0]!)}`
      : `Vigil page: ${incidents.length} incidents need you`;
  // Slack takes at most 50 blocks: past 20 incidents the rest are named in one more section, to
  // acknowledge from Vigil.
  const rest = incidents.slice(20);
  const blocks = incidents.slice(0, 20).flatMap((i) => [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: clip(
          `*<${i.url}|${i.ref}>* ${headline(i).slice(i.severity.length + i.ref.length + 3)} · ${i.severity}`,
          3000,
        ),
      },
    },
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: cardActions.acknowledge,
          text: { type: "plain_text", text: "Acknowledge" },
          style: "primary",
          value: i.id,
        },
      ],
    },
  ]);
  if (rest.length > 0)
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: clip(`And ${rest.length} more: ${rest.map((i) => `<${i.url}|${i.ref}>`).join(", ")}`, 3000),
      },
    });
  return { text: clip(text, 3000), blocks };
}
