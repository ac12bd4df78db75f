// The deduplication figure end to end on PostgreSQL: real deliveries of the same alert through ingestion,
// the messages the worker really sends to the loopback fakes, and the figure in the verb, the API and
// /metrics.
import { beforeAll, describe, expect, it } from "vitest";
import { getDeduplication } from "@/lib/analytics/get-deduplication";
import { createApiToken } from "@/lib/auth/api-tokens";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { systemActor } from "@/lib/context";
import { notificationSettings } from "@/lib/notifications/settings";
import { ctxOf, responder, viewer } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { ingestionSettings, useNotificationFakes } from "@/test/notifications";
import { call } from "@/test/runtime";
import * as deduplicationRoute from "@/app/api/v1/analytics/deduplication/route";
import * as metricsRoute from "@/app/metrics/route";

const t = useTestDatabase();
useNotificationFakes(t);

const receivedCounter = async () => {
  const text = await (await call(metricsRoute.GET, "GET", "/metrics")).text();
  return Number(/^vigil_alerts_received_total\{source="alertmanager"\} (\d+)$/m.exec(text)?.[1] ?? 0);
};

/** Delivers the same group `times` times, as Alertmanager's re-sends and retries do. */
async function deliver(times: number, labels: Record<string, string>, startsAt = "2026-12-01T06:00:00Z") {
  const body = webhook(`{}:{alertname="${labels.alertname}",service="${labels.service}"}`, [
    alert({ labels, annotations: { summary: `${labels.alertname} on ${labels.service}` }, startsAt }),
  ]);
  for (let i = 0; i < times; i++)
    await ingestAlertmanagerPayload({
      ctx: ctxOf(t.db, responder),
      input: body,
      settings: { ...ingestionSettings, notifications: notificationSettings() },
    });
}

describe("the deduplication figure", () => {
  let counterBefore: number;
  beforeAll(async () => {
    counterBefore = await receivedCounter();
    // A page delivered 5 times: one incident, paged once and posted once.
    await deliver(5, { alertname: "HighErrorRate", service: "checkout", team: "payments", severity: "page" });
    // A warning delivered 3 times: one Slack message.
    await deliver(3, { alertname: "HighLatency", service: "search", team: "discovery", severity: "warning" });
    await drainJobs(t);
    // Then Alertmanager says the page resolved, twice: copies too, and they send nothing new here.
    const resolved = alert({
      labels: { alertname: "HighErrorRate", service: "checkout", team: "payments", severity: "page" },
      startsAt: "2026-12-01T06:00:00Z",
      status: "resolved",
    });
    for (let i = 0; i < 2; i++)
      await ingestAlertmanagerPayload({
        ctx: ctxOf(t.db, responder),
        input: webhook('{}:{alertname="HighErrorRate",service="checkout"}', [resolved]),
        settings: ingestionSettings,
      });
    await drainJobs(t);
  });

  it("counts every delivered copy against the messages sent, per day, service and team, as a percentage cut", async () => {
    // What the worker really sent to the fakes (they are reset before each test, so read the delivery log):
    // the page and the card when checkout opened, their updates when it resolved, one card for search.
    const sent = await t.sql<{ service: string; n: number }[]>`
      select i.service, count(*)::int as n from notifications n join incidents i on i.id = n.incident_id
       where n.status = 'sent' group by 1 order by 1`;
    expect(sent).toEqual([
      { service: "checkout", n: 5 },
      { service: "search", n: 1 },
    ]);

    const figure = await getDeduplication({ ctx: ctxOf(t.db, viewer), input: { range: "1d" } });
    const today = new Date().toISOString().slice(0, 10);
    expect(figure.rows).toEqual([
      {
        day: today,
        service: "checkout",
        team: "payments",
        alerts_received: 7,
        notifications_sent: 5,
        reduction_percent: 28.6,
      },
      {
        day: today,
        service: "search",
        team: "discovery",
        alerts_received: 3,
        notifications_sent: 1,
        reduction_percent: 66.7,
      },
    ]);
    expect(figure).toMatchObject({ alerts_received: 10, notifications_sent: 6, reduction_percent: 40 });
  });

  it("leaves out the days outside the range", async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const before = await getDeduplication({
      ctx: ctxOf(t.db, viewer),
      input: { from: "2026-01-01", to: yesterday },
    });
    expect(before).toMatchObject({ alerts_received: 0, notifications_sent: 0, reduction_percent: null, rows: [] });
  });

  it("counts the copies in /metrics as vigil_alerts_received_total", async () => {
    // 5 + 3 firing, 2 resolved.
    expect((await receivedCounter()) - counterBefore).toBe(10);
  });

  it("answers GET /api/v1/analytics/deduplication in the documented shape", async () => {
    const { token } = await createApiToken({
      ctx: { db: t.db, actor: systemActor("test"), now: new Date() },
      input: { name: "viewer", role: "viewer" },
    });
    const res = await call(deduplicationRoute.GET, "GET", "/api/v1/analytics/deduplication?range=1d", { token });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(
      [
        "alerts_received",
        "first_day",
        "from",
        "last_day",
        "notifications_sent",
        "reduction_percent",
        "rows",
        "to",
      ].sort(),
    );
    expect(body).toMatchObject({ alerts_received: 10, notifications_sent: 6, reduction_percent: 40 });
    expect(body.rows[0]).toEqual({
      day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      service: "checkout",
      team: "payments",
      alerts_received: 7,
      notifications_sent: 5,
      reduction_percent: 28.6,
    });
    const bad = await call(deduplicationRoute.GET, "GET", "/api/v1/analytics/deduplication?range=soon", { token });
    expect(bad.status).toBe(400);
    expect((await call(deduplicationRoute.GET, "GET", "/api/v1/analytics/deduplication")).status).toBe(401);
  });
});
