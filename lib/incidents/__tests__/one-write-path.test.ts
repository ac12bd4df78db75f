import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, incidents, timelineEvents } from "@/db/schema";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { inTransaction } from "@/lib/context";
import { admin, ctxOf, responder } from "@/test/actors";
import { alert, at, ingestionSettings, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { queuedJobs } from "@/test/jobs";
import { createIncident } from "../create-incident";
import { appendTimelineEvents, findIncident } from "../incident-store";
import { recordIncidentChange } from "../record-incident-change";

const t = useTestDatabase();
const settings = ingestionSettings;

const eventsOf = (incidentId: string) =>
  t.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incidentId)).orderBy(timelineEvents.id);
const auditOf = (incidentId: string, action: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.resourceId, incidentId), eq(auditLog.action, action)))
    .orderBy(auditLog.id);

describe("recordIncidentChange", () => {
  it("writes the patch, stamps updated_at, and adds the timeline event and audit row with the ref", async () => {
    const { incident } = await createIncident({
      ctx: ctxOf(t.db, responder, at(0)),
      input: { title: "Queue backlog", severity: "P3" },
    });
    const { row, event } = await inTransaction(ctxOf(t.db, admin, at(5)), async (txCtx) =>
      recordIncidentChange(txCtx, await findIncident(txCtx.db, incident.id, { lock: true }), {
        patch: { title: "Queue backlog in eu-west" },
        event: { kind: "updated", text: "title edited", data: { field: "title" } },
        audit: { action: "incident.update", details: { changes: { title: "edited" } } },
      }),
    );
    expect(row).toMatchObject({ title: "Queue backlog in eu-west", updatedAt: at(5) });
    expect(event).toMatchObject({ kind: "updated", text: "title edited", actorName: "admin bot", at: at(5) });
    const [audit] = await auditOf(incident.id, "incident.update");
    expect(audit).toMatchObject({
      actorName: "admin bot",
      resourceType: "incident",
      details: { ref: incident.ref, changes: { title: "edited" } },
    });
  });

  it("writes nothing when the transaction rolls back", async () => {
    const { incident } = await createIncident({ ctx: ctxOf(t.db), input: { title: "Rollback", severity: "P4" } });
    await expect(
      inTransaction(ctxOf(t.db), async (txCtx) => {
        await recordIncidentChange(txCtx, incident, {
          patch: { severity: "P0" },
          event: { kind: "updated", text: "severity P0" },
          audit: { action: "incident.update" },
        });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const [row] = await t.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row!.severity).toBe("P4");
    expect((await eventsOf(incident.id)).map((e) => e.kind)).toEqual(["created"]);
    expect(await auditOf(incident.id, "incident.update")).toEqual([]);
  });
});

describe("appendTimelineEvents", () => {
  it("writes several events in one statement, in order, each enqueueing the jobs of its own kind", async () => {
    const { incident: a } = await createIncident({ ctx: ctxOf(t.db), input: { title: "A", severity: "P4" } });
    const { incident: b } = await createIncident({ ctx: ctxOf(t.db), input: { title: "B", severity: "P4" } });
    await t.sql`delete from graphile_worker._private_jobs`;
    const written = await appendTimelineEvents(ctxOf(t.db, admin, at(9)), [
      { incidentId: a.id, entry: { kind: "page_sent", text: "first" } },
      { incidentId: b.id, entry: { kind: "acknowledged", text: "second" } },
      { incidentId: a.id, entry: { kind: "page_sent", text: "third" } },
    ]);
    expect(written.map((e) => [e.incidentId, e.text, e.actorName, e.at])).toEqual([
      [a.id, "first", "admin bot", at(9)],
      [b.id, "second", "admin bot", at(9)],
      [a.id, "third", "admin bot", at(9)],
    ]);
    expect(written[0]!.id).toBeLessThan(written[2]!.id);
    // Only the acknowledgement calls for jobs (its messages, the escalation's stop); a page sent calls for none.
    const jobs = await queuedJobs(t);
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((job) => job.payload.event_id === written[1]!.id)).toBe(true);
  });
});

describe("side writes of the ingestion", () => {
  it("records the runbook a later alert names, with a timeline event and an audit row", async () => {
    const groupKey = '{}:{alertname="DiskFull"}';
    const disk = (instance: string, annotations: Record<string, string>) =>
      alert({ labels: { alertname: "DiskFull", severity: "warning", instance }, annotations });
    const runbookUrl = "http://localhost:3000/runbooks/disk-full";
    await ingestAlertmanagerPayload({
      ctx: ctxOf(t.db, responder, at(1)),
      input: webhook(groupKey, [disk("a", { summary: "Disk full" })]),
      settings,
    });
    const [opened] = await t.db.select().from(incidents).where(eq(incidents.groupKey, groupKey));
    expect(opened!.runbookUrl).toBeNull();

    await ingestAlertmanagerPayload({
      ctx: ctxOf(t.db, responder, at(2)),
      input: webhook(groupKey, [disk("b", { summary: "Disk full", runbook_url: runbookUrl })]),
      settings,
    });
    const [row] = await t.db.select().from(incidents).where(eq(incidents.id, opened!.id));
    expect(row).toMatchObject({ runbookUrl, updatedAt: at(2) });
    const linked = (await eventsOf(opened!.id)).filter((e) => e.kind === "runbook_linked");
    expect(linked).toMatchObject([{ data: { runbook_url: runbookUrl }, at: at(2) }]);
    const audits = (await auditOf(opened!.id, "incident.update")).map((a) => a.details);
    expect(audits).toContainEqual({
      ref: `INC-${row!.number}`,
      changes: { runbook_url: { from: null, to: runbookUrl } },
      source: "alertmanager",
    });

    // The same delivery again changes nothing: the runbook is already linked.
    await ingestAlertmanagerPayload({
      ctx: ctxOf(t.db, responder, at(3)),
      input: webhook(groupKey, [disk("b", { summary: "Disk full", runbook_url: runbookUrl })]),
      settings,
    });
    expect((await eventsOf(opened!.id)).filter((e) => e.kind === "runbook_linked")).toHaveLength(1);
  });
});
