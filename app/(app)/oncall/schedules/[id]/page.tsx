// /oncall/schedules/[id] – a schedule's final schedule for the next three weeks beside its layers and
// overrides (gaps in red), its lint warnings, overrides for responders and layers for admins
import { notFound } from "next/navigation";
import { MaintenanceActionButton as ActionButton } from "@/components/maintenance/maintenance-action-button";
import { LayerForm } from "@/components/oncall/layer-form";
import { LintWarnings } from "@/components/oncall/lint-warnings";
import { OverrideForm } from "@/components/oncall/override-form";
import { ScheduleTimeline } from "@/components/oncall/schedule-timeline";
import { dayMarks, scheduleModel, timelineRows } from "@/components/oncall/timeline-layout";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { UtcTime } from "@/components/ui/utc-time";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { listPeople } from "@/lib/oncall/people";
import { getSchedule } from "@/lib/oncall/schedules";
import { pageContext } from "../../../page-context";

const TIMELINE_DAYS = 21;
const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export default async function SchedulePage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const { id } = await params;
  const [schedule, people] = await Promise.all([
    getSchedule({ ctx, input: { id } }).catch((error: unknown) => {
      if (isAppError(error) && (error.code === "not_found" || error.code === "invalid")) notFound();
      throw error;
    }),
    listPeople({ ctx, input: {} }),
  ]);
  const names = Object.fromEntries(people.map((p) => [p.id, p.name]));
  const from = ctx.now;
  const to = new Date(from.getTime() + TIMELINE_DAYS * 86_400_000);
  const rows = timelineRows(scheduleModel(schedule), from, to);
  const scheduledIds = [...new Set(schedule.layers.flatMap((l) => l.participants))];
  const canOverride = can(ctx.actor.role, "oncall.override");
  const canManage = can(ctx.actor.role, "oncall.manage");
  const person = (userId: string) => names[userId] ?? userId;
  return (
    <section aria-labelledby="schedule-title" className="space-y-6">
      <div className="space-y-1">
        <h1 id="schedule-title" className="text-xl font-semibold">
          {schedule.name}
        </h1>
        <p className="text-sm text-muted">
          {schedule.time_zone}
          {schedule.team && ` · team ${schedule.team}`}
          {schedule.description && ` · ${schedule.description}`}
        </p>
      </div>
      <LintWarnings warnings={schedule.warnings} />
      <div className="space-y-2">
        <h2 className="font-semibold">Next {TIMELINE_DAYS} days</h2>
        <p className="text-xs text-muted">
          From <UtcTime iso={from.toISOString()} /> to <UtcTime iso={to.toISOString()} />; day marks at midnight UTC.
        </p>
        <ScheduleTimeline rows={rows} marks={dayMarks(from, to)} names={names} />
      </div>
      <div className="space-y-2">
        <h2 className="font-semibold">Overrides</h2>
        {canOverride && (
          <OverrideForm
            scheduleId={schedule.id}
            people={people.map((p) => ({ id: p.id, name: p.name }))}
            scheduled={scheduledIds.map((userId) => ({ id: userId, name: person(userId) }))}
          />
        )}
        <DataTable
          columns={["Order", "Who", "Instead of", "From", "To", ""]}
          empty={schedule.overrides.length === 0 && "No overrides now or ahead."}
        >
          {schedule.overrides.map((o, i) => (
            <tr key={o.id} data-testid="override-row">
              <td className={mutedCell}>{i + 1}</td>
              <td className={cell}>{person(o.user_id)}</td>
              <td className={mutedCell}>
                {o.kind === "add"
                  ? "added beside whoever is on call"
                  : o.replaces_user_id
                    ? person(o.replaces_user_id)
                    : "whoever is on call"}
              </td>
              <td className={mutedCell}>
                <UtcTime iso={o.start} />
              </td>
              <td className={mutedCell}>
                <UtcTime iso={o.end} />
              </td>
              <td className={`${cell} text-right`}>
                {canOverride && (
                  <ActionButton
                    path={`/api/v1/schedules/${schedule.id}/overrides/${o.id}`}
                    method="DELETE"
                    intent="danger"
                    label="Remove"
                    confirm={`Remove ${person(o.user_id)}'s override?`}
                  />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
      <div className="space-y-2">
        <h2 className="font-semibold">Layers (bottom to top; a higher layer wins where it has someone)</h2>
        <DataTable
          columns={["Layer", "Anchor", "Handoff", "Participants", "Restrictions", ""]}
          empty={schedule.layers.length === 0 && "No layers: nobody is ever on call."}
        >
          {schedule.layers.map((l) => (
            <tr key={l.id} data-testid="layer-row">
              <td className={cell}>{l.name}</td>
              <td className={`${mutedCell} font-mono text-xs`}>{l.anchor}</td>
              <td className={mutedCell}>
                every {l.interval_count} {l.interval_unit}
              </td>
              <td className={cell}>{l.participants.map(person).join(", ") || "nobody"}</td>
              <td className={mutedCell}>
                {l.restrictions
                  .map((r) => `${r.days.map((d) => weekdays[d]).join(" ")} ${r.start}–${r.end}`)
                  .join("; ") || "all day, every day"}
              </td>
              <td className={`${cell} text-right`}>
                {canManage && (
                  <ActionButton
                    path={`/api/v1/schedules/${schedule.id}/layers/${l.id}`}
                    method="DELETE"
                    intent="danger"
                    label="Remove"
                    confirm={`Remove layer ${l.name}?`}
                  />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
        {canManage && <LayerForm scheduleId={schedule.id} people={people.map((p) => ({ id: p.id, name: p.name }))} />}
      </div>
    </section>
  );
}
