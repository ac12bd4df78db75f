// On-call analytics on PostgreSQL: the escalation engine's record (escalation runs and pages, written
// here directly as the engine writes them) around New York's fall-back night of 2026-11-01, with people
// in New York, Kolkata and no zone at all. Figures worked out by hand beside each row.
import { beforeAll, describe, expect, it } from "vitest";
import { escalations, incidents, pages, users } from "@/db/schema";
import { eq } from "drizzle-orm";
import { getOncallLoad } from "@/lib/analytics/get-oncall-load";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { createIncident } from "@/lib/incidents/create-incident";
import { createPolicy } from "@/lib/oncall/policies";
import { admin, ctxOf, responder, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as oncallRoute from "@/app/api/v1/analytics/oncall/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const range = { from: "2026-10-26", to: "2026-11-09" };
const ids: Record<string, string> = {};

async function person(name: string, timeZone: string | null) {
  const [row] = await t.db
    .insert(users)
    .values({ email: `${name}-${crypto.randomUUID()}@example.com`, name, role: "responder", timeZone })
    .returning();
  return row!.id;
}

/** An incident created at `created`, acknowledged at `acked` (if ever), with one escalation run. */
async function incidentWithRun(options: {
  created: string;
  acked?: string;
  team: string;
  state?: "stopped" | "exhausted";
  excluded?: boolean;
}) {
  const { incident } = await createIncident({
    ctx: ctxOf(t.db, responder, new Date(options.created)),
    input: { title: `page at ${options.created}`, severity: "P1", team: options.team, service: options.team },
  });
  if (options.acked)
    await acknowledgeIncident({ ctx: ctxOf(t.db, responder, new Date(options.acked)), input: { ref: incident.id } });
  if (options.excluded)
    await t.db.update(incidents).set({ excludeFromMetrics: true }).where(eq(incidents.id, incident.id));
  const [run] = await t.db
    .insert(escalations)
    .values({
      incidentId: incident.id,
      policyId: ids.policy,
      policyName: "primary",
      policySource: "default",
      urgency: "high",
      state: options.state ?? "stopped",
      startedAt: new Date(options.created),
      endedAt: options.acked ? new Date(options.acked) : null,
      endedReason: options.acked ? "acknowledged by a responder" : "exhausted",
    })
    .returning();
  return { incidentId: incident.id, escalationId: run!.id };
}

async function page(
  run: { incidentId: string; escalationId: string },
  userId: string,
  sentAt: string,
  options: {
    step?: number;
    pass?: number;
    method?: "sms" | "email";
    bundledIntoId?: string;
    status?: "cancelled";
  } = {},
) {
  const [row] = await t.db
    .insert(pages)
    .values({
      escalationId: run.escalationId,
      incidentId: run.incidentId,
      step: options.step ?? 0,
      pass: options.pass ?? 0,
      userId,
      method: options.method ?? "sms",
      address: "+15550100",
      status: options.status ?? "sent",
      dueAt: new Date(sentAt),
      sentAt: options.status ? null : new Date(sentAt),
      bundledIntoId: options.bundledIntoId ?? null,
      createdAt: new Date(sentAt),
    })
    .returning();
  return row!.id;
}

beforeAll(async () => {
  const bob = await person("Bob", "America/New_York");
  const alice = await person("Alice", "Asia/Kolkata");
  const carol = await person("Carol", null);
  Object.assign(ids, { bob, alice, carol });
  ids.policy = (
    await createPolicy({
      ctx: ctxOf(t.db, admin),
      input: {
        name: "primary",
        repeat: 1,
        steps: [
          { delay_minutes: 15, targets: [{ type: "user", user_id: bob }] },
          { delay_minutes: 15, targets: [{ type: "user", user_id: alice }] },
        ],
      },
    })
  ).id;

  // I1: step 1 pages Bob at 01:30 EDT (night of Oct 31), by SMS and email; acknowledged after 15 min.
  const i1 = await incidentWithRun({
    created: "2026-11-01T05:20:00Z",
    acked: "2026-11-01T05:35:00Z",
    team: "payments",
  });
  await page(i1, bob, "2026-11-01T05:30:00Z");
  await page(i1, bob, "2026-11-01T05:30:00Z", { method: "email" });
  // I2: Bob at 01:30 EST (the repeated hour: the same night), then Alice at 12:15 IST; acknowledged after 30 min.
  const i2 = await incidentWithRun({
    created: "2026-11-01T06:20:00Z",
    acked: "2026-11-01T06:50:00Z",
    team: "payments",
  });
  await page(i2, bob, "2026-11-01T06:30:00Z");
  await page(i2, alice, "2026-11-01T06:45:00Z", { step: 1 });
  // I3, nobody acknowledges: Bob at 06:30 EST (still night now that New York is back on UTC-5; 07:30 on
  // the summer offset), Alice at 17:15 IST, then the second pass pages Bob at 07:00 EST: morning. Step 3.
  const i3 = await incidentWithRun({ created: "2026-11-01T11:00:00Z", team: "payments", state: "exhausted" });
  await page(i3, bob, "2026-11-01T11:30:00Z");
  await page(i3, alice, "2026-11-01T11:45:00Z", { step: 1 });
  await page(i3, bob, "2026-11-01T12:00:00Z", { pass: 1 });
  // I4 and I5: Alice at 22:20 IST on Tuesday (a night); Carol (no zone: UTC) gets both incidents in one
  // message, carried by I5's page. Acknowledged after 20 and 10 min.
  const i4 = await incidentWithRun({
    created: "2026-11-03T16:40:00Z",
    acked: "2026-11-03T17:00:00Z",
    team: "platform",
  });
  const i5 = await incidentWithRun({ created: "2026-11-03T16:45:00Z", acked: "2026-11-03T16:55:00Z", team: "search" });
  await page(i4, alice, "2026-11-03T16:50:00Z");
  const carrier = await page(i5, carol, "2026-11-03T16:50:00Z");
  await page(i4, carol, "2026-11-03T16:50:00Z", { bundledIntoId: carrier });
  // I6, a drill (excluded from metrics): left out, with its 03:00 UTC page.
  const i6 = await incidentWithRun({ created: "2026-11-02T03:00:00Z", team: "payments", excluded: true });
  await page(i6, bob, "2026-11-02T03:05:00Z");
  // I7: acknowledged a minute in, before its first page went out (cancelled).
  const i7 = await incidentWithRun({
    created: "2026-11-04T10:00:00Z",
    acked: "2026-11-04T10:01:00Z",
    team: "platform",
  });
  await page(i7, bob, "2026-11-04T10:05:00Z", { status: "cancelled" });
});

describe("on-call analytics", () => {
  it("says which step each run reached before the acknowledgement, with time to acknowledge per step", async () => {
    const load = await getOncallLoad({ ctx: ctxOf(t.db, viewer), input: range });
    expect(load).toMatchObject({ escalations: 6, acknowledged: 5, unacknowledged: 1, reached_step_2_share: 0.3333 });
    expect(load.by_step).toEqual([
      { step: 0, escalations: 1, acknowledged: 1, time_to_ack: { mean: 60, p50: 60, p90: 60 } },
      { step: 1, escalations: 3, acknowledged: 3, time_to_ack: { mean: 900, p50: 900, p90: 1140 } },
      { step: 2, escalations: 1, acknowledged: 1, time_to_ack: { mean: 1800, p50: 1800, p90: 1800 } },
      { step: 3, escalations: 1, acknowledged: 0, time_to_ack: { mean: null, p50: null, p90: null } },
    ]);
    expect(load.time_to_ack.p50).toBe(900);
  });

  it("counts pages per person per week and nights interrupted on each person's own wall clock", async () => {
    const load = await getOncallLoad({ ctx: ctxOf(t.db, viewer), input: range });
    expect(load.weeks).toEqual(["2026-10-26", "2026-11-02"]);
    expect(load.people).toEqual([
      {
        user_id: ids.bob,
        name: "Bob",
        time_zone: "America/New_York",
        time_zone_known: true,
        pages: 5,
        messages: 5,
        incidents: 3,
        // 01:30 EDT, 01:30 EST and 06:30 EST are all the night of Saturday Oct 31.
        nights_interrupted: 1,
      },
      {
        user_id: ids.alice,
        name: "Alice",
        time_zone: "Asia/Kolkata",
        time_zone_known: true,
        pages: 3,
        messages: 3,
        incidents: 3,
        nights_interrupted: 1,
      },
      {
        user_id: ids.carol,
        name: "Carol",
        time_zone: "UTC",
        time_zone_known: false,
        pages: 2,
        messages: 1,
        incidents: 2,
        nights_interrupted: 0,
      },
    ]);
    const week = (userId: string, w: string) => load.load.find((l) => l.user_id === userId && l.week === w);
    expect(week(ids.bob!, "2026-10-26")).toMatchObject({ pages: 5, nights_interrupted: 1 });
    expect(week(ids.alice!, "2026-10-26")).toMatchObject({ pages: 2, nights_interrupted: 0 });
    expect(week(ids.alice!, "2026-11-02")).toMatchObject({ pages: 1, nights_interrupted: 1 });
    expect(week(ids.carol!, "2026-11-02")).toMatchObject({ pages: 2, messages: 1, nights_interrupted: 0 });
    expect(load.load).toHaveLength(4);
  });

  it("narrows to a team's incidents", async () => {
    const load = await getOncallLoad({ ctx: ctxOf(t.db, viewer), input: { ...range, team: "payments" } });
    expect(load).toMatchObject({ team: "payments", escalations: 3, acknowledged: 2 });
    expect(load.people.map((p) => [p.name, p.pages])).toEqual([
      ["Bob", 5],
      ["Alice", 2],
    ]);
  });

  it("answers nothing for a range without runs or pages", async () => {
    const load = await getOncallLoad({ ctx: ctxOf(t.db, viewer), input: { from: "2026-01-01", to: "2026-02-01" } });
    expect(load).toMatchObject({ escalations: 0, reached_step_2_share: null, by_step: [], people: [], load: [] });
  });

  it("answers GET /api/v1/analytics/oncall, and refuses an empty team as a problem", async () => {
    const res = await call(oncallRoute.GET, "GET", "/api/v1/analytics/oncall?from=2026-10-26&to=2026-11-09", {
      token: tokens.viewer,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      escalations: 6,
      people: [{ name: "Bob" }, { name: "Alice" }, { name: "Carol" }],
    });
    const bad = await call(oncallRoute.GET, "GET", "/api/v1/analytics/oncall?team=", { token: tokens.viewer });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });
});
