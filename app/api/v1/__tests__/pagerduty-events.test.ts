import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { newIntegration, writtenCounts } from "@/test/integrations";
import { call, useTestRuntime } from "@/test/runtime";
import * as alertsRoute from "../incidents/[ref]/alerts/route";
import * as incidentRoute from "../incidents/[ref]/route";
import * as integrationRoute from "../integrations/[id]/route";
import * as enqueueRoute from "../integrations/pagerduty/v2/enqueue/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const path = "/api/v1/integrations/pagerduty/v2/enqueue";
let integration: { id: string; secret: string };

// PagerDuty's documented request example (Events API v2, "Send an alert event").
const documented = (routingKey: string, dedupKey = "samplekeyhere") => ({
  payload: {
    summary: "DISK at 99% on machine prod-datapipe03.example.com",
    timestamp: "2015-07-17T08:42:58.315+0000",
    severity: "critical",
    source: "prod-datapipe03.example.com",
    component: "mysql",
    group: "prod-datapipe",
    class: "deploy",
    custom_details: { "free space": "1%", "ping time": "1500ms", "load avg": 0.75 },
  },
  routing_key: routingKey,
  dedup_key: dedupKey,
  images: [
    {
      src: "https://www.pagerduty.com/wp-content/uploads/2016/05/pagerduty-logo-green.png",
      href: "https://example.com/",
      alt: "Example text",
    },
  ],
  links: [{ href: "https://example.com/", text: "Link text" }],
  event_action: "trigger",
  client: "Sample Monitoring Service",
  client_url: "https://monitoring.example.com",
});

const send = (body: unknown) => call(enqueueRoute.POST, "POST", path, { body });
const incidentOf = async (dedupKey: string) => {
  const rows =
    await t.sql`select i.number, i.status, i.severity, i.title from alerts a join incidents i on i.id = a.incident_id
    where a.fingerprint = ${`${integration.id}:${dedupKey}`} order by i.created_at desc`;
  return rows as unknown as { number: number; status: string; severity: string; title: string }[];
};
const timelineKinds = async (number: number) =>
  (
    await t.sql`select e.kind from timeline_events e join incidents i on i.id = e.incident_id where i.number = ${number} order by e.at, e.id`
  ).map((r) => r.kind as string);

beforeAll(async () => {
  integration = await newIntegration(tokens.admin, { kind: "pagerduty", name: "Nagios", default_team: "storage" });
});

