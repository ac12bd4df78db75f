// The on-call doors on real PostgreSQL: people and their contact methods, schedules with layers and
// overrides, who is on call, escalation policies, calendar feeds and shift exports, and the routing
// file's `escalation:` names.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { scheduleLoadsOf } from "@/lib/oncall/schedule-cache";
import { getRuntime } from "@/lib/runtime";
import { useTestDatabase } from "@/test/database";
import { queuedJobs } from "@/test/jobs";
import { call, TEST_APP_ORIGIN, useTestRuntime } from "@/test/runtime";
import * as calendarRoute from "../../calendar/[token]/route";
import * as feedRoute from "../calendar-feeds/[id]/route";
import * as feedsRoute from "../calendar-feeds/route";
import * as policyRoute from "../escalation-policies/[id]/route";
import * as policiesRoute from "../escalation-policies/route";
import * as oncallRoute from "../oncall/route";
import * as methodTestRoute from "../people/[id]/contact-methods/[methodId]/test/route";
import * as methodsRoute from "../people/[id]/contact-methods/route";
import * as rulesRoute from "../people/[id]/notification-rules/route";
import * as personRoute from "../people/[id]/route";
import * as peopleRoute from "../people/route";
import * as dryRunRoute from "../routing/dry-run/route";
import * as overridesRoute from "../schedules/[id]/overrides/route";
import * as scheduleRoute from "../schedules/[id]/route";
import * as shiftsRoute from "../schedules/[id]/shifts/route";
import * as schedulesRoute from "../schedules/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const routingDir = mkdtempSync(path.join(tmpdir(), "vigil-oncall-"));

let alice: string;
let bob: string;
let responderPerson: string;

const session = (role: "viewer" | "responder" | "admin") => ({
  cookie: tokens.sessions[role],
  origin: TEST_APP_ORIGIN,
});

const problemPaths = async (res: Response) => {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return ((await res.json()).errors ?? []).map((e: { path: string }) => e.path);
};

beforeAll(async () => {
  writeFileSync(
    path.join(routingDir, "vigil.config.yaml"),
    "routes:\n  - name: databases\n    match: { service: db }\n    notify: [pagerduty]\n    escalation: Database primary\n",
  );
  getRuntime().config.routingConfigPath = path.join(routingDir, "vigil.config.yaml");
  const add = async (name: string, email: string) => {
    const res = await call(peopleRoute.POST, "POST", "/api/v1/people", {
      token: tokens.admin,
      body: { name, email, time_zone: "Europe/London" },
    });
    expect(res.status).toBe(201);
    return (await res.json()).id as string;
  };
  alice = await add("Alice Responder", "alice@example.com");
  bob = await add("Bob Responder", "bob@example.com");
  const [row] = await t.sql`select id from users where name = 'responder person'`;
  responderPerson = row!.id as string;
});

