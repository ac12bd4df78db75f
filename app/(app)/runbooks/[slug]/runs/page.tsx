// /runbooks/high-error-rate/runs – the runbook's execution history: every run of its actions across
// incidents, with filters (outcome, action, dates), older pages by cursor, and its success rate and median
// duration at the top.
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatSeconds, formatShare } from "@/components/analytics/figures";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { UtcTime } from "@/components/ui/utc-time";
import { untrusted } from "@/lib/context";
import { isAppError } from "@/lib/errors";
import { listRunbookRuns } from "@/lib/remediation/runbook-runs";
import { remediationStatuses } from "@/lib/remediation/schemas";
import { getRunbook } from "@/lib/runbooks/read-runbooks";
import { pageContext, readFiltered } from "../../../page-context";
import { Button } from "@/components/ui/button";

export const metadata = { title: "Runbook runs" };

const filterNames = ["outcome", "action", "from", "to"] as const;
const link = "text-sm text-blue-700 underline dark:text-blue-400";
const input =
  "mt-1 block rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const label = "text-xs font-medium text-zinc-600 dark:text-zinc-400";

export default async function RunbookRunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const ctx = await pageContext();
  const { slug } = await params;
  const query = await searchParams;
  const runbook = await getRunbook({ ctx, input: { slug } }).catch((error: unknown) => {
    if (isAppError(error) && (error.code === "not_found" || error.code === "invalid")) notFound();
    throw error;
  });
  const filters = Object.fromEntries(filterNames.flatMap((n) => (query[n] ? [[n, query[n]]] : [])));
  const { value: result, problem } = await readFiltered(
    listRunbookRuns({ ctx, input: untrusted({ ...filters, slug, cursor: query.cursor }) }),
  );
  const next = result?.next_cursor ? `?${new URLSearchParams({ ...filters, cursor: result.next_cursor })}` : null;

  return (
    <section aria-labelledby="runs" className="space-y-4">
      <p className="text-sm">
        <Link href={`/runbooks/${runbook.slug}`} className={link}>
          {runbook.title}
        </Link>
      </p>
      <h1 id="runs" className="text-xl font-semibold">
        Runs of {runbook.title}
      </h1>
      {result && (
        <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm" aria-label="Run figures" data-testid="runbook-run-stats">
          <div>
            <dt className="inline text-muted">Success rate </dt>
            <dd className="inline font-semibold" data-testid="runbook-success-rate">
              {formatShare(result.stats.success_rate)}
            </dd>{" "}
            <span className="text-muted">
              ({result.stats.succeeded} succeeded, {result.stats.failed} failed)
            </span>
          </div>
          <div>
            <dt className="inline text-muted">Median duration </dt>
            <dd className="inline font-semibold" data-testid="runbook-median-duration">
              {formatSeconds(result.stats.median_duration_ms === null ? null : result.stats.median_duration_ms / 1000)}
            </dd>
          </div>
          <div>
            <dt className="inline text-muted">Runs </dt>
            <dd className="inline font-semibold">{result.stats.runs}</dd>
          </div>
        </dl>
      )}
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter the runs">
        <label className={label}>
          outcome
          <select name="outcome" defaultValue={query.outcome ?? ""} className={input}>
            <option value="">any</option>
            {remediationStatuses.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          action
          <select name="action" defaultValue={query.action ?? ""} className={input}>
            <option value="">any</option>
            {runbook.actions.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title}
              </option>
            ))}
          </select>
        </label>
        {(["from", "to"] as const).map((name) => (
          <label key={name} className={label}>
            {name}
            <input name={name} defaultValue={query[name] ?? ""} placeholder="2026-11-28" className={input} />
          </label>
        ))}
        <Button type="submit" intent="primary">
          Filter
        </Button>
      </form>
      {problem && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problem}
        </p>
      )}
      {result && (
        <DataTable
          columns={["When", "Incident", "Action", "Target", "Requested by", "Approved by", "Outcome", "Took", "Output"]}
          empty={
            result.data.length === 0 &&
            (Object.keys(filters).length > 0
              ? "No runs match these filters."
              : "This runbook's actions have not run yet.")
          }
        >
          {result.data.map((run) => (
            <tr key={run.id} data-testid="runbook-run-row">
              <td className={`${mutedCell} whitespace-nowrap tabular-nums`}>
                <UtcTime iso={run.requested_at} />
              </td>
              <td className={cell}>
                {run.incident ? (
                  <Link href={`/incidents/${run.incident.ref}`} className={link} title={run.incident.title}>
                    {run.incident.ref}
                  </Link>
                ) : (
                  <span className="text-muted">(deleted)</span>
                )}
              </td>
              <td className={`${cell} font-mono text-xs`}>{run.action_id}</td>
              <td className={`${mutedCell} font-mono text-xs`}>{run.target}</td>
              <td className={mutedCell}>{run.automatic ? "automatic" : run.requested_by.name}</td>
              <td className={mutedCell}>{run.decided_by?.name ?? "—"}</td>
              <td className={cell}>
                {run.status.replace("_", " ")}
                {run.dry_run && <span className="text-xs text-muted"> (dry run)</span>}
              </td>
              <td className={`${mutedCell} tabular-nums`}>
                {run.duration_ms === null ? "—" : formatSeconds(run.duration_ms / 1000)}
              </td>
              <td className={`${mutedCell} max-w-md truncate font-mono text-xs`} title={run.output ?? run.reason ?? ""}>
                {run.output ?? run.reason ?? ""}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <p className="flex gap-4">
        {query.cursor && (
          <a href={`?${new URLSearchParams(filters)}`} className={link}>
            Newest runs
          </a>
        )}
        {next && (
          <a href={next} className={link}>
            Older runs
          </a>
        )}
      </p>
    </section>
  );
}
