// Golden figures: the fixture in golden-incidents.ts gives exactly these numbers, worked out by hand with
// the percentile definition of duration-stats.ts (linear between closest ranks: h = (n - 1)·p).
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { ctxOf, viewer } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { durationStats } from "../duration-stats";
import { getAlertNoise } from "../get-alert-noise";
import { getAnalyticsSummary } from "../get-analytics-summary";
import { getDurationDistribution } from "../get-duration-distribution";
import { getDurationTrends } from "../get-duration-trends";
import { getNotificationVolume } from "../get-notification-volume";
import { getRemediationSuccess } from "../get-remediation-success";
import { addGoldenAlerts, addGoldenNotifications, createGoldenIncidents, goldenRange } from "./golden-incidents";

const t = useTestDatabase();
let ids: Record<string, { id: string; number: number }>;
const ctx = () => ctxOf(t.db, viewer, new Date("2026-11-28T08:00:00Z"));
const none = { mean: null, p50: null, p90: null };

beforeAll(async () => {
  ids = await createGoldenIncidents(t.db);
  await addGoldenAlerts(t, ids);
  await addGoldenNotifications(t, ids);
});

describe("MTTD / MTTA / MTTR summary", () => {
  it("gives the exact figures per severity, open and unacknowledged incidents counted apart, the drill and out-of-range ones left out", async () => {
    const summary = await getAnalyticsSummary({ ctx: ctx(), input: { ...goldenRange, group_by: "severity" } });
    expect(summary).toEqual({
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-11-08T00:00:00.000Z",
      group_by: "severity",
      groups: [
        {
          key: "P1",
          count: 3, // A, B, C
          open: 1, // C
          unacknowledged: 0,
          undetected: 0,
          mttd: { mean: 30, p50: 30, p90: 54 }, // 0 30 60: h = 1.8 → 30 + 0.8·30
          mtta: { mean: 160, p50: 120, p90: 264 }, // 60 120 300: 120 + 0.8·180
          mttr: { mean: 2700, p50: 2700, p90: 3420 }, // 1800 3600: h = 0.9 → 1800 + 0.9·1800
        },
        {
          key: "P2",
          count: 3, // D, E, F
          open: 1, // E
          unacknowledged: 2, // D (resolved unacknowledged), E
          undetected: 0,
          mttd: { mean: 240, p50: 120, p90: 504 }, // 0 120 600: 120 + 0.8·480
          mtta: { mean: 600, p50: 600, p90: 600 }, // F alone
          mttr: { mean: 2100, p50: 2100, p90: 3300 }, // 600 3600: 600 + 0.9·3000
        },
      ],
      total: {
        key: "all",
        count: 6,
        open: 2,
        unacknowledged: 2,
        undetected: 0,
        mttd: { mean: 135, p50: 45, p90: 360 }, // 0 0 30 60 120 600: h = 2.5 → 45; h = 4.5 → 120 + 0.5·480
        mtta: { mean: 270, p50: 210, p90: 510 }, // 60 120 300 600: h = 1.5 → 210; h = 2.7 → 300 + 0.7·300
        mttr: { mean: 2400, p50: 2700, p90: 3600 }, // 600 1800 3600 3600
      },
    });
  });

  it("groups by service and by team, busiest first", async () => {
    const byService = await getAnalyticsSummary({ ctx: ctx(), input: { ...goldenRange, group_by: "service" } });
    expect(byService.groups.map((g) => [g.key, g.count, g.mtta.mean])).toEqual([
      ["checkout", 3, 160],
      ["search", 3, 600],
    ]);
    const byTeam = await getAnalyticsSummary({ ctx: ctx(), input: { ...goldenRange, group_by: "team" } });
    expect(byTeam.groups.map((g) => [g.key, g.count, g.mttr.p50])).toEqual([
      ["discovery", 3, 2100],
      ["payments", 3, 2700],
    ]);
  });

  it("answers an empty range with zero counts and null figures, never zeros", async () => {
    const summary = await getAnalyticsSummary({ ctx: ctx(), input: { from: "2026-01-01", to: "2026-01-02" } });
    expect(summary.groups).toEqual([]);
    expect(summary.total).toEqual({
      key: "all",
      count: 0,
      open: 0,
      unacknowledged: 0,
      undetected: 0,
      mttd: none,
      mtta: none,
      mttr: none,
    });
  });

  it("lets a viewer read it, and refuses a range the wrong way round", async () => {
    await expect(getAnalyticsSummary({ ctx: ctxOf(t.db, viewer), input: {} })).resolves.toBeDefined();
    await expect(
      getAnalyticsSummary({ ctx: ctx(), input: { from: goldenRange.to, to: goldenRange.from } }),
    ).rejects.toThrow(AppError);
  });
});

