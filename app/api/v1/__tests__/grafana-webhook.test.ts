import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { newIntegration, writtenCounts } from "@/test/integrations";
import { call, useTestRuntime } from "@/test/runtime";
import * as alertsRoute from "../incidents/[ref]/alerts/route";
import * as grafanaRoute from "../integrations/grafana/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const path = "/api/v1/integrations/grafana";
let grafana: { id: string; secret: string };

// Grafana's documented webhook example (grafana/alerting receivers/webhook/v1).
const documented = (status = "firing") => ({
  receiver: "My Super Webhook",
  status,
  orgId: 1,
  alerts: [
    {
      status,
      labels: { alertname: "High memory usage", team: "blue", zone: "us-1" },
      annotations: {
        description: "The system has high memory usage",
        runbook_url: "https://myrunbook.com/runbook/1234",
        summary: "This alert was triggered for zone us-1",
      },
      startsAt: "2021-10-12T09:51:03.157076+02:00",
      endsAt: status === "firing" ? "0001-01-01T00:00:00Z" : "2021-10-12T10:01:03.157076+02:00",
      generatorURL: "https://play.grafana.org/alerting/1afz29v7z/edit",
      fingerprint: "c6eadffa33fcdf37",
      silenceURL:
        "https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1",
      dashboardURL: "",
      panelURL: "",
      values: { B: 44.23943737541908, C: 1 },
    },
  ],
  groupLabels: {},
  commonLabels: { team: "blue" },
  commonAnnotations: {},
  externalURL: "https://play.grafana.org/",
  version: "1",
  groupKey: "{}:{}",
  truncatedAlerts: 0,
  title: "[FIRING:1]  (blue)",
  state: status === "firing" ? "alerting" : "ok",
  message: "**Firing** …",
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const send = (body: unknown, headers: Record<string, string>) =>
  call(grafanaRoute.POST, "POST", path, { rawBody: typeof body === "string" ? body : JSON.stringify(body), headers });
const incidentsOf = async (integrationId: string) =>
  await t.sql`select number, status, title, team from incidents where group_key like ${`grafana:${integrationId}:%`} order by number`;

beforeAll(async () => {
  grafana = await newIntegration(tokens.admin, { kind: "grafana", name: "play.grafana.org" });
});

describe("POST /api/v1/integrations/grafana", () => {
  it("opens an incident from Grafana's documented example with Basic auth, showing its values and links", async () => {
    const res = await send(documented(), { authorization: basic("grafana", grafana.secret) });
    expect(res.status).toBe(200);
    expect((await res.json()).incidents.created).toHaveLength(1);
    const [incident] = await incidentsOf(grafana.id);
    expect(incident).toMatchObject({ status: "open", title: "High memory usage", team: "blue" });
    const ref = `INC-${incident!.number}`;
    const { data } = await (
      await call(alertsRoute.GET, "GET", `/api/v1/incidents/${ref}/alerts`, { token: tokens.viewer, params: { ref } })
    ).json();
    expect(data[0]).toMatchObject({
      name: "High memory usage",
      values: "B=44.23943737541908, C=1",
      generator_url: "https://play.grafana.org/alerting/1afz29v7z/edit",
      runbook_url: "https://myrunbook.com/runbook/1234",
      links: [{ text: "Silence", href: expect.stringMatching(/^https:\/\/play\.grafana\.org\/alerting\/silence/) }],
    });
    // Resolved, with any-scheme Authorization this time.
    const resolved = await send(documented("resolved"), { authorization: `Token ${grafana.secret}` });
    expect(resolved.status).toBe(200);
    expect((await incidentsOf(grafana.id))[0]).toMatchObject({ status: "resolved" });
  });

  it("takes a custom template's body without alerts as one alert, resolved by state ok", async () => {
    const custom = await newIntegration(tokens.admin, { kind: "grafana", name: "custom template" });
    const auth = { authorization: `Bearer ${custom.secret}` };
    expect((await send({ title: "Disk full on db1", state: "alerting" }, auth)).status).toBe(200);
    expect(await incidentsOf(custom.id)).toEqual([
      expect.objectContaining({ status: "open", title: "Disk full on db1" }),
    ]);
    await send({ title: "Disk full on db1", state: "ok" }, auth);
    expect((await incidentsOf(custom.id))[0]).toMatchObject({ status: "resolved" });
  });

  it("requires the HMAC signature over '<timestamp>:<body>' when the integration has a secret", async () => {
    const signed = await newIntegration(tokens.admin, {
      kind: "grafana",
      name: "signed",
      hmac_secret: "s3cret-hmac-key",
      timestamp_header: "X-Grafana-Alerting-Signature-Timestamp",
    });
    const body = JSON.stringify({ ...documented(), groupKey: "{}:{signed}" });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const sign = (text: string) => createHmac("sha256", "s3cret-hmac-key").update(text).digest("hex");
    const headers = (signature: string, ts = timestamp) => ({
      authorization: `Bearer ${signed.secret}`,
      "x-grafana-alerting-signature": signature,
      "x-grafana-alerting-signature-timestamp": ts,
    });
    const before = await writtenCounts(t);
    for (const bad of [
      headers(sign(body)), // the body alone: the timestamp is part of what is signed
      headers(sign(`${timestamp}:${body}x`)),
      headers(sign(`100:${body}`), "100"), // stale
      { authorization: `Bearer ${signed.secret}` },
    ])
      expect((await send(body, bad)).status).toBe(401);
    expect(await writtenCounts(t)).toEqual(before);
    expect((await send(body, headers(sign(`${timestamp}:${body}`)))).status).toBe(200);
    expect(await incidentsOf(signed.id)).toHaveLength(1);
  });

  it("is lenient with numbers and missing fields, and refuses what can never be read with a 400, writing nothing", async () => {
    const auth = { authorization: basic("", grafana.secret) };
    const sparse = { alerts: [{ labels: { alertname: "Sparse", replicas: 3 }, values: { A: "12" } }] };
    expect((await send(sparse, auth)).status).toBe(200);
    const before = await writtenCounts(t);
    for (const bad of ["{not json", JSON.stringify({ alerts: ["nope"] })]) {
      const res = await send(bad, auth);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect((await send(documented(), { authorization: `Bearer ${tokens.admin}` })).status).toBe(401);
    expect(await writtenCounts(t)).toEqual(before);
  });
});
