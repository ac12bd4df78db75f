// /incidents/INC-123 – one incident: what it is, its alerts, who was told, and its timeline
import { notFound } from "next/navigation";
import { AcknowledgeButton } from "@/components/incidents/acknowledge-button";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { formatAge, RelativeTime } from "@/components/ui/relative-time";
import { SeverityBadge } from "@/components/ui/severity-badge";
import { StatusBadge } from "@/components/ui/status-badge";
import { listIncidentAlerts } from "@/lib/alerts/list-incident-alerts";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getIncident, listTimelineEvents } from "@/lib/incidents/get-incident";
import { listIncidentNotifications } from "@/lib/notifications/list-notifications";
import { pageContext } from "../../page-context";

export async function generateMetadata({ params }: { params: Promise<{ ref: string }> }) {
  return { title: (await params).ref.toUpperCase() };
}

export default async function IncidentPage({ params }: { params: Promise<{ ref: string }> }) {
  const ctx = await pageContext();
  const { ref } = await params;
  const incident = await getIncident({ ctx, input: { ref } }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const [alerts, deliveries, timeline] = await Promise.all([
    listIncidentAlerts({ ctx, input: { ref: incident.id } }),
    listIncidentNotifications({ ctx, input: { ref: incident.id } }),
    listTimelineEvents({ ctx, input: { ref: incident.id, order: "desc" } }),
  ]);
  const end = incident.resolved_at ? new Date(incident.resolved_at) : ctx.now;
  const timeToAck = incident.acknowledged_at ? formatAge(Date.parse(incident.acknowledged_at) - Date.parse(incident.created_at)) : null;

  return (
    <article className="space-y-8">
      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <SeverityBadge severity={incident.severity} />
          <span className="font-mono text-sm text-zinc-500">{incident.ref}</span>
          <StatusBadge status={incident.status} />
          {incident.status === "open" && can(ctx.actor.role, "incident.acknowledge") && <AcknowledgeButton incidentRef={incident.ref} />}
        </div>
        <h1 className="text-2xl font-semibold">{incident.title}</h1>
        <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
          <div>
            <dt className="inline">Service </dt>
            <dd className="inline font-medium text-zinc-900 dark:text-zinc-100">{incident.service ?? "—"}</dd>
          </div>
          <div>
            <dt className="inline">Owner </dt>
            <dd className="inline font-medium text-zinc-900 dark:text-zinc-100">{incident.owner?.name ?? "unassigned"}</dd>
          </div>
          <div>
            <dt className="inline">{incident.resolved_at ? "Was open for " : "Open for "}</dt>
            <dd className="inline font-medium text-zinc-900 dark:text-zinc-100">{formatAge(end.getTime() - Date.parse(incident.created_at))}</dd>
          </div>
          <div>
            <dt className="inline">Time to acknowledge </dt>
            <dd className="inline font-medium text-zinc-900 dark:text-zinc-100">{timeToAck ?? "not yet"}</dd>
          </div>
          {incident.runbook_url && (
            <div>
              <a href={incident.runbook_url} className="text-blue-700 underline dark:text-blue-400">
                Runbook
              </a>
            </div>
          )}
        </dl>
        {incident.description && <p className="max-w-3xl whitespace-pre-wrap">{incident.description}</p>}
        {incident.resolution_note && <p className="max-w-3xl">Resolution: {incident.resolution_note}</p>}
      </header>

      <section aria-labelledby="alerts" className="space-y-2">
        <h2 id="alerts" className="text-lg font-semibold">
          Alerts
        </h2>
        <DataTable columns={["Alert", "Status", "Summary", "Started", "Links"]} empty={alerts.length === 0 && "No alerts: this incident was declared by hand."}>
          {alerts.map((a) => (
            <tr key={a.fingerprint} data-testid="alert-row">
              <td className={cell}>
                {a.name}
                <span className="block font-mono text-xs text-zinc-500">{Object.entries(a.labels).filter(([k]) => k !== "alertname").map(([k, v]) => `${k}=${v}`).join(" ")}</span>
              </td>
              <td className={cell}>{a.status}</td>
              <td className={mutedCell}>{a.summary ?? "—"}</td>
              <td className={mutedCell}>
                <RelativeTime iso={a.starts_at} now={ctx.now} />
              </td>
              <td className={`${cell} space-x-3`}>
                {a.generator_url && (
                  <a href={a.generator_url} className="text-blue-700 underline dark:text-blue-400">
                    Prometheus
                  </a>
                )}
                {a.runbook_url && (
                  <a href={a.runbook_url} className="text-blue-700 underline dark:text-blue-400">
                    Runbook
                  </a>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section aria-labelledby="deliveries" className="space-y-2">
        <h2 id="deliveries" className="text-lg font-semibold">
          Notifications
        </h2>
        <DataTable columns={["Channel", "To", "What", "Status", "Attempts", "Last error"]} empty={deliveries.length === 0 && "Nobody was notified (no routing rule matched, or no channel is configured)."}>
          {deliveries.map((d) => (
            <tr key={d.id} data-testid="notification-row">
              <td className={cell}>{d.channel}</td>
              <td className={mutedCell}>{d.target}</td>
              <td className={mutedCell}>{d.purpose === "open" ? "first notice" : d.purpose}</td>
              <td className={cell}>{d.status}</td>
              <td className={`${mutedCell} tabular-nums`}>
                {d.attempts} / {d.max_attempts}
              </td>
              <td className={`${mutedCell} max-w-sm truncate`} title={d.last_error ?? undefined}>
                {d.last_error ?? ""}
              </td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section aria-labelledby="timeline" className="space-y-2">
        <h2 id="timeline" className="text-lg font-semibold">
          Timeline
        </h2>
        <ol className="space-y-2 border-l border-zinc-200 pl-4 dark:border-zinc-800">
          {timeline.map((e) => (
            <li key={e.id} data-testid="timeline-event" className="text-sm">
              <span className="mr-2 font-mono text-xs text-zinc-500 tabular-nums" title={e.at}>
                {e.at.slice(11, 19)}
              </span>
              <span className="mr-2 rounded bg-zinc-100 px-1 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">{e.kind.replaceAll("_", " ")}</span>
              {e.text}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
