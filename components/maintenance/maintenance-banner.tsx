// The board's banner: the maintenance windows and snoozes in force, so nobody wonders why a new incident
// paged no one.
import Link from "next/link";
import type { MaintenanceWindow } from "@/lib/maintenance/schemas";
import { UtcTime } from "../ui/utc-time";

export function MaintenanceBanner({ windows }: { windows: MaintenanceWindow[] }) {
  if (windows.length === 0) return null;
  return (
    <aside
      aria-label="Maintenance windows in force"
      data-testid="maintenance-banner"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="font-medium">
        Paging held for {windows.length === 1 ? "one maintenance window" : `${windows.length} maintenance windows`}{" "}
        (matching incidents open but page nobody) ·{" "}
        <Link href="/maintenance" className="underline">
          manage
        </Link>
      </p>
      <ul className="mt-1 space-y-0.5">
        {windows.map((w) => (
          <li key={w.id}>
            <span className="rounded bg-amber-200 px-1.5 text-xs dark:bg-amber-900">
              {w.kind === "snooze" ? "snooze" : "maintenance"}
            </span>{" "}
            <strong>{w.name}</strong> until <UtcTime iso={w.ends_at} />: {w.reason}
          </li>
        ))}
      </ul>
    </aside>
  );
}