describe("trends", () => {
  it("buckets by UTC day, every day of the range in every series", async () => {
    const trends = await getDurationTrends({ ctx: ctx(), input: { ...goldenRange, bucket: "day" } });
    expect(trends.buckets).toEqual(["01", "02", "03", "04", "05", "06", "07"].map((d) => `2026-11-${d}T00:00:00.000Z`));
    const p1 = trends.series.find((s) => s.key === "P1")!;
    expect(p1.points.map((p) => p.count)).toEqual([0, 2, 0, 1, 0, 0, 0]);
    expect(p1.points[1]).toMatchObject({
      bucket: "2026-11-02T00:00:00.000Z",
      open: 0,
      mtta: { mean: 210, p50: 210, p90: 282 },
      mttr: { mean: 2700, p50: 2700, p90: 3420 },
    });
    expect(p1.points[3]).toMatchObject({ open: 1, mttr: none });
    expect(p1.points[0]).toEqual({
      bucket: "2026-11-01T00:00:00.000Z",
      count: 0,
      open: 0,
      unacknowledged: 0,
      undetected: 0,
      mttd: none,
      mtta: none,
      mttr: none,
    });
    expect(trends.series.map((s) => s.key)).toEqual(["P1", "P2"]);
  });

  it("buckets by ISO week starting on Monday", async () => {
    const trends = await getDurationTrends({ ctx: ctx(), input: { ...goldenRange, bucket: "week" } });
    // 2026-11-01 is a Sunday: it belongs to the week of Monday 26 October.
    expect(trends.buckets).toEqual(["2026-10-26T00:00:00.000Z", "2026-11-02T00:00:00.000Z"]);
    expect(trends.series.find((s) => s.key === "P2")!.points.map((p) => [p.count, p.mttr.mean])).toEqual([
      [0, null],
      [3, 2100],
    ]);
  });

  it("keeps the busiest services when grouping by service", async () => {
    const trends = await getDurationTrends({ ctx: ctx(), input: { ...goldenRange, group_by: "service", limit: 1 } });
    // checkout and search tie on 3 incidents; the name breaks the tie.
    expect(trends.series.map((s) => s.key)).toEqual(["checkout"]);
  });
});

describe("distribution", () => {
  it("counts times to acknowledge and to resolve per bin, lower bounds inclusive", async () => {
    const distribution = await getDurationDistribution({ ctx: ctx(), input: goldenRange });
    expect(distribution.bins.map((b) => [b.label, b.mtta, b.mttr])).toEqual([
      ["< 5 min", 2, 0], // mtta 60, 120
      ["5–15 min", 2, 1], // mtta 300, 600; mttr 600
      ["15–30 min", 0, 0],
      ["30–60 min", 0, 1], // mttr 1800
      ["1–4 h", 0, 2], // mttr 3600, 3600
      ["4–24 h", 0, 0],
      ["≥ 1 day", 0, 0],
    ]);
    expect(distribution).toMatchObject({ unacknowledged: 2, open: 2 });
  });
});

describe("alert noise", () => {
  it("reports the false-positive share, alerts per incident, the noisiest alertnames and flapping groups", async () => {
    const noise = await getAlertNoise({ ctx: ctx(), input: goldenRange });
    const ref = (name: string) => `INC-${ids[name]!.number}`;
    expect(noise).toEqual({
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-11-08T00:00:00.000Z",
      incidents: 6,
      false_positives: 1,
      false_positive_share: 0.1667,
      alerts: 8, // A 2, B 2, D 1, F 3 (G's five are a drill's)
      incidents_with_alerts: 4,
      alerts_per_incident: { mean: 2, p50: 2, p90: 2.7 }, // 1 2 2 3
      noisiest_alertnames: [
        {
          alertname: "HighErrorRate",
          alerts: 3,
          incidents: 2,
          false_positives: 0,
          generator_url: "http://prometheus:9090/graph?g0.expr=HighErrorRate",
          incident_refs: [ref("B"), ref("A")],
        },
        {
          alertname: "HighLatency",
          alerts: 2,
          incidents: 2,
          false_positives: 0,
          generator_url: "http://prometheus:9090/graph?g0.expr=HighLatency",
          incident_refs: [ref("D"), ref("B")],
        },
        {
          alertname: "DiskFull",
          alerts: 3,
          incidents: 1,
          false_positives: 1,
          generator_url: "http://prometheus:9090/graph?g0.expr=DiskFull",
          incident_refs: [ref("F")],
        },
      ],
      flapping_groups: [
        {
          group_key: "g1",
          service: "checkout",
          incidents: 2,
          reopens: 2,
          cycles: 4,
          latest_incident_ref: ref("B"),
          latest_title: "Golden B",
        },
      ],
    });
  });

  it("finds a group flapping from a lower threshold", async () => {
    const noise = await getAlertNoise({ ctx: ctx(), input: { ...goldenRange, min_cycles: 2, limit: 1 } });
    expect(noise.flapping_groups.map((g) => g.group_key)).toEqual(["g1"]);
    expect(noise.noisiest_alertnames.map((a) => a.alertname)).toEqual(["HighErrorRate"]);
  });

  it("has no share of nothing", async () => {
    const noise = await getAlertNoise({ ctx: ctx(), input: { from: "2026-01-01", to: "2026-01-02" } });
    expect(noise).toMatchObject({
      incidents: 0,
      false_positive_share: null,
      alerts: 0,
      alerts_per_incident: none,
      noisiest_alertnames: [],
      flapping_groups: [],
    });
  });
});

