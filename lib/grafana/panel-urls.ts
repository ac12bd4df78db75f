// Grafana panels for an incident, as solo-panel iframe URLs (/d-solo/…): which dashboard comes from the
// alerts' `dashboard_uid` / `panel_ids` annotations, else the per-service overview that ships in
// deploy/grafana. The time range runs from 30 minutes before detection to the resolution (or now), and
// `var-service` is the incident's service.
import { grafanaDashboards } from "./dashboards";

export interface DashboardRef {
  uid: string;
  slug: string;
  panelIds: number[];
}

const { service } = grafanaDashboards;
/** The per-service overview dashboard in deploy/grafana: its open incidents, incidents created, and time to acknowledge. */
export const serviceOverviewDashboard: DashboardRef = {
  uid: service.uid,
  slug: service.slug,
  panelIds: [service.panels.openIncidents, service.panels.incidentsCreated, service.panels.timeToAcknowledge],
};

export interface PanelWindow {
  detectedAt: string;
  resolvedAt: string | null;
  service: string | null;
}

export function dashboardFromAnnotations(annotations: Record<string, string>[]): DashboardRef | null {
  for (const a of annotations) {
    const uid = a.dashboard_uid?.trim();
    if (!uid) continue;
    const panelIds = (a.panel_ids ?? "")
      .split(/[\s,]+/)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
    return { uid, slug: a.dashboard_slug?.trim() || uid, panelIds: panelIds.length ? panelIds : [1] };
  }
  return null;
}

export function grafanaPanelUrls(
  grafanaUrl: string,
  dashboard: DashboardRef,
  window: PanelWindow,
): { panelId: number; url: string }[] {
  const from = Date.parse(window.detectedAt) - 30 * 60_000;
  const to = window.resolvedAt ? String(Date.parse(window.resolvedAt)) : "now";
  return dashboard.panelIds.map((panelId) => {
    const params = new URLSearchParams({ orgId: "1", panelId: String(panelId), from: String(from), to, theme: "dark" });
    if (window.service) params.set("var-service", window.service);
    return {
      panelId,
      url: `${grafanaUrl}/d-solo/${encodeURIComponent(dashboard.uid)}/${encodeURIComponent(dashboard.slug)}?${params}`,
    };
  });
}
