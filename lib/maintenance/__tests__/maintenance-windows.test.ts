// Maintenance windows and snoozes on real PostgreSQL with the loopback vendors: an alert during a window
// opens its incident but pages nobody and starts no automatic remediation; the window's end pages it,
// once, however often the end job runs. Windows are placed in the past (ctx.now) so that their end has
// really passed when the worker's jobs run with the clock.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, notifications, timelineEvents } from "@/db/schema";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { createMaintenanceWindow, endMaintenanceWindow, snoozeIncident } from "@/lib/maintenance/manage-windows";
import { mutableIncident, mutingWindows } from "@/lib/maintenance/muting";
import { releaseHeldIncidents } from "@/lib/maintenance/window-end-job";
import { loadIncident } from "@/lib/incidents/incident-store";
import { notificationSettings } from "@/lib/notifications/settings";
import { createLogger } from "@/lib/observability/logger";
import { triggerAutomaticRuns } from "@/lib/remediation/trigger-automatic-runs";
import { remediationSettingsFrom } from "@/lib/remediation/settings";
import { syncRunbookFiles } from "@/lib/runbooks/sync-runbook-files";
import { getRuntime } from "@/lib/runtime";
import { ctxOf, responder, viewer } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { drainJobs, queuedJobs } from "@/test/jobs";
import { ingestionSettings, useNotificationFakes } from "@/test/notifications";
import { shippedRunbooksDir } from "@/test/remediation";

const t = useTestDatabase();
const fakes = useNotificationFakes(t);
const minutes = (n: number) => n * 60_000;
/** Three hours ago: a two-hour window from here is over by now. */
const past = () => new Date(Date.now() - minutes(180));
const at = (base: Date, offsetMinutes: number) => new Date(base.getTime() + minutes(offsetMinutes));

let groups = 0;
/** A HighErrorRate alert (its runbook restarts the deployment automatically) ingested at `now`. */
async function fire(now: Date, labels: Record<string, string>, groupKey = `{}:{maint="${++groups}"}`) {
  const result = await ingestAlertmanagerPayload({
    ctx: ctxOf(t.db, responder, now),
    input: webhook(groupKey, [
      alert({
        labels: { alertname: "HighErrorRate", severity: "page", namespace: "shop", ...labels },
        annotations: { summary: `${labels.service} 5xx above 5%` },
        startsAt: now.toISOString(),
      }),
    ]),
    settings: { ...ingestionSettings, notifications: notificationSettings() },
  });
  const ref = result.incidents.created[0] ?? result.incidents.reopened[0]!;
  const [row] = await t.sql<{ id: string }[]>`select id from incidents where number = ${Number(ref.slice(4))}`;
  return { ref, id: row!.id, groupKey };
}

const rowsOf = (incidentId: string) =>
  t.db.select().from(notifications).where(eq(notifications.incidentId, incidentId));
/** Who was paged: the first messages (later Slack thread replies follow the remediation jobs). */
const openedChannels = async (incidentId: string) =>
  (await rowsOf(incidentId))
    .filter((r) => r.purpose === "open")
    .map((r) => r.channel)
    .sort();
const eventsOf = (incidentId: string, kind: string) =>
  t.db
    .select()
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, kind)));
/** The queued notify.* jobs about this incident (by its events and its messages). */
async function notifyJobsAbout(incidentId: string) {
  const events = new Set(
    (
      await t.db.select({ id: timelineEvents.id }).from(timelineEvents).where(eq(timelineEvents.incidentId, incidentId))
    ).map((e) => e.id),
  );
  const messages = new Set((await rowsOf(incidentId)).map((n) => n.id));
  return (await queuedJobs(t)).filter(
    (j) =>
      j.task.startsWith("notify.") &&
      (events.has(Number(j.payload.event_id)) || messages.has(String(j.payload.notification_id))),
  );
}
const pagesFor = (incidentId: string) =>
  fakes.pagerduty.received.filter((r) => (r.body as { dedup_key?: string }).dedup_key === incidentId);
const autoRunsAt = async (incidentId: string, now: Date) => {
  const [created] = await eventsOf(incidentId, "created");
  return triggerAutomaticRuns(
    t.db,
    created!.id,
    remediationSettingsFrom(getRuntime().config),
    now,
    createLogger("silent"),
  );
};

