// What the bot says: help, usage, how to link an account, refusals, failures, the incident list and one
// incident. Pure functions of their inputs; nothing here talks to Slack or the database.
import type { KnownBlock } from "@slack/web-api";
import type { Role } from "../auth/roles";
import { isDatabaseUnavailable } from "../database-errors";
import { isAppError } from "../errors";
import type { Incident, TimelineEvent } from "../incidents/schemas";
import type { MaintenanceWindow } from "../maintenance/schemas";
import { incidentCard } from "../integrations/slack/incident-card";
import { escapeMrkdwn } from "../integrations/slack/mrkdwn";
import { clip } from "./slack-text";

/** A message as a command's HTTP answer or a response_url post carries it. */
export interface SlackReply {
  text: string;
  blocks?: KnownBlock[];
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
}

export const ephemeral = (text: string, blocks?: KnownBlock[]): SlackReply => ({
  response_type: "ephemeral",
  text,
  ...(blocks ? { blocks } : {}),
});
export const inChannel = (text: string): SlackReply => ({ response_type: "in_channel", text });

export const incidentHelp = [
  "*Vigil's /incident commands*",
  "• `/incident list`: the active incidents, with severity, status, owner and age",
  "• `/incident show INC-123`: one incident and its latest timeline",
  "• `/incident ack INC-123`: acknowledge it",
  "• `/incident escalate INC-123`: page the escalation's next step now",
  "• `/incident assign INC-123 @someone`: make someone the owner (`me` works too)",
  "• `/incident resolve INC-123 [note]`: resolve it, with an optional resolution note",
  "• `/incident note INC-123 text`: add a note to its timeline",
  "• `/incident create [title]`: declare an incident (opens a form)",
  "• `/incident snooze INC-123 [1h]`: hold its alert group's paging for a while (1h if left out)",
  "• `/incident maintenance start 2h service=checkout env=prod why`: a maintenance window: matching incidents open but page nobody until it ends (`service=`, `team=`, any other `label=value`)",
  "• `/incident maintenance list` / `end <id>`: the windows in force or coming; end one now",
  "• `/incident help`: this help",
  "In an incident's own channel you may leave out INC-123.",
].join("\n");

export const usage = (problem: string, help: string) => ephemeral(`${problem}\n\n${help}`);

/** For a Slack user Vigil cannot match to a person. */
export function linkInstructions(args: {
  slackUserId: string;
  email: string | null;
  appUrl: string;
  reason?: "taken" | "disabled";
}): SlackReply {
  if (args.reason === "disabled")
    return ephemeral("Your Vigil account is disabled, so I can't act for you. Ask a Vigil admin to enable it.");
  const lines = [
    "I don't know who you are in Vigil yet, so I can't act for you.",
    args.reason === "taken"
      ? `The Vigil account with your Slack email (${args.email}) is already linked to another Slack user.`
      : args.email
        ? `No Vigil account has your Slack email (${args.email}). Sign in to Vigil once at ${args.appUrl} with that address, then try again: I link you by email.`
        : `Your Slack profile shows Vigil no email address, so I can't match you by email.`,
    `Or ask a Vigil admin to link your Slack user ID \`${args.slackUserId}\` to your account: \`PATCH /api/v1/users/{id}\` with \`{"slack_user_id": "${args.slackUserId}"}\`.`,
  ];
  return ephemeral(lines.join("\n"));
}

/** A refusal for someone whose role does not allow what they tried. */
export function notAllowed(role: Role, attempt: string): SlackReply {
  return ephemeral(
    `Your Vigil role is *${role}*, which does not allow you to ${attempt}. Viewers can list and show incidents; ask a Vigil admin for the responder role to act on them.`,
  );
}

/** Any failure, in words for people: never a stack trace. `attempt` completes "could not …". */
export function failure(error: unknown, attempt: string, role: Role, requestId: string): SlackReply {
  if (isDatabaseUnavailable(error))
    return ephemeral(`Could not ${attempt} right now: Vigil's database is not answering. Try again in a moment.`);
  if (!isAppError(error))
    return ephemeral(
      `Something went wrong while trying to ${attempt}. It has been logged (request ${requestId}); try again, or use Vigil's web page.`,
    );
  switch (error.code) {
    case "forbidden":
      return notAllowed(role, attempt);
    case "not_found":
      return ephemeral(`${error.message}. \`/incident list\` shows the active incidents.`);
    case "invalid": {
      const fields = error.fieldErrors.map((f) => `${f.path}: ${f.message}`).join("; ");
      return ephemeral(`Could not ${attempt}: ${fields || error.message}.`);
    }
    case "conflict":
      return ephemeral(`Could not ${attempt}: ${error.message}.`);
    case "unavailable":
    case "rate_limited":
      return ephemeral(`Could not ${attempt} right now: ${error.message}. Try again in a moment.`);
    case "unauthenticated":
    case "too_large":
      return ephemeral(`Could not ${attempt}: ${error.message}.`);
  }
}

