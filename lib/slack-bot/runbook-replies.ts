// What the bot says about runbooks and remediation: the list, one runbook, the confirmation before a run
// (a Run and a Dry run button per action), the request for approval in the incident's thread, and what a
// decision or a request did. Pure functions of their inputs.
import type { ActionsBlockElement, KnownBlock } from "@slack/web-api";
import { z } from "zod";
import type { Incident } from "../incidents/schemas";
import { escapeMrkdwn, mrkdwnLink } from "../integrations/slack/mrkdwn";
import { markdownHeadings } from "../markdown/headings";
import type { IncidentRunbook, RemediationRun } from "../remediation/schemas";
import type { RunbookDetail, RunbookSummary } from "../runbooks/schemas";
import { ephemeral, type SlackReply } from "./replies";
import { clip } from "./slack-text";

/** The action_ids of the runbook buttons, as Slack sends them back. */
export const runbookButtons = {
  run: "runbook_run",
  dryRun: "runbook_dry_run",
  approve: "remediation_approve",
  reject: "remediation_reject",
} as const;

/** What a Run / Dry run button carries (Slack allows 2000 characters; we check it on the way back). */
export const RunButtonValue = z.object({ i: z.uuid(), r: z.string().max(100), a: z.string().max(100) });
export type RunButtonValue = z.infer<typeof RunButtonValue>;

const runbookUrl = (appUrl: string, slug: string) => `${appUrl}/runbooks/${slug}`;

export const runbookHelp = [
  "*Vigil's /runbook commands*",
  "• `/runbook list`: the runbooks",
  "• `/runbook show <runbook>`: one runbook's steps (`/runbook show INC-123`: the incident's runbook)",
  "• `/runbook run <runbook> INC-123`: run one of its actions for an incident (asks you to confirm first; the remediation policy decides)",
].join("\n");

export function runbookList(runbooks: RunbookSummary[], appUrl: string): SlackReply {
  if (runbooks.length === 0)
    return ephemeral("There are no runbooks yet. Add markdown files under runbooks/ or write one in Vigil.");
  const lines = runbooks.map((r) => {
    const actions = r.actions.map((a) => `\`${a.id}\`${a.auto ? " (auto)" : ""}`).join(", ");
    return `• <${runbookUrl(appUrl, r.slug)}|${escapeMrkdwn(r.title)}> \`${r.slug}\` · ${escapeMrkdwn(clip(r.alerts, 120))}${actions ? ` · actions: ${actions}` : ""}`;
  });
  return ephemeral(clip([`*Runbooks* (${runbooks.length})`, ...lines].join("\n"), 3000));
}

/**
 * Markdown as Slack's mrkdwn shows it, near enough: headings bold, links and bold converted. Line by line
 * with patterns that cannot backtrack far (a runbook body is anyone's text, up to 200,000 characters);
 * only http(s) links become links.
 */
export function markdownToMrkdwn(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const headingAt = new Map(markdownHeadings(lines.join("\n")).map((h) => [h.line, h.text]));
  return lines
    .map((line, index) => {
      const heading = headingAt.get(index + 1);
      return heading === undefined
        ? inlineToMrkdwn(line).replace(/^([ \t]*)[-*][ \t]+/, "$1• ")
        : `*${inlineToMrkdwn(heading)}*`;
    })
    .join("\n");
}

const unescapeMrkdwn = (text: string) => text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");

function inlineToMrkdwn(line: string): string {
  return escapeMrkdwn(line)
    .replace(/\*\*(.+?)\*\*/g, "*$1*")
    .replace(/\[([^[\]]+)\]\(([^()\s]+)\)/g, (_, text: string, url: string) =>
      mrkdwnLink(unescapeMrkdwn(url), unescapeMrkdwn(text)),
    );
}

