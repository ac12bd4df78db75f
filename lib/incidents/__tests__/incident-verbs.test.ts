import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, incidents, timelineEvents, users } from "@/db/schema";
import { untrusted } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { acknowledgeIncident } from "../acknowledge-incident";
import { addTimelineEvent } from "../add-timeline-event";
import { createIncident } from "../create-incident";
import { getIncident, listTimelineEvents } from "../get-incident";
import { reopenIncident } from "../reopen-incident";
import { resolveIncident } from "../resolve-incident";
import { setIncidentStatus } from "../set-incident-status";
import { updateIncident } from "../update-incident";
import { admin, ctxOf, responder, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();

async function declare(title = "Checkout 5xx above 5%", at = new Date()) {
  return (
    await createIncident({
      ctx: ctxOf(t.db, responder, at),
      input: { title, severity: "P2", service: "checkout", team: "payments" },
    })
  ).incident;
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** drizzle wraps database errors ("Failed query: …"); PostgreSQL's own message is the cause's. */
const databaseMessage = (error: unknown) => String((error as { cause?: Error }).cause?.message ?? error);

const timelineOf = (incidentId: string) =>
  t.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incidentId)).orderBy(timelineEvents.id);
const auditOf = (incidentId: string) =>
  t.db.select().from(auditLog).where(eq(auditLog.resourceId, incidentId)).orderBy(auditLog.id);

describe("declaring an incident", () => {
  it("writes the incident, a 'created' timeline event and an audit row with the actor and IP", async () => {
    const at = new Date("2026-11-28T08:00:00Z");
    const incident = await declare("Search latency p95 above 2 s", at);
    expect(incident).toMatchObject({
      ref: `INC-${incident.number}`,
      title: "Search latency p95 above 2 s",
      severity: "P2",
      status: "open",
      created_at: at.toISOString(),
      detected_at: null,
    }); // declared without one: unknown, not "now"

    const [event] = await timelineOf(incident.id);
    expect(event).toMatchObject({ kind: "created", actorType: "apiToken", actorName: "responder bot", at });
    const [audit] = await auditOf(incident.id);
    expect(audit).toMatchObject({
      action: "incident.create",
      resourceType: "incident",
      actorName: "responder bot",
      ipAddress: "203.0.113.8",
      timestamp: at,
    });
  });

  it("numbers incidents from a sequence", async () => {
    const a = await declare();
    const b = await declare();
    expect(b.number).toBeGreaterThan(a.number);
  });

  it("refuses a viewer and writes nothing", async () => {
    const before = await t.db.select({ n: count() }).from(incidents);
    const error = await errorOf(createIncident({ ctx: ctxOf(t.db, viewer), input: { title: "x", severity: "P1" } }));
    expect(error.code).toBe("forbidden");
    expect(await t.db.select({ n: count() }).from(incidents)).toEqual(before);
  });

  it("names every invalid field and writes nothing", async () => {
    const before = await t.db.select({ n: count() }).from(incidents);
    const error = await errorOf(
      createIncident({ ctx: ctxOf(t.db), input: untrusted({ title: "", severity: "P9", labels: { team: 5 } }) }),
    );
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors.map((f) => f.path).sort()).toEqual(["labels.team", "severity", "title"]);
    expect(await t.db.select({ n: count() }).from(incidents)).toEqual(before);
  });

  it("assigns an owner named by email, and rejects an unknown one", async () => {
    const [bob] = await t.db
      .insert(users)
      .values({ email: "bob@example.com", name: "Bob", role: "responder" })
      .returning();
    const { incident } = await createIncident({
      ctx: ctxOf(t.db),
      input: { title: "Owned", severity: "P3", owner: "BOB@example.com" },
    });
    expect(incident.owner).toEqual({ id: bob!.id, name: "Bob", email: "bob@example.com" });
    const error = await errorOf(
      createIncident({ ctx: ctxOf(t.db), input: { title: "Owned", severity: "P3", owner: "nobody@example.com" } }),
    );
    expect(error.fieldErrors).toEqual([{ path: "owner", message: "no such user" }]);
  });

  it("rolls the incident back when its audit row cannot be written", async () => {
    await t.sql.unsafe(`
      create function fail_audit() returns trigger language plpgsql as $$ begin raise exception 'audit unavailable'; end $$;
      create trigger fail_audit before insert on audit_log for each row when (new.details->>'title' = 'Doomed') execute function fail_audit();`);
    try {
      const failure = await createIncident({ ctx: ctxOf(t.db), input: { title: "Doomed", severity: "P1" } }).catch(
        (e: unknown) => e,
      );
      expect(databaseMessage(failure)).toMatch(/audit unavailable/);
      expect(await t.db.select().from(incidents).where(eq(incidents.title, "Doomed"))).toEqual([]);
      expect(
        await t.db
          .select()
          .from(timelineEvents)
          .where(sql`${timelineEvents.text} like '%Doomed%'`),
      ).toEqual([]);
    } finally {
      await t.sql.unsafe(`drop trigger fail_audit on audit_log; drop function fail_audit();`);
    }
  });
});