describe("people", () => {
  it("lets an admin add a person before their first sign-in, as a responder unless said otherwise", async () => {
    const res = await call(personRoute.GET, "GET", `/api/v1/people/${alice}`, {
      token: tokens.viewer,
      params: { id: alice },
    });
    expect(await res.json()).toMatchObject({
      name: "Alice Responder",
      role: "responder",
      time_zone: "Europe/London",
      pending_sign_in: true,
      no_contact_methods: true,
    });
    const [audit] = await t.sql`select action from audit_log where resource_id = ${alice}`;
    expect(audit!.action).toBe("person.add");
    const refused = await call(peopleRoute.POST, "POST", "/api/v1/people", {
      token: tokens.responder,
      body: { name: "Carol", email: "carol@example.com" },
    });
    expect(refused.status).toBe(403);
    const invalid = await call(peopleRoute.POST, "POST", "/api/v1/people", {
      token: tokens.admin,
      body: { name: "Carol", email: "carol", time_zone: "Mars/Olympus" },
    });
    expect(invalid.status).toBe(400);
    expect(await problemPaths(invalid)).toEqual(["email", "time_zone"]);
  });

  it("lets a responder edit their own contact methods, not someone else's; an admin edits anyone's", async () => {
    const own = await call(methodsRoute.POST, "POST", "/api/v1/people/me/contact-methods", {
      headers: session("responder"),
      params: { id: "me" },
      body: { kind: "sms", value: "+447700900123" },
    });
    expect(own.status).toBe(201);
    expect((await own.json()).contact_methods).toMatchObject([{ kind: "sms", value: "+447700900123" }]);

    const badNumber = await call(methodsRoute.POST, "POST", "/api/v1/people/me/contact-methods", {
      headers: session("responder"),
      params: { id: "me" },
      body: { kind: "voice", value: "07700 900123" },
    });
    expect(badNumber.status).toBe(400);
    expect(await problemPaths(badNumber)).toEqual(["value"]);

    const others = await call(methodsRoute.POST, "POST", `/api/v1/people/${alice}/contact-methods`, {
      headers: session("responder"),
      params: { id: alice },
      body: { kind: "email", value: "alice@example.com" },
    });
    expect(others.status).toBe(403);
    const viewerOwn = await call(methodsRoute.POST, "POST", "/api/v1/people/me/contact-methods", {
      headers: session("viewer"),
      params: { id: "me" },
      body: { kind: "email", value: "viewer@example.com" },
    });
    expect(viewerOwn.status).toBe(403);

    const byAdmin = await call(methodsRoute.POST, "POST", `/api/v1/people/${alice}/contact-methods`, {
      token: tokens.admin,
      params: { id: alice },
      body: { kind: "email", value: "alice@example.com" },
    });
    expect(byAdmin.status).toBe(201);
    const person = await byAdmin.json();
    expect(person.no_contact_methods).toBe(false);

    const rule = await call(rulesRoute.POST, "POST", `/api/v1/people/${alice}/notification-rules`, {
      token: tokens.admin,
      params: { id: alice },
      body: { contact_method_id: person.contact_methods[0].id, urgency: "high", delay_minutes: 0 },
    });
    expect(rule.status).toBe(201);
    expect((await rule.json()).notification_rules).toMatchObject([{ urgency: "high", delay_minutes: 0 }]);

    const [ownMethod] = await t.sql`select id from contact_methods where user_id = ${responderPerson}`;
    const foreignMethod = await call(rulesRoute.POST, "POST", `/api/v1/people/${alice}/notification-rules`, {
      token: tokens.admin,
      params: { id: alice },
      body: { contact_method_id: ownMethod!.id, urgency: "low", delay_minutes: 5 },
    });
    expect(foreignMethod.status).toBe(400);
    expect(await problemPaths(foreignMethod)).toEqual(["contact_method_id"]);
  });

  it("queues a test notification as a job", async () => {
    const [method] = await t.sql`select id from contact_methods where user_id = ${alice}`;
    const res = await call(methodTestRoute.POST, "POST", "/x", {
      token: tokens.admin,
      params: { id: alice, methodId: method!.id as string },
    });
    expect(res.status).toBe(202);
    expect(await queuedJobs(t)).toContainEqual({
      task: "oncall.test_notification",
      payload: { contact_method_id: method!.id },
    });
  });
});

