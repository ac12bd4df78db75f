// /incidents/INC-123 – one incident: header and actions, alerts, runbook, Grafana panels, who was told,
// and the timeline. Each independent section streams in its own Suspense boundary.
import { notFound } from "next/navigation";
import { cache, Suspense } from "react";
import { DetectionTime } from "@/components/incidents/detection-time";
import { IncidentActions } from "@/components/incidents/incident-actions";
import { IncidentLiveRefresh } from "@/components/incidents/incident-live-refresh";
import { IncidentMaintenanceNote } from "@/components/maintenance/incident-maintenance-note";
import { IncidentEscalationPanel, IncidentOnCallPanel } from "@/components/oncall/on-call-panels";
import { TimelineView } from "@/components/incidents/timeline-view";
import { cell, DataTable, mutedCell } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { SeverityBadge } from "@/components/ui/severity-badge";
import { Skeleton } from "@/components/ui/skeleton";
import { StatusBadge } from "@/components/ui/status-badge";
import { UtcTime } from "@/components/ui/utc-time";
import { listIncidentAlerts } from "@/lib/alerts/list-incident-alerts";
import { can } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { isAppError } from "@/lib/errors";
import { formatDuration } from "@/lib/format-duration";
import { dashboardFromAnnotations, grafanaPanelUrls, serviceOverviewDashboard } from "@/lib/grafana/panel-urls";
import { getIncident, listTimelineEvents } from "@/lib/incidents/get-incident";
import type { Incident } from "@/lib/incidents/schemas";
import { listIncidentMaintenance } from "@/lib/maintenance/manage-windows";
import { listIncidentNotifications } from "@/lib/notifications/list-notifications";
import { getRuntime } from "@/lib/runtime";
import { pageContext } from "../../page-context";
import { GrafanaPanel } from "@/components/incidents/grafana-panel";
import { RunbookSection } from "./runbook-section";
import { PostmortemLink } from "./postmortem-link";

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
  const end = incident.resolved_at ? Date.parse(incident.resolved_at) : ctx.now.getTime();
  const timeToAck = incident.acknowledged_at
    ? formatDuration(Date.parse(incident.acknowledged_at) - Date.parse(incident.created_at))
    : null;
  const fact = (label: string, value: React.ReactNode) => (
    <div>
      <dt className="inline">{label} </dt>
      <dd className="inline font-medium text-zinc-900 dark:text-zinc-100">{value}</dd>
    </div>
  );

  return (
    <article className="space-y-8">
      <header className="space-y-3">
        <div className="flex flex-wrap items-center gap-3">
          <SeverityBadge severity={incident.severity} />
          <span className="font-mono text-sm text-muted">{incident.ref}</span>
          <StatusBadge status={incident.status} />
          {incident.false_positive && (
            <span className="rounded bg-zinc-200 px-1.5 text-xs dark:bg-zinc-800">false positive</span>
          )}
          <span className="ml-auto">
            <IncidentLiveRefresh incidentId={incident.id} />
          </span>
        </div>
        <h1 className="text-2xl font-semibold">{incident.title}</h1>
        <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
          {fact("Service", incident.service ?? "—")}
          {fact("Team", incident.team ?? "—")}
          {fact("Owner", incident.owner?.name ?? "unassigned")}
          {fact("Detected", <DetectionTime incident={incident} canEdit={can(ctx.actor.role, "incident.update")} />)}
          {fact(
            incident.resolved_at ? "Was open for" : "Open for",
            formatDuration(end - Date.parse(incident.created_at)),
          )}
          {fact("Time to acknowledge", timeToAck ?? "not yet")}
          {incident.reopened_count > 0 && fact("Reopened", `${incident.reopened_count}×`)}
        </dl>
        {incident.description && <p className="max-w-3xl whitespace-pre-wrap">{incident.description}</p>}
        {/* A reopened incident keeps its last note for the postmortem, but it no longer describes the incident. */}
        {incident.status === "resolved" && incident.resolution_note && (
          <p className="max-w-3xl">Resolution: {incident.resolution_note}</p>
        )}
        <Suspense fallback={null}>
          <PostmortemLink ctx={ctx} incident={incident} />
        </Suspense>
        <Suspense fallback={null}>
          <Maintenance ctx={ctx} incident={incident} />
        </Suspense>
        <div className="grid gap-3 lg:grid-cols-2">
          <Suspense fallback={<Skeleton rows={1} label="Loading who is on call" />}>
            <IncidentOnCallPanel ctx={ctx} incident={incident} />
          </Suspense>
          <Suspense fallback={<Skeleton rows={2} label="Loading the escalation" />}>
            <IncidentEscalationPanel ctx={ctx} incident={incident} />
          </Suspense>
        </div>
        {can(ctx.actor.role, "incident.update") && (
          <IncidentActions
            incident={incident}
            myEmail={ctx.actor.email}
            firingAlerts={await firingAlertNames(ctx, incident)}
          />
        )}
      </header>

      <Section id="runbook" title="Runbook">
        <Suspense fallback={<Skeleton rows={2} label="Loading the runbook" />}>
          <RunbookSection ctx={ctx} incident={incident} personId={ctx.actor.userId} />
        </Suspense>
      </Section>

      <Section id="alerts" title="Alerts">
        <Suspense fallback={<Skeleton label="Loading alerts" />}>
          <Alerts ctx={ctx} incident={incident} />
        </Suspense>
      </Section>

      <Section id="dashboards" title="Dashboards">
        <Suspense fallback={<Skeleton rows={2} label="Loading dashboards" />}>
          <GrafanaPanels ctx={ctx} incident={incident} />
        </Suspense>
      </Section>

      <Section id="notifications" title="Notifications">
        <Suspense fallback={<Skeleton label="Loading the delivery log" />}>
          <Deliveries ctx={ctx} incident={incident} />
        </Suspense>
      </Section>

      <Section id="timeline" title="Timeline">
        <Suspense fallback={<Skeleton rows={5} label="Loading the timeline" />}>
          <Timeline ctx={ctx} incident={incident} />
        </Suspense>
      </Section>
    </article>
  );
}

