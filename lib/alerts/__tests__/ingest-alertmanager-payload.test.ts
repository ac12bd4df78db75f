import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts, auditLog, incidents, timelineEvents } from "@/db/schema";
import { systemActor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { ctxOf, responder, viewer } from "@/test/actors";
import { alert, at, ingestionSettings, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { ingestAlertmanagerPayload } from "../ingest-alertmanager-payload";

const t = useTestDatabase();
const settings = ingestionSettings;
let groups = 0;
const newGroup = () => `{}:{alertname="HighErrorRate", n="${++groups}"}`;

const ingest = (body: unknown, minutes = 1, actor = responder) =>
  ingestAlertmanagerPayload({ ctx: ctxOf(t.db, actor, at(minutes)), input: body, settings });

const errorRate = (
  instance: string,
  extra: Partial<Parameters<typeof alert>[0]> = {},
  labels: Record<string, string> = {},
) =>
  alert({
    labels: {
      alertname: "HighErrorRate",
      service: "checkout",
      team: "payments",
      severity: "warning",
      instance,
      ...labels,
    },
    annotations: {
      summary: "Checkout 5xx above 5%",
      description: "5xx ratio is 7%",
      runbook_url: "http://localhost:3000/runbooks/high-error-rate",
    },
    ...extra,
  });

const incidentsOf = (groupKey: string) =>
  t.db.select().from(incidents).where(eq(incidents.groupKey, groupKey)).orderBy(incidents.number);
const timelineOf = async (incidentId: string) =>
  (
    await t.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incidentId)).orderBy(timelineEvents.id)
  ).map((e) => e.kind);
const alertsOf = (incidentId: string) =>
  t.db.select().from(alerts).where(eq(alerts.incidentId, incidentId)).orderBy(alerts.fingerprint);

describe("opening incidents from alerts", () => {
  it("opens one incident with title, severity, service, team, detection time and runbook from the alerts", async () => {
    const group = newGroup();
    const summary = await ingest(
      webhook(group, [errorRate("web-1", { startsAt: "2026-11-28T05:58:00Z" }), errorRate("web-2")]),
    );
    const [incident] = await incidentsOf(group);
    expect(summary).toEqual({
      alerts: 2,
      ignored: 0,
      incidents: { created: [`INC-${incident!.number}`], reopened: [], updated: [], resolved: [] },
    });
    expect(incident).toMatchObject({
      title: "Checkout 5xx above 5%",
      description: "5xx ratio is 7%",
      severity: "P3",
      status: "open",
      service: "checkout",
      team: "payments",
      runbookUrl: "http://localhost:3000/runbooks/high-error-rate",
      detectedAt: new Date("2026-11-28T05:58:00Z"),
      createdAt: at(1),
    });
    expect(await timelineOf(incident!.id)).toEqual(["created"]);
    const stored = await alertsOf(incident!.id);
    expect(stored.map((a) => [a.status, a.labels.instance, a.generatorUrl])).toEqual(
      expect.arrayContaining([
        ["firing", "web-1", "http://prometheus:9090/graph?g0.expr=HighErrorRate"],
        ["firing", "web-2", expect.any(String)],
      ]),
    );
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.resourceId, incident!.id));
    expect(audit).toMatchObject({
      action: "incident.create",
      actorName: "responder bot",
      details: expect.objectContaining({ source: "alertmanager", group_key: group }),
    });
  });

  it("titles an incident without a summary after its alertname and service", async () => {
    const group = newGroup();
    await ingest(webhook(group, [alert({ labels: { alertname: "ServiceDown", service: "search" } })]));
    expect((await incidentsOf(group))[0]!.title).toBe("ServiceDown on search");
  });

  it("takes severity from a priority label first, then from the severity label", async () => {
    const paged = newGroup();
    await ingest(webhook(paged, [errorRate("a", {}, { severity: "page" })]));
    expect((await incidentsOf(paged))[0]!.severity).toBe("P1");
    const prioritised = newGroup();
    await ingest(webhook(prioritised, [errorRate("a", {}, { severity: "info", priority: "P0" })]));
    expect((await incidentsOf(prioritised))[0]!.severity).toBe("P0");
  });

  it("changes nothing but the receipt count when the same payload arrives twice", async () => {
    const group = newGroup();
    const body = webhook(group, [errorRate("web-1")]);
    await ingest(body, 1);
    const [before] = await incidentsOf(group);
    const events = await timelineOf(before!.id);
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.resourceId, before!.id));

    const summary = await ingest(body, 2);
    expect(summary.incidents).toEqual({ created: [], reopened: [], updated: [], resolved: [] });
    const [after] = await incidentsOf(group);
    expect(after).toEqual(before);
    expect(await timelineOf(before!.id)).toEqual(events);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.resourceId, before!.id))).toHaveLength(audits.length);
    expect((await alertsOf(before!.id))[0]).toMatchObject({
      receiveCount: 2,
      lastReceivedAt: at(2),
      firstReceivedAt: at(1),
    });
  });

  it("creates exactly one incident when 50 deliveries of a new group arrive at once", async () => {
    const group = newGroup();
    const body = webhook(group, [errorRate("web-1"), errorRate("web-2")]);
    await Promise.all(Array.from({ length: 50 }, () => ingest(body)));
    const found = await incidentsOf(group);
    expect(found).toHaveLength(1);
    const stored = await alertsOf(found[0]!.id);
    expect(stored).toHaveLength(2);
    expect(stored.map((a) => a.receiveCount)).toEqual([50, 50]);
    expect(await timelineOf(found[0]!.id)).toEqual(["created"]);
  });

  it("records each alert once when deliveries that each carry one more alert of a group arrive at once", async () => {
    // As Alertmanager re-sends a growing group, several times and from several replicas: each delivery must
    // see what the ones before it committed, or an alert joins the incident twice.
    const groupKeys = [newGroup(), newGroup(), newGroup()];
    const rounds = 6;
    const deliveries = groupKeys.flatMap((group) =>
      Array.from({ length: rounds }, (_, round) =>
        Array.from({ length: 4 }, () =>
          webhook(
            group,
            Array.from({ length: round + 1 }, (_, i) => errorRate(`web-${i}`)),
          ),
        ),
      ).flat(),
    );
    deliveries.sort(() => Math.random() - 0.5);
    await Promise.all(deliveries.map((body) => ingest(body)));
    for (const group of groupKeys) {
      const [incident, ...more] = await incidentsOf(group);
      expect(more).toEqual([]);
      const events = await t.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incident!.id));
      const recorded = events.flatMap((e) =>
        e.kind === "created" || e.kind === "alerts_fired" ? (e.data.alerts as string[]) : [],
      );
      expect(recorded.sort()).toEqual((await alertsOf(incident!.id)).map((a) => a.fingerprint).sort());
      expect(recorded).toHaveLength(rounds);
    }
  });
});

