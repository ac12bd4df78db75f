import { describe, expect, it } from "vitest";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { newIntegration, writtenCounts } from "@/test/integrations";
import { drainJobs } from "@/test/jobs";
import { call, useTestRuntime } from "@/test/runtime";
import * as integrationRoute from "../integrations/[id]/route";
import * as heartbeatRoute from "../integrations/heartbeat/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const path = "/api/v1/integrations/heartbeat";

// What Alertmanager sends for the always-firing Watchdog routed to the heartbeat (docs/integrations.md).
const watchdog = webhook('{}/{alertname="Watchdog"}:{}', [
  alert({ labels: { alertname: "Watchdog", severity: "none" }, annotations: { summary: "always firing" } }),
]);
const ping = (secret: string) => call(heartbeatRoute.POST, "POST", path, { token: secret, body: watchdog });
const checkJob = async (id: string) =>
  new Date((await t.sql`select run_at from graphile_worker._private_jobs where key = ${`heartbeat:${id}`}`)[0]!.run_at);
const incidents = async (id: string) =>
  await t.sql`select status, title from incidents where group_key = ${`heartbeat:${id}`} order by number`;
/** N minutes pass without a ping: the last one is that old, and the check is due now. */
const pingsStopFor = async (id: string, minutes: number) => {
  await t.sql`update integrations set last_ping_at = now() - make_interval(mins => ${minutes}) where id = ${id}`;
  await t.sql`update graphile_worker._private_jobs set run_at = now() where key = ${`heartbeat:${id}`}`;
};

describe("heartbeats", () => {
  it("opens an incident when the pings stop for the interval, and the next ping resolves it", async () => {
    const hb = await newIntegration(tokens.admin, { kind: "heartbeat", name: "prod Prometheus", interval_minutes: 5 });
    // A check is waiting from the start: a heartbeat that never pings pages too.
    const first = await checkJob(hb.id);
    expect(first.getTime() - Date.now()).toBeGreaterThan(4 * 60_000);

    const res = await ping(hb.secret);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ result: "ping" });
    expect((await checkJob(hb.id)).getTime()).toBeGreaterThanOrEqual(first.getTime());

    // The check comes due while pings still arrive on time: nothing happens.
    await t.sql`update graphile_worker._private_jobs set run_at = now() where key = ${`heartbeat:${hb.id}`}`;
    await drainJobs(t, { settleMs: 0 });
    expect(await incidents(hb.id)).toEqual([]);

    await ping(hb.secret);
    await pingsStopFor(hb.id, 6);
    await drainJobs(t, { settleMs: 0 });
    expect(await incidents(hb.id)).toEqual([{ status: "open", title: "No heartbeat from prod Prometheus for 5 min" }]);

    const resumed = await ping(hb.secret);
    expect((await resumed.json()).result).toMatch(/^ping; resolved INC-\d+$/);
    expect(await incidents(hb.id)).toEqual([expect.objectContaining({ status: "resolved" })]);

    const detail = await (
      await call(integrationRoute.GET, "GET", `/api/v1/integrations/${hb.id}`, {
        token: tokens.admin,
        params: { id: hb.id },
      })
    ).json();
    expect(detail.recent_events.map((e: { action: string }) => e.action)).toEqual(["ping", "missed", "ping", "ping"]);
    expect(detail.last_ping_at).not.toBeNull();
  });

  it("takes only a heartbeat integration's secret", async () => {
    const hook = await newIntegration(tokens.admin, { kind: "webhook", name: "not a heartbeat" });
    const before = await writtenCounts(t);
    for (const secret of [hook.secret, tokens.admin]) expect((await ping(secret)).status).toBe(401);
    expect(await writtenCounts(t)).toEqual(before);
  });
});
