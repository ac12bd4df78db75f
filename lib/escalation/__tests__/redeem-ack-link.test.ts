// The confirm page's read and its POST (lib/escalation/redeem-ack-link.ts) on real PostgreSQL: opening
// a link never acknowledges; redeeming it does, once, as the person paged, with `via` on the timeline and
// in the audit row; used, expired and unknown links and a viewer's link refuse without writing.
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { ackLinks, auditLog, incidents, timelineEvents, users } from "@/db/schema";
import { createIncident } from "@/lib/incidents/create-incident";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { useTestRuntime } from "@/test/runtime";
import { proxy } from "@/proxy";
import { ACK_LINK_TTL_MS, issueAckLink } from "../ack-links";
import { describeAckLink, redeemAckLink } from "../redeem-ack-link";

const t = useTestDatabase();
useTestRuntime(t);

const T0 = new Date("2026-12-07T03:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);
const IP = "198.51.100.40";

async function paged(options: { role?: "viewer" | "responder" | "admin"; method?: "email" | "sms" } = {}) {
  const [person] = await t.db
    .insert(users)
    .values({
      email: `bob-${crypto.randomUUID()}@example.com`,
      name: "Bob Responder",
      role: options.role ?? "responder",
    })
    .returning();
  const { incident } = await createIncident({
    ctx: ctxOf(t.db, admin, T0),
    input: { title: "Checkout is down", severity: "P1" },
  });
  const method = options.method ?? "email";
  const link = await issueAckLink(t.db, {
    incidentId: incident.id,
    userId: person!.id,
    method,
    address: method === "email" ? person!.email : "+15555550100",
    now: T0,
    appUrl: "http://localhost:3000",
  });
  return { person: person!, incident, link };
}

const statusOf = async (id: string) => (await t.db.select().from(incidents).where(eq(incidents.id, id)))[0]!.status;
const acknowledgedEvents = (id: string) =>
  t.db
    .select()
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, id), eq(timelineEvents.kind, "acknowledged")));
const ackAudits = (id: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.resourceId, id), eq(auditLog.action, "incident.acknowledge")));
const linkOf = async (incidentId: string) =>
  (await t.db.select().from(ackLinks).where(eq(ackLinks.incidentId, incidentId)))[0]!;

describe("the confirm page's read", () => {
  it("shows the incident and who it was sent to, and acknowledges nothing however often it is opened", async () => {
    const { person, incident, link } = await paged();
    for (let i = 0; i < 3; i++) {
      expect(await describeAckLink(t.db, link.token, later(60_000))).toMatchObject({
        state: "ready",
        method: "email",
        address: person.email,
        usedAt: null,
        incident: {
          ref: incident.ref,
          title: "Checkout is down",
          severity: "P1",
          status: "open",
          acknowledgedBy: null,
        },
        person: { name: "Bob Responder", role: "responder", disabled: false },
      });
    }
    expect(await statusOf(incident.id)).toBe("open");
    expect(await acknowledgedEvents(incident.id)).toEqual([]);
    expect((await linkOf(incident.id)).usedAt).toBeNull();
  });

  it("tells nothing about an unknown token, and says when a link has expired", async () => {
    expect(await describeAckLink(t.db, "not-a-token", T0)).toEqual({ state: "unknown" });
    expect(await describeAckLink(t.db, "x".repeat(10_000), T0)).toEqual({ state: "unknown" });
    const { link } = await paged();
    expect(await describeAckLink(t.db, link.token, later(ACK_LINK_TTL_MS))).toMatchObject({ state: "expired" });
  });

  it("lets an anonymous browser reach /ack/<token> (the token is the credential), and nothing beside it", async () => {
    const open = await proxy(new NextRequest("http://localhost:3000/ack/some-token"));
    expect(open.headers.get("location")).toBeNull();
    expect(open.headers.get("content-security-policy")).toContain("nonce-");
    const other = await proxy(new NextRequest("http://localhost:3000/acknowledge"));
    expect(other.status).toBe(307);
    expect(other.headers.get("location")).toContain("/sign-in");
  });
});