describe("a maintenance window", () => {
  it("opens the incident but pages nobody and restarts nothing; at its end paging starts, once", async () => {
    await syncRunbookFiles(t.db, shippedRunbooksDir, new Date());
    const start = past();
    const window = await createMaintenanceWindow({
      ctx: ctxOf(t.db, responder, start),
      input: { reason: "checkout database upgrade", service: "checkout", labels: { env: "prod" }, duration: "2h" },
    });
    expect(window).toMatchObject({ kind: "window", name: "service=checkout, env=prod", state: "active" });

    const muted = await fire(at(start, 5), { service: "checkout", env: "prod", deployment: "checkout" });
    const paged = await fire(at(start, 5), { service: "checkout", env: "staging", deployment: "checkout" });

    // Opened, alerts attached, but not one notification row or notify job; the timeline says why.
    expect(await rowsOf(muted.id)).toEqual([]);
    expect(await notifyJobsAbout(muted.id)).toEqual([]);
    const [held] = await eventsOf(muted.id, "muted");
    expect(held?.text).toBe(
      `Paging and automatic remediation held: in maintenance window “service=checkout, env=prod” until ${window.ends_at.slice(0, 16).replace("T", " ")} UTC`,
    );
    // The staging incident is outside the window: paged as usual.
    expect(await openedChannels(paged.id)).toEqual(["pagerduty", "slack"]);

    // No automatic remediation while the window holds; the same event after the window would restart.
    expect(await autoRunsAt(muted.id, at(start, 6))).toBe(0);
    expect(await t.sql`select 1 from remediation_runs where incident_id = ${muted.id}`).toHaveLength(0);
    const incident = await loadIncident(t.db, muted.id);
    expect(await mutingWindows(t.db, mutableIncident(incident), at(start, 6))).toHaveLength(1);
    expect(await mutingWindows(t.db, mutableIncident(incident), new Date())).toEqual([]);

    // The window is over: its end job pages the incident, and a retried job pages nobody again.
    expect(await releaseHeldIncidents(t.db, window.id, new Date())).toBe(1);
    expect(await releaseHeldIncidents(t.db, window.id, new Date())).toBe(0);
    expect(await eventsOf(muted.id, "unmuted")).toHaveLength(1);
    await drainJobs(t);
    expect(await releaseHeldIncidents(t.db, window.id, new Date())).toBe(0);
    await drainJobs(t);
    // Its first pages (the later Slack thread replies are the restart the remediation job did after the window).
    const opened = (await rowsOf(muted.id)).filter((r) => r.purpose === "open");
    expect(opened.map((r) => [r.channel, r.purpose, r.status]).sort()).toEqual([
      ["pagerduty", "open", "sent"],
      ["slack", "open", "sent"],
    ]);
    expect(pagesFor(muted.id)).toHaveLength(1);
  });

  it("is queued to end at its end time, and ended early by the worker's job pages what it held", async () => {
    const start = past();
    const window = await createMaintenanceWindow({
      ctx: ctxOf(t.db, responder, start),
      input: { reason: "rack move", team: "storage", ends_at: new Date(Date.now() + minutes(60)).toISOString() },
    });
    const [job] = await t.sql<{ run_at: string; key: string }[]>`
      select run_at, key from graphile_worker._private_jobs where key = ${`maintenance-window-end:${window.id}`}`;
    expect(new Date(job!.run_at).toISOString()).toBe(window.ends_at);

    const muted = await fire(at(start, 1), { service: "blobs", team: "storage" });
    await drainJobs(t); // the window is still on: its end job waits
    expect(await rowsOf(muted.id)).toEqual([]);

    const ended = await endMaintenanceWindow({ ctx: ctxOf(t.db, responder), input: { id: window.id } });
    expect(ended).toMatchObject({ state: "ended", ended_early_by: "responder bot" });
    await drainJobs(t);
    expect(await openedChannels(muted.id)).toEqual(["pagerduty", "slack"]);
    expect(pagesFor(muted.id)).toHaveLength(1);
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, "maintenance_window.end"));
    expect(audit).toMatchObject({ resourceId: window.id, actorName: "responder bot" });
  });

  it("is refused to a viewer", async () => {
    await expect(
      createMaintenanceWindow({
        ctx: ctxOf(t.db, viewer),
        input: { reason: "x", service: "checkout", duration: "1h" },
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("snoozing an incident's alert group", () => {
  it("holds the group's next incident, then pages it once when the snooze ends", async () => {
    const start = past();
    const first = await fire(start, { service: "search" });
    expect(await openedChannels(first.id)).toEqual(["pagerduty", "slack"]); // paged before the snooze

    const snooze = await snoozeIncident({
      ctx: ctxOf(t.db, responder, at(start, 1)),
      input: { ref: first.ref, duration: "1h", reason: "known flapping, fix deploying" },
    });
    expect(snooze).toMatchObject({ kind: "snooze", name: `Snooze of ${first.ref}`, incident_id: first.id });
    const [snoozed] = await eventsOf(first.id, "muted");
    expect(snoozed?.text).toMatch(/^Alert group snoozed for 1 h: paging and automatic remediation held/);
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, "incident.snooze"));
    expect(audit).toMatchObject({ resourceId: first.id, details: { window_id: snooze.id } });

    // The group's alert resolves, and fires again later: a new incident of the group, held.
    await t.sql`update incidents set status = 'resolved', resolved_at = ${at(start, 2).toISOString()} where id = ${first.id}`;
    const second = await fire(at(start, 20), { service: "search" }, first.groupKey);
    expect(second.id).not.toBe(first.id);
    expect(await rowsOf(second.id)).toEqual([]);
    expect(await notifyJobsAbout(second.id)).toEqual([]);

    // The snooze's end has passed, so the worker runs its end job; run again (a retry), it pages nobody twice.
    await drainJobs(t);
    expect(await eventsOf(second.id, "unmuted")).toHaveLength(1);
    expect(await releaseHeldIncidents(t.db, snooze.id, new Date())).toBe(0);
    await drainJobs(t);
    expect(await openedChannels(second.id)).toEqual(["pagerduty", "slack"]);
    expect(pagesFor(second.id)).toHaveLength(1);
    // The first incident was resolved when the snooze ended: nobody is paged for it again.
    expect(await eventsOf(first.id, "unmuted")).toEqual([]);
    expect(pagesFor(first.id)).toHaveLength(1);
  });

  it("refuses a declared incident, which has no alert group", async () => {
    const [row] = await t.sql<{ number: number }[]>`
      insert into incidents (title, severity, created_at, updated_at) values ('by hand', 'P2', now(), now()) returning number`;
    await expect(
      snoozeIncident({ ctx: ctxOf(t.db, responder), input: { ref: `INC-${row!.number}` } }),
    ).rejects.toMatchObject({ code: "conflict" });
  });
});
