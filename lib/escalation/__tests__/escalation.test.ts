// The escalation engine on real PostgreSQL with the loopback fakes (SMS, the SMTP receiver, Slack): a
// P1 pages step 1's on-call person, nobody acknowledges, step 2 pages the next; acknowledging stops the
// rest from any door; an empty step is skipped at once; re-run jobs page once.
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import * as interactionsRoute from "@/app/api/slack/interactions/route";
import { pages } from "@/db/schema";
import * as webhookRoute from "@/app/api/v1/integrations/webhook/route";
import { createIntegration } from "@/lib/intake/integrations";
import { createPolicy } from "@/lib/oncall/policies";
import { call } from "@/test/runtime";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { runDueStep } from "@/lib/escalation/due-step";
import { slackActorOf } from "@/lib/slack-bot/identity";
import { users } from "@/db/schema";
import { admin, ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { defaultPolicy, engineLines, pagedPerson, pagesOf, runOf, scheduleOf, stepIsDue } from "@/test/escalation";
import { drainJobs } from "@/test/jobs";
import { incidentFromAlert, useNotificationFakes } from "@/test/notifications";
import { blockActionPayload, FORM, interactionBody, postSigned, settle } from "@/test/slack";

// The Slack door answers at once and does the work in after(): kept here to await it.
const deferred = vi.hoisted(() => [] as Promise<unknown>[]);
vi.mock("next/server", async (actual) => ({
  ...(await actual<typeof import("next/server")>()),
  after: (work: Promise<unknown>) => void deferred.push(work),
}));

const t = useTestDatabase();
const fakes = useNotificationFakes(t);

const p1 = () =>
  incidentFromAlert(t, { alertname: "CheckoutDown", service: "checkout", severity: "page" }, "Checkout down");
const smsTo = (phone: string) => fakes.sms.messages().filter((m) => m.to === phone);
const mailTo = (email: string) => fakes.smtp.received.filter((m) => m.envelope.rcptTo.includes(email));
const ACK_LINK = /Acknowledge: (https:\/\/vigil\.example\.com\/ack\/[\w-]+)/;

/** Bob on call in step 1 (a schedule), Carol in step 2, fifteen minutes apart. */
async function twoStepPolicy(label: string) {
  const bob = await pagedPerson(t, "Bob Responder");
  const carol = await pagedPerson(t, "Carol Backup");
  const schedule = await scheduleOf(t, `${label} on-call`, [bob.id]);
  await defaultPolicy(t, label, [
    { delay_minutes: 15, targets: [{ type: "schedule", schedule_id: schedule }], delivery: "everyone" },
    { delay_minutes: 15, targets: [{ type: "user", user_id: carol.id }], delivery: "everyone" },
  ]);
  return { bob, carol };
}

describe("an incident that nobody acknowledges", () => {
  it("pages step 1's on-call person by SMS and email with an ack link, then step 2's at its delay", async () => {
    const { bob, carol } = await twoStepPolicy("primary");
    const incident = await p1();
    await drainJobs(t);

    const [sms] = smsTo(bob.phone);
    expect(smsTo(bob.phone)).toHaveLength(1);
    expect(sms!.body).toContain(`P1 ${incident.ref}`);
    expect(sms!.body).toMatch(ACK_LINK);
    const [mail] = mailTo(bob.email);
    expect(mailTo(bob.email)).toHaveLength(1);
    expect(mail!.subject).toBe(`[P1] ${incident.ref}: Checkout down`);
    expect(mail!.text).toMatch(ACK_LINK);
    expect(smsTo(carol.phone)).toEqual([]);

    const run = await runOf(t, incident.id);
    expect(run).toMatchObject({ state: "active", step: 1, pass: 0, urgency: "high", policySource: "default" });
    expect(run.nextStepAt!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);

    await stepIsDue(t, run.id);
    await drainJobs(t);
    expect(smsTo(carol.phone)).toHaveLength(1);
    expect(mailTo(carol.email)).toHaveLength(1);
    expect(smsTo(bob.phone)).toHaveLength(1);

    const lines = await engineLines(t, incident.id);
    expect(lines).toEqual(
      expect.arrayContaining([
        "Escalation started: “primary” (the default policy), high urgency",
        "Step 1 of “primary”: paging Bob Responder by SMS and email now",
        "Paged Bob Responder by SMS (step 1, primary on-call)",
        "Paged Bob Responder by email (step 1, primary on-call)",
        "Nobody acknowledged in 15 min: escalating to step 2",
        "Step 2 of “primary”: paging Carol Backup by SMS and email now",
        "Paged Carol Backup by SMS (step 2)",
      ]),
    );

    // After the last step's delay, the policy is exhausted and says so.
    await stepIsDue(t, run.id);
    await drainJobs(t);
    expect((await runOf(t, incident.id)).state).toBe("exhausted");
    expect((await engineLines(t, incident.id)).at(-1)).toBe(
      "Escalation exhausted: every step of “primary” ran and nobody acknowledged",
    );
  });

  it("follows the policy of the integration that opened the incident, before the default", async () => {
    await twoStepPolicy("the default");
    const olga = await pagedPerson(t, "Olga Backups", [{ kind: "sms" }]);
    await createPolicy({
      ctx: ctxOf(t.db, admin),
      input: { name: "Backups", steps: [{ delay_minutes: 5, targets: [{ type: "user", user_id: olga.id }] }] },
    });
    const hook = await createIntegration({
      ctx: ctxOf(t.db, admin),
      input: { kind: "webhook", name: "cron", escalation_policy: "Backups" },
    });
    const res = await call(webhookRoute.POST, "POST", "/api/v1/integrations/webhook", {
      token: hook.secret,
      body: { dedup_key: "backup-db1", status: "firing", title: "Backup failed", severity: "critical" },
    });
    expect(res.status).toBe(202);
    await drainJobs(t);
    expect(smsTo(olga.phone)).toHaveLength(1);
    const [row] = await t.sql<
      { incident_id: string }[]
    >`select incident_id from escalations where policy_name = 'Backups'`;
    expect(await engineLines(t, row!.incident_id)).toContainEqual(
      expect.stringMatching(/^Escalation started: “Backups” \(from integration “cron”\)/),
    );
  });

  it("skips a step that reaches nobody at once, saying so", async () => {
    const dana = await pagedPerson(t, "Dana Second");
    const empty = await scheduleOf(t, "empty rota", []);
    await defaultPolicy(t, "skipping", [
      { delay_minutes: 10, targets: [{ type: "schedule", schedule_id: empty }], delivery: "everyone" },
      { delay_minutes: 10, targets: [{ type: "user", user_id: dana.id }], delivery: "everyone" },
    ]);
    const incident = await p1();
    await drainJobs(t);
    expect(smsTo(dana.phone)).toHaveLength(1);
    const lines = await engineLines(t, incident.id);
    expect(lines).toContain("Step 1: Nobody to page: 1 schedule with nobody on call; skipped at once");
    expect(lines).toContain("Step 2 of “skipping”: paging Dana Second by SMS and email now");
  });
});

describe("an acknowledgement", () => {
  async function acknowledgedAfterStep1(acknowledge: (ref: string, bobId: string) => Promise<unknown>) {
    const { bob, carol } = await twoStepPolicy(`ack ${crypto.randomUUID().slice(0, 8)}`);
    const incident = await p1();
    await drainJobs(t);
    expect(smsTo(bob.phone)).toHaveLength(1);
    await acknowledge(incident.ref, bob.id);
    await drainJobs(t);
    const run = await runOf(t, incident.id);
    expect(run).toMatchObject({ state: "stopped", nextStepAt: null });
    // Even a step job that fires late pages nobody.
    await stepIsDue(t, run.id);
    await drainJobs(t);
    expect(smsTo(carol.phone)).toEqual([]);
    expect(mailTo(carol.email)).toEqual([]);
    return { incident, lines: await engineLines(t, incident.id) };
  }

  it("in Vigil stops the escalation and says who", async () => {
    const { lines } = await acknowledgedAfterStep1(async (ref, bobId) => {
      await acknowledgeIncident({
        ctx: ctxOf(t.db, { type: "user", userId: bobId, name: "Bob Responder", email: "b@x", role: "responder" }),
        input: { ref },
      });
    });
    expect(lines).toContain("Escalation stopped: acknowledged by Bob Responder in Vigil");
  });

  it("through the API stops it", async () => {
    const { lines } = await acknowledgedAfterStep1((ref) => acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref } }));
    expect(lines).toContain("Escalation stopped: acknowledged by responder bot through the API");
  });

  it("from Slack stops it, and cancels the person's pages still to come", async () => {
    const bob = await pagedPerson(t, "Bob Voice", [{ kind: "sms" }, { kind: "voice", delay: 5 }]);
    await defaultPolicy(t, "voice later", [
      { delay_minutes: 15, targets: [{ type: "user", user_id: bob.id }], delivery: "everyone" },
    ]);
    const incident = await p1();
    await drainJobs(t);
    expect(smsTo(bob.phone)).toHaveLength(1);
    expect(fakes.sms.calls()).toEqual([]);
    const [row] = await t.db.select().from(users).where(eq(users.id, bob.id));
    await acknowledgeIncident({
      ctx: ctxOf(t.db, slackActorOf(row!, "U0BOBSLACK", null)),
      input: { ref: incident.ref },
    });
    await drainJobs(t);
    expect((await pagesOf(t, incident.id)).map((p) => [p.method, p.status])).toEqual([
      ["sms", "sent"],
      ["voice", "cancelled"],
    ]);
    expect(await engineLines(t, incident.id)).toContain("Escalation stopped: acknowledged by Bob Voice from Slack");
  });

  it("by the Acknowledge button of the Slack DM, through the signed door, stops it", async () => {
    const dan = await pagedPerson(t, "Dan Slack", [{ kind: "slack" }]);
    await defaultPolicy(t, "slack dm", [
      { delay_minutes: 15, targets: [{ type: "user", user_id: dan.id }], delivery: "everyone" },
      {
        delay_minutes: 15,
        targets: [{ type: "user", user_id: (await pagedPerson(t, "Eve Later")).id }],
        delivery: "everyone",
      },
    ]);
    const incident = await p1();
    await drainJobs(t);
    const slackUserId = (await pagesOf(t, incident.id)).find((p) => p.method === "slack")!.address;
    await t.db.update(users).set({ slackUserId }).where(eq(users.id, dan.id));
    const [dm] = fakes.slack.messagesIn(slackUserId);
    const payload = blockActionPayload({
      userId: slackUserId,
      actionId: "incident_acknowledge",
      value: incident.id,
      responseUrl: fakes.slack.responseUrl("dm-ack"),
      channelId: slackUserId,
      messageTs: dm!.ts,
    });
    const res = await postSigned(interactionsRoute.POST, "/api/slack/interactions", interactionBody(payload), FORM);
    expect(res.status).toBe(200);
    await settle(deferred);
    await drainJobs(t);
    const run = await runOf(t, incident.id);
    expect(run).toMatchObject({ state: "stopped", nextStepAt: null });
    expect(await engineLines(t, incident.id)).toContain("Escalation stopped: acknowledged by Dan Slack from Slack");
  });

  it("resolving stops everything too", async () => {
    const { incident } = await acknowledgedAfterStep1((ref) =>
      resolveIncident({ ctx: ctxOf(t.db), input: { ref, resolution_note: "fixed" } }),
    );
    expect(await engineLines(t, incident.id)).toContain(
      "Escalation stopped: resolved by responder bot through the API",
    );
  });
});

