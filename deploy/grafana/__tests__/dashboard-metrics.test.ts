// Every metric the shipped Grafana dashboards query is one Vigil really exposes: the web server's /metrics
// (rendered by renderPrometheusMetrics against a real database) or the worker's (WORKER_METRICS_PORT).
// A renamed metric or a typo in a dashboard fails here, not in someone's empty panel.
import { describe, expect, it } from "vitest";
import { getWorkerMetrics } from "@/lib/notifications/worker-metrics";
import { renderPrometheusMetrics } from "@/lib/operations/prometheus-metrics";
import { useTestDatabase } from "@/test/database";
import { loadDashboards, metricNamesIn } from "../dashboard-queries";

const t = useTestDatabase();

/** The series names an exposition can produce: each family, and a histogram's _bucket, _sum and _count. */
function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === "histogram" || type === "summary")
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${name}${suffix}`);
  }
  return names;
}

describe("the Grafana dashboards", () => {
  it("query only metrics that the web server's or the worker's /metrics expose", async () => {
    const web = await renderPrometheusMetrics(t.db, (error) => {
      throw error;
    });
    const worker = await getWorkerMetrics().registry.metrics();
    const exposed = new Set([...exposedNames(web.body), ...exposedNames(worker)]);

    const used = loadDashboards().flatMap((d) =>
      d.panels.flatMap((p) =>
        p.targets.flatMap((target) =>
          metricNamesIn(target.expr).map((metric) => ({ metric, where: `${d.file} panel ${p.id} (${p.title})` })),
        ),
      ),
    );
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((u) => !exposed.has(u.metric))).toEqual([]);
  });

  it("read the incident gauges from the database at scrape time", async () => {
    await t.sql`insert into incidents (title, severity, status, service, detected_at, created_at, updated_at, false_positive)
                values ('a', 'P1', 'acknowledged', 'checkout', now(), now(), now(), false),
                       ('b', 'P2', 'resolved', 'checkout', now(), now(), now(), true)`;
    const { body } = await renderPrometheusMetrics(t.db, (error) => {
      throw error;
    });
    expect(body).toContain('vigil_open_incidents_by_status{severity="P1",status="acknowledged"} 1');
    expect(body).toContain('vigil_open_incidents_by_status{severity="P0",status="open"} 0');
    expect(body).toContain('vigil_service_open_incidents{incident_service="checkout",severity="P1"} 1');
    expect(body).toContain('vigil_false_positive_incidents{incident_service="checkout",severity="P2"} 1');
    expect(body).toMatch(/^vigil_open_incidents\{severity="P1"\} 1$/m);
  });
});
