// Every incident verb writes its change, its timeline event and its audit row in one transaction: when the
// audit row cannot be written, the verb fails and nothing of it is left — not the incident's new state, not
// the timeline event, not the jobs that event would have queued. (Declaring is covered in incident-verbs.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Incident } from "../schemas";
import { acknowledgeIncident } from "../acknowledge-incident";
import { addTimelineEvent } from "../add-timeline-event";
import { createIncident } from "../create-incident";
import { reopenIncident } from "../reopen-incident";
import { resolveIncident } from "../resolve-incident";
import { setIncidentStatus } from "../set-incident-status";
import { updateIncident } from "../update-incident";
import { ctxOf, responder } from "@/test/actors";
import { useTestDatabase } from "@/test/database";

const t = useTestDatabase();

async function declare(title = "Checkout 5xx above 5%"): Promise<Incident> {
  return (
    await createIncident({
      ctx: ctxOf(t.db, responder),
      input: { title, severity: "P2", service: "checkout", team: "payments" },
    })
  ).incident;
}

/** drizzle wraps database errors ("Failed query: …"); PostgreSQL's own message is the cause's. */
const databaseMessage = (error: unknown) => String((error as { cause?: Error }).cause?.message ?? error);

/** Everything a verb on this incident could leave behind. */
async function stateOf(incidentId: string) {
  const [incident] = await t.sql`select * from incidents where id = ${incidentId}`;
  const timeline =
    await t.sql`select id, kind, text from timeline_events where incident_id = ${incidentId} order by id`;
  const audit = await t.sql`select id, action from audit_log where resource_id = ${incidentId} order by id`;
  const [jobs] = await t.sql`select count(*)::int as n from graphile_worker._private_jobs`;
  return { incident, timeline, audit, jobs: jobs!.n as number };
}

beforeAll(async () => {
  await t.sql.unsafe(
    `create function fail_audit() returns trigger language plpgsql as $$ begin raise exception 'audit unavailable'; end $$;`,
  );
});
afterAll(async () => {
  await t.sql.unsafe(`drop function if exists fail_audit() cascade;`);
});

/**
 * Runs `verb` while the audit row of `action` on this incident cannot be written, and checks that the verb
 * throws the database's refusal and leaves the incident, its timeline, its audit and the job queue as they were.
 */
async function expectRolledBack(incident: Incident, action: string, verb: () => Promise<unknown>): Promise<void> {
  const before = await stateOf(incident.id);
  await t.sql.unsafe(
    `create trigger fail_audit before insert on audit_log for each row when (new.resource_id = '${incident.id}' and new.action = '${action}') execute function fail_audit();`,
  );
  let failure: unknown;
  try {
    failure = await verb().then(
      () => new Error(`${action} succeeded although its audit row could not be written`),
      (e: unknown) => e,
    );
  } finally {
    await t.sql.unsafe(`drop trigger fail_audit on audit_log;`);
  }
  expect(databaseMessage(failure)).toMatch(/audit unavailable/);
  const after = await stateOf(incident.id);
  expect(after.incident, "the incident row changed").toEqual(before.incident);
  expect(after.timeline, "a timeline event was left behind").toEqual(before.timeline);
  expect(after.audit, "an audit row was left behind").toEqual(before.audit);
  expect(after.jobs, "a job was queued").toBe(before.jobs);
}

describe("an incident verb whose audit row cannot be written changes nothing", () => {
  it("acknowledge", async () => {
    const incident = await declare();
    await expectRolledBack(incident, "incident.acknowledge", () =>
      acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } }),
    );
    // With the audit back, the same acknowledgement goes through: the failure was the audit, nothing else.
    expect(await acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } })).toMatchObject({
      changed: true,
      incident: { status: "acknowledged" },
    });
  });

  it("set status (investigating)", async () => {
    const incident = await declare();
    await expectRolledBack(incident, "incident.set_status", () =>
      setIncidentStatus({ ctx: ctxOf(t.db), input: { ref: incident.ref, status: "investigating", note: "looking" } }),
    );
    expect(
      await setIncidentStatus({ ctx: ctxOf(t.db), input: { ref: incident.ref, status: "investigating" } }),
    ).toMatchObject({ changed: true, incident: { status: "investigating" } });
  });

  it("resolve (and its postmortem draft is not queued)", async () => {
    const incident = await declare();
    await acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } });
    await expectRolledBack(incident, "incident.resolve", () =>
      resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, resolution_note: "Rolled back deploy 42" } }),
    );
    const [draft] =
      await t.sql`select count(*)::int as n from graphile_worker._private_jobs where key = ${`postmortem-draft:${incident.id}`}`;
    expect(draft!.n).toBe(0);
    expect(await resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } })).toMatchObject({
      changed: true,
      incident: { status: "resolved" },
    });
  });

  it("reopen", async () => {
    const incident = await declare();
    await resolveIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, resolution_note: "fixed" } });
    await expectRolledBack(incident, "incident.reopen", () =>
      reopenIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, reason: "it came back" } }),
    );
    expect(await reopenIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } })).toMatchObject({
      changed: true,
      incident: { status: "open", reopened_count: 1 },
    });
  });

  it("update (PATCH fields)", async () => {
    const incident = await declare();
    await expectRolledBack(incident, "incident.update", () =>
      updateIncident({
        ctx: ctxOf(t.db),
        input: {
          ref: incident.ref,
          title: "Renamed",
          severity: "P1",
          description: "more detail",
          false_positive: true,
        },
      }),
    );
    expect(await updateIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, title: "Renamed" } })).toMatchObject({
      changed: true,
      incident: { title: "Renamed" },
    });
  });

  it("update with fields and a status: a failed status audit takes the field edits back too", async () => {
    const incident = await declare();
    await expectRolledBack(incident, "incident.set_status", () =>
      updateIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref, title: "Renamed", status: "acknowledged" } }),
    );
  });

  it("add note", async () => {
    const incident = await declare();
    await expectRolledBack(incident, "incident.add_timeline_event", () =>
      addTimelineEvent({ ctx: ctxOf(t.db), input: { ref: incident.ref, text: "Doomed note" } }),
    );
    expect(await addTimelineEvent({ ctx: ctxOf(t.db), input: { ref: incident.ref, text: "Kept note" } })).toMatchObject(
      { kind: "note", text: "Kept note" },
    );
  });
});
