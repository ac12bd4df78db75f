import type { Postmortem } from "@/lib/postmortems/schemas";

const styles: Record<Postmortem["status"], string> = {
  draft: "bg-zinc-100 text-zinc-800 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-200",
  in_review: "bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-200",
  published: "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-200",
};

export const postmortemStatusLabel = (status: Postmortem["status"]) => status.replace("_", " ");

export function PostmortemStatusBadge({ status }: { status: Postmortem["status"] }) {
  return (
    <span
      data-testid="postmortem-status"
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${styles[status]}`}
    >
      {postmortemStatusLabel(status)}
    </span>
  );
}
