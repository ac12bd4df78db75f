import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Deduplication } from "@/lib/analytics/schemas";
import { DeduplicationFigures, formatCut } from "./deduplication-figures";

const figure: Deduplication = {
  from: "2026-12-01T00:00:00.000Z",
  to: "2026-12-03T00:00:00.000Z",
  first_day: "2026-12-01",
  last_day: "2026-12-02",
  alerts_received: 1200,
  notifications_sent: 150,
  reduction_percent: 87.5,
  rows: [
    {
      day: "2026-12-02",
      service: "checkout",
      team: "payments",
      alerts_received: 1000,
      notifications_sent: 100,
      reduction_percent: 90,
    },
    {
      day: "2026-12-01",
      service: null,
      team: null,
      alerts_received: 200,
      notifications_sent: 50,
      reduction_percent: 75,
    },
  ],
};

describe("the deduplication figures", () => {
  it("show the cut in all, then per day, service and team", () => {
    const html = renderToStaticMarkup(<DeduplicationFigures figure={figure} />);
    expect(html).toContain(
      "87.5 %</span> fewer messages than alerts: 1,200 alert copies received, 150 notifications sent",
    );
    expect(html.match(/data-testid="deduplication-row"/g)).toHaveLength(2);
    expect(html).toMatch(
      /2026-12-02<\/td><td[^>]*>checkout<\/td><td[^>]*>payments<\/td><td[^>]*>1,000<\/td><td[^>]*>100<\/td><td[^>]*>90\.0 %/,
    );
    expect(html).toContain("(none)");
  });

  it("says so when nothing arrived and nothing went out", () => {
    const html = renderToStaticMarkup(
      <DeduplicationFigures
        figure={{ ...figure, alerts_received: 0, notifications_sent: 0, reduction_percent: null, rows: [] }}
      />,
    );
    expect(html).toContain("No alert arrived and no notification went out in this range.");
  });

  it("writes a cut with one decimal, keeps a negative one's sign, and shows none without alerts", () => {
    expect(formatCut(62.5)).toBe("62.5 %");
    expect(formatCut(-20)).toBe("-20.0 %");
    expect(formatCut(null)).toBe("—");
  });
});
