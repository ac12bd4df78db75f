// The incident card posted to Slack (Block Kit): severity, title, status, service, owner, links, buttons
// to acknowledge, resolve or open the incident in Vigil, and a "more" menu (a timeline note, investigating).
// Later changes update this same message. The Slack bot (lib/slack-bot) answers the buttons and the menu.
import type { ActionsBlockElement, KnownBlock, Overflow, PlainTextOption } from "@slack/web-api";
import type { Incident } from "../../incidents/schemas";
import { httpUrl } from "../../links";
import { slugFromRunbookUrl } from "../../runbooks/runbook-matching";
import { escapeMrkdwn, mrkdwnLink } from "./mrkdwn";

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const severityMark: Record<Incident["severity"], string> = { P0: "🔴", P1: "🔴", P2: "🟠", P3: "🟡", P4: "⚪" };
const statusLabel: Record<Incident["status"], string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  investigating: "Investigating",
  resolved: "Resolved ✅",
};

/** Slack's limits: button text 75 characters, section text 3000. */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The card's interactive parts, by the action_id Slack sends back when someone uses them. */
export const cardActions = {
  acknowledge: "incident_acknowledge",
  resolve: "incident_resolve",
  open: "incident_open",
  menu: "incident_menu",
} as const;

/** What the "more" menu offers; an option's value is `<choice>:<incident id>` (Slack allows 75 characters). */
export const cardMenuChoices = ["note", "investigating", "open"] as const;
export type CardMenuChoice = (typeof cardMenuChoices)[number];

function moreMenu(incident: Incident, url: string): Overflow {
  const option = (choice: CardMenuChoice, text: string, extra: Partial<PlainTextOption> = {}): PlainTextOption => ({
    text: { type: "plain_text", text },
    value: `${choice}:${incident.id}`,
    ...extra,
  });
  const investigating = incident.status === "open" || incident.status === "acknowledged";
  return {
    type: "overflow",
    action_id: cardActions.menu,
    options: [
      option("note", "Add a timeline note"),
      ...(investigating ? [option("investigating", "Mark as investigating")] : []),
      option("open", "Open in Vigil", { url }),
    ],
  };
}

export function incidentCard(incident: Incident, appUrl: string): SlackMessage {
  const url = `${appUrl}/incidents/${incident.ref}`;
  const title = escapeMrkdwn(clip(incident.title, 300));
  const fields = [
    `*Severity*\n${severityMark[incident.severity]} ${incident.severity}`,
    `*Status*\n${statusLabel[incident.status]}`,
    `*Service*\n${escapeMrkdwn(incident.service ?? "—")}`,
    `*Owner*\n${escapeMrkdwn(incident.owner?.name ?? "unassigned")}`,
  ];
  const links = [mrkdwnLink(url, "Open in Vigil"), mrkdwnLink(runbookLink(incident, appUrl, url), "Runbook")].join(
    " · ",
  );
  const buttons: ActionsBlockElement[] = [];
  if (incident.status === "open") {
    buttons.push({
      type: "button",
      action_id: cardActions.acknowledge,
      text: { type: "plain_text", text: "Acknowledge" },
      style: "primary",
      value: incident.id,
    });
  }
  if (incident.status !== "resolved") {
    buttons.push({
      type: "button",
      action_id: cardActions.resolve,
      text: { type: "plain_text", text: "Resolve" },
      style: "danger",
      value: incident.id,
      confirm: {
        title: { type: "plain_text", text: "Resolve this incident?" },
        text: { type: "mrkdwn", text: clip(`${incident.ref}: ${title}`, 300) },
        confirm: { type: "plain_text", text: "Resolve" },
        deny: { type: "plain_text", text: "Cancel" },
      },
    });
  }
  buttons.push({
    type: "button",
    action_id: cardActions.open,
    text: { type: "plain_text", text: "Open in Vigil" },
    url,
  });

  return {
    text: `${severityMark[incident.severity]} ${incident.severity} ${incident.ref}: ${clip(incident.title, 300)} (${statusLabel[incident.status]})`,
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: `${severityMark[incident.severity]} *<${url}|${incident.ref}: ${title}>*` },
        accessory: moreMenu(incident, url),
      },
      { type: "section", fields: fields.map((text) => ({ type: "mrkdwn", text })) },
      { type: "context", elements: [{ type: "mrkdwn", text: links }] },
      { type: "actions", block_id: `incident:${incident.id}`, elements: buttons },
    ],
  };
}

/**
 * Where the card's Runbook link goes. A runbook_url naming a Vigil runbook opens it here, whatever host
 * the alert rule wrote (the shipped rules say localhost:3000); another URL (a wiki) is kept; with none,
 * the incident page's runbook section, which shows the runbook matched by alertname or labels. The
 * URL comes from the alert: anything but http(s) (javascript:, a relative path) is not linked.
 */
function runbookLink(incident: Incident, appUrl: string, incidentUrl: string): string {
  const slug = slugFromRunbookUrl(incident.runbook_url);
  if (slug) return `${appUrl}/runbooks/${slug}`;
  return httpUrl(incident.runbook_url) ?? `${incidentUrl}#runbook`;
}
