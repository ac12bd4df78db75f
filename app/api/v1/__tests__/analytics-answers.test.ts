// The analytics answers are stored for ANALYTICS_CACHE_TTL and shared: a repeat within it is answered from
// the store (and is at most that old), every request still checks who asks, 0s turns the store off, and a
// rolling range (`range=90d`, what the page's presets ask for) is an answer of its own.
import { beforeAll, describe, expect, it } from "vitest";
import { createIncident } from "@/lib/incidents/create-incident";
import { loadConfig } from "@/lib/env";
import { createLogger } from "@/lib/observability/logger";
import { getRuntime, setRuntime } from "@/lib/runtime";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { ageAnalyticsAnswers, analyticsAnswerRows } from "@/test/records";
import { call, useTestRuntime } from "@/test/runtime";
import * as summaryRoute from "../analytics/summary/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const path = `/api/v1/analytics/summary?from=2026-10-01&to=2026-10-08&group_by=team`;

function useCacheTtl(ttl: string) {
  const { config } = getRuntime();
  setRuntime({
    config: { ...config, analyticsCacheTtlMs: loadConfig({ ANALYTICS_CACHE_TTL: ttl }).analyticsCacheTtlMs },
    database: t,
    logger: createLogger("silent"),
  });
}

/** An incident declared at `at` (the verbs stamp it with the context's time). */
async function addIncident(team: string, at = new Date("2026-10-03T12:00:00Z")) {
  await createIncident({ ctx: ctxOf(t.db, admin, at), input: { title: "answer store check", severity: "P3", team } });
}

async function summary(url: string) {
  const res = await call(summaryRoute.GET, "GET", url, { token: tokens.viewer });
  expect(res.status).toBe(200);
  return (await res.json()) as { from: string; to: string; groups: { key: string; count: number }[] };
}
const countOf = async (team: string, url = path) => (await summary(url)).groups.find((g) => g.key === team)?.count ?? 0;

describe("the analytics answer store", () => {
  beforeAll(() => expect(loadConfig({}).analyticsCacheTtlMs).toBe(60_000));

  it("answers a repeat from the store within the TTL, and still refuses who may not read", async () => {
    useCacheTtl("60s");
    await addIncident("store-a");
    expect(await countOf("store-a")).toBe(1);
    await addIncident("store-a");
    expect(await countOf("store-a")).toBe(1); // kept: at most a minute old
    expect((await call(summaryRoute.GET, "GET", path)).status).toBe(401);
  });

  it("computes the answer again once the stored one is a TTL old", async () => {
    useCacheTtl("60s");
    const url = "/api/v1/analytics/summary?from=2026-10-03&to=2026-10-04&group_by=team";
    await addIncident("store-b");
    expect(await countOf("store-b", url)).toBe(1);
    await addIncident("store-b");
    await ageAnalyticsAnswers(t, 30_000);
    expect(await countOf("store-b", url)).toBe(1);
    await ageAnalyticsAnswers(t, 35_000);
    expect(await countOf("store-b", url)).toBe(2);
  });

  it("notes that someone still looks when it serves an answer half a TTL old (the worker refreshes those)", async () => {
    useCacheTtl("60s");
    const url = "/api/v1/analytics/summary?range=30d&group_by=service";
    await summary(url);
    const keyOf = async () =>
      (await analyticsAnswerRows(t)).find((r) => r.key.includes('"range":"30d"') && r.key.includes('"service"'))!;
    const asked = (await keyOf()).requestedAt.getTime();
    await ageAnalyticsAnswers(t, 10_000);
    await summary(url); // served; asked a moment ago, nothing to note
    expect((await keyOf()).requestedAt.getTime()).toBe(asked - 10_000);
    await ageAnalyticsAnswers(t, 25_000);
    await summary(url); // served, and the ask is noted
    const row = await keyOf();
    expect(Date.now() - row.requestedAt.getTime()).toBeLessThan(5_000);
    expect(Date.now() - row.computedAt.getTime()).toBeGreaterThanOrEqual(35_000);
  });

  it("keys an answer by the parsed query: defaults, unknown parameters and other spellings of an instant make no new rows", async () => {
    useCacheTtl("60s");
    const before = (await analyticsAnswerRows(t)).length;
    await summary("/api/v1/analytics/summary?from=2026-09-01&to=2026-09-08");
    await summary("/api/v1/analytics/summary?to=2026-09-08&from=2026-09-01&group_by=severity&utm_source=mail");
    await summary(
      `/api/v1/analytics/summary?from=${encodeURIComponent("2026-09-01T02:00:00+02:00")}&to=2026-09-08T00:00:00Z`,
    );
    const rows = await analyticsAnswerRows(t);
    expect(rows.length).toBe(before + 1);
    expect(rows.find((r) => r.key.includes("2026-09-01"))).toMatchObject({
      verb: "summary",
      input: { from: "2026-09-01T00:00:00.000Z", to: "2026-09-08T00:00:00.000Z", group_by: "severity" },
    });
  });

  it("answers a rolling range (range=7d) for the last days up to now, stored once for everyone", async () => {
    useCacheTtl("60s");
    await addIncident("store-rolling", new Date());
    const first = await summary("/api/v1/analytics/summary?range=7d&group_by=team");
    expect(first.groups.find((g) => g.key === "store-rolling")?.count).toBe(1);
    expect(Date.parse(first.to) - Date.parse(first.from)).toBe(7 * 86_400_000);
    expect(Math.abs(Date.parse(first.to) - Date.now())).toBeLessThan(10_000);
    await addIncident("store-rolling", new Date());
    expect(await summary("/api/v1/analytics/summary?range=7d&group_by=team")).toEqual(first);
    expect((await analyticsAnswerRows(t)).filter((r) => r.key.includes('"range":"7d"'))).toHaveLength(1);
  });

  it("refuses range together with from or to, and a range it cannot read, naming the field", async () => {
    useCacheTtl("60s");
    for (const [query, field] of [
      ["range=7d&from=2026-11-01", "range"],
      ["range=7days", "range"],
      ["range=500d", "range"],
    ]) {
      const res = await call(summaryRoute.GET, "GET", `/api/v1/analytics/summary?${query}`, { token: tokens.viewer });
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.stringify(await res.json())).toContain(field);
    }
  });

  it("computes every request afresh and stores nothing with ANALYTICS_CACHE_TTL=0s", async () => {
    useCacheTtl("0s");
    const before = (await analyticsAnswerRows(t)).length;
    await addIncident("store-off");
    expect(await countOf("store-off", "/api/v1/analytics/summary?from=2026-10-02&to=2026-10-09&group_by=team")).toBe(1);
    await addIncident("store-off");
    expect(await countOf("store-off", "/api/v1/analytics/summary?from=2026-10-02&to=2026-10-09&group_by=team")).toBe(2);
    expect((await analyticsAnswerRows(t)).length).toBe(before);
  });
});
