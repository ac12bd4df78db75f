// /runbooks/new – write a runbook in the app (responders); it starts from the file format's skeleton.
import { redirect } from "next/navigation";
import { RunbookEditor } from "@/components/runbooks/runbook-editor";
import { can } from "@/lib/auth/permissions";
import { pageContext } from "../../page-context";

export const metadata = { title: "New runbook" };

const skeleton = `---
slug: my-alert
title: My Alert
alerts:
  alertnames: [MyAlert]
escalation:
  to: the owning team's on-call
  after: 15m
actions: []
---
# My Alert

What fired, and what it means for users.

## Symptoms

## Immediate Checks

## Automated Actions

## Manual Remediation

## Escalation

## Links
`;

export default async function NewRunbookPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "runbook.edit")) redirect("/runbooks");
  return (
    <section aria-labelledby="new-runbook" className="space-y-4">
      <h1 id="new-runbook" className="text-xl font-semibold">
        New runbook
      </h1>
      {can(ctx.actor.role, "runbook.edit_actions") ? null : (
        <p className="text-sm text-muted" data-testid="actions-need-admin">
          Your role edits the text. Changing the actions (or which alerts a runbook with actions matches) or writing a
          regular-expression matcher (=~, !~) needs an admin.
        </p>
      )}
      <RunbookEditor mode="create" initialMarkdown={skeleton} />
    </section>
  );
}
