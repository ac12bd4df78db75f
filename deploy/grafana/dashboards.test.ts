// The Grafana provisioning and dashboards shipped in deploy/grafana: the uids, slugs and panel ids the UI
// links to (lib/grafana/dashboards.ts, and the incident page's default panels) are the ones in the JSON, every panel queries the
// provisioned data source, and every query is valid PromQL (checked by the real promtool, from Debian's
// `prometheus` package, like deploy-configs.test.ts). Which metrics /metrics really exposes is checked
// against a database in __tests__/dashboard-metrics.test.ts.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { grafanaDashboards } from "@/lib/grafana/dashboards";
import { serviceOverviewDashboard } from "@/lib/grafana/panel-urls";
import { grafanaDir, loadDashboards, metricNamesIn, slugOf, withGrafanaVariablesFilled } from "./dashboard-queries";

const dashboards = loadDashboards();
const datasources = YAML.parse(
  readFileSync(path.join(grafanaDir, "provisioning/datasources/vigil-prometheus.yaml"), "utf8"),
) as {
  apiVersion: number;
  datasources: { uid: string; type: string; url: string }[];
};
const providers = YAML.parse(readFileSync(path.join(grafanaDir, "provisioning/dashboards/vigil.yaml"), "utf8")) as {
  apiVersion: number;
  providers: { name: string; type: string; options: { path: string } }[];
};

describe("Grafana provisioning", () => {
  it("provisions one Prometheus data source with the uid the dashboards use, and a file provider", () => {
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: "vigil-prometheus", type: "prometheus" })]);
    expect(providers.apiVersion).toBe(1);
    expect(providers.providers).toEqual([
      expect.objectContaining({
        type: "file",
        options: expect.objectContaining({ path: expect.stringMatching(/^\//) }),
      }),
    ]);
  });
});

describe("Grafana dashboards", () => {
  it("ships exactly the dashboards the UI knows, with their uid and slug", () => {
    const shipped = Object.fromEntries(dashboards.map((d) => [d.uid, slugOf(d.title)]));
    expect(shipped).toEqual(Object.fromEntries(Object.values(grafanaDashboards).map((d) => [d.uid, d.slug])));
  });

  it("has the panel ids the UI embeds, each panel once", () => {
    for (const { uid, panels } of Object.values(grafanaDashboards)) {
      const dashboard = dashboards.find((d) => d.uid === uid)!;
      const ids = dashboard.panels.map((p) => p.id);
      expect(new Set(ids).size, `${dashboard.file}: duplicate panel ids`).toBe(ids.length);
      expect(
        [...ids].sort((a, b) => a - b),
        dashboard.file,
      ).toEqual(Object.values(panels).sort((a, b) => a - b));
    }
  });

  it("has the panels the incident page embeds by default", () => {
    const overview = dashboards.find((d) => d.uid === serviceOverviewDashboard.uid)!;
    expect(slugOf(overview.title)).toBe(serviceOverviewDashboard.slug);
    expect(overview.panels.map((p) => p.id)).toEqual(expect.arrayContaining(serviceOverviewDashboard.panelIds));
  });

  it("queries only the provisioned data source, and every panel has a query", () => {
    for (const dashboard of dashboards) {
      for (const panel of dashboard.panels) {
        expect(panel.targets.length, `${dashboard.file} panel ${panel.id}`).toBeGreaterThan(0);
        for (const ds of [panel.datasource, ...panel.targets.map((t) => t.datasource)])
          expect(ds, `${dashboard.file} panel ${panel.id}`).toEqual({ type: "prometheus", uid: "vigil-prometheus" });
      }
    }
  });

  it("gives the service overview a `service` variable that every one of its queries uses", () => {
    const overview = dashboards.find((d) => d.uid === grafanaDashboards.service.uid)!;
    expect(overview.templating.list.map((v) => v.name)).toEqual(["service"]);
    for (const panel of overview.panels)
      for (const target of panel.targets)
        expect(target.expr, `panel ${panel.id}`).toContain('incident_service="$service"');
  });

  it("writes every query in valid PromQL (promtool check rules)", () => {
    const exprs = dashboards.flatMap((d) =>
      d.panels.flatMap((p) =>
        p.targets.map((t) => ({
          record: `dashboard:${d.uid.replaceAll("-", "_")}:panel_${p.id}_${t.refId}`,
          expr: withGrafanaVariablesFilled(t.expr),
        })),
      ),
    );
    const dir = mkdtempSync(path.join(tmpdir(), "vigil-grafana-"));
    try {
      const file = path.join(dir, "dashboard-queries.yml");
      writeFileSync(file, YAML.stringify({ groups: [{ name: "dashboard-queries", rules: exprs }] }));
      const out = execFileSync("promtool", ["check", "rules", file], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      expect(out).toMatch(new RegExp(`SUCCESS: ${exprs.length} rules found`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("metricNamesIn", () => {
  it("counts each database-read gauge once however many web replicas serve it", () => {
    // Every web replica reads the same figures from the database at scrape time and Prometheus scrapes
    // each one: a plain sum over those series would multiply them by the number of replicas. Each
    // query must first take max over every label of the gauge, which keeps one copy per series.
    const replicated = {
      vigil_open_incidents: "severity",
      vigil_open_incidents_by_status: "severity, status",
      vigil_service_open_incidents: "incident_service, severity",
      vigil_false_positive_incidents: "incident_service, severity",
    };
    for (const { file, panels } of dashboards) {
      for (const { title, targets } of panels) {
        for (const { expr } of targets) {
          for (const [gauge, labels] of Object.entries(replicated)) {
            if (!metricNamesIn(expr).includes(gauge)) continue;
            expect(expr, `${file} › ${title}`).toMatch(new RegExp(`max by \\(${labels}\\) \\(${gauge}\\b`));
          }
        }
      }
    }
  });

  it("finds the selected metrics, not functions, labels, ranges or grouping", () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.9, sum by (le, channel) (rate(vigil_notification_latency_seconds_bucket{job="x"}[5m])))',
      ),
    ).toEqual(["vigil_notification_latency_seconds_bucket"]);
    expect(metricNamesIn('sum(vigil_service_open_incidents{incident_service="$service"}) or vector(0)')).toEqual([
      "vigil_service_open_incidents",
    ]);
    expect(metricNamesIn("sum(increase(a_sum[$__range])) / sum(increase(a_count[$__range]))")).toEqual([
      "a_count",
      "a_sum",
    ]);
  });
});
