// /runbooks/high-error-rate – one runbook: what it is for, its automated actions, and its steps. The
// Prometheus rules' runbook_url links land here.
import Link from "next/link";
import { notFound } from "next/navigation";
import { Markdown } from "@/components/ui/markdown";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { ApproveActionsButton } from "@/components/runbooks/approve-actions-button";
import { TimeAgo } from "@/components/runbooks/time-ago";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getRunbook } from "@/lib/runbooks/read-runbooks";
import type { RunbookDetail } from "@/lib/runbooks/schemas";
import { pageContext } from "../../page-context";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return { title: `Runbook ${(await params).slug}` };
}

const link = "text-sm text-blue-700 underline dark:text-blue-400";
const noteClass =
  "max-w-3xl rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100";
const alertClass =
  "max-w-3xl rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100";

function sourceText(runbook: RunbookDetail): string {
  if (runbook.source === "kubernetes") return `from the Runbook resource ${runbook.resource?.ref ?? ""}`;
  return runbook.source === "file" ? `from ${runbook.file_path ?? "Git"}` : "edited in Vigil";
}

export default async function RunbookPage({ params }: { params: Promise<{ slug: string }> }) {
  const ctx = await pageContext();
  const { slug } = await params;
  const runbook = await getRunbook({ ctx, input: { slug } }).catch((error: unknown) => {
    if (isAppError(error) && (error.code === "not_found" || error.code === "invalid")) notFound();
    throw error;
  });
  return (
    <article className="space-y-6">
      <header className="space-y-2">
        <p className="text-sm">
          <Link href="/runbooks" className={link}>
            Runbooks
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">{runbook.title}</h1>
        <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
          <div>
            <dt className="inline">For alerts </dt>
            <dd className="inline font-medium text-zinc-900 dark:text-zinc-100">{runbook.alerts}</dd>
          </div>
          {runbook.service && (
            <div>
              <dt className="inline">Service </dt>
              <dd className="inline font-medium text-zinc-900 dark:text-zinc-100">{runbook.service}</dd>
            </div>
          )}
          {runbook.escalation && (
            <div>
              <dt className="inline">Escalate to </dt>
              <dd className="inline font-medium text-zinc-900 dark:text-zinc-100">
                {runbook.escalation.to}
                {runbook.escalation.after && ` after ${runbook.escalation.after}`}
                {runbook.escalation.channel && ` (${runbook.escalation.channel})`}
              </dd>
            </div>
          )}
          <div>
            <dt className="inline">Version </dt>
            {/* Who made the version and when belong to its value: a <dl> group holds only <dt> and <dd>. */}
            <dd className="inline">
              <span className="font-medium text-zinc-900 dark:text-zinc-100" data-testid="runbook-version">
                {runbook.version}
              </span>{" "}
              by {runbook.updated_by.name}, <TimeAgo iso={runbook.updated_at} now={ctx.now} /> ({sourceText(runbook)})
            </dd>
          </div>
        </dl>
        <div className="flex flex-wrap gap-4">
          {can(ctx.actor.role, "runbook.edit") && !runbook.resource && (
            <Link href={`/runbooks/${runbook.slug}/edit`} className={link}>
              Edit
            </Link>
          )}
          <Link href={`/runbooks/${runbook.slug}/history`} className={link}>
            History
          </Link>
          <Link href={`/runbooks/${runbook.slug}/runs`} className={link}>
            Runs
          </Link>
          <a href={`/api/v1/runbooks/${runbook.slug}/export`} className={link} download>
            Export ({runbook.slug}.md)
          </a>
        </div>
        {runbook.edited_since_file && (
          <p role="note" className={noteClass}>
            Edited in Vigil since {runbook.file_path} was last loaded. Export it and commit the file to keep this
            version: when that file next changes in Git, its content becomes the newest version (this one stays in the
            history).
          </p>
        )}
        {runbook.resource && (
          <p role="note" className={noteClass} data-testid="runbook-resource">
            Synced from the Kubernetes Runbook resource <span className="font-mono">{runbook.resource.ref}</span>: edit
            the resource (kubectl, your manifests), not this page.
            {runbook.resource.removed_at && " The resource was deleted: this runbook is kept for its history and runs."}
          </p>
        )}
        {runbook.resource?.problem && (
          <p role="alert" className={alertClass} data-testid="runbook-resource-problem">
            Its actions are refused: {runbook.resource.problem}.
          </p>
        )}
        {runbook.actions_inactive && runbook.actions.length > 0 && (
          <div className={noteClass} data-testid="runbook-actions-inactive">
            <p>Its actions are inactive: {runbook.actions_inactive}.</p>
            {can(ctx.actor.role, "runbook.edit_actions") &&
              !runbook.resource?.problem &&
              !runbook.resource?.removed_at && (
                <p className="mt-2">
                  <ApproveActionsButton slug={runbook.slug} version={runbook.version} />
                </p>
              )}
          </div>
        )}
        {runbook.resource?.actions_approved && (
          <p className="text-sm text-muted" data-testid="runbook-actions-approved">
            Actions approved by {runbook.resource.actions_approved.by} at version{" "}
            {runbook.resource.actions_approved.version}.
          </p>
        )}
      </header>

      <section aria-labelledby="actions" className="space-y-2">
        <h2 id="actions" className="text-lg font-semibold">
          Automated actions
        </h2>
        <DataTable
          columns={["Action", "Type", "Runs", "Limit"]}
          empty={runbook.actions.length === 0 && "None: this runbook's steps are for people."}
        >
          {runbook.actions.map((a) => (
            <tr key={a.id}>
              <td className={cell}>
                {a.title} <span className="block font-mono text-xs text-muted">{a.id}</span>
              </td>
              <td className={`${mutedCell} font-mono text-xs`}>{a.type}</td>
              <td className={mutedCell}>
                {a.auto ? "automatically when a matching incident opens" : "when a responder asks"}
                {a.requires_approval && ", after an admin approves"}
              </td>
              <td className={mutedCell}>{a.max_per_hour ?? "default"} per hour per target</td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section
        aria-label="Steps"
        className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
      >
        <Markdown
          markdown={runbook.body}
          belowPageTitle
          className="max-w-3xl text-sm text-zinc-800 dark:text-zinc-200"
          data-testid="runbook-body"
        />
      </section>
    </article>
  );
}
