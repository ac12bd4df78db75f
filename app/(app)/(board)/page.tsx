// / – the open incidents, newest first (the live commander board comes with the UI issue)
import { DeclareIncidentDialog } from "@/components/incidents/declare-incident-dialog";
import { IncidentTable } from "@/components/incidents/incident-table";
import { can } from "@/lib/auth/permissions";
import { listIncidents } from "@/lib/incidents/list-incidents";
import { pageContext } from "../page-context";

export const dynamic = "force-dynamic";

export default async function OpenIncidentsPage() {
  const ctx = await pageContext();
  const { data, next_cursor } = await listIncidents({ ctx, input: { status: ["open", "acknowledged", "investigating"], limit: 100 } });
  return (
    <section aria-labelledby="open-incidents">
      <div className="mb-4 flex items-baseline gap-3">
        <h1 id="open-incidents" className="text-xl font-semibold">
          Open incidents
        </h1>
        <span className="text-sm text-zinc-500">
          {data.length}
          {next_cursor ? "+" : ""} active
        </span>
        {can(ctx.actor.role, "incident.create") && (
          <div className="ml-auto">
            <DeclareIncidentDialog />
          </div>
        )}
      </div>
      <IncidentTable incidents={data} now={ctx.now} emptyMessage="No open incidents. All quiet." canAcknowledge={can(ctx.actor.role, "incident.acknowledge")} />
    </section>
  );
}
