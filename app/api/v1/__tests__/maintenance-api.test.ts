// The maintenance window and snooze doors: validation as problem+json naming the fields (nothing
// written), roles (viewers read, responders create and end, admins delete), and the audit trail.
import { describe, expect, it } from "vitest";
import { createIncident } from "@/lib/incidents/create-incident";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as snoozeRoute from "../incidents/[ref]/snooze/route";
import * as endRoute from "../maintenance-windows/[id]/end/route";
import * as windowRoute from "../maintenance-windows/[id]/route";
import * as windowsRoute from "../maintenance-windows/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);

const create = (body: unknown, token = tokens.responder) =>
  call(windowsRoute.POST, "POST", "/api/v1/maintenance-windows", { token, body });
const list = async (state: string, token = tokens.viewer) => {
  const res = await call(windowsRoute.GET, "GET", `/api/v1/maintenance-windows?state=${state}`, { token });
  return { res, ids: res.status === 200 ? ((await res.json()).data as { id: string }[]).map((w) => w.id) : [] };
};
const windowCount = async () => Number((await t.sql`select count(*)::int as n from maintenance_windows`)[0]!.n);
const problemFields = async (res: Response) => {
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return ((await res.json()).errors as { path: string }[]).map((e) => e.path).sort();
};
const inMinutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

describe("POST /api/v1/maintenance-windows", () => {
  it("refuses bad input with 400 problem+json naming each failing field, and writes nothing", async () => {
    expect(await problemFields(await create({}))).toEqual(["reason"]);
    expect(await problemFields(await create({ reason: "x" }))).toEqual(["ends_at", "service"]);
    expect(await problemFields(await create({ reason: "x", service: "db", duration: "2 weeks" }))).toEqual([
      "duration",
    ]);
    expect(await problemFields(await create({ reason: "x", service: "db", duration: "15d" }))).toEqual(["duration"]);
    expect(
      await problemFields(await create({ reason: "x", team: "db", ends_at: inMinutes(60), duration: "1h" })),
    ).toEqual(["ends_at"]);
    expect(await problemFields(await create({ reason: "x", team: "db", ends_at: inMinutes(-5) }))).toEqual(["ends_at"]);
    expect(await problemFields(await create({ reason: "x", team: "db", ends_at: "tomorrow" }))).toEqual(["ends_at"]);
    expect(await problemFields(await create({ reason: "x", team: "db", duration: "1h", sevice: "db" }))).toEqual([
      "sevice",
    ]);
    expect(await windowCount()).toBe(0);
    expect(await t.sql`select 1 from audit_log where action like 'maintenance_window.%'`).toHaveLength(0);
  });

  it("creates a window for a responder (201, audited), lists it, refuses a viewer", async () => {
    expect((await create({ reason: "x", service: "db", duration: "1h" }, tokens.viewer)).status).toBe(403);
    const res = await create({
      reason: "Postgres 17 upgrade",
      name: "DB upgrade",
      service: "orders",
      labels: { env: "prod" },
      duration: "1h30m",
    });
    expect(res.status).toBe(201);
    const window = await res.json();
    expect(window).toMatchObject({
      kind: "window",
      name: "DB upgrade",
      reason: "Postgres 17 upgrade",
      matcher: { service: "orders", team: null, labels: { env: "prod" }, group_key: null },
      state: "active",
      created_by: "responder token",
    });
    expect(new Date(window.ends_at).getTime() - new Date(window.starts_at).getTime()).toBe(90 * 60_000);
    const [audit] = await t.sql`select actor_name, details from audit_log where resource_id = ${window.id}`;
    expect(audit).toMatchObject({ actor_name: "responder token", details: { reason: "Postgres 17 upgrade" } });

    const upcoming = await (
      await create({ reason: "later", team: "db", starts_at: inMinutes(60), duration: "1h" })
    ).json();
    expect(upcoming.state).toBe("upcoming");
    expect((await list("active")).ids).toContain(window.id);
    expect((await list("active")).ids).not.toContain(upcoming.id);
    expect((await list("upcoming")).ids).toContain(upcoming.id);
    expect(await problemFields((await list("someday")).res)).toEqual(["state"]);
  });
});

describe("ending and deleting a window", () => {
  it("ends it early for a responder, once; deletes it for an admin only", async () => {
    const window = await (await create({ reason: "deploy", team: "web", duration: "2h" })).json();
    const end = (token: string) =>
      call(endRoute.POST, "POST", `/api/v1/maintenance-windows/${window.id}/end`, { token, params: { id: window.id } });
    expect((await end(tokens.viewer)).status).toBe(403);
    const ended = await end(tokens.responder);
    expect(ended.status).toBe(200);
    expect(await ended.json()).toMatchObject({ state: "ended", ended_early_by: "responder token" });
    expect((await end(tokens.responder)).status).toBe(409);
    expect((await list("ended")).ids).toContain(window.id);

    const remove = (token: string) =>
      call(windowRoute.DELETE, "DELETE", `/api/v1/maintenance-windows/${window.id}`, {
        token,
        params: { id: window.id },
      });
    expect((await remove(tokens.responder)).status).toBe(403);
    expect((await remove(tokens.admin)).status).toBe(204);
    expect((await list("all")).ids).not.toContain(window.id);
    expect((await remove(tokens.admin)).status).toBe(404);
    const actions = await t.sql`select action from audit_log where resource_id = ${window.id} order by id`;
    expect(actions.map((a) => a.action)).toEqual([
      "maintenance_window.create",
      "maintenance_window.end",
      "maintenance_window.delete",
    ]);
  });

  it("answers 404 for an unknown window and 400 for a malformed id", async () => {
    const id = crypto.randomUUID();
    const res = await call(endRoute.POST, "POST", `/api/v1/maintenance-windows/${id}/end`, {
      token: tokens.responder,
      params: { id },
    });
    expect(res.status).toBe(404);
    const bad = await call(endRoute.POST, "POST", `/api/v1/maintenance-windows/nope/end`, {
      token: tokens.responder,
      params: { id: "nope" },
    });
    expect(await problemFields(bad)).toEqual(["id"]);
  });
});

describe("POST /api/v1/incidents/{ref}/snooze", () => {
  it("validates the duration, and refuses a declared incident (no alert group) with 409", async () => {
    const { incident } = await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "by hand", severity: "P2" } });
    const snooze = (body: unknown, token = tokens.responder) =>
      call(snoozeRoute.POST, "POST", `/api/v1/incidents/${incident.ref}/snooze`, {
        token,
        body,
        params: { ref: incident.ref },
      });
    const before = await windowCount();
    expect(await problemFields(await snooze({ duration: "forever" }))).toEqual(["duration"]);
    expect((await snooze({}, tokens.viewer)).status).toBe(403);
    const refused = await snooze({ duration: "1h" });
    expect(refused.status).toBe(409);
    expect((await refused.json()).detail).toMatch(/no alert group/);
    expect(await windowCount()).toBe(before);
  });
});