describe("lifecycle verbs", () => {
  it("acknowledges once: timeline and audit say who, acknowledged_at is the time of the first ack", async () => {
    const incident = await declare();
    const at = new Date(Date.parse(incident.created_at) + 90_000);
    const first = await acknowledgeIncident({ ctx: ctxOf(t.db, responder, at), input: { ref: incident.ref } });
    expect(first).toMatchObject({
      changed: true,
      incident: { status: "acknowledged", acknowledged_at: at.toISOString() },
    });
    const again = await acknowledgeIncident({
      ctx: ctxOf(t.db, admin, new Date(at.getTime() + 60_000)),
      input: { ref: incident.id },
    });
    expect(again).toMatchObject({ changed: false, incident: { acknowledged_at: at.toISOString() } });

    expect((await timelineOf(incident.id)).map((e) => e.kind)).toEqual(["created", "acknowledged"]);
    expect((await auditOf(incident.id)).map((a) => a.action)).toEqual(["incident.create", "incident.acknowledge"]);
  });

  it("makes exactly one acknowledgement out of 20 concurrent ones", async () => {
    const incident = await declare();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } })),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    const acks = await t.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.incidentId, incident.id), eq(timelineEvents.kind, "acknowledged")));
    expect(acks).toHaveLength(1);
  });

  it("moves to investigating, then resolves with a note kept on the incident", async () => {
    const incident = await declare();
    await setIncidentStatus({ ctx: ctxOf(t.db), input: { ref: incident.ref, status: "investigating" } });
    const { incident: resolved } = await resolveIncident({
      ctx: ctxOf(t.db),
      input: { ref: incident.ref, resolution_note: "Rolled back deploy 42" },
    });
    expect(resolved).toMatchObject({ status: "resolved", resolution_note: "Rolled back deploy 42" });
    expect(resolved.acknowledged_at).not.toBeNull();
    const kinds = (await timelineOf(incident.id)).map((e) => [e.kind, e.text]);
    expect(kinds.at(-1)).toEqual(["resolved", "Resolved by responder bot: Rolled back deploy 42"]);
    expect((await auditOf(incident.id)).map((a) => a.action)).toEqual([
      "incident.create",
      "incident.set_status",
      "incident.resolve",
    ]);

    // Again, as a retry would (the same note, or none): nothing changes. With another note: refused, not dropped.
    for (const again of [{ resolution_note: "Rolled back deploy 42" }, {}]) {
      expect((await resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, ...again } })).changed).toBe(false);
    }
    const error = await errorOf(
      resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, resolution_note: "Actually it was the cache" } }),
    );
    expect(error).toMatchObject({
      code: "conflict",
      message: expect.stringContaining(
        'already resolved (its note: "Rolled back deploy 42"): add your note to its timeline',
      ),
    });
    expect((await auditOf(incident.id)).map((a) => a.action)).toEqual([
      "incident.create",
      "incident.set_status",
      "incident.resolve",
    ]);
  });

  it("refuses an impossible transition with a conflict that says why, changing nothing", async () => {
    const incident = await declare();
    await resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } });
    const error = await errorOf(acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } }));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/resolved; reopen it/);
    expect((await getIncident({ ctx: ctxOf(t.db, viewer), input: { ref: incident.ref } })).status).toBe("resolved");
  });

  it("reopens a resolved incident and counts it", async () => {
    const incident = await declare();
    await resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } });
    const { incident: reopened } = await reopenIncident({
      ctx: ctxOf(t.db),
      input: { ref: incident.ref, reason: "errors are back" },
    });
    expect(reopened).toMatchObject({ status: "open", reopened_count: 1, resolved_at: null });
    expect((await timelineOf(incident.id)).at(-1)).toMatchObject({
      kind: "reopened",
      text: "Reopened by responder bot: errors are back",
    });
  });

  it("answers not_found for an unknown or malformed reference", async () => {
    expect((await errorOf(acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: "INC-999999" } }))).code).toBe(
      "not_found",
    );
    expect((await errorOf(getIncident({ ctx: ctxOf(t.db, viewer), input: { ref: "nonsense" } }))).code).toBe(
      "not_found",
    );
  });

  it.each([
    ["acknowledge", (ref: string) => acknowledgeIncident({ ctx: ctxOf(t.db, viewer), input: { ref } })],
    [
      "set status",
      (ref: string) => setIncidentStatus({ ctx: ctxOf(t.db, viewer), input: { ref, status: "investigating" } }),
    ],
    ["resolve", (ref: string) => resolveIncident({ ctx: ctxOf(t.db, viewer), input: { ref } })],
    ["reopen", (ref: string) => reopenIncident({ ctx: ctxOf(t.db, viewer), input: { ref } })],
    ["update", (ref: string) => updateIncident({ ctx: ctxOf(t.db, viewer), input: { ref, title: "mine now" } })],
    ["add a note", (ref: string) => addTimelineEvent({ ctx: ctxOf(t.db, viewer), input: { ref, text: "hello" } })],
  ])("refuses a viewer who tries to %s, writing nothing", async (_name, attempt) => {
    const incident = await declare();
    expect((await errorOf(attempt(incident.ref))).code).toBe("forbidden");
    expect(await timelineOf(incident.id)).toHaveLength(1);
    expect(await auditOf(incident.id)).toHaveLength(1);
  });
});

