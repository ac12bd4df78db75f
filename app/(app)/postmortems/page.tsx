// /postmortems – every postmortem, newest first: its incident, review status and action items, the
// overdue ones called out; filter by status or "has overdue items".
import Link from "next/link";
import { PostmortemStatusBadge } from "@/components/postmortems/postmortem-status-badge";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { SeverityBadge } from "@/components/ui/severity-badge";
import { untrusted } from "@/lib/context";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { listPostmortems } from "@/lib/postmortems/read-postmortems";
import { pageContext, readFiltered } from "../page-context";

export const metadata = { title: "Postmortems" };

const filters = [
  { label: "All", query: {} },
  { label: "Drafts", query: { status: "draft" } },
  { label: "In review", query: { status: "in_review" } },
  { label: "Published", query: { status: "published" } },
  { label: "Overdue action items", query: { overdue: "true" } },
] as const;

export default async function PostmortemsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageContext();
  const params = await searchParams;
  const query = {
    status: typeof params.status === "string" ? params.status : undefined,
    overdue: params.overdue === "true" ? "true" : undefined,
  };
  const { value, problem } = await readFiltered(
    listPostmortems({ ctx, input: untrusted(query), settings: postmortemSettings() }),
  );
  const postmortems = value ?? [];
  const filtered = Object.values(query).some((value) => value !== undefined);
  const current = (q: Record<string, string>) =>
    (q.status ?? null) === (query.status ?? null) && (q.overdue ?? null) === (query.overdue ?? null);
  return (
    <section aria-labelledby="postmortems" className="space-y-4">
      <h1 id="postmortems" className="text-xl font-semibold">
        Postmortems
      </h1>
      <nav aria-label="Filter postmortems" className="flex flex-wrap gap-2 text-sm">
        {filters.map((f) => (
          <Link
            key={f.label}
            href={`/postmortems${Object.keys(f.query).length ? `?${new URLSearchParams(f.query).toString()}` : ""}`}
            aria-current={current(f.query) ? "page" : undefined}
            className={`rounded px-2 py-1 ${current(f.query) ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
          >
            {f.label}
          </Link>
        ))}
      </nav>
      {problem && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problem}
        </p>
      )}
      <DataTable
        columns={["Incident", "Status", "Action items", "Updated", "Published"]}
        empty={
          !problem &&
          postmortems.length === 0 &&
          (filtered ? "No postmortem matches this filter." : "No postmortems yet: resolving an incident drafts one.")
        }
      >
        {postmortems.map((p) => (
          <tr key={p.id} data-testid="postmortem-row">
            <td className={cell}>
              <span className="mr-2">
                <SeverityBadge severity={p.incident.severity} />
              </span>
              <span className="mr-2 font-mono text-xs text-muted">{p.incident.ref}</span>
              <Link href={`/postmortems/${p.id}`} className="font-medium hover:underline">
                {p.incident.title}
              </Link>
            </td>
            <td className={cell}>
              <PostmortemStatusBadge status={p.status} />
            </td>
            <td className={`${mutedCell} tabular-nums`}>
              {p.action_item_counts.open} open of {p.action_item_counts.total}
              {p.action_item_counts.overdue > 0 && (
                <span
                  data-testid="overdue-count"
                  className="ml-2 rounded bg-red-50 px-1.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200"
                >
                  {p.action_item_counts.overdue} overdue
                </span>
              )}
            </td>
            <td className={mutedCell}>
              <RelativeTime iso={p.updated_at} now={ctx.now} /> {p.updated_by && `by ${p.updated_by}`}
            </td>
            <td className={mutedCell}>{p.published_at ? <RelativeTime iso={p.published_at} now={ctx.now} /> : "—"}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
