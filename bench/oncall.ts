// "Who is on call" for 100 schedules at once, the pure function alone (lib/oncall/on-call-at.ts): the
// part every door and the escalation engine share. Goal: p99 <= 20 ms for all 100. No database: loading
// the rows is one indexed query per request and measured by the API benchmarks.
// Run: npm run bench:oncall [-- --rounds 2000]
import { performance } from "node:perf_hooks";
import { onCallAt, onCallUntil, type Schedule } from "../lib/oncall/on-call-at";

const zones = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"];
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg("rounds", 1000);

/** A realistic schedule: a weekly base, a 12-hour day/night layer, an office-hours layer, 20 overrides. */
function schedule(n: number): Schedule {
  const people = Array.from({ length: 8 }, (_, i) => `user-${n}-${i}`);
  const start = Date.UTC(2026, 0, 1);
  return {
    timeZone: zones[n % zones.length]!,
    layers: [
      {
        id: "base",
        name: "weekly",
        anchor: "2026-01-05T09:00",
        interval: { unit: "weeks", count: 1 },
        participants: people,
        restrictions: [],
      },
      {
        id: "daynight",
        name: "12h",
        anchor: "2026-01-01T08:00",
        interval: { unit: "hours", count: 12 },
        participants: people.slice(0, 4),
        restrictions: [{ days: [5, 6], start: "00:00", end: "00:00" }],
      },
      {
        id: "office",
        name: "office",
        anchor: "2026-01-05T09:00",
        interval: { unit: "days", count: 1 },
        participants: people.slice(4),
        restrictions: [{ days: [0, 1, 2, 3, 4], start: "09:00", end: "17:00" }],
      },
    ],
    overrides: Array.from({ length: 20 }, (_, i) => ({
      id: `o${i}`,
      start: new Date(start + i * 17 * 86_400_000),
      end: new Date(start + i * 17 * 86_400_000 + 8 * 3_600_000),
      userId: people[(i + 1) % people.length]!,
      kind: i % 3 === 0 ? ("add" as const) : ("replace" as const),
      replaces: null,
    })),
  };
}

const schedules = Array.from({ length: 100 }, (_, n) => schedule(n));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

function measure(label: string, answer: (s: Schedule, at: Date) => unknown) {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const at = new Date(Date.UTC(2026, 0, 1) + Math.random() * 365 * 86_400_000);
    const started = performance.now();
    for (const s of schedules) answer(s, at);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `| ${label} | ${rounds} | ${percentile(times, 0.5).toFixed(2)} | ${percentile(times, 0.99).toFixed(2)} | ${times.at(-1)!.toFixed(2)} |`,
  );
}

console.log("| 100 schedules, each | rounds | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- |");
measure("onCallAt (who, now)", onCallAt);
measure("onCallUntil (who, and until when)", (s, at) => onCallUntil(s, at));
