// Every Vigil metric the shipped alert rules read is one Vigil really exposes, on the scrape job the rule
// reads it from: the web server's /metrics (job "vigil", rendered against a real database) or the
// worker's (job "vigil-worker"). A renamed metric or a wrong job would leave a meta-alert silent forever.
import { describe, expect, it } from "vitest";
import { getWorkerMetrics } from "@/lib/notifications/worker-metrics";
import { renderPrometheusMetrics } from "@/lib/operations/prometheus-metrics";
import { useTestDatabase } from "@/test/database";
import { ruleGroups } from "../../kubernetes/prometheus-rule";

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

describe("the shipped alert rules", () => {
  it("read Vigil's metrics from the process that exposes them: the web server as job vigil, the worker as job vigil-worker", async () => {
    const web = await renderPrometheusMetrics(t.db, (error) => {
      throw error;
    });
    const exposedBy: Record<string, Set<string>> = {
      vigil: exposedNames(web.body),
      "vigil-worker": exposedNames(await getWorkerMetrics().registry.metrics()),
    };

    const rules = (ruleGroups() as { rules: { alert?: string; expr: string }[] }[]).flatMap((g) => g.rules);
    const selectors = rules.flatMap((rule) =>
      [...rule.expr.matchAll(/\b(vigil_\w+)\{([^}]*)\}/g)].map(([, metric, matchers]) => ({
        rule: rule.alert,
        metric: metric!,
        job: /job="([^"]+)"/.exec(matchers!)?.[1],
      })),
    );
    expect(selectors.map((s) => s.metric)).toEqual(
      expect.arrayContaining(["vigil_database_up", "vigil_job_queue_oldest_age_seconds", "vigil_notifications_total"]),
    );
    // Unqualified or misplaced: a selector without its job would also match another process's series.
    const wrong = selectors.filter((s) => !s.job || !exposedBy[s.job]?.has(s.metric));
    expect(wrong).toEqual([]);
  });
});
