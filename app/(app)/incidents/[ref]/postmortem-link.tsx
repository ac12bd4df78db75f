// The incident page's pointer to its postmortem: a link once drafted; for a resolved incident without
// one yet (resolved just now, or before postmortems existed), a button that writes it now.
import Link from "next/link";
import { WritePostmortemButton } from "@/components/postmortems/write-postmortem-button";
import { PostmortemStatusBadge } from "@/components/postmortems/postmortem-status-badge";
import { can } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { isAppError } from "@/lib/errors";
import type { Incident } from "@/lib/incidents/schemas";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { getIncidentPostmortem } from "@/lib/postmortems/read-postmortems";

export async function PostmortemLink({ ctx, incident }: { ctx: Ctx; incident: Incident }) {
  const postmortem = await getIncidentPostmortem({
    ctx,
    input: { ref: incident.id },
    settings: postmortemSettings(),
  }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  });
  if (postmortem) {
    return (
      <p className="flex items-center gap-2 text-sm" data-testid="postmortem-link">
        <Link href={`/postmortems/${postmortem.id}`} className="font-medium text-blue-700 underline dark:text-blue-400">
          Postmortem
        </Link>
        <PostmortemStatusBadge status={postmortem.status} />
      </p>
    );
  }
  if (incident.status !== "resolved") return null;
  return can(ctx.actor.role, "postmortem.edit") ? (
    <WritePostmortemButton incidentRef={incident.ref} />
  ) : (
    <p className="text-sm text-muted">The postmortem is being drafted.</p>
  );
}