describe("redeeming a link (the confirm page's POST)", () => {
  it("acknowledges once, as the person paged, with via on the timeline and in the audit row", async () => {
    const { person, incident, link } = await paged();
    const at = later(120_000);
    expect(await redeemAckLink(t.db, { token: link.token, now: at, ip: IP })).toEqual({
      outcome: "acknowledged",
      ref: incident.ref,
      by: "Bob Responder",
    });
    expect(await statusOf(incident.id)).toBe("acknowledged");
    const [event] = await acknowledgedEvents(incident.id);
    expect(event).toMatchObject({
      actorType: "user",
      actorId: person.id,
      actorName: "Bob Responder",
      text: "Acknowledged by Bob Responder",
      data: { from: "open", to: "acknowledged", via: "email link" },
    });
    const audits = await ackAudits(incident.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      userId: person.id,
      actorType: "user",
      ipAddress: IP,
      details: { ref: incident.ref, via: "email link" },
    });
    expect((await linkOf(incident.id)).usedAt).toEqual(at);

    // A second POST (a double click, the back button) finds the link spent and writes nothing.
    expect(await redeemAckLink(t.db, { token: link.token, now: later(180_000), ip: IP })).toEqual({
      outcome: "used",
      ref: incident.ref,
    });
    expect(await acknowledgedEvents(incident.id)).toHaveLength(1);
    expect(await ackAudits(incident.id)).toHaveLength(1);
    expect(await describeAckLink(t.db, link.token, later(180_000))).toMatchObject({
      state: "used",
      usedAt: at,
      incident: { status: "acknowledged", acknowledgedBy: "Bob Responder" },
    });
  });

  it("says SMS link for a link sent by SMS", async () => {
    const { incident, link } = await paged({ method: "sms" });
    await redeemAckLink(t.db, { token: link.token, now: later(1000), ip: IP });
    expect((await acknowledgedEvents(incident.id))[0]!.data).toMatchObject({ via: "SMS link" });
  });

  it("acknowledges once when two POSTs race", async () => {
    const { incident, link } = await paged();
    const results = await Promise.all(
      [1, 2, 3].map(() => redeemAckLink(t.db, { token: link.token, now: later(1000), ip: IP })),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(["acknowledged", "used", "used"]);
    expect(await acknowledgedEvents(incident.id)).toHaveLength(1);
  });

  it("refuses expired and unknown links, writing nothing", async () => {
    const { incident, link } = await paged();
    expect(await redeemAckLink(t.db, { token: link.token, now: later(ACK_LINK_TTL_MS + 1), ip: IP })).toEqual({
      outcome: "expired",
      ref: incident.ref,
    });
    expect(await redeemAckLink(t.db, { token: `${link.token}x`, now: later(1000), ip: IP })).toEqual({
      outcome: "unknown",
    });
    expect(await statusOf(incident.id)).toBe("open");
    expect((await linkOf(incident.id)).usedAt).toBeNull();
    expect(await ackAudits(incident.id)).toEqual([]);
  });

  it("refuses a viewer's link (a viewer cannot acknowledge) and leaves it unspent", async () => {
    const { incident, link } = await paged({ role: "viewer" });
    expect(await redeemAckLink(t.db, { token: link.token, now: later(1000), ip: IP })).toEqual({
      outcome: "not_allowed",
      ref: incident.ref,
      reason: "viewer",
    });
    expect(await statusOf(incident.id)).toBe("open");
    expect((await linkOf(incident.id)).usedAt).toBeNull();
  });

  it("says so when someone else acknowledged first, or the incident is resolved", async () => {
    const first = await paged();
    await acknowledgeIncident({ ctx: ctxOf(t.db, admin, later(500)), input: { ref: first.incident.ref } });
    expect(await redeemAckLink(t.db, { token: first.link.token, now: later(1000), ip: IP })).toEqual({
      outcome: "already_acknowledged",
      ref: first.incident.ref,
      by: "admin bot",
    });
    expect(await acknowledgedEvents(first.incident.id)).toHaveLength(1);

    const second = await paged();
    await resolveIncident({ ctx: ctxOf(t.db, admin, later(500)), input: { ref: second.incident.ref } });
    expect(await redeemAckLink(t.db, { token: second.link.token, now: later(1000), ip: IP })).toEqual({
      outcome: "resolved",
      ref: second.incident.ref,
    });
  });
});
