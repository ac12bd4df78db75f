// /runbooks – the runbook catalog: what each runbook is for and what it may do by itself.
import Link from "next/link";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { TimeAgo } from "@/components/runbooks/time-ago";
import { can } from "@/lib/auth/permissions";
import { listRunbooks } from "@/lib/runbooks/read-runbooks";
import { pageContext } from "../page-context";

export const metadata = { title: "Runbooks" };

export default async function RunbooksPage() {
  const ctx = await pageContext();
  const runbooks = await listRunbooks({ ctx, input: {} });
  return (
    <section aria-labelledby="runbooks" className="space-y-4">
      <div className="flex items-center gap-4">
        <h1 id="runbooks" className="text-xl font-semibold">
          Runbooks
        </h1>
        {can(ctx.actor.role, "runbook.edit") && (
          <Link
            href="/runbooks/new"
            className="ml-auto rounded bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900"
          >
            New runbook
          </Link>
        )}
      </div>
      <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        Runbooks come from <code>runbooks/*.md</code> in Git and from edits here; every change is a version. An incident
        follows the runbook its alert&apos;s runbook_url names, else the one whose alertnames and labels fit.
      </p>
      <DataTable
        columns={["Runbook", "For alerts", "Automated actions", "Version", "Last change"]}
        empty={runbooks.length === 0 && "No runbooks yet: add markdown files under runbooks/, or write one here."}
      >
        {runbooks.map((r) => (
          <tr key={r.slug} data-testid="runbook-row">
            <td className={cell}>
              <Link href={`/runbooks/${r.slug}`} className="font-medium text-blue-700 underline dark:text-blue-400">
                {r.title}
              </Link>
              <span className="block font-mono text-xs text-muted">{r.slug}</span>
            </td>
            <td className={mutedCell}>{r.alerts}</td>
            <td className={mutedCell}>
              {r.actions.length === 0
                ? "none"
                : r.actions.map((a) => (
                    <span key={a.id} className="mr-2 inline-block">
                      {a.title}
                      {a.auto && (
                        <span className="ml-1 rounded bg-blue-100 px-1 text-xs text-blue-900 dark:bg-blue-950 dark:text-blue-200">
                          auto
                        </span>
                      )}
                      {a.requires_approval && (
                        <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
                          approval
                        </span>
                      )}
                    </span>
                  ))}
            </td>
            <td className={`${mutedCell} tabular-nums`}>
              v{r.version}{" "}
              <span className="text-xs">
                ({r.source === "file" ? "Git" : r.source === "kubernetes" ? "Kubernetes" : "app"})
              </span>
            </td>
            <td className={mutedCell}>
              {r.updated_by.name}, <TimeAgo iso={r.updated_at} now={ctx.now} />
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
