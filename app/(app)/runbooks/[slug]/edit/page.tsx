// /runbooks/high-error-rate/edit – the editor (responders): the whole document with a live preview and the
// front matter's problems as you type.
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { RunbookEditor } from "@/components/runbooks/runbook-editor";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getRunbook } from "@/lib/runbooks/read-runbooks";
import { pageContext } from "../../../page-context";

export const metadata = { title: "Edit runbook" };

export default async function EditRunbookPage({ params }: { params: Promise<{ slug: string }> }) {
  const ctx = await pageContext();
  const { slug } = await params;
  if (!can(ctx.actor.role, "runbook.edit")) redirect(`/runbooks/${slug}`);
  const runbook = await getRunbook({ ctx, input: { slug } }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  // A Runbook resource's runbook is edited in Kubernetes; the page says so.
  if (runbook.resource) redirect(`/runbooks/${slug}`);
  return (
    <section aria-labelledby="edit-runbook" className="space-y-4">
      <p className="text-sm">
        <Link href={`/runbooks/${runbook.slug}`} className="text-blue-700 underline dark:text-blue-400">
          {runbook.title}
        </Link>
      </p>
      <h1 id="edit-runbook" className="text-xl font-semibold">
        Edit {runbook.title} <span className="text-sm font-normal text-muted">(from version {runbook.version})</span>
      </h1>
      {can(ctx.actor.role, "runbook.edit_actions") ? null : (
        <p className="text-sm text-muted" data-testid="actions-need-admin">
          Your role edits the text. Changing the actions (or which alerts a runbook with actions matches) or writing a
          regular-expression matcher (=~, !~) needs an admin.
        </p>
      )}
      <RunbookEditor mode="edit" slug={runbook.slug} baseVersion={runbook.version} initialMarkdown={runbook.markdown} />
    </section>
  );
}
