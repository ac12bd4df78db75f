import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { newIntegration, writtenCounts } from "@/test/integrations";
import { call, useTestRuntime } from "@/test/runtime";
import * as alertsRoute from "../incidents/[ref]/alerts/route";
import * as webhookRoute from "../integrations/webhook/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const path = "/api/v1/integrations/webhook";
let hook: { id: string; secret: string };

// The README's example.
const example = {
  dedup_key: "backup-nightly-db1",
  status: "firing",
  title: "Nightly backup of db1 failed",
  severity: "critical",
  service: "postgres",
  team: "storage",
  labels: { host: "db1" },
  annotations: { description: "pg_dump exited 1", runbook_url: "https://runbooks.example/backups" },
  links: [{ href: "https://ci.example/jobs/4521", text: "CI job" }],
  started_at: "2026-12-07T02:00:00Z",
};

const send = (body: unknown, token = hook.secret) => call(webhookRoute.POST, "POST", path, { token, body });
const incidentOf = async (key: string) =>
  (
    await t.sql`select i.number, i.status, i.severity, i.title, i.service, i.team from alerts a join incidents i on i.id = a.incident_id
      where a.fingerprint = ${`${hook.id}:${key}`}`
  )[0];

beforeAll(async () => {
  hook = await newIntegration(tokens.admin, { kind: "webhook", name: "cron jobs" });
});

describe("POST /api/v1/integrations/webhook", () => {
  it("opens an incident from the documented event, then resolves it by the same dedup_key", async () => {
    const res = await send(example);
    expect(res.status).toBe(202);
    expect((await res.json()).result).toMatch(/^opened INC-\d+$/);
    const incident = await incidentOf("backup-nightly-db1");
    expect(incident).toMatchObject({
      status: "open",
      severity: "P2",
      title: "Nightly backup of db1 failed",
      service: "postgres",
      team: "storage",
    });
    const ref = `INC-${incident!.number}`;
    const { data } = await (
      await call(alertsRoute.GET, "GET", `/api/v1/incidents/${ref}/alerts`, { token: tokens.viewer, params: { ref } })
    ).json();
    expect(data[0]).toMatchObject({
      starts_at: "2026-12-07T02:00:00.000Z",
      description: "pg_dump exited 1",
      runbook_url: "https://runbooks.example/backups",
      annotations: expect.objectContaining({ "link:CI job": "https://ci.example/jobs/4521" }),
    });
    const again = await send(example);
    expect((await again.json()).result).toMatch(/^no change/);
    await send({ dedup_key: "backup-nightly-db1", status: "resolved" });
    expect((await incidentOf("backup-nightly-db1"))!.status).toBe("resolved");
  });

  it("is lenient: numbers as strings, P-levels and unknown severities, no optional fields", async () => {
    await send({ dedup_key: 42, title: 500, severity: "p1" });
    expect(await incidentOf("42")).toMatchObject({ title: "500", severity: "P1" });
    await send({ dedup_key: "odd", title: "odd severity", severity: "catastrophic", labels: { n: 3, ok: true } });
    expect(await incidentOf("odd")).toMatchObject({ severity: "P3" });
  });

  it("refuses a body without dedup_key or title with a problem naming the field, writing nothing", async () => {
    const before = await writtenCounts(t);
    for (const [body, field] of [
      [{ title: "no key" }, "dedup_key"],
      [{ dedup_key: "k" }, "title"],
      [{ dedup_key: "k", title: "x", status: "exploded" }, "status"],
    ] as const) {
      const res = await send(body);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect((await res.json()).errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect(await writtenCounts(t)).toEqual(before);
  });

  it("takes only a webhook integration's secret", async () => {
    const before = await writtenCounts(t);
    const pd = await newIntegration(tokens.admin, { kind: "pagerduty", name: "not a webhook" });
    const after = await writtenCounts(t);
    for (const token of [tokens.admin, pd.secret, "vgl_unknown-token-value"])
      expect((await send(example, token)).status).toBe(401);
    expect((await call(webhookRoute.POST, "POST", path, { body: example })).status).toBe(401);
    expect((await writtenCounts(t)).incidents).toBe(after.incidents);
    expect(after.incidents).toBe(before.incidents);
  });
});
