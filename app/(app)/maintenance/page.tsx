// /maintenance – maintenance windows and snoozes: responders plan and end them, admins delete them,
// everyone sees what is muting paging now and what is coming
import Link from "next/link";
import { CreateWindowForm } from "@/components/maintenance/create-window-form";
import { MaintenanceActionButton } from "@/components/maintenance/maintenance-action-button";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { UtcTime } from "@/components/ui/utc-time";
import { can } from "@/lib/auth/permissions";
import { listMaintenanceWindows } from "@/lib/maintenance/manage-windows";
import type { MaintenanceWindow } from "@/lib/maintenance/schemas";
import { pageContext } from "../page-context";

export const metadata = { title: "Maintenance" };

const matcherText = (w: MaintenanceWindow) =>
  w.matcher.group_key !== null
    ? "its alert group"
    : [
        ...(w.matcher.service ? [`service=${w.matcher.service}`] : []),
        ...(w.matcher.team ? [`team=${w.matcher.team}`] : []),
        ...Object.entries(w.matcher.labels).map(([k, v]) => `${k}=${v}`),
      ].join(", ");

export default async function MaintenancePage() {
  const ctx = await pageContext();
  const windows = await listMaintenanceWindows({ ctx, input: { state: "all" } });
  const canManage = can(ctx.actor.role, "maintenance.manage");
  const canDelete = can(ctx.actor.role, "maintenance.delete");
  return (
    <section aria-labelledby="maintenance-title" className="space-y-6">
      <div className="space-y-1">
        <h1 id="maintenance-title" className="text-xl font-semibold">
          Maintenance windows
        </h1>
        <p className="max-w-3xl text-sm text-muted">
          While a window is active, incidents it matches still open and update, but page nobody and start no automatic
          remediation. When it ends, those still unresolved are paged then. A snooze is a window on one incident&apos;s
          alert group, started from the incident page.
        </p>
      </div>
      {canManage && <CreateWindowForm />}
      <DataTable
        columns={["State", "Name", "Covers", "Reason", "From", "Until", "By", ""]}
        empty={windows.length === 0 && "No maintenance windows yet."}
      >
        {windows.map((w) => (
          <tr key={w.id} data-testid="maintenance-row" className={w.state === "ended" ? "opacity-60" : undefined}>
            <td className={cell}>{w.state}</td>
            <td className={cell}>
              {w.kind === "snooze" && w.incident_id ? (
                <Link href={`/incidents/${w.incident_id}`} className="underline">
                  {w.name}
                </Link>
              ) : (
                w.name
              )}
            </td>
            <td className={`${mutedCell} font-mono text-xs`}>{matcherText(w)}</td>
            <td className={cell}>{w.reason}</td>
            <td className={mutedCell}>
              <UtcTime iso={w.starts_at} />
            </td>
            <td className={mutedCell}>
              <UtcTime iso={w.ends_at} />
              {w.ended_early_by && ` (ended early by ${w.ended_early_by})`}
            </td>
            <td className={mutedCell}>{w.created_by}</td>
            <td className={`${cell} space-x-2 whitespace-nowrap text-right`}>
              {canManage && w.state !== "ended" && (
                <MaintenanceActionButton path={`/api/v1/maintenance-windows/${w.id}/end`} label="End now" />
              )}
              {canDelete && (
                <MaintenanceActionButton
                  path={`/api/v1/maintenance-windows/${w.id}`}
                  method="DELETE"
                  intent="danger"
                  label="Delete"
                  confirm={`Delete “${w.name}”? If it is in force it ends now and what it held back is paged.`}
                />
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
