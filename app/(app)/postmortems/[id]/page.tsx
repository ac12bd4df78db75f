// /postmortems/<id> – one postmortem: the document (editor with live preview for responders, the
// rendered document for everyone else), its review state, its action items and who saved which version.
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionItemsEditor } from "@/components/postmortems/action-items-editor";
import { PostmortemEditor } from "@/components/postmortems/postmortem-editor";
import { PostmortemStatusBadge } from "@/components/postmortems/postmortem-status-badge";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { SeverityBadge } from "@/components/ui/severity-badge";
import { UtcTime } from "@/components/ui/utc-time";
import { can } from "@/lib/auth/permissions";
import { untrusted } from "@/lib/context";
import { isAppError } from "@/lib/errors";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { getPostmortem } from "@/lib/postmortems/read-postmortems";
import { pageContext } from "../../page-context";

export const metadata = { title: "Postmortem" };

const trackerNames = { jira: "Jira", github: "GitHub" } as const;

export default async function PostmortemPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const settings = postmortemSettings();
  const postmortem = await getPostmortem({ ctx, input: untrusted(await params), settings }).catch((error: unknown) => {
    if (isAppError(error) && (error.code === "not_found" || error.code === "invalid")) notFound();
    throw error;
  });
  const canEdit = can(ctx.actor.role, "postmortem.edit");
  return (
    <article className="space-y-8">
      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <SeverityBadge severity={postmortem.incident.severity} />
          <Link
            href={`/incidents/${postmortem.incident.ref}`}
            className="font-mono text-sm text-blue-700 underline dark:text-blue-400"
          >
            {postmortem.incident.ref}
          </Link>
          <PostmortemStatusBadge status={postmortem.status} />
          <span className="text-sm text-muted">
            version {postmortem.version}
            {postmortem.updated_by && `, last changed by ${postmortem.updated_by}`}
          </span>
        </div>
        <h1 className="text-2xl font-semibold">Postmortem: {postmortem.incident.title}</h1>
      </header>

      <PostmortemEditor
        postmortem={postmortem}
        canEdit={canEdit}
        canPublish={can(ctx.actor.role, "postmortem.publish")}
      />

      <section aria-labelledby="action-items" className="space-y-2">
        <h2 id="action-items" className="text-lg font-semibold">
          Action items
        </h2>
        <ActionItemsEditor
          postmortemId={postmortem.id}
          initial={postmortem.action_items}
          canEdit={canEdit}
          trackerName={settings.tracker ? trackerNames[settings.tracker.kind] : null}
        />
      </section>

      <section aria-labelledby="revisions" className="space-y-2">
        <h2 id="revisions" className="text-lg font-semibold">
          Revisions
        </h2>
        <DataTable columns={["Version", "Saved by", "When"]}>
          {postmortem.revisions.map((r) => (
            <tr key={r.version} data-testid="revision-row">
              <td className={`${cell} tabular-nums`}>{r.version}</td>
              <td className={cell}>{r.author.name}</td>
              <td className={mutedCell}>
                <UtcTime iso={r.created_at} />
              </td>
            </tr>
          ))}
        </DataTable>
      </section>
    </article>
  );
}
