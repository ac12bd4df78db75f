import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createIncident } from "@/lib/incidents/create-incident";
import { getIncident } from "@/lib/incidents/get-incident";
import { reopenIncident } from "@/lib/incidents/reopen-incident";
import { loadConfig } from "@/lib/env";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { call } from "@/test/runtime";
import * as route from "../webhooks/pagerduty/route";

const t = useTestDatabase();
const secret = "whsec-test";
const path = "/api/v1/webhooks/pagerduty";

beforeAll(() => {
  setRuntime({
    config: loadConfig({ DATABASE_URL: t.url, LOG_LEVEL: "silent", PAGERDUTY_WEBHOOK_SECRET: secret }),
    database: t,
    logger: createLogger("silent"),
  });
});

const body = (incidentKey: string, eventType = "incident.acknowledged") =>
  JSON.stringify({
    event: {
      id: `ev-${Math.random()}`,
      event_type: eventType,
      resource_type: "incident",
      agent: { summary: "Dana" },
      data: { id: "PD1", incident_key: incidentKey },
    },
  });
const signed = (raw: string) => ({
  "x-pagerduty-signature": `v1=${createHmac("sha256", secret).update(raw).digest("hex")}`,
  "content-type": "application/json",
});

describe("POST /api/v1/webhooks/pagerduty", () => {
  it("acknowledges the incident named by incident_key when the signature matches", async () => {
    const { incident } = await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "PD", severity: "P1" } });
    const raw = body(incident.id);
    const res = await call(route.POST, "POST", path, {
      rawBody: raw,
      headers: { ...signed(raw), "x-webhook-id": "w-1" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "applied", event_type: "incident.acknowledged" });
  });

  it("acts once on a signed body, even re-sent later under a new X-Webhook-Id (the header is not signed)", async () => {
    const { incident } = await createIncident({
      ctx: ctxOf(t.db, admin),
      input: { title: "Replayed", severity: "P1" },
    });
    const raw = body(incident.id, "incident.resolved");
    const send = async (webhookId: string) =>
      (
        await (
          await call(route.POST, "POST", path, { rawBody: raw, headers: { ...signed(raw), "x-webhook-id": webhookId } })
        ).json()
      ).outcome;
    expect(await send("w-first")).toBe("applied");
    await reopenIncident({ ctx: ctxOf(t.db, admin), input: { ref: incident.id } });
    expect(await send("w-first")).toBe("duplicate");
    expect(await send("w-forged")).toBe("duplicate");
    expect((await getIncident({ ctx: ctxOf(t.db, admin), input: { ref: incident.id } })).status).toBe("open");
  });

  it("ignores a resolve that races one made in Vigil at the same moment, rather than answering 409 for ever", async () => {
    const { incident } = await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "Raced", severity: "P1" } });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Vigil resolves it (its alerts, or a person) in a transaction still open when PagerDuty's event arrives.
    const vigil = t.sql.begin(async (sql) => {
      await sql`update incidents set status = 'resolved', resolved_at = now(), resolution_note = 'all alerts resolved' where id = ${incident.id}`;
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const raw = body(incident.id, "incident.resolved");
    const answer = call(route.POST, "POST", path, { rawBody: raw, headers: signed(raw) });
    await new Promise((resolve) => setTimeout(resolve, 300)); // it has read the incident, and waits for its lock
    release();
    await vigil;
    const res = await answer;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "ignored", event_type: "incident.resolved" });
  });

  it("keeps a note with a NUL character in it (PostgreSQL stores none), rather than refusing it for ever", async () => {
    const { incident } = await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "Noted", severity: "P2" } });
    const raw = JSON.stringify({
      event: {
        id: "ev-nul",
        event_type: "incident.annotated",
        resource_type: "incident",
        agent: { summary: "Dana" },
        data: { id: "PD2", incident_key: incident.id, content: "see \u0000 here" },
      },
    });
    const res = await call(route.POST, "POST", path, { rawBody: raw, headers: signed(raw) });
    expect(await res.json()).toMatchObject({ outcome: "applied" });
    const notes = await t.sql<
      { text: string }[]
    >`select text from timeline_events where incident_id = ${incident.id} and kind = 'note'`;
    expect(notes.map((n) => n.text)).toEqual(["PagerDuty note: see \ufffd here"]);
  });

  it("answers 401 to a missing or wrong signature, and 400 to a signed body that is not an event", async () => {
    const raw = body("6f9619ff-8b86-4011-b42d-00cf4fc964ff");
    expect((await call(route.POST, "POST", path, { rawBody: raw })).status).toBe(401);
    expect(
      (await call(route.POST, "POST", path, { rawBody: raw, headers: { "x-pagerduty-signature": "v1=00" } })).status,
    ).toBe(401);
    const junk = JSON.stringify({ hello: "world" });
    const res = await call(route.POST, "POST", path, { rawBody: junk, headers: signed(junk) });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].path).toBe("event");
  });

  it("answers 200 without changing anything for an incident it does not know", async () => {
    const raw = body("not-one-of-ours");
    const res = await call(route.POST, "POST", path, { rawBody: raw, headers: signed(raw) });
    expect(await res.json()).toMatchObject({ outcome: "unknown_incident" });
  });
});
