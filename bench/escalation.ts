// Benchmark: 1,000 incidents escalating at once. The production build (`next start`) and the worker run
// against the loopback fakes (SMS, SMTP). 50 people (a step names at most 50 targets) with SMS and email (high urgency, at once) take turns
// in a two-step policy (round robin each step, a minute between the steps); 1,000 Alertmanager webhooks,
// each a new alert group, open 1,000 P1 incidents as fast as 32 connections carry them. Nobody
// acknowledges. For every page the benchmark reads from the database when it was due (the incident's run
// start plus the step's place in the policy plus the person's rule delay) and when the vendor accepted it,
// and checks at the fakes that each (incident, step, person, method) arrived exactly once.
//
//   npm run build
//   node --import tsx bench/escalation.ts [--incidents 1000] [--people 50] [--connections 32]
//
// DATABASE_URL names the PostgreSQL server to use (a database vigil_bench_<pid> is created on it and
// dropped afterwards); without it an embedded PostgreSQL is started in a temporary directory.
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabaseClient } from "@/db/client";
import { freePort } from "@/db/embedded-postgres";
import { startAllFakes } from "@/e2e/fakes";
import { systemActor } from "@/lib/context";
import { addContactMethod, addNotificationRule, addPerson } from "@/lib/oncall/people";
import { createPolicy } from "@/lib/oncall/policies";
import { alert, webhook } from "@/test/alertmanager";
import {
  appEnv,
  createBenchDatabaseWithToken,
  ensureResultsDir,
  exited,
  fileStamp,
  fmt,
  onCleanup,
  percentiles,
  positiveInt,
  readBuild,
  resultsDir,
  root,
  runBenchmark,
  say,
  sleep,
  startDetached,
  startWebServer,
  tailOf,
  warnIfRebuilt,
} from "./support";

const usage = `node --import tsx bench/escalation.ts [--incidents 1000] [--people 50] [--connections 32]
    [--step-delay 1]   minutes between the two steps
    [--keep-db]        keep the bench database afterwards`;

