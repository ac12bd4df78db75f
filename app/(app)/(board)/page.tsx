// / – the live board: active incidents, most severe and oldest first, updated as they change
import { DeclareIncidentDialog } from "@/components/incidents/declare-incident-dialog";
import { Suspense } from "react";
import { activeStatuses, BOARD_PAGE_SIZE, filtersFromSearchParams } from "@/components/incidents/board-filters";
import { LiveBoard } from "@/components/incidents/live-board";
import { MaintenanceBanner } from "@/components/maintenance/maintenance-banner";
import { BoardOnCallPanel } from "@/components/oncall/on-call-panels";
import { Skeleton } from "@/components/ui/skeleton";
import { can } from "@/lib/auth/permissions";
import { countIncidentsBySeverity, listIncidents } from "@/lib/incidents/list-incidents";
import { activeMaintenanceWindows } from "@/lib/maintenance/manage-windows";
import { pageContext } from "../page-context";
import { PendingApprovals } from "./pending-approvals";

export const dynamic = "force-dynamic";

export default async function BoardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pageContext();
  const filters = filtersFromSearchParams(await searchParams, { status: activeStatuses });
  const input = { ...filters, sort: "severity" as const, limit: BOARD_PAGE_SIZE };
  const [list, counts, maintenance] = await Promise.all([
    listIncidents({ ctx, input }),
    countIncidentsBySeverity({ ctx, input }),
    activeMaintenanceWindows(ctx),
  ]);
  // The board shows neither descriptions nor labels: leave them out of the page's payload.
  const initial = { ...list, data: list.data.map((i) => ({ ...i, description: null, labels: {} })) };
  return (
    <section aria-labelledby="board-title" className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-2">
        <h1 id="board-title" className="text-xl font-semibold">
          Open incidents
        </h1>
        <span className="text-sm text-muted">most severe first, then oldest</span>
        {can(ctx.actor.role, "incident.create") && (
          <div className="ml-auto">
            <DeclareIncidentDialog />
          </div>
        )}
      </div>
      <MaintenanceBanner windows={maintenance} />
      <PendingApprovals ctx={ctx} />
      <Suspense fallback={<Skeleton rows={1} label="Loading who is on call" />}>
        <BoardOnCallPanel ctx={ctx} />
      </Suspense>
      <LiveBoard
        filters={filters}
        initial={initial}
        counts={counts}
        canAcknowledge={can(ctx.actor.role, "incident.acknowledge")}
        myEmail={ctx.actor.email}
      />
    </section>
  );
}
