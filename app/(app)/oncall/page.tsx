// /oncall – who is on call now on each schedule, the schedules and escalation policies, and the people
// a page cannot reach (no contact methods)
import Link from "next/link";
import { OnCallNow, policiesBySchedule } from "@/components/oncall/on-call-now";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { listPeople } from "@/lib/oncall/people";
import { listPolicies } from "@/lib/oncall/policies";
import { whoIsOnCall } from "@/lib/oncall/who-is-on-call";
import { pageContext } from "../page-context";

export const metadata = { title: "On call" };

export default async function OnCallPage() {
  const ctx = await pageContext();
  const [now, policies, people] = await Promise.all([
    whoIsOnCall({ ctx, input: {} }),
    listPolicies({ ctx, input: {} }),
    listPeople({ ctx, input: {} }),
  ]);
  const bySchedule = policiesBySchedule(policies);
  const unreachable = people.filter((p) => p.no_contact_methods);
  return (
    <section aria-labelledby="oncall-title" className="space-y-6">
      <h1 id="oncall-title" className="text-xl font-semibold">
        On call
      </h1>
      <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="mb-2 font-semibold">On call now</h2>
        <OnCallNow at={now.at} entries={now.schedules} policiesBySchedule={bySchedule} />
      </div>
      {unreachable.length > 0 && (
        <div
          role="status"
          className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950"
        >
          <h2 className="font-semibold">People without contact methods</h2>
          <p className="mb-1 text-muted">A page cannot reach them; scheduling them leaves a hole.</p>
          <ul data-testid="no-contact-methods" className="list-inside list-disc">
            {unreachable.map((p) => (
              <li key={p.id}>
                {p.name} <span className="text-muted">({p.email})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="space-y-2">
        <h2 className="font-semibold">Schedules</h2>
        <DataTable
          columns={["Name", "Team", "Time zone", "Paged by"]}
          empty={now.schedules.length === 0 && "No schedules yet."}
        >
          {now.schedules.map(({ schedule }) => (
            <tr key={schedule.id}>
              <td className={cell}>
                <Link href={`/oncall/schedules/${schedule.id}`} className="underline">
                  {schedule.name}
                </Link>
              </td>
              <td className={mutedCell}>{schedule.team ?? "—"}</td>
              <td className={mutedCell}>{schedule.time_zone}</td>
              <td className={mutedCell}>
                {(bySchedule[schedule.id] ?? []).map((p) => p.name).join(", ") || "no policy"}
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
      <div className="space-y-2">
        <h2 className="font-semibold">Escalation policies</h2>
        <DataTable
          columns={["Name", "Steps", "Repeat", "Warnings"]}
          empty={policies.length === 0 && "No escalation policies yet."}
        >
          {policies.map((p) => (
            <tr key={p.id}>
              <td className={cell}>
                <Link href={`/oncall/policies/${p.id}`} className="underline">
                  {p.name}
                </Link>
                {p.is_default && <span className="ml-2 text-xs text-muted">default</span>}
              </td>
              <td className={mutedCell}>{p.steps.length}</td>
              <td className={mutedCell}>{p.repeat}</td>
              <td className={mutedCell}>{p.warnings.map((w) => w.message).join("; ") || "none"}</td>
            </tr>
          ))}
        </DataTable>
      </div>
    </section>
  );
}
