// Benchmark: the CPU one new incident costs the ingestion verb itself, in this process, with no HTTP and
// no Next.js: `ingestAlertmanagerPayload` called directly, each call a new alert group of one critical
// alert (as bench/notify.ts sends them), with the built-in routing's notification settings. Set beside the
// web server's CPU per webhook in bench/notify.ts, it tells how much of that is the verb and how much the
// request around it. See bench/README.md.
//
// With --alerts N (> 1), an alert storm as the issue's goal has it: every delivery N alerts never seen
// before, alternately a new group and N new alerts joining a group opened earlier (still open); the CPU is
// then given per alert too.
//
// With --resends, the mixed workload's common case instead: 500 groups of --alerts alerts are opened,
// then their same deliveries come again (Alertmanager's repeat_interval), --incidents of them, each
// changing no incident.
//
//   node --import tsx bench/ingest-verb.ts [--incidents 3000] [--concurrency 8] [--alerts 1] [--resends]
//
// DATABASE_URL names the PostgreSQL server to use (a database vigil_bench_<pid> is created on it and
// dropped afterwards); without it an embedded PostgreSQL is started in a temporary directory.
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@/db/client";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { systemActor } from "@/lib/context";
import { loadConfig } from "@/lib/env";
import { notificationSettingsFrom } from "@/lib/notifications/settings";
import { alert, webhook } from "@/test/alertmanager";
import { createBenchDatabase, positiveInt, runBenchmark, say } from "./support";

const { values: args } = parseArgs({
  options: {
    incidents: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "8" },
    alerts: { type: "string", default: "1" },
    resends: { type: "boolean", default: false },
  },
});
const incidents = positiveInt("incidents", args.incidents);
const concurrency = positiveInt("concurrency", args.concurrency);
const alertsPerDelivery = positiveInt("alerts", args.alerts);
const resends = args.resends;
const RESENT_GROUPS = 500;

await runBenchmark(async () => {
  const bench = await createBenchDatabase({ keep: false });
  const client = createDatabaseClient(bench.url, { max: 10, applicationName: "vigil-bench" });
  try {
    // The web server's settings with Slack configured and no routing file: the built-in routing applies.
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: bench.url,
      SLACK_BOT_TOKEN: "xoxb-bench",
      VIGIL_CONFIG: "/nonexistent/vigil.config.yaml",
    });
    const settings = {
      reopenWindowMs: config.reopenWindowMs,
      ...config.alerts,
      notifications: notificationSettingsFrom(config),
    };
    let sent = 0;
    const joined = new Map<number, number>(); // group -> alerts it has
    const bodyOf = (group: number, first: number) =>
      webhook(
        `{}:{alertname="HighLatency", n="${group}"}`,
        Array.from({ length: alertsPerDelivery }, (_, i) =>
          alert({
            labels: {
              alertname: "HighLatency",
              // A joining alert may be more severe: the incident's severity rises.
              severity: first > 0 && i === 0 ? "critical" : alertsPerDelivery > 1 ? "warning" : "critical",
              service: "api",
              n: String(group),
              ...(alertsPerDelivery > 1 ? { instance: `i-${first + i}` } : {}),
            },
            annotations: { summary: "slow" },
          }),
        ),
      );
    // A parsed body, as the route hands it over.
    const deliver = (body: unknown) =>
      ingestAlertmanagerPayload({
        ctx: { db: client.db, actor: systemActor("bench"), now: new Date() },
        input: JSON.parse(JSON.stringify(body)),
        settings,
      });
    const resentBodies = Array.from({ length: RESENT_GROUPS }, (_, group) => bodyOf(group, 0));
    const newIncident = () => {
      const n = ++sent;
      if (resends) return deliver(resentBodies[n % RESENT_GROUPS]);
      // In a storm, every other delivery brings new alerts to the group opened two deliveries before.
      const group = alertsPerDelivery > 1 && n % 2 === 0 ? n - 1 : n;
      const first = joined.get(group) ?? 0;
      joined.set(group, first + alertsPerDelivery);
      return deliver(bodyOf(group, first));
    };
    const run = async (count: number) => {
      let left = count;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (left-- > 0) await newIncident();
        }),
      );
    };
    say(resends ? `Opening ${RESENT_GROUPS} groups (warm-up)…` : `Warming up: 500 new incidents…`);
    await run(resends ? RESENT_GROUPS : 500);
    say(`Measuring: ${incidents} ${resends ? "re-sent deliveries" : "new incidents"}, ${concurrency} at a time…`);
    const before = process.cpuUsage();
    const started = performance.now();
    await run(incidents);
    const used = process.cpuUsage(before);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${incidents} ${resends ? `re-sent deliveries of ${alertsPerDelivery} alerts` : alertsPerDelivery > 1 ? `deliveries of ${alertsPerDelivery} new alerts` : "new incidents"}: ` +
        `${((used.user + used.system) / incidents / 1000).toFixed(2)} ms of this process's CPU each ` +
        `(user ${(used.user / incidents / 1000).toFixed(2)}, system ${(used.system / incidents / 1000).toFixed(2)}), ${(incidents / seconds).toFixed(0)}/s` +
        (alertsPerDelivery > 1
          ? `; per alert ${((used.user + used.system) / incidents / alertsPerDelivery / 1000).toFixed(3)} ms, ${((incidents * alertsPerDelivery) / seconds).toFixed(0)} alerts/s`
          : ""),
    );
  } finally {
    await client.close();
  }
});