/** Splits text into pieces Slack's section blocks accept (3000 characters), at line ends where it can. */
function chunks(text: string, size = 2900, max = 12): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest && out.length < max) {
    if (rest.length <= size) {
      out.push(rest);
      break;
    }
    const cut = rest.lastIndexOf("\n", size) > size / 2 ? rest.lastIndexOf("\n", size) : size;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).trim();
  }
  return out;
}

export function runbookDetails(
  runbook: RunbookDetail,
  appUrl: string,
  forIncident?: { incident: Incident; reason: string | null },
): SlackReply {
  const facts = [
    forIncident
      ? `For ${forIncident.incident.ref}${forIncident.reason ? ` (${escapeMrkdwn(forIncident.reason)})` : ""}`
      : null,
    `Alerts: ${escapeMrkdwn(runbook.alerts)}`,
    runbook.service ? `Service: ${escapeMrkdwn(runbook.service)}` : null,
    runbook.escalation
      ? `Escalate to ${escapeMrkdwn(runbook.escalation.to)}${runbook.escalation.after ? ` after ${runbook.escalation.after}` : ""}`
      : null,
    `Version ${runbook.version}`,
  ].filter(Boolean);
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: { type: "mrkdwn", text: `📘 *<${runbookUrl(appUrl, runbook.slug)}|${escapeMrkdwn(runbook.title)}>*` },
    },
    { type: "context", elements: [{ type: "mrkdwn", text: clip(facts.join(" · "), 2900) }] },
    ...chunks(markdownToMrkdwn(runbook.body)).map((text): KnownBlock => ({
      type: "section",
      text: { type: "mrkdwn", text },
    })),
  ];
  if (runbook.actions.length > 0) {
    const lines = runbook.actions.map(
      (a) =>
        `• \`${a.id}\` ${escapeMrkdwn(a.title)} (${a.type}${a.auto ? ", automatic" : ""}${a.requires_approval ? ", needs approval" : ""})`,
    );
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: clip(`*Automated actions*\n${lines.join("\n")}\nRun one: \`/runbook run ${runbook.slug} INC-123\``, 2900),
      },
    });
  }
  return ephemeral(`${runbook.title}: ${runbookUrl(appUrl, runbook.slug)}`, blocks.slice(0, 45));
}

/** The confirmation `/runbook run` shows: each action with what it would act on, and its buttons. */
export function runConfirmation(
  incident: Incident,
  plan: IncidentRunbook & { runbook: RunbookDetail },
  appUrl: string,
): SlackReply {
  const { runbook } = plan;
  if (runbook.actions.length === 0)
    return ephemeral(
      `*${escapeMrkdwn(runbook.title)}* has no automated actions: follow its steps at ${runbookUrl(appUrl, runbook.slug)}`,
    );
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `Run a step of *<${runbookUrl(appUrl, runbook.slug)}|${escapeMrkdwn(runbook.title)}>* for *${incident.ref}*: ${escapeMrkdwn(clip(incident.title, 200))}?`,
      },
    },
  ];
  for (const action of runbook.actions) {
    const target = plan.targets[action.id]?.[0];
    const on = target?.target
      ? `on ${escapeMrkdwn(target.target)}`
      : `cannot run here: ${escapeMrkdwn(target?.problem ?? "no target")}`;
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: clip(
          `*${escapeMrkdwn(action.title)}* (\`${action.type}\`) ${on}${action.requires_approval ? " · needs approval" : ""}`,
          2900,
        ),
      },
    });
    if (!target?.target) continue;
    const value = JSON.stringify({ i: incident.id, r: runbook.slug, a: action.id } satisfies RunButtonValue);
    const buttons: ActionsBlockElement[] = [
      {
        type: "button",
        action_id: runbookButtons.run,
        text: { type: "plain_text", text: clip(`Run ${action.title}`, 75) },
        style: "primary",
        value,
        confirm: {
          title: { type: "plain_text", text: "Run this action?" },
          text: {
            type: "mrkdwn",
            text: clip(
              `${escapeMrkdwn(action.title)} on ${escapeMrkdwn(target.target)} for ${incident.ref}. The remediation policy decides whether it runs now, waits for approval or is refused.`,
              300,
            ),
          },
          confirm: { type: "plain_text", text: "Run" },
          deny: { type: "plain_text", text: "Cancel" },
        },
      },
      { type: "button", action_id: runbookButtons.dryRun, text: { type: "plain_text", text: "Dry run" }, value },
    ];
    blocks.push({ type: "actions", block_id: `runbook-run:${action.id}`, elements: buttons });
  }
  return ephemeral(`Run a step of ${runbook.title} for ${incident.ref}?`, blocks.slice(0, 45));
}

