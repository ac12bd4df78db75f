import { beforeAll, describe, expect, it } from "vitest";
import {
  addGoldenAlerts,
  addGoldenNotifications,
  createGoldenIncidents,
  goldenRange,
} from "@/lib/analytics/__tests__/golden-incidents";
import { useTestDatabase } from "@/test/database";
import { call, useTestRuntime } from "@/test/runtime";
import * as distributionRoute from "../analytics/distribution/route";
import * as noiseRoute from "../analytics/noise/route";
import * as notificationsRoute from "../analytics/notifications/route";
import * as remediationRoute from "../analytics/remediation/route";
import * as summaryRoute from "../analytics/summary/route";
import * as trendsRoute from "../analytics/trends/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const range = `from=${goldenRange.from}&to=${goldenRange.to}`;

beforeAll(async () => {
  const ids = await createGoldenIncidents(t.db);
  await addGoldenAlerts(t, ids);
  await addGoldenNotifications(t, ids);
});

describe("GET /api/v1/analytics/summary", () => {
  it("answers the issue's shape: groups with count and mean / p50 / p90 in seconds", async () => {
    const res = await call(summaryRoute.GET, "GET", `/api/v1/analytics/summary?${range}&group_by=severity`, {
      token: tokens.viewer,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.groups[0]).toEqual({
      key: "P1",
      count: 3,
      open: 1,
      unacknowledged: 0,
      undetected: 0,
      mttd: { mean: 30, p50: 30, p90: 54 },
      mtta: { mean: 160, p50: 120, p90: 264 },
      mttr: { mean: 2700, p50: 2700, p90: 3420 },
    });
    expect(body).toMatchObject({
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-11-08T00:00:00.000Z",
      group_by: "severity",
      total: { key: "all", count: 6 },
    });
  });

  it("names the failing parameters with 400", async () => {
    const res = await call(summaryRoute.GET, "GET", "/api/v1/analytics/summary?group_by=owner&from=yesterday", {
      token: tokens.viewer,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(["from", "group_by"]);
    const backwards = await call(
      summaryRoute.GET,
      "GET",
      `/api/v1/analytics/summary?from=${goldenRange.to}&to=${goldenRange.from}`,
      { token: tokens.viewer },
    );
    expect(backwards.status).toBe(400);
  });

  it("answers 401 without credentials", async () => {
    expect((await call(summaryRoute.GET, "GET", "/api/v1/analytics/summary")).status).toBe(401);
  });
});

describe("the other analytics endpoints", () => {
  it("answer a viewer with the figures of the range", async () => {
    const get = async (handler: typeof trendsRoute.GET, path: string) => {
      const res = await call(handler, "GET", path, { token: tokens.viewer });
      expect(res.status, path).toBe(200);
      return res.json();
    };
    const trends = await get(trendsRoute.GET, `/api/v1/analytics/trends?${range}&bucket=week`);
    expect(trends.buckets).toEqual(["2026-10-26T00:00:00.000Z", "2026-11-02T00:00:00.000Z"]);
    const distribution = await get(distributionRoute.GET, `/api/v1/analytics/distribution?${range}`);
    expect(distribution).toMatchObject({ unacknowledged: 2, open: 2 });
    const noise = await get(noiseRoute.GET, `/api/v1/analytics/noise?${range}&limit=2`);
    expect(noise.noisiest_alertnames.map((a: { alertname: string }) => a.alertname)).toEqual([
      "HighErrorRate",
      "HighLatency",
    ]);
    const notifications = await get(notificationsRoute.GET, `/api/v1/analytics/notifications?${range}`);
    expect(notifications.channels[0]).toMatchObject({ channel: "pagerduty", failed: 1 });
    const remediation = await get(remediationRoute.GET, `/api/v1/analytics/remediation?${range}`);
    expect(remediation).toMatchObject({ available: true, runs: 0, success_share: null, by_action: [] });
  });

  it("refuses a bucket or limit it does not know", async () => {
    expect(
      (await call(trendsRoute.GET, "GET", "/api/v1/analytics/trends?bucket=month", { token: tokens.viewer })).status,
    ).toBe(400);
    expect(
      (await call(noiseRoute.GET, "GET", "/api/v1/analytics/noise?limit=500", { token: tokens.viewer })).status,
    ).toBe(400);
  });
});
