// /incidents – every incident, newest first, with the board's filters and pages of 50
import Link from "next/link";
import { filtersFromSearchParams, filtersToQuery } from "@/components/incidents/board-filters";
import { IncidentTable } from "@/components/incidents/incident-table";
import { Button } from "@/components/ui/button";
import { can } from "@/lib/auth/permissions";
import { untrusted } from "@/lib/context";
import { listIncidents } from "@/lib/incidents/list-incidents";
import { severities } from "@/lib/incidents/schemas";
import { incidentStatuses } from "@/lib/incidents/state-machine";
import { pageContext, readFiltered } from "../page-context";

export const metadata = { title: "History" };

const input =
  "mt-1 block rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export default async function HistoryPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageContext();
  const params = await searchParams;
  const filters = filtersFromSearchParams(params, { status: [] });
  const cursor = typeof params.cursor === "string" ? params.cursor : undefined;
  const { value: page, problem } = await readFiltered(
    listIncidents({ ctx, input: untrusted({ ...filters, limit: 50, cursor }) }),
  );
  return (
    <section aria-labelledby="history" className="space-y-4">
      <h1 id="history" className="text-xl font-semibold">
        All incidents
      </h1>
      <form method="get" className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter incidents">
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Search
          <input name="q" defaultValue={filters.q} placeholder="Title or INC-123" className={input} />
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Status
          <select name="status" defaultValue={filters.status[0] ?? ""} className={input}>
            <option value="">any</option>
            {incidentStatuses.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Severity
          <select name="severity" defaultValue={filters.severity[0] ?? ""} className={input}>
            <option value="">any</option>
            {severities.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {(["service", "team", "owner"] as const).map((name) => (
          <label key={name} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            {name}
            <input name={name} defaultValue={filters[name]} className={input} />
          </label>
        ))}
        {/* A range from an analytics drill-down stays while the other filters change. */}
        {(["created_after", "created_before", "counted"] as const).map(
          (name) => filters[name] && <input key={name} type="hidden" name={name} value={filters[name]} />,
        )}
        <Button type="submit" intent="primary">
          Filter
        </Button>
      </form>
      {(filters.created_after || filters.created_before || filters.counted) && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="range-note">
          {describeRange(filters.created_after, filters.created_before)}
          {filters.counted === "true"
            ? ", drills and tests left out (as in analytics)"
            : filters.counted === "false"
              ? ", only drills and tests"
              : ""}
          .{" "}
          <Link
            href={`/incidents?${filtersToQuery({ ...filters, created_after: undefined, created_before: undefined, counted: undefined })}`}
            className="text-blue-700 underline dark:text-blue-400"
          >
            All dates
          </Link>
        </p>
      )}
      {problem && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problem}
        </p>
      )}
      {page && (
        <IncidentTable
          incidents={page.data}
          now={ctx.now}
          emptyMessage="No incident matches these filters."
          canAcknowledge={can(ctx.actor.role, "incident.acknowledge")}
        />
      )}
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {cursor && (
          <Link href={`/incidents?${filtersToQuery(filters)}`} className="text-blue-700 underline dark:text-blue-400">
            Newest
          </Link>
        )}
        {page?.next_cursor && (
          <Link
            href={`/incidents?${filtersToQuery(filters, { cursor: page.next_cursor })}`}
            className="text-blue-700 underline dark:text-blue-400"
          >
            Older incidents
          </Link>
        )}
      </nav>
    </section>
  );
}

const day = (iso: string) => iso.slice(0, 16).replace("T", " ");

function describeRange(after: string | undefined, before: string | undefined): string {
  if (after && before) return `Created from ${day(after)} to before ${day(before)} UTC`;
  if (after) return `Created from ${day(after)} UTC`;
  if (before) return `Created before ${day(before)} UTC`;
  return "All dates";
}
