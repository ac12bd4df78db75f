// What the timeline (and through it the incident's Slack thread) says about a run. Pure.
import type { RemediationRunRow } from "@/db/schema";
import type { RemediationStatus } from "./schemas";

const decisionWords: Partial<Record<RemediationStatus, string>> = {
  approved: "allowed",
  pending_approval: "waiting for approval",
  rate_limited: "rate limited",
  denied: "denied",
};

type RunFacts = Pick<
  RemediationRunRow,
  "actionId" | "actionType" | "target" | "automatic" | "dryRun" | "status" | "reason" | "output"
>;

const what = (run: RunFacts, title: string) =>
  `"${title}" (${run.actionType}) on ${run.target}${run.dryRun ? ", as a dry run" : ""}`;

export function decisionText(run: RunFacts, title: string, requester: string): string {
  const who = run.automatic ? "Automatic remediation" : `${requester} requested`;
  return `${who} ${what(run, title)}: ${decisionWords[run.status] ?? run.status}. ${capitalise(run.reason ?? "")}`.trim();
}

export function approvalText(run: RunFacts, title: string, decider: string, approved: boolean, note?: string): string {
  return `${decider} ${approved ? "approved" : "rejected"} ${what(run, title)}${note ? `: ${note}` : ""}`;
}

export function resultText(run: RunFacts, title: string): string {
  const mark = run.status === "succeeded" ? "✅" : run.status === "failed" ? "❌" : "⛔";
  const verb =
    run.status === "succeeded"
      ? run.dryRun
        ? "dry run finished"
        : "succeeded"
      : run.status === "failed"
        ? "failed"
        : "did not run";
  return `${mark} ${capitalise(what(run, title))} ${verb}: ${run.output ?? run.reason ?? ""}`.trim();
}

const capitalise = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);