const statusWords: Record<RemediationRun["status"], string> = {
  pending_approval: "⏳ waiting for approval",
  approved: "▶️ allowed, running now",
  running: "▶️ running",
  succeeded: "✅ succeeded",
  failed: "❌ failed",
  rejected: "🚫 rejected",
  rate_limited: "🛑 rate limited",
  denied: "⛔ denied",
};

/** What a request through Slack came to. */
export function requestedReply(run: RemediationRun, incidentRef: string, title: string, appUrl: string): SlackReply {
  const next =
    run.status === "approved"
      ? "The result will follow on the incident's timeline and in its Slack thread."
      : run.status === "pending_approval"
        ? "An admin can approve it in Vigil or with the buttons in the incident's Slack thread."
        : "Nothing was run.";
  return {
    response_type: "ephemeral",
    replace_original: true,
    text: `${escapeMrkdwn(title)}${run.dry_run ? " (dry run)" : ""} on ${escapeMrkdwn(run.target)} for <${appUrl}/incidents/${incidentRef}|${incidentRef}>: ${statusWords[run.status]}. ${escapeMrkdwn(run.reason ?? "")} ${next}`
      .replace(/\s+/g, " ")
      .trim(),
  };
}

/** The message in the incident's thread that asks for approval. */
export function approvalRequest(
  run: RemediationRun,
  title: string,
  incidentRef: string,
  appUrl: string,
): { text: string; blocks: KnownBlock[] } {
  const text = `Approval needed for ${incidentRef}: ${title} on ${run.target}, requested by ${run.requested_by.name}`;
  return {
    text,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: clip(
            `⏳ *Approval needed*: ${escapeMrkdwn(title)} (\`${run.action_type}\`) on *${escapeMrkdwn(run.target)}* for <${appUrl}/incidents/${incidentRef}|${incidentRef}>, requested by ${escapeMrkdwn(run.requested_by.name)}${run.dry_run ? " (dry run)" : ""}.\n${escapeMrkdwn(run.reason ?? "")}`,
            2900,
          ),
        },
      },
      {
        type: "actions",
        block_id: `remediation:${run.id}`,
        elements: [
          {
            type: "button",
            action_id: runbookButtons.approve,
            style: "primary",
            text: { type: "plain_text", text: "Approve" },
            value: run.id,
            confirm: {
              title: { type: "plain_text", text: "Approve and run?" },
              text: {
                type: "mrkdwn",
                text: clip(`${escapeMrkdwn(title)} on ${escapeMrkdwn(run.target)} runs as soon as you approve.`, 300),
              },
              confirm: { type: "plain_text", text: "Approve" },
              deny: { type: "plain_text", text: "Cancel" },
            },
          },
          {
            type: "button",
            action_id: runbookButtons.reject,
            style: "danger",
            text: { type: "plain_text", text: "Reject" },
            value: run.id,
          },
        ],
      },
    ],
  };
}

/** What replaces the approval message once someone decided (the buttons go away). */
export function decidedMessage(run: RemediationRun, title: string, who: string): SlackReply {
  return {
    replace_original: true,
    text: `${statusWords[run.status]}: ${escapeMrkdwn(title)} on ${escapeMrkdwn(run.target)} (${run.status === "rejected" ? "rejected" : "approved"} by ${escapeMrkdwn(who)}). ${escapeMrkdwn(run.reason ?? "")}`.trim(),
  };
}