describe("notification volume", () => {
  it("counts messages and failures per channel, every channel listed, drills and other ranges left out", async () => {
    const volume = await getNotificationVolume({ ctx: ctx(), input: goldenRange });
    expect(volume.channels).toEqual([
      { channel: "pagerduty", total: 1, sent: 0, failed: 1, pending: 0, fallbacks: 0, attempts: 8, failure_share: 1 },
      { channel: "slack", total: 1, sent: 1, failed: 0, pending: 0, fallbacks: 0, attempts: 1, failure_share: 0 },
      { channel: "email", total: 0, sent: 0, failed: 0, pending: 0, fallbacks: 0, attempts: 0, failure_share: null },
      { channel: "sms", total: 0, sent: 0, failed: 0, pending: 0, fallbacks: 0, attempts: 0, failure_share: null },
    ]);
  });
});

describe("remediation success", () => {
  it("counts the automatic runs that finished, per action, leaving out dry runs, manual runs and other ranges", async () => {
    const inRange = new Date(Date.parse(goldenRange.from) + 3_600_000).toISOString();
    const outOfRange = new Date(Date.parse(goldenRange.from) - 3_600_000).toISOString();
    const run = (
      actionType: string,
      status: string,
      options: { automatic?: boolean; dryRun?: boolean; at?: string } = {},
    ) => t.sql`
      insert into remediation_runs (action_id, action_type, target, rate_key, params, status, dry_run, automatic, requested_by_type, requested_by_name, requested_at, updated_at)
      values ('a', ${actionType}, 'deployment shop/x', ${`${actionType} shop/x`}, '{}'::jsonb, ${status}::remediation_status, ${options.dryRun ?? false}, ${options.automatic ?? true}, 'system', 'test', ${options.at ?? inRange}::timestamptz, now())`;
    await run("k8s.rollout_restart", "succeeded");
    await run("k8s.rollout_restart", "succeeded");
    await run("k8s.rollout_restart", "failed");
    await run("k8s.scale", "rate_limited");
    await run("k8s.scale", "succeeded", { automatic: false });
    await run("k8s.scale", "succeeded", { dryRun: true });
    await run("k8s.delete_pod", "failed", { at: outOfRange });

    const remediation = await getRemediationSuccess({ ctx: ctx(), input: goldenRange });
    expect(remediation).toMatchObject({ available: true, reason: null, runs: 4, succeeded: 2, failed: 1 });
    expect(remediation.success_share).toBe(0.6667); // shares are rounded to four places
    expect(remediation.by_action).toEqual([
      { action: "k8s.rollout_restart", runs: 3, succeeded: 2, failed: 1, success_share: 0.6667 },
      { action: "k8s.scale", runs: 1, succeeded: 0, failed: 0, success_share: null },
    ]);
  });
});

describe("the SQL percentiles", () => {
  it("agree with duration-stats' definition on random durations to the millisecond", async () => {
    // 300 incidents in June at random milliseconds; some never acknowledged or resolved.
    const base = Date.parse("2026-06-01T00:00:00Z");
    const upTo = (ms: number) => Math.floor(Math.random() * ms);
    const rows = Array.from({ length: 300 }, (_, i) => {
      const created = base + i * 60_000 + upTo(60_000);
      const ack = Math.random() < 0.8 ? created + upTo(7_200_000) : null;
      return {
        created,
        detected: created - upTo(900_000),
        ack,
        resolved: ack && Math.random() < 0.8 ? ack + upTo(86_400_000) : null,
      };
    });
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    for (const r of rows) {
      await t.sql`insert into incidents (title, severity, status, detected_at, created_at, updated_at, acknowledged_at, resolved_at)
        values ('random', 'P4', ${r.resolved ? "resolved" : r.ack ? "acknowledged" : "open"}, ${iso(r.detected)}, ${iso(r.created)}, ${iso(r.created)}, ${iso(r.ack)}, ${iso(r.resolved)})`;
    }
    const seconds = (values: (number | null)[]) => values.filter((v): v is number => v !== null).map((v) => v / 1000);
    const expected = {
      mttd: durationStats(seconds(rows.map((r) => r.created - r.detected))),
      mtta: durationStats(seconds(rows.map((r) => (r.ack === null ? null : r.ack - r.created)))),
      mttr: durationStats(seconds(rows.map((r) => (r.resolved === null ? null : r.resolved - r.created)))),
    };
    const { total } = await getAnalyticsSummary({ ctx: ctx(), input: { from: "2026-06-01", to: "2026-07-01" } });
    for (const metric of ["mttd", "mtta", "mttr"] as const) {
      for (const figure of ["mean", "p50", "p90"] as const) {
        expect(Math.abs(total[metric][figure]! - expected[metric][figure]!), `${metric} ${figure}`).toBeLessThanOrEqual(
          0.001,
        );
      }
    }
  });
});