/** "In maintenance window X until T" while one mutes the incident; else the snooze button for responders. */
async function Maintenance({ ctx, incident }: { ctx: Ctx; incident: Incident }) {
  const windows = await listIncidentMaintenance({ ctx, input: { ref: incident.id } });
  return (
    <IncidentMaintenanceNote
      incidentRef={incident.ref}
      windows={windows}
      canSnooze={
        can(ctx.actor.role, "incident.snooze") && incident.group_key !== null && incident.status !== "resolved"
      }
      canEnd={can(ctx.actor.role, "maintenance.manage")}
    />
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

async function Alerts({ ctx, incident }: { ctx: Ctx; incident: Incident }) {
  const alerts = await alertsOf(ctx, incident.id);
  return (
    <DataTable
      columns={["Alert", "Status", "Summary", "Started", "Links"]}
      empty={alerts.length === 0 && "No alerts: this incident was declared by hand."}
    >
      {alerts.map((a) => (
        <tr key={a.fingerprint} data-testid="alert-row">
          <td className={cell}>
            {a.name}
            <span className="block font-mono text-xs text-muted">
              {Object.entries(a.labels)
                .filter(([k]) => k !== "alertname")
                .map(([k, v]) => `${k}=${v}`)
                .join(" ")}
            </span>
          </td>
          <td className={cell}>{a.status}</td>
          <td className={mutedCell}>
            {a.summary ?? "—"}
            {a.values && <span className="block font-mono text-xs">{a.values}</span>}
          </td>
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
            {a.links.map((link) => (
              <a key={link.href} href={link.href} className="text-blue-700 underline dark:text-blue-400">
                {link.text}
              </a>
            ))}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

async function GrafanaPanels({ ctx, incident }: { ctx: Ctx; incident: Incident }) {
  const grafanaUrl = getRuntime().config.grafanaUrl;
  if (!grafanaUrl)
    return <p className="text-sm text-muted">Set GRAFANA_URL to see the service&apos;s dashboards here.</p>;
  const alerts = await alertsOf(ctx, incident.id);
  const dashboard = dashboardFromAnnotations(alerts.map((a) => a.annotations)) ?? serviceOverviewDashboard;
  const panels = grafanaPanelUrls(grafanaUrl, dashboard, {
    detectedAt: incident.detected_at ?? incident.created_at,
    resolvedAt: incident.resolved_at,
    service: incident.service,
  });
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {panels.map((p) => (
        <GrafanaPanel key={p.panelId} url={p.url} title={`Grafana panel ${p.panelId} of ${dashboard.uid}`} />
      ))}
    </div>
  );
}

const deliveryStatusStyle = {
  sent: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  pending: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  sending: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
} as const;

/** The incident's alerts, read once per request however many parts of the page show them. */
const alertsOf = cache((ctx: Ctx, incidentId: string) => listIncidentAlerts({ ctx, input: { ref: incidentId } }));

/** The names of the incident's alerts still firing (each once): resolving warns of them. */
async function firingAlertNames(ctx: Ctx, incident: Incident): Promise<string[]> {
  if (incident.status === "resolved") return [];
  const alerts = await alertsOf(ctx, incident.id);
  return [...new Set(alerts.filter((a) => a.status === "firing").map((a) => a.name))];
}

async function Deliveries({ ctx, incident }: { ctx: Ctx; incident: Incident }) {
  const deliveries = await listIncidentNotifications({ ctx, input: { ref: incident.id } });
  return (
    <DataTable
      columns={["Channel", "To", "What", "Status", "Sent", "Attempts", "Last error"]}
      empty={deliveries.length === 0 && "Nobody was notified (no routing rule matched, or no channel is configured)."}
    >
      {deliveries.map((d) => (
        <tr key={d.id} data-testid="notification-row">
          <td className={cell}>{d.channel}</td>
          <td className={mutedCell}>{d.target}</td>
          <td className={mutedCell}>{d.purpose === "open" ? "first notice" : d.purpose}</td>
          <td className={cell}>
            <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${deliveryStatusStyle[d.status]}`}>
              {d.status}
            </span>
          </td>
          <td className={`${mutedCell} whitespace-nowrap tabular-nums`}>
            {d.sent_at ? <UtcTime iso={d.sent_at} withDate={false} /> : "—"}
          </td>
          <td className={`${mutedCell} tabular-nums`}>
            {/* A permanent failure (a 400, say) is not retried: "1 / 5" would suggest four more tries. */}
            {d.status === "failed" && d.attempts < d.max_attempts
              ? `${d.attempts}, not retried`
              : `${d.attempts} / ${d.max_attempts}`}
          </td>
          <td className={`${mutedCell} max-w-sm truncate`} title={d.last_error ?? undefined}>
            {d.last_error ?? ""}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

async function Timeline({ ctx, incident }: { ctx: Ctx; incident: Incident }) {
  const events = await listTimelineEvents({ ctx, input: { ref: incident.id, order: "desc" } });
  return (
    <TimelineView
      incidentRef={incident.ref}
      events={events}
      canAddNote={can(ctx.actor.role, "incident.add_timeline_event")}
    />
  );
}
