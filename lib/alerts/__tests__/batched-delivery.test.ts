// A delivery's alerts are written together (one statement for the held rows, one for the new ones, the
// events and audit row with them): what that writes must be what the same alerts delivered one at a time
// write, and duplicated or concurrent deliveries must still count each copy once.
import { asc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts, auditLog, incidents, timelineEvents } from "@/db/schema";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { ctxOf, responder } from "@/test/actors";
import { alert, at, ingestionSettings, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { queuedJobs } from "@/test/jobs";
import { ingestAlertmanagerPayload } from "../ingest-alertmanager-payload";

const t = useTestDatabase();
const settings = ingestionSettings;
let groups = 0;
const newGroup = () => `{}:{alertname="DiskFull", n="${++groups}"}`;

const ingest = (body: unknown, minutes: number) =>
  ingestAlertmanagerPayload({ ctx: ctxOf(t.db, responder, at(minutes)), input: body, settings });

const disk = (host: string, extra: Partial<Parameters<typeof alert>[0]> = {}, severity = "warning") =>
  alert({
    labels: { alertname: "DiskFull", service: "storage", team: "infra", severity, host },
    annotations: { summary: `Disk full on ${host}`, seen: String(extra.startsAt ?? "") + (extra.status ?? "") },
    ...extra,
  });
const resolved = (host: string, startsAt?: string) =>
  disk(host, { status: "resolved", endsAt: "2026-11-28T06:02:30Z", ...(startsAt && { startsAt }) });

/** The group's incidents and their alert rows, without ids or the group (to compare two groups). */
async function stateOf(group: string) {
  const found = await t.db.select().from(incidents).where(eq(incidents.groupKey, group)).orderBy(incidents.number);
  return Promise.all(
    found.map(async (incident) => ({
      status: incident.status,
      severity: incident.severity,
      autoResolved: incident.autoResolved,
      alerts: (
        await t.db.select().from(alerts).where(eq(alerts.incidentId, incident.id)).orderBy(asc(alerts.fingerprint))
      ).map(({ id: _id, incidentId: _incident, ...row }) => row),
    })),
  );
}

/**
 * A group with a person-resolved incident whose alerts still fire (a1, a2) and an open one (b1, b2), as
 * `ingest-alertmanager-payload.ts` describes: a new instance after a person's resolution opens a new one.
 */
async function twoIncidentGroup(group: string) {
  await ingest(webhook(group, [disk("a1"), disk("a2")]), 1);
  const [first] = await t.db.select().from(incidents).where(eq(incidents.groupKey, group));
  await resolveIncident({ ctx: ctxOf(t.db, responder, at(2)), input: { ref: first!.id, resolution_note: "known" } });
  const b = { startsAt: "2026-11-28T06:01:00Z" };
  await ingest(webhook(group, [disk("b1", b), disk("b2", b)]), 3);
  return b;
}

describe("a delivery written in one go", () => {
  it("writes the alert rows that the same alerts delivered one at a time write", async () => {
    const batched = newGroup();
    const oneByOne = newGroup();
    const b = await twoIncidentGroup(batched);
    await twoIncidentGroup(oneByOne);
    // Held alerts of both incidents, two ends (a2 on the resolved incident, b2 on the
    // open one), a new alert joining the open incident at a higher severity, and an end never seen firing.
    const mixed = [
      disk("a1"),
      resolved("a2"),
      disk("b1", b),
      resolved("b2"),
      disk("b3", { startsAt: "2026-11-28T06:04:00Z" }, "critical"),
      resolved("never-seen"),
    ];

    const summary = await ingest(webhook(batched, mixed), 5);
    for (const one of mixed) await ingest(webhook(oneByOne, [one]), 5);

    expect(summary.alerts).toBe(6);
    expect(summary.ignored).toBe(1);
    expect(await stateOf(batched)).toEqual(await stateOf(oneByOne));
    const [old, open] = await stateOf(batched);
    expect(old!.status).toBe("resolved");
    expect(old!.alerts.map((a) => [a.fingerprint === disk("a1").fingerprint, a.status, a.receiveCount])).toEqual(
      expect.arrayContaining([
        [true, "firing", 2],
        [false, "resolved", 2],
      ]),
    );
    expect(open).toMatchObject({ status: "open", severity: "P2" }); // critical, raised from P3
    expect(open!.alerts.map((a) => a.status).sort()).toEqual(["firing", "firing", "resolved"]);
  });

  it("records the incident's events, audit row and jobs of a mixed delivery once each, in order", async () => {
    const group = newGroup();
    const b = await twoIncidentGroup(group);
    const [old, open] = await t.db
      .select()
      .from(incidents)
      .where(eq(incidents.groupKey, group))
      .orderBy(incidents.number);
    const eventsBefore = await t.db.select({ id: timelineEvents.id }).from(timelineEvents);
    const seen = new Set(eventsBefore.map((e) => e.id));

    await ingest(webhook(group, [disk("b1", b), resolved("b2"), disk("b3", {}, "critical"), resolved("a2")]), 5);

    const events = (
      await t.db
        .select()
        .from(timelineEvents)
        .where(inArray(timelineEvents.incidentId, [old!.id, open!.id]))
        .orderBy(timelineEvents.id)
    ).filter((e) => !seen.has(e.id));
    expect(events.map((e) => [e.incidentId === open!.id ? "open" : "old", e.kind])).toEqual([
      ["open", "alerts_fired"],
      ["open", "alerts_resolved"],
      ["open", "severity_changed"],
      ["old", "alerts_resolved"],
    ]);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(inArray(auditLog.resourceId, [old!.id, open!.id]))
      .orderBy(auditLog.id);
    expect(audits.filter((a) => a.action === "alert.ingest").map((a) => a.resourceId)).toEqual([open!.id, old!.id]);
    // Every new event enqueued its notification plan, exactly once.
    const planned = (await queuedJobs(t))
      .filter((job) => job.task === "notify.plan")
      .map((job) => Number(job.payload.event_id));
    for (const event of events) expect(planned.filter((id) => id === event.id)).toHaveLength(1);
  });

  it("counts every copy once when duplicate deliveries of mixed alerts arrive at once", async () => {
    const group = newGroup();
    const b = await twoIncidentGroup(group);
    const body = webhook(group, [
      disk("a1"),
      disk("b1", b),
      resolved("b2", b.startsAt),
      disk("b3", { startsAt: "2026-11-28T06:04:00Z" }),
    ]);
    await Promise.all(Array.from({ length: 12 }, () => ingest(body, 5)));

    const [old, open] = await stateOf(group);
    const count = (rows: typeof old, host: string) =>
      rows!.alerts.find((a) => a.fingerprint === disk(host).fingerprint)?.receiveCount;
    expect(count(old, "a1")).toBe(1 + 12);
    expect(count(open, "b1")).toBe(1 + 12);
    expect(count(open, "b2")).toBe(1 + 12);
    expect(count(open, "b3")).toBe(12);
    expect(open!.alerts.map((a) => a.status).sort()).toEqual(["firing", "firing", "resolved"]);
    const fired = await t.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.kind, "alerts_fired"))
      .then((rows) => rows.filter((e) => (e.data.alerts as string[]).includes(disk("b3").fingerprint)));
    expect(fired).toHaveLength(1);
  });
});