const { values: args } = parseArgs({
  options: {
    incidents: { type: "string", default: "1000" },
    people: { type: "string", default: "50" },
    connections: { type: "string", default: "32" },
    "step-delay": { type: "string", default: "1" },
    "keep-db": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const incidentCount = positiveInt("incidents", args.incidents);
const peopleCount = positiveInt("people", args.people);
const connections = positiveInt("connections", args.connections);
const stepDelayMinutes = positiveInt("step-delay", args["step-delay"]);

function post(agent: http.Agent, url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

interface PageFacts {
  incident: number;
  step: number;
  method: string;
  address: string;
  status: string;
  /** Sent after it was due. */
  late_ms: number | null;
  /** Sent after bundling released it: due, and a minute after the recipient's previous message by that method. */
  held_late_ms: number | null;
}

runBenchmark(async () => {
  const build = readBuild();
  if (!build) throw new Error("no production build: run `npm run build` first");
  warnIfRebuilt(build);
  ensureResultsDir();
  const stamp = fileStamp(new Date());

  const { bench, token } = await createBenchDatabaseWithToken({ keep: args["keep-db"] });
  const setup = createDatabaseClient(bench.url, { max: 4, applicationName: "vigil-bench-setup" });
  onCleanup(() => setup.close());
  const ctx = { db: setup.db, actor: systemActor("bench"), now: new Date() };

  say(`Adding ${peopleCount} people with SMS and email and a two-step round-robin default policy…`);
  const people: string[] = [];
  for (let i = 0; i < peopleCount; i++) {
    const person = await addPerson({
      ctx,
      input: { name: `Responder ${i}`, email: `responder${i}@bench.example` },
    });
    for (const [kind, value] of [
      ["sms", `+1555${String(1_000_000 + i).slice(-7)}`],
      ["email", `responder${i}@bench.example`],
    ] as const) {
      const after = await addContactMethod({ ctx, input: { id: person.id, kind, value } });
      const method = after.contact_methods.find((m) => m.kind === kind)!;
      await addNotificationRule({
        ctx,
        input: { id: person.id, contact_method_id: method.id, urgency: "high", delay_minutes: 0 },
      });
    }
    people.push(person.id);
  }
  const everyone = people.map((user_id) => ({ type: "user" as const, user_id }));
  await createPolicy({
    ctx,
    input: {
      name: "Bench",
      is_default: true,
      steps: [
        { delay_minutes: stepDelayMinutes, targets: everyone, delivery: "round_robin" },
        { delay_minutes: stepDelayMinutes, targets: everyone, delivery: "round_robin" },
      ],
    },
  });

  const fakes = await startAllFakes();
  onCleanup(() => fakes.close());
  const port = await freePort();
  const env = appEnv(bench.url, port, {
    ...fakes.env,
    VIGIL_CONFIG: path.join(resultsDir, "no-such-routing-file.yaml"),
    WORKER_METRICS_PORT: "0",
    // Only the pages: the channel messages of the built-in routing are another benchmark's (notify.ts).
    SLACK_BOT_TOKEN: "",
    PAGERDUTY_ROUTING_KEY: "",
    ALERT_EMAIL_TO: "",
    SMS_TO: "",
  });
  const serverLog = path.join(resultsDir, `escalation-${stamp}.server.log`);
  const workerLog = path.join(resultsDir, `escalation-${stamp}.worker.log`);
  await startWebServer({ port, env, logFile: serverLog });
  const worker = startDetached(
    process.execPath,
    ["--import", "tsx", path.join(root, "worker/index.ts")],
    env,
    workerLog,
  );

  // 1. Open the incidents: one webhook per new alert group, P1 (severity "page").
  const url = `http://127.0.0.1:${port}/api/v1/webhooks/alertmanager`;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  say(`Opening ${fmt(incidentCount)} incidents over ${connections} connections…`);
  const openedAt = Date.now();
  let next = 0;
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < incidentCount) {
        const i = next++;
        const labels = { alertname: `Escalation${i}`, service: `svc-${i % 50}`, severity: "page" };
        const groupKey = `{}:{alertname="Escalation${i}"}`;
        const body = JSON.stringify(
          webhook(groupKey, [
            alert({ labels, annotations: { summary: `Escalating ${i}` }, startsAt: new Date().toISOString() }),
          ]),
        );
        statuses.push(await post(agent, url, headers, body));
      }
    }),
  );
  agent.destroy();
  const failed = statuses.filter((s) => s !== 200).length;
  say(`  ${fmt(incidentCount - failed)} accepted in ${fmt(Date.now() - openedAt)} ms; ${failed} refused`);

  // 2. Wait for both steps' pages to be sent (step 2 is due a step delay after each run started).
  const expected = incidentCount * 2 * 2; // incidents × steps × (SMS + email)
  const deadline = Date.now() + (stepDelayMinutes * 2 + 3) * 60_000;
  for (;;) {
    if (exited(worker)) throw new Error(`the worker exited; see ${workerLog}\n${tailOf(worker)}`);
    const [row] = await setup.sql<{ sent: number; pending: number }[]>`
      select count(*) filter (where status = 'sent')::int as sent,
             count(*) filter (where status in ('pending', 'sending'))::int as pending from pages`;
    say(`  pages sent ${fmt(row!.sent)} of ${fmt(expected)} (${fmt(row!.pending)} waiting)`);
    if (row!.sent >= expected || Date.now() > deadline) break;
    await sleep(5000);
  }

  // 3. Lateness: sent_at against when the page was due (run start + the step's place + the rule's delay),
  // and against when bundling let it go (at most one message per method per minute per person).
  const pages = await setup.sql<PageFacts[]>`
    with due as (
      select p.*, e.started_at + make_interval(mins => p.step * ${stepDelayMinutes})
               + make_interval(mins => p.rule_delay_minutes) as due
        from pages p join escalations e on e.id = p.escalation_id),
    messages as (select distinct user_id, method, sent_at from pages where status = 'sent')
    select i.number as incident, d.step + 1 as step, d.method::text, d.address, d.status::text,
           extract(epoch from (d.sent_at - d.due)) * 1000 as late_ms,
           extract(epoch from (d.sent_at - greatest(d.due, (
             select max(m.sent_at) + interval '60 seconds' from messages m
              where m.user_id = d.user_id and m.method = d.method and m.sent_at < d.sent_at)))) * 1000 as held_late_ms
      from due d join incidents i on i.id = d.incident_id`;
  for (const step of [1, 2]) {
    const ofStep = pages.filter((p) => p.step === step && p.late_ms !== null);
    const q = percentiles(ofStep.map((p) => Number(p.late_ms)));
    const h = percentiles(ofStep.map((p) => Number(p.held_late_ms)));
    say(
      `Step ${step}: ${fmt(ofStep.length)} pages sent. After their due time: p50 ${fmt(q.p50)} ms, p90 ${fmt(q.p90)} ms, p99 ${fmt(q.p99)} ms, max ${fmt(q.max)} ms. After bundling released them: p50 ${fmt(h.p50)} ms, p90 ${fmt(h.p90)} ms, p99 ${fmt(h.p99)} ms, max ${fmt(h.max)} ms`,
    );
  }

  // 4. Exactly once: each incident's ref appears once per step in what each person received, by each method.
  const perIncidentStep = new Map<string, number>();
  for (const p of pages) {
    const key = `${p.incident}:${p.step}:${p.method}`;
    perIncidentStep.set(key, (perIncidentStep.get(key) ?? 0) + 1);
  }
  const doubledRows = [...perIncidentStep.values()].filter((n) => n > 1).length;
  const missingRows = incidentCount * 4 - perIncidentStep.size;
  // Messages naming each incident, per method (a bundle names several; a message counts once per incident;
  // an email by its text, since a long subject is clipped mid-reference).
  const received = new Map<string, number>();
  const seenIn = new Map<string, string[]>();
  const count = (method: string, text: string, where: string) => {
    for (const ref of new Set(text.match(/INC-\d+/g) ?? [])) {
      const key = `${method}:${ref}`;
      received.set(key, (received.get(key) ?? 0) + 1);
      seenIn.set(key, [...(seenIn.get(key) ?? []), where]);
    }
  };
  for (const m of fakes.sms.messages()) count("sms", m.body, `SMS to ${m.to} at ${m.date_created}`);
  for (const m of fakes.smtp.received) count("email", m.text, `email to ${m.to.join(",")} (${m.messageId})`);
  let lost = 0;
  let doubled = 0;
  for (const ref of new Set(pages.map((p) => `INC-${p.incident}`)))
    for (const method of ["sms", "email"]) {
      // Two steps: each incident is in exactly two messages of each method.
      const n = received.get(`${method}:${ref}`) ?? 0;
      if (n < 2) lost += 2 - n;
      if (n > 2) {
        if (doubled === 0) say(`  e.g. ${method} ${ref} in: ${seenIn.get(`${method}:${ref}`)!.join("; ")}`);
        doubled += n - 2;
      }
    }
  say(
    `Pages: ${fmt(pages.length)} rows (${doubledRows} doubled, ${missingRows} missing); at the fakes ${fmt(fakes.sms.messages().length)} SMS and ${fmt(fakes.smtp.received.length)} emails; pages lost ${lost}, doubled ${doubled}`,
  );
});
