import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { withDatabaseDown } from "@/test/records";
import { call, useTestRuntime } from "@/test/runtime";
import * as alertsRoute from "../incidents/[ref]/alerts/route";
import * as incidentRoute from "../incidents/[ref]/route";
import * as webhookRoute from "../webhooks/alertmanager/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const path = "/api/v1/webhooks/alertmanager";
const firing = (group: string) =>
  webhook(group, [
    alert({
      labels: { alertname: "HighErrorRate", service: "api", severity: "critical", instance: "web-1" },
      annotations: {
        summary: "5xx > 5%",
        runbook_url: "http://localhost:3000/runbooks/high-error-rate",
        description: "7% of requests fail",
      },
    }),
  ]);

describe("POST /api/v1/webhooks/alertmanager", () => {
  it("answers 200 with what it did, and the incident shows its alerts with summary, runbook and Prometheus link", async () => {
    const res = await call(webhookRoute.POST, "POST", path, {
      token: tokens.responder,
      body: firing('{}:{alertname="HighErrorRate"}'),
    });
    expect(res.status).toBe(200);
    const summary = await res.json();
    expect(summary).toMatchObject({
      alerts: 1,
      ignored: 0,
      incidents: { created: [expect.stringMatching(/^INC-\d+$/)] },
    });
    const ref = summary.incidents.created[0];

    const incident = await (
      await call(incidentRoute.GET, "GET", `/api/v1/incidents/${ref}`, { token: tokens.viewer, params: { ref } })
    ).json();
    expect(incident).toMatchObject({
      title: "5xx > 5%",
      severity: "P2",
      service: "api",
      runbook_url: "http://localhost:3000/runbooks/high-error-rate",
      group_key: '{}:{alertname="HighErrorRate"}',
    });
    const { data } = await (
      await call(alertsRoute.GET, "GET", `/api/v1/incidents/${ref}/alerts`, { token: tokens.viewer, params: { ref } })
    ).json();
    expect(data).toEqual([
      expect.objectContaining({
        name: "HighErrorRate",
        status: "firing",
        summary: "5xx > 5%",
        description: "7% of requests fail",
        runbook_url: "http://localhost:3000/runbooks/high-error-rate",
        generator_url: "http://prometheus:9090/graph?g0.expr=HighErrorRate",
        receive_count: 1,
      }),
    ]);
  });

  it("answers 400 problem+json for another payload version, naming the field", async () => {
    const res = await call(webhookRoute.POST, "POST", path, {
      token: tokens.responder,
      body: { ...firing("v3"), version: "3" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await res.json();
    expect(problem.detail).toMatch(/Vigil reads version "4"/);
    expect(problem.errors).toEqual([{ path: "version", message: 'must be "4"' }]);
  });

  it("stores what PostgreSQL would refuse rather than lose the alert: NUL characters, kilobytes-long group keys, fingerprints and service labels", async () => {
    const long = "x".repeat(5000);
    const body = webhook(`{}:{alertname="Nul\u0000", host="${long}"}`, [
      {
        ...alert({
          labels: { alertname: "Nul\u0000Check", service: `svc-${long}`, severity: "critical" },
          annotations: { summary: "has a \u0000 in it" },
        }),
        fingerprint: `fp-${long}`,
      },
    ]);
    const deliver = () =>
      call(webhookRoute.POST, "POST", path, { token: tokens.responder, rawBody: JSON.stringify(body) });
    const res = await deliver();
    expect(res.status).toBe(200);
    const ref = (await res.json()).incidents.created[0];
    const incident = await (
      await call(incidentRoute.GET, "GET", `/api/v1/incidents/${ref}`, { token: tokens.viewer, params: { ref } })
    ).json();
    expect(incident.title).toBe("has a \ufffd in it");
    expect(incident.service).toBe(`svc-${long}`.slice(0, 200));
    expect(incident.group_key).toMatch(/^\{\}:\{alertname="Nul\ufffd", host="x+…sha256:[0-9a-f]{64}$/);
    // The same delivery again is the same group and the same alert: nothing new.
    expect(await (await deliver()).json()).toMatchObject({ incidents: { created: [], updated: [] } });
    const { data } = await (
      await call(alertsRoute.GET, "GET", `/api/v1/incidents/${ref}/alerts`, { token: tokens.viewer, params: { ref } })
    ).json();
    expect(data).toEqual([expect.objectContaining({ name: "Nul\ufffdCheck", receive_count: 2 })]);
  });

  it("finds a group and an alert whose long keys were stored before they were shortened (migration 0011 shortens them alike)", async () => {
    const groupKey = `{}:{alertname="Ünïcode 🚀", host="${"é".repeat(1500)}"}`;
    const fingerprint = `fp-🚀-${"ü".repeat(1200)}`;
    const labels = { alertname: "LongKeys", severity: "critical" };
    const first = await (
      await call(webhookRoute.POST, "POST", path, {
        token: tokens.responder,
        body: webhook("short-for-now", [alert({ labels })]),
      })
    ).json();
    const ref = first.incidents.created[0];
    // As an earlier Vigil stored them: whole (they compress, so PostgreSQL's index took them).
    await t.sql`update incidents set group_key = ${groupKey} where group_key = 'short-for-now'`;
    await t.sql`update alerts set fingerprint = ${fingerprint} where labels->>'alertname' = 'LongKeys'`;
    const migration = readFileSync(
      new URL("../../../../db/migrations/0011_long_group_keys.sql", import.meta.url),
      "utf8",
    );
    for (const statement of migration.split("--> statement-breakpoint")) await t.sql.unsafe(statement);

    const again = await call(webhookRoute.POST, "POST", path, {
      token: tokens.responder,
      body: webhook(groupKey, [{ ...alert({ labels }), fingerprint }]),
    });
    expect(await again.json()).toMatchObject({ incidents: { created: [] } });
    const { data } = await (
      await call(alertsRoute.GET, "GET", `/api/v1/incidents/${ref}/alerts`, { token: tokens.viewer, params: { ref } })
    ).json();
    expect(data).toEqual([expect.objectContaining({ name: "LongKeys", receive_count: 2 })]);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await call(webhookRoute.POST, "POST", path, { token: tokens.responder, rawBody: "alerts=1" });
    expect(res.status).toBe(400);
  });

  it("answers 401 without a token and 403 to a viewer's token", async () => {
    expect((await call(webhookRoute.POST, "POST", path, { body: firing("a") })).status).toBe(401);
    expect((await call(webhookRoute.POST, "POST", path, { token: tokens.viewer, body: firing("a") })).status).toBe(403);
  });

  it("answers 503 with Retry-After when the database is unavailable, so Alertmanager retries", async () => {
    await withDatabaseDown(async () => {
      // The token check needs the database too, so the very first query fails.
      const res = await call(webhookRoute.POST, "POST", path, { token: tokens.responder, body: firing("down") });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect((await res.json()).title).toBe("Service unavailable");
    });
  });
});