describe("grouping", () => {
  it("attaches a new alert of the same group to its open incident, and opens another incident for another group", async () => {
    const group = newGroup();
    await ingest(webhook(group, [errorRate("web-1")]), 1);
    const summary = await ingest(
      webhook(group, [errorRate("web-1"), errorRate("web-2", { startsAt: "2026-11-28T06:03:00Z" })]),
      4,
    );
    const [incident] = await incidentsOf(group);
    expect(summary.incidents.updated).toEqual([`INC-${incident!.number}`]);
    expect(await alertsOf(incident!.id)).toHaveLength(2);
    expect(await timelineOf(incident!.id)).toEqual(["created", "alerts_fired"]);

    const other = newGroup();
    await ingest(webhook(other, [errorRate("web-1")]), 5);
    expect(await incidentsOf(other)).toHaveLength(1);
    expect((await incidentsOf(other))[0]!.id).not.toBe(incident!.id);
  });

  it("raises severity when a more severe alert joins, and never lowers it by itself", async () => {
    const group = newGroup();
    await ingest(webhook(group, [errorRate("web-1")]), 1);
    await ingest(
      webhook(group, [
        errorRate("web-1"),
        errorRate("web-2", { startsAt: "2026-11-28T06:02:00Z" }, { severity: "critical" }),
      ]),
      3,
    );
    let [incident] = await incidentsOf(group);
    expect(incident!.severity).toBe("P2");
    const severityEvents = await t.db.select().from(timelineEvents).where(eq(timelineEvents.kind, "severity_changed"));
    expect(severityEvents.find((e) => e.incidentId === incident!.id)?.text).toBe(
      "Severity raised from P3 to P2: HighErrorRate (web-2) fired",
    );

    await ingest(webhook(group, [errorRate("web-3", { startsAt: "2026-11-28T06:04:00Z" }, { severity: "info" })]), 5);
    [incident] = await incidentsOf(group);
    expect(incident!.severity).toBe("P2");
  });

  it("notes on the timeline when Alertmanager truncated the group", async () => {
    const group = newGroup();
    await ingest(webhook(group, [errorRate("web-1")], { truncatedAlerts: 3 }));
    const [incident] = await incidentsOf(group);
    expect(await timelineOf(incident!.id)).toEqual(["created", "alerts_truncated"]);
  });

  it("ignores a resolved alert it never saw firing", async () => {
    const group = newGroup();
    const summary = await ingest(webhook(group, [errorRate("web-1", { status: "resolved" })]));
    expect(summary).toMatchObject({ ignored: 1, incidents: { created: [] } });
    expect(await incidentsOf(group)).toEqual([]);
  });
});