describe("exactly once", () => {
  it("a step job and a send job run twice page once", async () => {
    const { bob } = await twoStepPolicy("twice");
    const incident = await p1();
    await drainJobs(t);
    const run = await runOf(t, incident.id);
    // The same step again: its position moved on, so this is step 2, not a second step 1.
    expect(await runDueStep(t.db, run.id)).toBe("not-due");
    await drainJobs(t);
    expect(smsTo(bob.phone)).toHaveLength(1);
    // A duplicate send job finds nothing due.
    await t.sql`select graphile_worker.add_job('escalation.send', json_build_object('user_id', ${bob.id}::text, 'method', 'sms', 'address', ''))`;
    await drainJobs(t);
    expect(smsTo(bob.phone)).toHaveLength(1);
    expect((await pagesOf(t, incident.id)).filter((p) => p.userId === bob.id).map((p) => p.attempts)).toEqual([1, 1]);
  });

  it("a worker killed in the middle of step 2 leaves step 1 as it was; step 2 then runs once", async () => {
    const { bob, carol } = await twoStepPolicy("killed between steps");
    const incident = await p1();
    await drainJobs(t);
    const run = await runOf(t, incident.id);
    await stepIsDue(t, run.id);
    // The step's pages, its move and its next job are one transaction: dying before the commit undoes them all.
    await expect(
      t.db.transaction(async (tx) => {
        expect(await runDueStep(tx, run.id)).toBe("ran");
        throw new Error("SIGKILL");
      }),
    ).rejects.toThrow("SIGKILL");
    expect(await runOf(t, incident.id)).toMatchObject({ step: 1, pass: 0, state: "active" });
    expect((await pagesOf(t, incident.id)).filter((p) => p.userId === carol.id)).toEqual([]);
    // graphile-worker runs the job again (a dead worker's jobs are freed): step 2 pages once, step 1 is not repeated.
    await drainJobs(t);
    await runDueStep(t.db, run.id);
    await drainJobs(t);
    expect(smsTo(carol.phone)).toHaveLength(1);
    expect(smsTo(bob.phone)).toHaveLength(1);
    expect((await runOf(t, incident.id)).step).toBe(2);
  });

  it("a send that died after claiming its pages is sent again once its lease runs out (at least once)", async () => {
    const erin = await pagedPerson(t, "Erin Crash", [{ kind: "sms", delay: 1 }]);
    await defaultPolicy(t, "crash", [
      { delay_minutes: 30, targets: [{ type: "user", user_id: erin.id }], delivery: "everyone" },
    ]);
    const incident = await p1();
    await drainJobs(t); // the step writes the page, due in a minute
    const [page] = await pagesOf(t, incident.id);
    expect(page).toMatchObject({ status: "pending", method: "sms" });
    // What a worker SIGKILLed mid-send leaves: the page claimed, its lease run out, nothing recorded.
    await t.db
      .update(pages)
      .set({ status: "sending", attempts: 1, leaseUntil: new Date(Date.now() - 1000), dueAt: new Date() })
      .where(eq(pages.id, page!.id));
    await t.sql`update graphile_worker._private_jobs set run_at = now() where key = ${`page:${erin.id}:sms`}`;
    await drainJobs(t);
    expect(smsTo(erin.phone)).toHaveLength(1);
    expect((await pagesOf(t, incident.id))[0]).toMatchObject({ status: "sent", attempts: 2 });
  });
});

