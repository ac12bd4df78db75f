// "On call now": per schedule, who, until when and which policies page it. Plain props, so /oncall, the
// board and the incident page show the same answer of the one on-call function.
import Link from "next/link";
import { formatDuration } from "@/lib/format-duration";
import type { OnCallEntry } from "@/lib/oncall/who-is-on-call";
import { UtcTime } from "../ui/utc-time";

export interface PolicyRef {
  id: string;
  name: string;
}

export function OnCallNow({
  at,
  entries,
  policiesBySchedule,
  empty = "No schedules yet.",
}: {
  at: string;
  entries: OnCallEntry[];
  policiesBySchedule: Record<string, PolicyRef[]>;
  empty?: string;
}) {
  if (entries.length === 0) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <ul className="space-y-2" data-testid="on-call-now">
      {entries.map(({ schedule, on_call, until }) => (
        <li key={schedule.id} data-testid="on-call-entry" className="text-sm">
          <Link href={`/oncall/schedules/${schedule.id}`} className="font-medium underline">
            {schedule.name}
          </Link>
          {": "}
          {on_call.length === 0 ? (
            <span className="font-medium text-red-700 dark:text-red-400">nobody on call</span>
          ) : (
            on_call.map((person, i) => (
              <span key={person.user_id}>
                {i > 0 && ", "}
                <span className="font-medium">{person.name}</span>
                {person.no_contact_methods && (
                  <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100">
                    no contact methods
                  </span>
                )}
              </span>
            ))
          )}
          <span className="text-muted">
            {until ? (
              <>
                {" "}
                until <UtcTime iso={until} /> (in{" "}
                {formatDuration(new Date(until).getTime() - new Date(at).getTime(), "minute")})
              </>
            ) : (
              " (no change within 60 days)"
            )}
          </span>
          {(policiesBySchedule[schedule.id] ?? []).length > 0 && (
            <span className="text-muted">
              {" · paged by "}
              {policiesBySchedule[schedule.id]!.map((p, i) => (
                <span key={p.id}>
                  {i > 0 && ", "}
                  <Link href={`/oncall/policies/${p.id}`} className="underline">
                    {p.name}
                  </Link>
                </span>
              ))}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Which policies name each schedule in a step, by schedule id. */
export function policiesBySchedule(
  policies: { id: string; name: string; steps: { targets: { type: string; schedule_id?: string }[] }[] }[],
): Record<string, PolicyRef[]> {
  const map: Record<string, PolicyRef[]> = {};
  for (const p of policies) {
    const ids = new Set(p.steps.flatMap((s) => s.targets.flatMap((t) => (t.schedule_id ? [t.schedule_id] : []))));
    for (const id of ids) (map[id] ??= []).push({ id: p.id, name: p.name });
  }
  return map;
}