describe("resolution and reopening", () => {
  it("resolves the incident automatically when its last alert resolves, not before", async () => {
    const group = newGroup();
    await ingest(webhook(group, [errorRate("web-1"), errorRate("web-2")]), 1);
    await ingest(webhook(group, [errorRate("web-1", { status: "resolved" }), errorRate("web-2")]), 5);
    expect((await incidentsOf(group))[0]!.status).toBe("open");

    const summary = await ingest(
      webhook(group, [errorRate("web-1", { status: "resolved" }), errorRate("web-2", { status: "resolved" })]),
      9,
    );
    const [incident] = await incidentsOf(group);
    expect(summary.incidents.resolved).toEqual([`INC-${incident!.number}`]);
    expect(incident).toMatchObject({ status: "resolved", autoResolved: true, resolvedAt: at(9) });
    expect(await timelineOf(incident!.id)).toEqual(["created", "alerts_resolved", "alerts_resolved", "resolved"]);
    const [resolvedEvent] = await t.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.incidentId, incident!.id))
      .orderBy(timelineEvents.id)
      .offset(3);
    expect(resolvedEvent!.text).toBe("Resolved: all alerts resolved");
  });

  it("reopens an automatically resolved incident when its group fires again within REOPEN_WINDOW", async () => {
    const group = newGroup();
    await ingest(webhook(group, [errorRate("web-1")]), 1);
    await ingest(webhook(group, [errorRate("web-1", { status: "resolved" })]), 10);
    const summary = await ingest(webhook(group, [errorRate("web-1", { startsAt: "2026-11-28T06:13:00Z" })]), 14);
    const found = await incidentsOf(group);
    expect(found).toHaveLength(1);
    expect(summary.incidents.reopened).toEqual([`INC-${found[0]!.number}`]);
    expect(found[0]).toMatchObject({ status: "open", reopenedCount: 1, autoResolved: false, resolvedAt: null });
    expect(await timelineOf(found[0]!.id)).toEqual([
      "created",
      "alerts_resolved",
      "resolved",
      "reopened",
      "alerts_fired",
    ]);
    expect((await alertsOf(found[0]!.id))[0]).toMatchObject({
      status: "firing",
      startsAt: new Date("2026-11-28T06:13:00Z"),
    });
  });

  it("opens a new incident when the group fires again after REOPEN_WINDOW", async () => {
    const group = newGroup();
    await ingest(webhook(group, [errorRate("web-1")]), 1);
    await ingest(webhook(group, [errorRate("web-1", { status: "resolved" })]), 10);
    await ingest(webhook(group, [errorRate("web-1", { startsAt: "2026-11-28T06:30:00Z" })]), 31);
    const found = await incidentsOf(group);
    expect(found.map((i) => i.status)).toEqual(["resolved", "open"]);
    expect(found[0]!.reopenedCount).toBe(0);
  });

  it("keeps a person's resolution: re-sends of the still-firing alerts change nothing; a new alert opens a new incident", async () => {
    const group = newGroup();
    await ingest(webhook(group, [errorRate("web-1")]), 1);
    const [incident] = await incidentsOf(group);
    await resolveIncident({
      ctx: ctxOf(t.db, responder, at(3)),
      input: { ref: incident!.id, resolution_note: "known issue, fix deploying" },
    });
    const resolvedText = (
      await t.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incident!.id))
    ).find((e) => e.kind === "resolved")!.text;
    expect(resolvedText).toBe(
      "Resolved by responder bot: known issue, fix deploying. Still firing: HighErrorRate (web-1)",
    );

    // Alertmanager's repeat_interval re-send, and a retry of it, even after REOPEN_WINDOW.
    const resend = await ingest(webhook(group, [errorRate("web-1")]), 240);
    await ingest(webhook(group, [errorRate("web-1")]), 241);
    expect(resend.incidents).toEqual({ created: [], reopened: [], updated: [], resolved: [] });
    expect(await incidentsOf(group)).toHaveLength(1);
    expect(await timelineOf(incident!.id)).toEqual(["created", "resolved"]);

    // A new instance in the same group is a new problem.
    await ingest(webhook(group, [errorRate("web-1"), errorRate("web-9", { startsAt: "2026-11-28T10:05:00Z" })]), 245);
    const found = await incidentsOf(group);
    expect(found.map((i) => i.status)).toEqual(["resolved", "open"]);
    expect((await alertsOf(found[1]!.id)).map((a) => a.labels.instance)).toEqual(["web-9"]);

    // When the old alert finally resolves, that is recorded on the incident it belongs to.
    await ingest(
      webhook(group, [
        errorRate("web-1", { status: "resolved" }),
        errorRate("web-9", { startsAt: "2026-11-28T10:05:00Z" }),
      ]),
      250,
    );
    expect(await timelineOf(incident!.id)).toEqual(["created", "resolved", "alerts_resolved"]);
    expect((await incidentsOf(group))[1]!.status).toBe("open");
  });
});

describe("refusals", () => {
  it("refuses another payload version with nothing written", async () => {
    const group = newGroup();
    const error = await ingest({ ...webhook(group, [errorRate("web-1")]), version: "3" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("invalid");
    expect(await incidentsOf(group)).toEqual([]);
  });

  it("refuses a viewer's token", async () => {
    const error = await ingest(webhook(newGroup(), [errorRate("web-1")]), 1, viewer).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("forbidden");
  });

  it("accepts the system actor", async () => {
    const group = newGroup();
    await ingestAlertmanagerPayload({
      ctx: ctxOf(t.db, systemActor(), at(1)),
      input: webhook(group, [errorRate("x")]),
      settings,
    });
    expect(await incidentsOf(group)).toHaveLength(1);
  });
});
