// /admin/audit – the audit log with filters (actor, action, resource, time) and CSV export
import { Button } from "@/components/ui/button";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { UtcTime } from "@/components/ui/utc-time";
import { untrusted } from "@/lib/context";
import { listAuditLog } from "@/lib/audit/list-audit-log";
import { pageContext, readFiltered } from "../../page-context";

export const metadata = { title: "Audit log" };

const filterNames = ["actor", "action", "resource_type", "resource_id", "from", "to"] as const;
const input =
  "mt-1 block rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext();
  const params = await searchParams;
  const filters = Object.fromEntries(filterNames.flatMap((n) => (params[n] ? [[n, params[n]]] : [])));
  const { value: result, problem } = await readFiltered(
    listAuditLog({ ctx, input: untrusted({ ...filters, cursor: params.cursor, limit: 100 }) }),
  );
  const next = result?.next_cursor ? `?${new URLSearchParams({ ...filters, cursor: result.next_cursor })}` : null;

  return (
    <div className="space-y-4">
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter the audit log">
        {filterNames.map((name) => (
          <label key={name} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            {name.replace("_", " ")}
            <input
              name={name}
              defaultValue={params[name] ?? ""}
              placeholder={name === "from" || name === "to" ? "2026-11-28T00:00:00Z" : undefined}
              className={input}
            />
          </label>
        ))}
        <Button type="submit" intent="primary">
          Filter
        </Button>
        <a
          href={`/api/v1/audit/export?${new URLSearchParams(filters)}`}
          className="text-sm text-blue-700 underline dark:text-blue-400"
          download
        >
          Download CSV
        </a>
      </form>
      {problem && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problem}
        </p>
      )}
      {result && (
        <DataTable
          label="Audit log entries"
          columns={["When", "Actor", "Action", "Resource", "Details", "IP"]}
          empty={result.data.length === 0 && "No audit entries match."}
        >
          {result.data.map((e) => (
            <tr key={e.id} data-testid="audit-row">
              <td className={`${mutedCell} whitespace-nowrap tabular-nums`}>
                <UtcTime iso={e.timestamp} />
              </td>
              <td className={cell}>
                {e.actor.name} <span className="text-xs text-muted">({e.actor.type})</span>
              </td>
              <td className={`${cell} font-mono text-xs`}>{e.action}</td>
              <td className={`${mutedCell} font-mono text-xs`}>
                {e.resource_type}
                {e.resource_id ? `/${e.resource_id.slice(0, 8)}` : ""}
              </td>
              <td className={`${mutedCell} max-w-md truncate font-mono text-xs`} title={JSON.stringify(e.details)}>
                {JSON.stringify(e.details)}
              </td>
              <td className={`${mutedCell} font-mono text-xs`}>{e.ip_address ?? ""}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {next && (
        <a href={next} className="text-sm text-blue-700 underline dark:text-blue-400">
          Older entries
        </a>
      )}
    </div>
  );
}