const severityMark: Record<Incident["severity"], string> = { P0: "🔴", P1: "🔴", P2: "🟠", P3: "🟡", P4: "⚪" };
const statusWord: Record<Incident["status"], string> = {
  open: "open",
  acknowledged: "acknowledged",
  investigating: "investigating",
  resolved: "resolved",
};

/** "45s", "12m", "3h 5m", "2d 4h": how long ago `fromIso` was. */
export function formatAge(fromIso: string, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - new Date(fromIso).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

const incidentLink = (incident: Incident, appUrl: string) => `<${appUrl}/incidents/${incident.ref}|${incident.ref}>`;

export function incidentList(incidents: Incident[], more: boolean, appUrl: string, now: Date): SlackReply {
  if (incidents.length === 0) return ephemeral("No active incidents. 🎉");
  const lines = incidents.map(
    (i) =>
      `${severityMark[i.severity]} *${i.severity}* ${incidentLink(i, appUrl)} ${escapeMrkdwn(clip(i.title, 80))} · ${statusWord[i.status]} · ${escapeMrkdwn(i.owner?.name ?? "unassigned")} · ${formatAge(i.detected_at ?? i.created_at, now)}`,
  );
  const heading = `*Active incidents* (${incidents.length}${more ? "+" : ""}, most recent first)`;
  return ephemeral([heading, ...lines, ...(more ? [`More at <${appUrl}/|Vigil>.`] : [])].join("\n"));
}

export function incidentDetails(incident: Incident, timeline: TimelineEvent[], appUrl: string, now: Date): SlackReply {
  const card = incidentCard(incident, appUrl);
  const blocks: KnownBlock[] = [...card.blocks];
  if (incident.description)
    blocks.splice(2, 0, {
      type: "section",
      text: { type: "mrkdwn", text: escapeMrkdwn(clip(incident.description, 2900)) },
    });
  if (timeline.length) {
    const lines = timeline.map(
      (e) => `• ${formatAge(e.at, now)} ago, ${escapeMrkdwn(e.actor.name)}: ${escapeMrkdwn(clip(e.text, 200))}`,
    );
    blocks.splice(blocks.length - 1, 0, {
      type: "context",
      elements: [{ type: "mrkdwn", text: clip(`*Latest on the timeline*\n${lines.join("\n")}`, 2900) }],
    });
  }
  return ephemeral(card.text, blocks);
}

/** What an in-channel reply says after a command changed an incident. */
export const changedText = (who: string, what: string, incident: Incident, appUrl: string) =>
  `${escapeMrkdwn(who)} ${what} ${incidentLink(incident, appUrl)}: ${escapeMrkdwn(clip(incident.title, 150))}`;

/** The maintenance windows and snoozes in force or coming, each with its id (for `end`). */
export function maintenanceList(windows: MaintenanceWindow[], appUrl: string): SlackReply {
  if (windows.length === 0) return ephemeral("No maintenance window or snooze is in force or coming.");
  const line = (w: MaintenanceWindow) =>
    `• *${escapeMrkdwn(w.name)}* (${w.state === "active" ? "active" : `from ${utc(w.starts_at)}`} until ${utc(w.ends_at)}): ${escapeMrkdwn(clip(w.reason, 200))} — \`${w.id}\``;
  return ephemeral([`*Maintenance windows* (<${appUrl}/maintenance|manage>)`, ...windows.map(line)].join("\n"));
}

export const maintenanceStarted = (who: string, window: MaintenanceWindow) =>
  inChannel(
    `${who} started maintenance window *${escapeMrkdwn(window.name)}* until ${utc(window.ends_at)}: matching incidents open but page nobody. ${escapeMrkdwn(clip(window.reason, 300))} (\`${window.id}\`)`,
  );

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
