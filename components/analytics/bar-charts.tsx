"use client";
// Bar charts with fixed categories: how times to acknowledge and resolve spread over bins, and
// notifications per channel by outcome.
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
    <figure aria-label={label} data-testid="distribution-chart">
      <BarChart responsive style={chartStyle} data={bins} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" vertical={false} />
        <XAxis dataKey="label" tick={axisTick} interval={0} />
        <YAxis tick={axisTick} allowDecimals={false} width={44} />
        <Tooltip formatter={countFormatter} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="mtta" name="acknowledged within" fill="#2563eb" isAnimationActive={false} />
        <Bar dataKey="mttr" name="resolved within" fill="#16a34a" isAnimationActive={false} />
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
