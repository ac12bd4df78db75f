"use client";
// Trend charts over the range's buckets: a duration (p50 or mean) per group as lines with gaps where a
// bucket had no incident (dots, so a bucket between two gaps still shows), and incident counts per group
// as stacked bars. Plain, serialisable props.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatSeconds, formatDurationTick } from "./figures";
import { seriesColor } from "./series-colors";

export interface TrendSeries {
  key: string;
  label: string;
  /** One value per bucket; null where there is nothing to measure. */
  values: (number | null)[];
}

interface TrendChartProps {
  /** Bucket starts (ISO), oldest first. */
  buckets: string[];
  series: TrendSeries[];
  /** What the chart shows, for screen readers. */
  label: string;
}

const chartStyle = { width: "100%", height: 260 };
const axisTick = { fontSize: 11, fill: "#71717a" };
const bucketLabel = (iso: string) =>
  new Date(iso).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** Rows as recharts wants them: { bucket, s0, s1, … } (series by index, so no group name can clash). */
function rowsOf(buckets: string[], series: TrendSeries[]) {
  return buckets.map((bucket, i) =>
    Object.fromEntries([["bucket", bucketLabel(bucket)], ...series.map((s, j) => [`s${j}`, s.values[i] ?? null])]),
  );
}

export function DurationTrendChart({ buckets, series, label }: TrendChartProps) {
  return (
    <figure aria-label={label} data-testid="duration-trend-chart">
      <LineChart
        responsive
        style={chartStyle}
        data={rowsOf(buckets, series)}
        margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
        <XAxis dataKey="bucket" tick={axisTick} minTickGap={16} />
        <YAxis tick={axisTick} tickFormatter={formatDurationTick} width={44} />
        <Tooltip formatter={(value) => formatSeconds(typeof value === "number" ? value : null)} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((s, j) => (
          <Line
            key={s.key}
            type="monotone"
            dataKey={`s${j}`}
            name={s.label}
            stroke={seriesColor(s.key, j)}
            strokeWidth={2}
            dot={{ r: 3 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </figure>
  );
}

/** Counts per bucket and group as stacked bars (incidents per severity, pages per person). */
export function IncidentVolumeChart({
  buckets,
  series,
  label,
  testId = "incident-volume-chart",
}: TrendChartProps & { testId?: string }) {
  return (
    <figure aria-label={label} data-testid={testId}>
      <BarChart
        responsive
        style={chartStyle}
        data={rowsOf(buckets, series)}
        margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" vertical={false} />
        <XAxis dataKey="bucket" tick={axisTick} minTickGap={16} />
        <YAxis tick={axisTick} allowDecimals={false} width={44} />
        <Tooltip formatter={(value) => (typeof value === "number" ? formatCount(value) : "—")} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((s, j) => (
          <Bar
            key={s.key}
            dataKey={`s${j}`}
            name={s.label}
            stackId="incidents"
            fill={seriesColor(s.key, j)}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </figure>
  );
}
