// "Who is on call" for 100 schedules at once (issue 20's goal: p99 <= 20 ms for all 100). First the pure
// functions (lib/oncall/on-call-at.ts), the part every door and the escalation engine share: onCallAt (who)
// and onCallUntil (who, and until when: what GET /api/v1/oncall answers). With --verb, also the verb behind
// GET /api/v1/oncall, whoIsOnCall, with its database reads (the schedules, layers, overrides and people).
// Run: npm run bench:oncall [-- --rounds 1000 --warmup 20] [-- --verb --verb-rounds 300]
// --verb needs PostgreSQL: DATABASE_URL (a database vigil_bench_<pid> is made on it and dropped), else an
// embedded one is started.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@/db/client";
import { scheduleOverrides } from "@/db/schema";
import { systemActor } from "@/lib/context";
import { addPerson } from "@/lib/oncall/people";
import { createSchedule, loadScheduleModels, peopleFacts } from "@/lib/oncall/schedules";
import { whoIsOnCall } from "@/lib/oncall/who-is-on-call";
import { onCallAt, onCallUntil, type Schedule } from "../lib/oncall/on-call-at";
import { createBenchDatabase, positiveInt, runBenchmark, say } from "./support";

const zones = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"];
const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "1000" },
    warmup: { type: "string", default: "20" },
    verb: { type: "boolean", default: false },
    "verb-rounds": { type: "string", default: "300" },
  },
});
const rounds = positiveInt("rounds", args.rounds);
// Untimed rounds after the first: V8 compiles the code and the zones' offsets are learnt (both once per
// process), so the timed rounds show a running server. The first round is shown on its own.
const warmup = Number(args.warmup);
const verbRounds = positiveInt("verb-rounds", args["verb-rounds"]);

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
/** A random instant in 2026: offsets and handoffs of a new day each time, the hard case. */
const randomInstant = () => new Date(Date.UTC(2026, 0, 1) + Math.random() * 365 * 86_400_000);

async function measure(label: string, count: number, round: (at: Date) => unknown) {
  const time = async () => {
    const at = randomInstant();
    const started = performance.now();
    const answer = round(at);
    if (answer instanceof Promise) await answer;
    return performance.now() - started;
  };
  const first = await time();
  for (let r = 0; r < warmup; r++) await time();
  const times: number[] = [];
  // This process's CPU, unlike the wall-clock times, does not grow while other processes have the cores.
  const cpuBefore = process.cpuUsage();
  for (let r = 0; r < count; r++) times.push(await time());
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const ms = (n: number) => n.toFixed(2);
  console.log(
    `| ${label} | ${count} | ${ms(first)} | ${ms(percentile(times, 0.5))} | ${ms(percentile(times, 0.99))} | ${ms(times.at(-1)!)} | ${ms((cpu.user + cpu.system) / 1000 / count)} |`,
  );
}

const header = () =>
  console.log(
    "| 100 schedules, each round | rounds | first round ms | p50 ms | p99 ms | max ms | CPU ms a round |\n| --- | --- | --- | --- | --- | --- | --- |",
  );

const eachSchedule = (answer: (s: Schedule, at: Date) => unknown) => (at: Date) => {
  for (const s of schedules) answer(s, at);
};

/** The same 100 schedules stored (people and schedules through their verbs), then whoIsOnCall timed. */
async function measureVerb() {
  const bench = await createBenchDatabase({ keep: false });
  const client = createDatabaseClient(bench.url, { max: 4, applicationName: "vigil-bench" });
  try {
    const ctx = { db: client.db, actor: systemActor("bench"), now: new Date() };
    say("Storing 100 schedules, 800 people and 2,000 overrides…");
    for (const [n, model] of schedules.entries()) {
      const ids = new Map<string, string>();
      for (const userId of model.layers[0]!.participants) {
        const person = await addPerson({ ctx, input: { name: userId, email: `${userId}@bench.test` } });
        ids.set(userId, person.id);
      }
      const id = (userId: string) => ids.get(userId)!;
      const stored = await createSchedule({
        ctx,
        input: {
          name: `schedule ${n}`,
          time_zone: model.timeZone,
          layers: model.layers.map((l) => ({
            name: l.name,
            anchor: l.anchor,
            interval_unit: l.interval.unit,
            interval_count: l.interval.count,
            participants: l.participants.map(id),
            restrictions: l.restrictions,
          })),
        },
      });
      // Overrides straight into their table: the verb would rebuild the schedule's preview 2,000 times.
      await client.db.insert(scheduleOverrides).values(
        model.overrides.map((o) => ({
          scheduleId: stored.id,
          kind: o.kind,
          userId: id(o.userId),
          replacesUserId: o.replaces && id(o.replaces),
          startsAt: o.start,
          endsAt: o.end,
        })),
      );
    }
    const answer = await whoIsOnCall({ ctx, input: { at: randomInstant().toISOString() } });
    if (answer.schedules.length !== 100) throw new Error(`whoIsOnCall answered ${answer.schedules.length} schedules`);
    header();
    await measure("whoIsOnCall (GET /api/v1/oncall's verb, with its database reads)", verbRounds, (at) =>
      whoIsOnCall({ ctx, input: { at: at.toISOString() } }),
    );
    // Where the rest of the verb's time goes: its reads, without the on-call functions.
    await measure("its reads alone, uncached (loadScheduleModels, peopleFacts)", verbRounds, async (at) => {
      const loaded = await loadScheduleModels(client.db, null, at);
      // About as many people as the verb asks about: one a schedule.
      await peopleFacts(
        client.db,
        loaded.map((s) => s.model.layers[0]!.participants[0]!),
      );
    });
  } finally {
    await client.close();
  }
}

await runBenchmark(async () => {
  header();
  await measure("onCallAt (who, now)", rounds, eachSchedule(onCallAt));
  await measure(
    "onCallUntil (who, and until when)",
    rounds,
    eachSchedule((s, at) => onCallUntil(s, at)),
  );
  if (args.verb) await measureVerb();
});
