// The alertname rollup (incident_alertnames) that alert noise reads, as the database trigger keeps it
// (migrations 0008 and 0027): counted once per new alert row, per incident and alertname, whether a
// delivery brings one alert or twenty; a re-delivery counts nothing.
import { describe, expect, it } from "vitest";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { ctxOf, responder } from "@/test/actors";
import { alert, ingestionSettings, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();

const pods = (alertname: string, count: number, from = 0) =>
  Array.from({ length: count }, (_, i) =>
    alert({ labels: { alertname, pod: `pod-${from + i}`, service: "storefront", severity: "warning" } }),
  );

const deliver = (alerts: ReturnType<typeof alert>[]) =>
  ingestAlertmanagerPayload({
    ctx: ctxOf(t.db, responder),
    input: webhook('{}:{service="storefront"}', alerts),
    settings: ingestionSettings,
  });

const rollup = () =>
  t.sql<{ alertname: string; alerts: number; generator_url: string | null }[]>`
    select alertname, alerts, generator_url from incident_alertnames order by alertname`;

describe("the alertname rollup", () => {
  it("counts each new alert of a many-alert delivery once, and a re-delivery not at all", async () => {
    const first = [...pods("PodCrashLooping", 3), ...pods("PodNotReady", 2)];
    await deliver(first);
    expect(await rollup()).toEqual([
      {
        alertname: "PodCrashLooping",
        alerts: 3,
        generator_url: "http://prometheus:9090/graph?g0.expr=PodCrashLooping",
      },
      { alertname: "PodNotReady", alerts: 2, generator_url: "http://prometheus:9090/graph?g0.expr=PodNotReady" },
    ]);

    // Alertmanager sends the group again with one more crashing pod: only that one is new.
    await deliver([...first, ...pods("PodCrashLooping", 1, 3)]);
    expect((await rollup()).map((r) => [r.alertname, r.alerts])).toEqual([
      ["PodCrashLooping", 4],
      ["PodNotReady", 2],
    ]);
  });
});