describe("a dead send of an incident acknowledged since", () => {
  it("is cancelled, not sent and not retried for ever", async () => {
    const pia = await pagedPerson(t, "Pia Late", [{ kind: "sms", delay: 1 }]);
    await defaultPolicy(t, "dead send", [
      { delay_minutes: 30, targets: [{ type: "user", user_id: pia.id }], delivery: "everyone" },
    ]);
    const incident = await p1();
    await drainJobs(t);
    const [page] = await pagesOf(t, incident.id);
    await t.db
      .update(pages)
      .set({ status: "sending", attempts: 1, leaseUntil: new Date(Date.now() - 1000) })
      .where(eq(pages.id, page!.id));
    await acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: incident.ref } });
    await t.sql`update graphile_worker._private_jobs set run_at = now() where key = ${`page:${pia.id}:sms`}`;
    await drainJobs(t, { maxRounds: 20 });
    expect(smsTo(pia.phone)).toEqual([]);
    expect((await pagesOf(t, incident.id))[0]).toMatchObject({ status: "cancelled" });
  });
});

describe("bundling", () => {
  it("sends the first page at once and bundles those that follow within the minute into one SMS", async () => {
    const finn = await pagedPerson(t, "Finn Bundle", [{ kind: "sms" }]);
    await defaultPolicy(t, "bundle", [
      { delay_minutes: 30, targets: [{ type: "user", user_id: finn.id }], delivery: "everyone" },
    ]);
    // Page sends run before other jobs (lib/escalation/job-names.ts): the first incident's page leaves
    // before the second incident's run starts, which then waits for the minute mark.
    const first = await p1();
    const second = await p1();
    await drainJobs(t);
    expect(smsTo(finn.phone)).toHaveLength(1);
    expect(smsTo(finn.phone)[0]!.body).toContain(first.ref);
    expect(smsTo(finn.phone)[0]!.body).not.toContain(second.ref);

    const third = await p1();
    await drainJobs(t);
    expect(smsTo(finn.phone)).toHaveLength(1);
    const [job] = await t.sql<
      { run_at: string }[]
    >`select run_at from graphile_worker._private_jobs where key = ${`page:${finn.id}:sms`}`;
    expect(new Date(job!.run_at).getTime() - Date.now()).toBeGreaterThan(50_000);
    await t.sql`update graphile_worker._private_jobs set run_at = now() where key = ${`page:${finn.id}:sms`}`;
    await drainJobs(t);
    expect(smsTo(finn.phone)).toHaveLength(2);
    const bundled = smsTo(finn.phone)[1]!.body;
    expect(bundled).toContain("2 incidents need you");
    expect(bundled).toContain(second.ref);
    expect(bundled).toContain(third.ref);
    expect(bundled.match(/Acknowledge: /g)).toHaveLength(2);
    expect(await engineLines(t, second.id)).toContain(
      `Paged Finn Bundle by SMS (step 1) (in one message with ${third.ref})`,
    );
    expect(await engineLines(t, third.id)).toContain(
      `Paged Finn Bundle by SMS (step 1) (in one message with ${second.ref})`,
    );
    // One page of the message carries it; the other is recorded as bundled into it.
    const [a] = await pagesOf(t, second.id);
    const [b] = await pagesOf(t, third.id);
    const [carrier, rider] = a!.bundledIntoId === null ? [a!, b!] : [b!, a!];
    expect([carrier.bundledIntoId, rider.bundledIntoId]).toEqual([null, carrier.id]);
    expect(rider.sentAt).toEqual(carrier.sentAt);
  });
});
