"use client";
// Bar charts with fixed categories: how times to acknowledge and resolve spread over bins, how far
// escalations got, and notifications per channel by outcome.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount } from "./figures";

const chartStyle = { width: "100%", height: 240 };
const axisTick = { fontSize: 11, fill: "#71717a" };
const countFormatter = (value: unknown) => (typeof value === "number" ? formatCount(value) : "—");

export interface DistributionBar {
  label: string;
  mtta: number;
  mttr: number;
}

export function DistributionChart({ bins, label }: { bins: DistributionBar[]; label: string }) {
  return (
    <CountBarChart
      rows={bins}
      category="label"
      bars={[
        { key: "mtta", name: "acknowledged within", fill: "#2563eb" },
        { key: "mttr", name: "resolved within", fill: "#16a34a" },
      ]}
      label={label}
      testId="distribution-chart"
    />
  );
}

export interface CountBar {
  key: string;
  name: string;
  fill: string;
  /** Bars with the same stack sit on each other. */
  stack?: string;
}

/** Counts per category (x) as side-by-side or stacked bars. */
export function CountBarChart<Row extends object>({
  rows,
  category,
  bars,
  label,
  testId,
}: {
  rows: Row[];
  category: string;
  bars: CountBar[];
  label: string;
  testId: string;
}) {
  return (
    <figure aria-label={label} data-testid={testId}>
      <BarChart responsive style={chartStyle} data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" vertical={false} />
        <XAxis dataKey={category} tick={axisTick} interval={0} />
        <YAxis tick={axisTick} allowDecimals={false} width={44} />
        <Tooltip formatter={countFormatter} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {bars.map((b) => (
          <Bar
            key={b.key}
            dataKey={b.key}
            name={b.name}
            fill={b.fill}
            {...(b.stack ? { stackId: b.stack } : {})}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </figure>
  );
}

export interface ChannelBar {
  channel: string;
  sent: number;
  failed: number;
  pending: number;
}

export function NotificationChart({ channels, label }: { channels: ChannelBar[]; label: string }) {
  return (
    <figure aria-label={label} data-testid="notification-chart">
      <BarChart
        responsive
        style={chartStyle}
        data={channels}
        layout="vertical"
        margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" horizontal={false} />
        <XAxis type="number" tick={axisTick} allowDecimals={false} />
        <YAxis type="category" dataKey="channel" tick={axisTick} width={72} />
        <Tooltip formatter={countFormatter} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="sent" stackId="outcome" fill="#16a34a" isAnimationActive={false} />
        <Bar dataKey="failed" stackId="outcome" fill="#dc2626" isAnimationActive={false} />
        <Bar dataKey="pending" stackId="outcome" fill="#a1a1aa" isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}