describe("POST /api/v1/integrations/pagerduty/v2/enqueue", () => {
  it("opens an incident from PagerDuty's documented trigger and answers as PagerDuty does", async () => {
    const res = await send(documented(integration.secret));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "success", message: "Event processed", dedup_key: "samplekeyhere" });
    const [incident] = await incidentOf("samplekeyhere");
    expect(incident).toMatchObject({
      status: "open",
      severity: "P2",
      title: "DISK at 99% on machine prod-datapipe03.example.com",
    });
    const ref = `INC-${incident!.number}`;
    const shown = await (
      await call(incidentRoute.GET, "GET", `/api/v1/incidents/${ref}`, { token: tokens.viewer, params: { ref } })
    ).json();
    expect(shown.team).toBe("storage"); // the integration's default
    const { data } = await (
      await call(alertsRoute.GET, "GET", `/api/v1/incidents/${ref}/alerts`, { token: tokens.viewer, params: { ref } })
    ).json();
    expect(data).toEqual([
      expect.objectContaining({
        status: "firing",
        summary: "DISK at 99% on machine prod-datapipe03.example.com",
        starts_at: "2015-07-17T08:42:58.315Z",
        annotations: expect.objectContaining({
          "free space": "1%",
          "load avg": "0.75",
          "link:Link text": "https://example.com/",
          "link:Sample Monitoring Service": "https://monitoring.example.com",
        }),
      }),
    ]);
  });

  it("changes nothing but the receipt count when the same trigger comes again", async () => {
    const body = documented(integration.secret, "retried");
    await send(body);
    const before = await writtenCounts(t);
    expect((await send(body)).status).toBe(202);
    expect(await writtenCounts(t)).toEqual(before);
    const rows = await t.sql`select receive_count from alerts where fingerprint = ${`${integration.id}:retried`}`;
    expect(rows.map((r) => r.receive_count)).toEqual([2]);
  });

  it("generates a dedup_key for a trigger without one, returns it, and each such trigger is its own incident", async () => {
    const body = { routing_key: integration.secret, event_action: "trigger", payload: { summary: "no key" } };
    const first = await (await send(body)).json();
    const second = await (await send(body)).json();
    expect(first.dedup_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.dedup_key).not.toBe(first.dedup_key);
    expect(await incidentOf(first.dedup_key)).toHaveLength(1);
    expect((await incidentOf(second.dedup_key))[0]!.number).not.toBe((await incidentOf(first.dedup_key))[0]!.number);
  });

  it("acknowledges, then resolves the incident of a dedup_key; the timeline tells it in order", async () => {
    await send(documented(integration.secret, "lifecycle"));
    const ack = await send({ routing_key: integration.secret, event_action: "acknowledge", dedup_key: "lifecycle" });
    expect(ack.status).toBe(202);
    expect(await ack.json()).toMatchObject({ status: "success", dedup_key: "lifecycle" });
    expect((await incidentOf("lifecycle"))[0]!.status).toBe("acknowledged");
    await send({ routing_key: integration.secret, event_action: "resolve", dedup_key: "lifecycle" });
    const [incident] = await incidentOf("lifecycle");
    expect(incident!.status).toBe("resolved");
    expect(await timelineKinds(incident!.number)).toEqual(["created", "acknowledged", "alerts_resolved", "resolved"]);
  });

  it("accepts acknowledge and resolve of an unknown key and does nothing", async () => {
    const before = await writtenCounts(t);
    for (const event_action of ["acknowledge", "resolve"]) {
      const res = await send({ routing_key: integration.secret, event_action, dedup_key: "never-seen" });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ status: "success", message: "Event processed", dedup_key: "never-seen" });
    }
    expect(await writtenCounts(t)).toEqual(before);
  });

  it("reads numbers as strings, an unknown severity as the default, and takes missing optional fields", async () => {
    const res = await send({
      routing_key: integration.secret,
      event_action: "trigger",
      dedup_key: 12345,
      payload: { summary: 503, severity: "disaster", timestamp: 1767225600, custom_details: "plain text" },
    });
    expect(res.status).toBe(202);
    expect((await res.json()).dedup_key).toBe("12345");
    const [incident] = await incidentOf("12345");
    expect(incident).toMatchObject({ title: "503", severity: "P3" });
  });

  it("groups by payload.group when the integration says so: one incident until its last alert resolves", async () => {
    const grouped = await newIntegration(tokens.admin, { kind: "pagerduty", name: "grouped", group_by: "group" });
    const trigger = (dedup_key: string) => ({
      routing_key: grouped.secret,
      event_action: "trigger",
      dedup_key,
      payload: { summary: `disk ${dedup_key}`, source: dedup_key, severity: "warning", group: "db-cluster" },
    });
    await send(trigger("db-1"));
    await send(trigger("db-2"));
    const incidents = await t.sql`select i.number, i.status from incidents i join alerts a on a.incident_id = i.id
      where a.fingerprint in (${`${grouped.id}:db-1`}, ${`${grouped.id}:db-2`}) group by i.number, i.status`;
    expect(incidents).toHaveLength(1);
    await send({ routing_key: grouped.secret, event_action: "resolve", dedup_key: "db-1" });
    expect((await t.sql`select status from incidents where number = ${incidents[0]!.number}`)[0]!.status).toBe("open");
    await send({ routing_key: grouped.secret, event_action: "resolve", dedup_key: "db-2" });
    expect((await t.sql`select status from incidents where number = ${incidents[0]!.number}`)[0]!.status).toBe(
      "resolved",
    );
  });

  it.each([
    ["no event_action", { payload: { summary: "x" } }, "event_action"],
    ["an unknown event_action", { event_action: "explode", payload: { summary: "x" } }, "event_action"],
    ["a trigger without payload", { event_action: "trigger" }, "payload"],
    ["a trigger without summary", { event_action: "trigger", payload: { source: "x" } }, "payload.summary"],
    ["a resolve without dedup_key", { event_action: "resolve" }, "dedup_key"],
  ])("answers PagerDuty's 400 to %s, naming the field, and writes nothing", async (_name, event, field) => {
    const before = await writtenCounts(t);
    const res = await send({ routing_key: integration.secret, ...event });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ status: "invalid event", message: "Event object is invalid" });
    expect(body.errors.join(" ")).toContain(field);
    expect(await writtenCounts(t)).toEqual(before);
  });

  it("answers 400 to a body that is not JSON and to an unknown or revoked routing key", async () => {
    const notJson = await call(enqueueRoute.POST, "POST", path, { rawBody: "{nope" });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).status).toBe("invalid event");
    const before = await writtenCounts(t);
    for (const key of ["vgl_not-a-key-of-anyone", tokens.admin]) {
      const res = await send(documented(key, "unauthorised"));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        status: "invalid event",
        message: "Event object is invalid",
        errors: ["Invalid routing key"],
      });
    }
    expect(await writtenCounts(t)).toEqual(before);
  });

  it("logs each payload on the integration with its routing key redacted and what Vigil did", async () => {
    const res = await call(integrationRoute.GET, "GET", `/api/v1/integrations/${integration.id}`, {
      token: tokens.admin,
      params: { id: integration.id },
    });
    const detail = await res.json();
    expect(detail.events_today).toBeGreaterThan(5);
    expect(detail.incidents_opened_today).toBeGreaterThan(2);
    expect(detail.recent_events.length).toBeLessThanOrEqual(50);
    const opened = detail.recent_events.find((e: { outcome: string }) => e.outcome.startsWith("opened INC-"));
    expect(opened).toMatchObject({ action: "trigger", status: 202, incidents_opened: 1 });
    expect(opened.payload.routing_key).toBe("[redacted]");
    expect(JSON.stringify(detail)).not.toContain(integration.secret);
    expect(detail.recent_events.some((e: { outcome: string }) => e.outcome.startsWith("refused: "))).toBe(true);
  });
});