describe("schedules, overrides and who is on call", () => {
  let scheduleId: string;

  it("creates a schedule with a layer and warns of a scheduled person without contact methods", async () => {
    const res = await call(schedulesRoute.POST, "POST", "/api/v1/schedules", {
      token: tokens.admin,
      body: {
        name: "Primary",
        team: "platform",
        time_zone: "Europe/London",
        layers: [
          {
            name: "weekly",
            anchor: "2026-01-05T09:00",
            interval_unit: "weeks",
            interval_count: 1,
            participants: [alice, bob],
          },
        ],
      },
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    scheduleId = body.id;
    expect(body.warnings).toContainEqual(expect.objectContaining({ code: "no_contact_methods", path: `user:${bob}` }));
    expect(body.final.length).toBeGreaterThan(0);
    const [audit] = await t.sql`select action from audit_log where resource_id = ${scheduleId}`;
    expect(audit!.action).toBe("schedule.create");
  });

  it("refuses a bad zone, an anchor that is no date, and a participant who does not exist, naming each", async () => {
    const res = await call(schedulesRoute.POST, "POST", "/api/v1/schedules", {
      token: tokens.admin,
      body: {
        name: "Broken",
        time_zone: "Europe/Atlantis",
        layers: [
          { name: "l", anchor: "2026-02-30T09:00", interval_unit: "days", interval_count: 1, participants: [alice] },
        ],
      },
    });
    expect(await problemPaths(res)).toEqual(["time_zone", "layers.0.anchor"]);
    const ghost = await call(schedulesRoute.POST, "POST", "/api/v1/schedules", {
      token: tokens.admin,
      body: {
        name: "Ghost",
        time_zone: "UTC",
        layers: [
          {
            name: "l",
            anchor: "2026-01-01T09:00",
            interval_unit: "days",
            interval_count: 1,
            participants: ["00000000-0000-4000-8000-0000000000ff"],
          },
        ],
      },
    });
    expect(ghost.status).toBe(400);
    expect(await problemPaths(ghost)).toEqual(["layers.0.participants.0"]);
    expect((await t.sql`select 1 from schedules where name in ('Broken', 'Ghost')`).length).toBe(0);
    const byResponder = await call(schedulesRoute.POST, "POST", "/api/v1/schedules", {
      token: tokens.responder,
      body: { name: "Mine", time_zone: "UTC" },
    });
    expect(byResponder.status).toBe(403);
  });

  it("answers who is on call, with overrides stacked on overrides, and until when", async () => {
    // Week of 2026-06-01 (Monday): weeks since the anchor = 21, so bob (index 1) is on call.
    const at = "2026-06-03T12:00:00Z";
    const ask = async (when: string) => {
      const res = await call(oncallRoute.GET, "GET", `/api/v1/oncall?at=${encodeURIComponent(when)}&team=platform`, {
        token: tokens.viewer,
      });
      expect(res.status).toBe(200);
      const [entry] = (await res.json()).schedules;
      return entry;
    };
    const before = await ask(at);
    expect(before.on_call).toEqual([{ user_id: bob, name: "Bob Responder", no_contact_methods: true }]);
    expect(before.until).toBe("2026-06-08T08:00:00.000Z");

    const cover = await call(overridesRoute.POST, "POST", "/x", {
      token: tokens.responder,
      params: { id: scheduleId },
      body: { user_id: alice, replaces_user_id: bob, start: "2026-06-03T00:00:00Z", end: "2026-06-04T00:00:00Z" },
    });
    expect(cover.status).toBe(201);
    const coverOfCover = await call(overridesRoute.POST, "POST", "/x", {
      headers: session("responder"),
      params: { id: scheduleId },
      body: {
        user_id: responderPerson,
        replaces_user_id: alice,
        start: "2026-06-03T10:00:00Z",
        end: "2026-06-03T14:00:00Z",
      },
    });
    expect(coverOfCover.status).toBe(201);
    expect((await ask(at)).on_call.map((p: { user_id: string }) => p.user_id)).toEqual([responderPerson]);
    expect((await ask(at)).until).toBe("2026-06-03T14:00:00.000Z");
    expect((await ask("2026-06-03T15:00:00Z")).on_call.map((p: { user_id: string }) => p.user_id)).toEqual([alice]);

    const byViewer = await call(overridesRoute.POST, "POST", "/x", {
      token: tokens.viewer,
      params: { id: scheduleId },
      body: { user_id: alice, start: "2026-06-03T00:00:00Z", end: "2026-06-04T00:00:00Z" },
    });
    expect(byViewer.status).toBe(403);
    const backwards = await call(overridesRoute.POST, "POST", "/x", {
      token: tokens.responder,
      params: { id: scheduleId },
      body: { user_id: alice, start: "2026-06-04T00:00:00Z", end: "2026-06-03T00:00:00Z" },
    });
    expect(await problemPaths(backwards)).toEqual(["end"]);
  });

  it("looks 60 days ahead for until when: an override within them counts, one beyond them does not", async () => {
    const created = await call(schedulesRoute.POST, "POST", "/api/v1/schedules", {
      token: tokens.admin,
      body: {
        name: "Always alice",
        team: "horizon",
        time_zone: "UTC",
        layers: [
          { name: "one", anchor: "2026-01-05T09:00", interval_unit: "weeks", interval_count: 1, participants: [alice] },
        ],
      },
    });
    const id = (await created.json()).id;
    const cover = (start: string) =>
      call(overridesRoute.POST, "POST", "/x", {
        token: tokens.responder,
        params: { id },
        body: { user_id: bob, start, end: "2026-12-31T00:00:00Z" },
      });
    const untilAt = async (when: string) => {
      const res = await call(oncallRoute.GET, "GET", `/api/v1/oncall?at=${when}&schedule_id=${id}`, {
        token: tokens.viewer,
      });
      return (await res.json()).schedules[0].until;
    };
    expect((await cover("2026-09-01T00:00:00Z")).status).toBe(201);
    expect(await untilAt("2026-07-01T00:00:00Z")).toBeNull();
    expect(await untilAt("2026-07-04T00:00:00Z")).toBe("2026-09-01T00:00:00.000Z");
  });

  it("keeps the schedules it read until one changes, here or in another process", async () => {
    const created = await call(schedulesRoute.POST, "POST", "/api/v1/schedules", {
      token: tokens.admin,
      body: {
        name: "Cached",
        team: "cache",
        time_zone: "UTC",
        layers: [
          { name: "one", anchor: "2026-01-05T09:00", interval_unit: "weeks", interval_count: 1, participants: [alice] },
        ],
      },
    });
    const id = (await created.json()).id as string;
    const onCall = async () => {
      const res = await call(oncallRoute.GET, "GET", `/api/v1/oncall?at=2026-07-01T12:00:00Z&team=cache`, {
        token: tokens.viewer,
      });
      return (await res.json()).schedules[0].on_call.map((p: { user_id: string }) => p.user_id);
    };
    const db = getRuntime().database.db;
    expect(await onCall()).toEqual([alice]);
    const loads = scheduleLoadsOf(db);
    expect(await onCall()).toEqual([alice]);
    expect(scheduleLoadsOf(db)).toBe(loads);

    // Another process (here: plain SQL) changes the layer: the trigger's count tells this one.
    await t.sql`update schedule_layers set participants = ${JSON.stringify([bob])}::jsonb where schedule_id = ${id}`;
    expect(await onCall()).toEqual([bob]);
    expect(scheduleLoadsOf(db)).toBe(loads + 1);

    // Through the door: an override (alice replaces whoever is on call); then the schedule goes.
    const cover = await call(overridesRoute.POST, "POST", "/x", {
      token: tokens.responder,
      params: { id },
      body: { user_id: alice, start: "2026-07-01T00:00:00Z", end: "2026-07-02T00:00:00Z" },
    });
    expect(cover.status).toBe(201);
    expect(await onCall()).toEqual([alice]);
    await t.sql`delete from schedules where id = ${id}`;
    const res = await call(oncallRoute.GET, "GET", `/api/v1/oncall?at=2026-07-01T12:00:00Z&team=cache`, {
      token: tokens.viewer,
    });
    expect((await res.json()).schedules).toEqual([]);
  });

  it("exports the final shifts as CSV", async () => {
    const res = await call(
      shiftsRoute.GET,
      "GET",
      "/api/v1/schedules/x/shifts?from=2026-06-03T00:00:00Z&to=2026-06-04T00:00:00Z&format=csv",
      { token: tokens.viewer, params: { id: scheduleId } },
    );
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect((await res.text()).split("\r\n")).toEqual([
      "schedule,user_id,name,start,end,hours",
      `Primary,${alice},Alice Responder,2026-06-03T00:00:00.000Z,2026-06-03T10:00:00.000Z,10`,
      `Primary,${responderPerson},responder person,2026-06-03T10:00:00.000Z,2026-06-03T14:00:00.000Z,4`,
      `Primary,${alice},Alice Responder,2026-06-03T14:00:00.000Z,2026-06-04T00:00:00.000Z,10`,
      "",
    ]);
  });

  it("serves a schedule's iCal feed 180 days ahead, every event free, until it is revoked", async () => {
    const created = await call(feedsRoute.POST, "POST", "/api/v1/calendar-feeds", {
      token: tokens.viewer,
      body: { schedule_id: scheduleId },
    });
    expect(created.status).toBe(201);
    const feed = await created.json();
    const token = feed.url.split("/").pop();
    const [stored] = await t.sql`select token_hash from calendar_feeds where id = ${feed.id}`;
    expect(stored!.token_hash).not.toContain(token);

    const res = await call(calendarRoute.GET, "GET", `/api/calendar/${token}`, { params: { token } });
    expect(res.headers.get("content-type")).toContain("text/calendar");
    const ics = await res.text();
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    const events = ics.split("BEGIN:VEVENT").slice(1);
    expect(events.length).toBeGreaterThan(20);
    expect(events.every((e) => e.includes("TRANSP:TRANSPARENT"))).toBe(true);
    const lastStart = [...ics.matchAll(/DTSTART:(\d{8})T/g)]
      .map((m) => m[1]!)
      .sort()
      .pop()!;
    const ahead =
      (Date.UTC(+lastStart.slice(0, 4), +lastStart.slice(4, 6) - 1, +lastStart.slice(6)) - Date.now()) / 86_400_000;
    expect(ahead).toBeGreaterThan(170);

    const revoked = await call(feedRoute.DELETE, "DELETE", "/x", { token: tokens.admin, params: { id: feed.id } });
    expect(revoked.status).toBe(200);
    const gone = await call(calendarRoute.GET, "GET", `/api/calendar/${token}`, { params: { token } });
    expect(gone.status).toBe(404);
  });

  it("gives a person a feed of their own shifts only", async () => {
    const soon = new Date(Date.now() + 2 * 86_400_000);
    await call(overridesRoute.POST, "POST", "/x", {
      token: tokens.responder,
      params: { id: scheduleId },
      body: {
        user_id: responderPerson,
        start: soon.toISOString(),
        end: new Date(soon.getTime() + 3_600_000).toISOString(),
      },
    });
    const created = await call(feedsRoute.POST, "POST", "/api/v1/calendar-feeds", {
      headers: session("responder"),
      body: { user_id: "me" },
    });
    const token = (await created.json()).url.split("/").pop();
    const ics = await (await call(calendarRoute.GET, "GET", "/x", { params: { token } })).text();
    expect(ics.split("BEGIN:VEVENT").length - 1).toBe(1);
    const forAlice = await call(feedsRoute.POST, "POST", "/api/v1/calendar-feeds", {
      headers: session("responder"),
      body: { user_id: alice },
    });
    expect(forAlice.status).toBe(403);
  });

  it("lets a viewer read the schedule but not change it", async () => {
    const res = await call(scheduleRoute.GET, "GET", "/x", { token: tokens.viewer, params: { id: scheduleId } });
    expect((await res.json()).layers).toHaveLength(1);
    const patch = await call(scheduleRoute.PATCH, "PATCH", "/x", {
      token: tokens.responder,
      params: { id: scheduleId },
      body: { time_zone: "UTC" },
    });
    expect(patch.status).toBe(403);
  });
});

describe("escalation policies and the routing file", () => {
  it("refuses targets that do not exist, naming them, and warns of a channel-only policy", async () => {
    const missing = await call(policiesRoute.POST, "POST", "/api/v1/escalation-policies", {
      token: tokens.admin,
      body: {
        name: "Broken",
        steps: [
          { delay_minutes: 15, targets: [{ type: "schedule", schedule_id: "00000000-0000-4000-8000-0000000000ff" }] },
        ],
      },
    });
    expect(missing.status).toBe(400);
    expect(await problemPaths(missing)).toEqual(["steps.0.targets.0.schedule_id"]);
    const channelOnly = await call(policiesRoute.POST, "POST", "/api/v1/escalation-policies", {
      token: tokens.admin,
      body: {
        name: "Ops channel",
        steps: [{ delay_minutes: 15, targets: [{ type: "slack_channel", channel: "#ops" }] }],
      },
    });
    expect(channelOnly.status).toBe(201);
    expect((await channelOnly.json()).warnings.map((w: { code: string }) => w.code)).toEqual(["channel_only_policy"]);
    const byResponder = await call(policiesRoute.POST, "POST", "/api/v1/escalation-policies", {
      token: tokens.responder,
      body: { name: "Mine", steps: [{ delay_minutes: 15, targets: [{ type: "user", user_id: alice }] }] },
    });
    expect(byResponder.status).toBe(403);
  });

  it("refuses a routing file's escalation: that names no policy in the dry run, then follows it once it exists", async () => {
    const dryRun = () =>
      call(dryRunRoute.POST, "POST", "/api/v1/routing/dry-run", {
        token: tokens.admin,
        body: {
          alertmanager_payload: {
            version: "4",
            status: "firing",
            receiver: "vigil",
            groupKey: '{}:{alertname="DbDown"}',
            groupLabels: { alertname: "DbDown" },
            commonLabels: {},
            commonAnnotations: {},
            externalURL: "http://alertmanager",
            alerts: [
              {
                status: "firing",
                labels: { alertname: "DbDown", severity: "critical", service: "db" },
                annotations: {},
                startsAt: "2026-06-03T12:00:00Z",
                endsAt: "0001-01-01T00:00:00Z",
                generatorURL: "http://prometheus",
                fingerprint: "f00d",
              },
            ],
          },
        },
      });
    const refused = await dryRun();
    expect(refused.status).toBe(409);
    expect(await problemPaths(refused)).toEqual(["routes.0.escalation"]);

    const [schedule] = await t.sql`select id from schedules where name = 'Primary'`;
    const created = await call(policiesRoute.POST, "POST", "/api/v1/escalation-policies", {
      token: tokens.admin,
      body: {
        name: "Database primary",
        repeat: 2,
        steps: [
          { delay_minutes: 15, targets: [{ type: "schedule", schedule_id: schedule!.id }] },
          { delay_minutes: 15, targets: [{ type: "user", user_id: bob }], delivery: "round_robin" },
        ],
      },
    });
    expect(created.status).toBe(201);
    const policy = await created.json();
    const answer = await (await dryRun()).json();
    expect(answer.escalation).toEqual({ policy: "Database primary", source: "routing" });
    expect(answer.warnings[0].message).toContain("may be paged twice");

    const deleting = await call(policyRoute.DELETE, "DELETE", "/x", { token: tokens.admin, params: { id: policy.id } });
    expect(deleting.status).toBe(409);
  });
});
