import { describe, expect, it } from "vitest";
import { filtersFromSearchParams } from "../incidents/board-filters";
import { analyticsHref, incidentListHref, readAnalyticsView } from "./analytics-view";

const now = new Date("2026-11-28T08:30:00Z");

describe("readAnalyticsView", () => {
  it("defaults to the last 30 days by severity, bucketed by day", () => {
    expect(readAnalyticsView({}, now)).toEqual({
      preset: "30d",
      from: "2026-10-29T08:30:00.000Z",
      to: "2026-11-28T08:30:00.000Z",
      rangeQuery: { range: "30d" },
      fromDay: "2026-10-29",
      toDay: "2026-11-28",
      groupBy: "severity",
      bucket: "day",
    });
  });

  it("reads a preset, and buckets long ranges by week", () => {
    expect(readAnalyticsView({ range: "90d", group_by: "team" }, now)).toMatchObject({
      preset: "90d",
      groupBy: "team",
      bucket: "week",
    });
    expect(readAnalyticsView({ range: "90d", bucket: "day" }, now).bucket).toBe("day");
  });

  it("asks the verbs for a preset as a rolling range (served from the answer store), for custom days by from / to", () => {
    expect(readAnalyticsView({ range: "90d" }, now).rangeQuery).toEqual({ range: "90d" });
    expect(readAnalyticsView({ from: "2026-11-01", to: "2026-11-07" }, now).rangeQuery).toEqual({
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-11-08T00:00:00.000Z",
    });
  });

  it("reads custom calendar days, the last one included", () => {
    expect(readAnalyticsView({ from: "2026-11-01", to: "2026-11-07" }, now)).toMatchObject({
      preset: "custom",
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-11-08T00:00:00.000Z",
      fromDay: "2026-11-01",
      toDay: "2026-11-07",
    });
  });

  it("falls back to the defaults for what it cannot read", () => {
    expect(
      readAnalyticsView({ from: "2026-11-07", to: "2026-11-01", group_by: "owner", range: "1y" }, now),
    ).toMatchObject({ preset: "30d", groupBy: "severity" });
    expect(readAnalyticsView({ from: "yesterday", to: "today" }, now).preset).toBe("30d");
  });

  it("says why custom days it could not use were not used, and nothing otherwise", () => {
    expect(readAnalyticsView({ from: "2026-11-28", to: "2026-11-01" }, now).rangeProblem).toBe(
      "its first day (2026-11-28) is after its last (2026-11-01)",
    );
    expect(readAnalyticsView({ from: "2024-01-01", to: "2026-11-01" }, now).rangeProblem).toBe(
      "it is longer than a year",
    );
    expect(readAnalyticsView({ from: "yesterday" }, now).rangeProblem).toMatch(/needs both its first and last day/);
    expect(readAnalyticsView({ from: "2026-11-01", to: "2026-11-07" }, now).rangeProblem).toBeUndefined();
    expect(readAnalyticsView({ range: "7d" }, now).rangeProblem).toBeUndefined();
  });
});

describe("links", () => {
  it("keeps the view in the URL when one part changes", () => {
    const view = readAnalyticsView({ from: "2026-11-01", to: "2026-11-07" }, now);
    expect(analyticsHref(view, { groupBy: "service" })).toBe(
      "/analytics?from=2026-11-01&to=2026-11-07&group_by=service&bucket=day",
    );
    expect(analyticsHref(view, { preset: "90d" })).toBe("/analytics?range=90d&group_by=severity");
    expect(analyticsHref(view, { bucket: "week" })).toBe(
      "/analytics?from=2026-11-01&to=2026-11-07&group_by=severity&bucket=week",
    );
  });

  it("drills down to the incident list with the list's own filter names", () => {
    const view = { from: "2026-11-01T00:00:00.000Z", to: "2026-11-08T00:00:00.000Z" };
    expect(incidentListHref(view, { severity: "P1", status: ["open", "acknowledged"] })).toBe(
      "/incidents?created_after=2026-11-01T00%3A00%3A00.000Z&created_before=2026-11-08T00%3A00%3A00.000Z&counted=true&severity=P1&status=open&status=acknowledged",
    );
    // …and the list page reads every one of them back (it once dropped the range).
    const back = filtersFromSearchParams(
      Object.fromEntries(new URL(incidentListHref(view, { service: "checkout" }), "http://x").searchParams),
      { status: [] },
    );
    expect(back).toMatchObject({
      created_after: view.from,
      created_before: view.to,
      counted: "true",
      service: "checkout",
    });
  });
});
