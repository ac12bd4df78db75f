import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { newIntegration, writtenCounts } from "@/test/integrations";
import { call, useTestRuntime } from "@/test/runtime";
import * as alertsRoute from "../incidents/[ref]/alerts/route";
import * as acknowledgeRoute from "../integrations/opsgenie/v2/alerts/[identifier]/acknowledge/route";
import * as closeRoute from "../integrations/opsgenie/v2/alerts/[identifier]/close/route";
import * as descriptionRoute from "../integrations/opsgenie/v2/alerts/[identifier]/description/route";
import * as messageRoute from "../integrations/opsgenie/v2/alerts/[identifier]/message/route";
import * as createRoute from "../integrations/opsgenie/v2/alerts/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const base = "/api/v1/integrations/opsgenie/v2/alerts";
let opsgenie: { id: string; secret: string };

// Opsgenie's documented "Create alert" request example.
const documented = {
  message: "An example alert message",
  alias: "Life is too short for no alias",
  description: "Every alert needs a description",
  responders: [
    { id: "4513b7ea-3b91-438f-b7e4-e3e54af9147c", type: "team" },
    { name: "NOC", type: "team" },
    { username: "trinity@opsgenie.com", type: "user" },
    { name: "Nightwatch Escalation", type: "escalation" },
  ],
  visibleTo: [{ name: "rocket_team", type: "team" }],
  actions: ["Restart", "AnExampleAction"],
  tags: ["OverwriteQuietHours", "Critical"],
  details: { key1: "value1", key2: "value2" },
  entity: "An example entity",
  priority: "P1",
};

const genie = (secret = opsgenie.secret) => ({ authorization: `GenieKey ${secret}` });
const create = (body: unknown, headers = genie()) => call(createRoute.POST, "POST", base, { body, headers });
const byAlias = (
  route: { POST?: unknown; PUT?: unknown },
  method: "POST" | "PUT",
  alias: string,
  action: string,
  body: unknown = {},
) =>
  call(
    (route as Record<string, Parameters<typeof call>[0]>)[method]!,
    method,
    `${base}/${encodeURIComponent(alias)}/${action}?identifierType=alias`,
    { body, headers: genie(), params: { identifier: alias } },
  );
const incidentOf = async (alias: string) =>
  (
    await t.sql`select i.number, i.status, i.severity, i.title from alerts a join incidents i on i.id = a.incident_id
      where a.fingerprint = ${`${opsgenie.id}:${alias}`}`
  )[0];

beforeAll(async () => {
  opsgenie = await newIntegration(tokens.admin, { kind: "opsgenie", name: "legacy tools" });
});

describe("the Opsgenie Alert API door", () => {
  it("creates an incident from Opsgenie's documented example and answers 202 with a requestId", async () => {
    const res = await create(documented);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      result: "Request will be processed",
      took: expect.any(Number),
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const incident = await incidentOf("Life is too short for no alias");
    expect(incident).toMatchObject({ status: "open", severity: "P1", title: "An example alert message" });
    const ref = `INC-${incident!.number}`;
    const { data } = await (
      await call(alertsRoute.GET, "GET", `/api/v1/incidents/${ref}/alerts`, { token: tokens.viewer, params: { ref } })
    ).json();
    expect(data[0]).toMatchObject({
      description: "Every alert needs a description",
      labels: expect.objectContaining({ instance: "An example entity" }),
      annotations: expect.objectContaining({ key1: "value1", tags: "OverwriteQuietHours, Critical" }),
    });
    // The same create again (a retry) changes nothing.
    const before = await writtenCounts(t);
    expect((await create(documented)).status).toBe(202);
    expect(await writtenCounts(t)).toEqual(before);
  });

  it("takes what Alertmanager's opsgenie_configs send: create, message and description updates, close", async () => {
    const alias = "4f5a0d0b3c0e1b2a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a49382";
    const res = await create({
      message: "[FIRING:1] HighErrorRate api",
      alias,
      description: "5xx > 5%",
      details: { severity: "critical", num_firing: 1 },
      source: "http://alertmanager:9093",
      tags: "api,critical",
      priority: "P6",
    });
    expect(res.status).toBe(202);
    expect(await incidentOf(alias)).toMatchObject({ status: "open", severity: "P3" }); // unknown priority: default
    expect(
      (await byAlias(messageRoute, "PUT", alias, "message", { message: "[FIRING:2] HighErrorRate api" })).status,
    ).toBe(202);
    expect((await byAlias(descriptionRoute, "PUT", alias, "description", { description: "now 7%" })).status).toBe(202);
    const [alert] = await t.sql`select annotations from alerts where fingerprint = ${`${opsgenie.id}:${alias}`}`;
    expect(alert!.annotations).toMatchObject({ summary: "[FIRING:2] HighErrorRate api", description: "now 7%" });
    expect((await byAlias(closeRoute, "POST", alias, "close", { source: "http://alertmanager:9093" })).status).toBe(
      202,
    );
    expect(await incidentOf(alias)).toMatchObject({ status: "resolved" });
  });

  it("acknowledges by alias; acknowledge and close of an unknown alias are accepted and do nothing", async () => {
    await create({ message: "ack me", alias: "ack-me" });
    expect(
      (await byAlias(acknowledgeRoute, "POST", "ack-me", "acknowledge", { user: "Monitoring Script" })).status,
    ).toBe(202);
    expect(await incidentOf("ack-me")).toMatchObject({ status: "acknowledged" });
    const before = await writtenCounts(t);
    expect((await byAlias(acknowledgeRoute, "POST", "nobody", "acknowledge")).status).toBe(202);
    expect((await byAlias(closeRoute, "POST", "nobody", "close")).status).toBe(202);
    expect(await writtenCounts(t)).toEqual(before);
  });

  it("reads numbers as strings and needs nothing but a message", async () => {
    expect((await create({ message: 404, alias: 7, priority: "p2", details: { count: 3 } })).status).toBe(202);
    expect(await incidentOf("7")).toMatchObject({ title: "404", severity: "P2" });
  });

  it("answers Opsgenie's 422 to a create without message and 401 to a bad key, writing nothing", async () => {
    const before = await writtenCounts(t);
    const res = await create({ alias: "no-message", description: "x" });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      message: "Request body is not processable. Please check the errors.",
      errors: { message: expect.any(String) },
      requestId: expect.any(String),
    });
    for (const headers of [
      genie("vgl_not-a-real-key-at-all"),
      genie(tokens.admin),
      { authorization: `Bearer ${opsgenie.secret}` },
    ]) {
      const refused = await create(documented, headers);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ message: "Could not authenticate" });
    }
    expect(await writtenCounts(t)).toEqual(before);
  });
});
