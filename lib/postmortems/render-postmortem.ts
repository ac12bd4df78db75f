// The postmortem draft, written from the incident's own record: the seed's template (title, date,
// duration, severity, owner; Impact, Timeline, Root Cause, Resolution, Action Items, Lessons Learned),
// with what Vigil knows filled in and the rest left as prompts for people. Pure: same facts, same text.
import { formatDuration } from "../format-duration";
import { zonedTime } from "./postmortem-time";

export interface PostmortemFacts {
  ref: string;
  title: string;
  severity: string;
  owner: string | null;
  detectedAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
  autoResolved: boolean;
  /** The incident's service and every service its alerts named. */
  services: string[];
  alerts: { name: string; startsAt: Date }[];
  /** The incident's timeline, oldest first. */
  events: { at: Date; kind: string; actorName: string; text: string }[];
  remediationRuns: { at: Date; action: string; target: string; status: string; requestedBy: string }[];
}

export interface RenderOptions {
  timeZone: string;
}

/** The line the Action Items section starts with; exports replace it with the action items themselves. */
export const ACTION_ITEMS_PLACEHOLDER =
  "_The action items below (owner, due date, status, ticket) are listed here in the export._";

/** What Vigil cannot know, left in italics for a person to replace; each ends "to be filled in". */
const prompt = (text: string) => `_${text}_`;

/** How many of the draft's prompts nobody has replaced yet (publishing asks first while any are left). */
export function unfilledPrompts(markdown: string): number {
  return markdown.match(/_[^_\n]*to be filled in\.?_/gi)?.length ?? 0;
}

export function renderPostmortem(facts: PostmortemFacts, options: RenderOptions): string {
  const { timeZone } = options;
  const duration = facts.resolvedAt
    ? formatDuration(facts.resolvedAt.getTime() - facts.detectedAt.getTime())
    : "ongoing";
  return (
    [
      `# Incident Postmortem: [${facts.ref}] ${facts.title}`,
      [
        `- **Date:** ${zonedTime(facts.detectedAt, timeZone).date}`,
        `- **Duration:** ${duration}`,
        `- **Severity:** ${facts.severity}`,
        `- **Owner:** ${facts.owner ?? "unassigned"}`,
      ].join("\n"),
      "## Impact",
      [
        `- **Users affected:** ${prompt("to be filled in")}`,
        `- **Revenue impact:** ${prompt("to be filled in")}`,
        `- **Services affected:** ${facts.services.length ? facts.services.join(", ") : prompt("to be filled in")}`,
      ].join("\n"),
      "## Timeline",
      timelineTable(facts, timeZone),
      "## Root Cause",
      prompt("What caused the incident, and what allowed it to happen? To be filled in."),
      "## Resolution",
      resolution(facts, timeZone),
      "## Action Items",
      ACTION_ITEMS_PLACEHOLDER,
      "## Lessons Learned",
      prompt("What went well, what went badly, where we got lucky. To be filled in."),
    ].join("\n\n") + "\n"
  );
}

/** Our own bookkeeping and delivery retries: not part of the story of the incident. */
const leftOut = (kind: string) =>
  kind.startsWith("postmortem_") ||
  kind.startsWith("ticket_") ||
  kind === "notification_failed" ||
  kind === "alerts_fired";

function timelineTable(facts: PostmortemFacts, timeZone: string): string {
  // Each alert's own start is when it fired; the alerts_fired events only say when Vigil heard of them.
  const rows = [
    ...facts.alerts.map((a) => ({ at: a.startsAt, what: `Alert fired: ${a.name}` })),
    ...facts.events.filter((e) => !leftOut(e.kind)).map((e) => ({ at: e.at, what: describeEvent(e) })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (rows.length === 0) return prompt("Nothing was recorded on the incident's timeline.");
  const lines = rows.map((r) => {
    const { date, time } = zonedTime(r.at, timeZone);
    return `| ${date} ${time} | ${tableCell(r.what)} |`;
  });
  return [`| Time (${timeZone}) | Event |`, "| --- | --- |", ...lines].join("\n");
}

function describeEvent(event: PostmortemFacts["events"][number]): string {
  // Kinds this file has never heard of (remediation runs, future features) still tell their own text.
  if (event.kind === "note") return `Note from ${event.actorName}: ${event.text}`;
  return event.text.trim() || `${event.kind.replaceAll("_", " ")} (${event.actorName})`;
}

const tableCell = (text: string) =>
  text
    .replace(/\s*\n\s*/g, " ")
    .replaceAll("|", "\\|")
    .trim();

function resolution(facts: PostmortemFacts, timeZone: string): string {
  const resolvedBy = facts.events.findLast((e) => e.kind === "resolved")?.actorName;
  const parts = [
    facts.autoResolved
      ? "Resolved automatically: every alert of the incident had resolved."
      : resolvedBy
        ? `Resolved by ${resolvedBy}.`
        : prompt("How was it resolved? To be filled in."),
  ];
  if (facts.resolutionNote) parts.push(facts.resolutionNote.trim());
  if (facts.remediationRuns.length) {
    const runs = facts.remediationRuns.map((run) => {
      const { date, time } = zonedTime(run.at, timeZone);
      return `- ${date} ${time} ${run.action} on ${run.target}: ${run.status.replaceAll("_", " ")} (requested by ${run.requestedBy})`;
    });
    parts.push(["Remediation runs:", "", ...runs].join("\n"));
  }
  return parts.join("\n\n");
}