describe("editing and notes", () => {
  it("updates fields and status in one go, with one 'updated' event listing the changes", async () => {
    const incident = await declare();
    const { incident: updated } = await updateIncident({
      ctx: ctxOf(t.db),
      input: {
        ref: incident.ref,
        severity: "P1",
        title: "Checkout down",
        service: "checkout",
        status: "investigating",
      },
    });
    expect(updated).toMatchObject({ severity: "P1", title: "Checkout down", status: "investigating" });
    const events = await timelineOf(incident.id);
    expect(events.map((e) => e.kind)).toEqual(["created", "updated", "status_changed"]);
    expect(events[1]!.data).toEqual({
      changes: { severity: { from: "P2", to: "P1" }, title: { from: "Checkout 5xx above 5%", to: "Checkout down" } },
    });
  });

  it("reports no change when every field already has the requested value", async () => {
    const incident = await declare();
    const result = await updateIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, severity: "P2" } });
    expect(result.changed).toBe(false);
    expect(await timelineOf(incident.id)).toHaveLength(1);
  });

  it("rejects an update that names no field", async () => {
    const incident = await declare();
    expect((await errorOf(updateIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } }))).code).toBe("invalid");
  });

  it("adds a note to the timeline, newest last by default", async () => {
    const incident = await declare();
    const note = await addTimelineEvent({
      ctx: ctxOf(t.db),
      input: { ref: incident.ref, text: "Rolling back to 1.4.2" },
    });
    expect(note).toMatchObject({
      kind: "note",
      text: "Rolling back to 1.4.2",
      actor: { type: "apiToken", name: "responder bot" },
    });
    const events = await listTimelineEvents({ ctx: ctxOf(t.db, viewer), input: { ref: incident.ref } });
    expect(events.map((e) => e.kind)).toEqual(["created", "note"]);
  });

  it("keeps the timeline and the audit log append-only", async () => {
    const incident = await declare();
    const rewrite = await t.db
      .update(timelineEvents)
      .set({ text: "rewritten" })
      .where(eq(timelineEvents.incidentId, incident.id))
      .catch((e: unknown) => e);
    expect(databaseMessage(rewrite)).toBe("timeline_events is append-only");
    const erase = await t.db
      .delete(auditLog)
      .where(eq(auditLog.resourceId, incident.id))
      .catch((e: unknown) => e);
    expect(databaseMessage(erase)).toBe("audit_log is append-only");
    // TRUNCATE touches no row, so the row triggers never see it; a statement trigger refuses it, even here
    // (tests connect as a superuser).
    expect(await t.sql`truncate audit_log`.catch((e: Error) => e.message)).toBe("audit_log is append-only");
    expect(await t.sql`truncate timeline_events`.catch((e: Error) => e.message)).toBe("timeline_events is append-only");
    expect(await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.resourceId, incident.id))).toEqual([
      { n: 1 },
    ]);
  });
});

describe("flags for the metrics", () => {
  it("marks an incident as a false positive with a reason, and a drill as excluded from metrics", async () => {
    const incident = await declare();
    const { incident: flagged } = await updateIncident({
      ctx: ctxOf(t.db),
      input: {
        ref: incident.ref,
        false_positive: true,
        false_positive_reason: "threshold too low",
        exclude_from_metrics: true,
      },
    });
    expect(flagged).toMatchObject({
      false_positive: true,
      false_positive_reason: "threshold too low",
      exclude_from_metrics: true,
    });
    const [event] = (await timelineOf(incident.id)).filter((e) => e.kind === "updated");
    expect(event!.text).toBe(
      "responder bot: marked as a false positive; false-positive reason edited; excluded from metrics",
    );
  });
});
