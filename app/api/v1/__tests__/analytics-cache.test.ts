// The analytics answers are kept for ANALYTICS_CACHE_TTL: a repeat within it is answered from memory
// (and is at most that old), every request still checks who asks, and 0s turns the cache off.
import { beforeAll, describe, expect, it } from "vitest";
import { createIncident } from "@/lib/incidents/create-incident";
import { clearAnalyticsCache } from "@/lib/analytics/result-cache";
import { loadConfig } from "@/lib/env";
import { createLogger } from "@/lib/observability/logger";
import { getRuntime, setRuntime } from "@/lib/runtime";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as summaryRoute from "../analytics/summary/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const from = "2026-10-01";
const to = "2026-10-08";
const path = `/api/v1/analytics/summary?from=${from}&to=${to}&group_by=team`;

function useCacheTtl(ttl: string) {
  const { config } = getRuntime();
  setRuntime({ config: { ...config, analyticsCacheTtlMs: loadConfig({ ANALYTICS_CACHE_TTL: ttl }).analyticsCacheTtlMs }, database: t, logger: createLogger("silent") });
  clearAnalyticsCache();
}

/** An incident declared inside the range (the verbs stamp it with the context's time). */
async function addIncident(team: string) {
  await createIncident({ ctx: ctxOf(t.db, admin, new Date("2026-10-03T12:00:00Z")), input: { title: "cache check", severity: "P3", team } });
}

const countOf = async (team: string) => {
  const res = await call(summaryRoute.GET, "GET", path, { token: tokens.viewer });
  expect(res.status).toBe(200);
  return ((await res.json()) as { groups: { key: string; count: number }[] }).groups.find((g) => g.key === team)?.count ?? 0;
};

describe("the analytics cache", () => {
  beforeAll(() => expect(loadConfig({}).analyticsCacheTtlMs).toBe(60_000));

  it("answers a repeat from memory within the TTL, and still refuses who may not read", async () => {
    useCacheTtl("60s");
    await addIncident("cache-a");
    expect(await countOf("cache-a")).toBe(1);
    await addIncident("cache-a");
    expect(await countOf("cache-a")).toBe(1); // kept: at most a minute old
    expect((await call(summaryRoute.GET, "GET", path)).status).toBe(401);
  });

  it("computes every request afresh with ANALYTICS_CACHE_TTL=0s", async () => {
    useCacheTtl("0s");
    await addIncident("cache-b");
    expect(await countOf("cache-b")).toBe(1);
    await addIncident("cache-b");
    expect(await countOf("cache-b")).toBe(2);
  });
});
