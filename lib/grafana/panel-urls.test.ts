import { describe, expect, it } from "vitest";
import { dashboardFromAnnotations, grafanaPanelUrls, serviceOverviewDashboard } from "./panel-urls";

describe("Grafana panel URLs", () => {
  it("builds solo-panel URLs with the uid, panel id, a window from 30 minutes before detection, and the service", () => {
    const [first] = grafanaPanelUrls("https://grafana.example.com", serviceOverviewDashboard, {
      detectedAt: "2026-11-28T06:30:00Z",
      resolvedAt: "2026-11-28T07:15:00Z",
      service: "checkout",
    });
    const url = new URL(first!.url);
    expect(url.pathname).toBe("/d-solo/vigil-service-overview/vigil-service-overview");
    expect(url.searchParams.get("panelId")).toBe("1");
    expect(url.searchParams.get("from")).toBe(String(Date.parse("2026-11-28T06:00:00Z")));
    expect(url.searchParams.get("to")).toBe(String(Date.parse("2026-11-28T07:15:00Z")));
    expect(url.searchParams.get("var-service")).toBe("checkout");
    expect(url.searchParams.get("orgId")).toBe("1");
  });

  it("runs to now while the incident is open", () => {
    const urls = grafanaPanelUrls("https://g", serviceOverviewDashboard, {
      detectedAt: "2026-11-28T06:30:00Z",
      resolvedAt: null,
      service: null,
    });
    expect(urls).toHaveLength(3);
    expect(new URL(urls[0]!.url).searchParams.get("to")).toBe("now");
    expect(new URL(urls[0]!.url).searchParams.has("var-service")).toBe(false);
  });

  it("takes the dashboard and panels an alert names in its annotations", () => {
    expect(dashboardFromAnnotations([{ summary: "x" }, { dashboard_uid: "api-red", panel_ids: "4, 7" }])).toEqual({
      uid: "api-red",
      slug: "api-red",
      panelIds: [4, 7],
    });
    expect(dashboardFromAnnotations([{ summary: "x" }])).toBeNull();
  });
});
