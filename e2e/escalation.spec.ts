// On-call end to end, as a team would set it up: an admin adds two people with their contact methods,
// builds the rotation in the schedule's form and a policy that pages it, and checks the preview; an alert
// fires through the real Alertmanager (an integration that feeds the policy); the person on call gets the
// page by SMS and email at the loopback fakes, the incident's timeline tells it, and she acknowledges from
// the link in the email — which stops the escalation before its second step.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { freePort } from "@/db/embedded-postgres";
import { fakeControl, type SmsReceived, type SmtpReceived } from "./fakes";
import {
  ALERTMANAGER,
  MISSING_BINARIES,
  runBinary,
  stopBinaries,
  waitForReady,
  writeAlertmanagerConfig,
} from "./support/alerting";
import { expectNoSeriousAxeViolations } from "./support/axe";
import { requireChromium } from "./support/browser";
import { currentWorkerPid, startWorker } from "./support/processes";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";

test.describe.configure({ mode: "serial", timeout: 180_000 });
test.skip(!existsSync(ALERTMANAGER), MISSING_BINARIES);
test.beforeEach(() => requireChromium());

const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
const run = Date.now();
let tmp: string | undefined;
let alertmanager: ChildProcess | undefined;

test.afterAll(async () => {
  await stopBinaries([alertmanager]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function post<T>(request: APIRequestContext, url: string, data: unknown): Promise<T> {
  const res = await request.post(url, { headers: auth, data });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as T;
}

async function timelineTexts(request: APIRequestContext, ref: string): Promise<string[]> {
  const res = await request.get(`/api/v1/incidents/${ref}/timeline?order=asc`, { headers: auth });
  return ((await res.json()).data as { text: string }[]).map((e) => e.text);
}

interface Person {
  id: string;
  name: string;
  email: string;
  phone: string;
}

/** A responder with an email and an SMS number, both paged at once for high urgency. */
async function personWithMethods(request: APIRequestContext, name: string, phone: string): Promise<Person> {
  const email = `${name.toLowerCase()}-${run}@example.com`;
  const person = await post<{ id: string; name: string }>(request, "/api/v1/people", { name: `${name} ${run}`, email });
  for (const [kind, value] of [
    ["email", email],
    ["sms", phone],
  ] as const) {
    const after = await post<{ contact_methods: { id: string; kind: string }[] }>(
      request,
      `/api/v1/people/${person.id}/contact-methods`,
      { kind, value },
    );
    const method = after.contact_methods.find((m) => m.kind === kind)!;
    await post(request, `/api/v1/people/${person.id}/notification-rules`, {
      contact_method_id: method.id,
      urgency: "high",
      delay_minutes: 0,
    });
  }
  return { id: person.id, name: person.name, email, phone };
}

test("alice sets up on-call, an alert pages the person on call, who acknowledges from the email's link", async ({
  page,
  request,
}) => {
  const state = readE2eState();
  const sms = fakeControl<SmsReceived>(state.fakes.sms);
  const smtp = fakeControl<SmtpReceived>(state.fakes.smtp);
  const pia = await personWithMethods(request, "Pia", `+1555${String(run).slice(-7)}`);
  const quinn = await personWithMethods(request, "Quinn", `+1556${String(run).slice(-7)}`);

  // The schedule's rotation, made in its form: Pia this week (anchored yesterday), Quinn the next.
  const schedule = await post<{ id: string }>(request, "/api/v1/schedules", {
    name: `Checkout primary ${run}`,
    time_zone: "UTC",
  });
  await signInAs(page, "alice", `/oncall/schedules/${schedule.id}`);
  const layer = page.getByRole("form", { name: "New layer" });
  await layer.getByLabel("Layer name").fill("Weekly");
  await layer
    .getByLabel("Anchor (schedule's wall clock)")
    .fill(`${new Date(run - 86_400_000).toISOString().slice(0, 10)}T00:00`);
  await layer.getByLabel("Unit").selectOption("weeks");
  await layer.getByLabel(pia.name).check();
  await layer.getByLabel(quinn.name).check();
  await layer.getByRole("button", { name: "Add layer" }).click();
  await expect(page.getByTestId("layer-row").filter({ hasText: "Weekly" })).toBeVisible();

  // The policy: the schedule, then Quinn after a minute; its preview names Pia now, Quinn a minute later.
  const policyName = `Checkout paging ${run}`;
  const policy = await post<{ id: string }>(request, "/api/v1/escalation-policies", {
    name: policyName,
    steps: [
      { delay_minutes: 1, targets: [{ type: "schedule", schedule_id: schedule.id }] },
      { delay_minutes: 1, targets: [{ type: "user", user_id: quinn.id }] },
    ],
  });
  await page.goto(`/oncall/policies/${policy.id}`);
  await page.getByRole("form", { name: "Preview" }).getByRole("button", { name: "Preview" }).click();
  const previewed = page.getByTestId("preview-page");
  await expect(previewed.nth(0)).toContainText(`step 1 pages ${pia.name}`);
  await expect(previewed.nth(1)).toContainText(`step 2 pages ${quinn.name}`);

  // Alertmanager, as shipped, sending with the secret of an integration that feeds the policy.
  const integration = await post<{ secret: string }>(request, "/api/v1/integrations", {
    kind: "alertmanager",
    name: `Checkout Alertmanager ${run}`,
    escalation_policy: policyName,
  });
  tmp = mkdtempSync(path.join(os.tmpdir(), "vigil-escalation-"));
  const amPort = await freePort();
  const alertmanagerUrl = `http://127.0.0.1:${amPort}`;
  alertmanager = runBinary("alertmanager-escalation", ALERTMANAGER, [
    `--config.file=${writeAlertmanagerConfig({
      dir: tmp,
      state,
      vigilToken: integration.secret,
      pagerDutyRoutingKey: "0123456789abcdef0123456789abcdef",
      route: { group_wait: "1s", group_interval: "2s", repeat_interval: "1h" },
    })}`,
    `--storage.path=${path.join(tmp, "data")}`,
    `--web.listen-address=127.0.0.1:${amPort}`,
    "--cluster.listen-address=",
  ]);
  await waitForReady(`${alertmanagerUrl}/-/ready`);

  const alertname = "CheckoutLatencyBurn";
  const service = `checkout-${run}`;
  const fired = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify([
      {
        labels: { alertname, service, severity: "page" },
        annotations: { summary: "Checkout p99 latency is burning the error budget" },
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    ]),
  });
  expect(fired.ok).toBe(true);

  const find = async () =>
    (await (await request.get(`/api/v1/incidents?service=${service}&limit=5`, { headers: auth })).json()).data as {
      ref: string;
      status: string;
    }[];
  await expect.poll(async () => (await find()).length, { timeout: 60_000, intervals: [1000] }).toBe(1);
  const [incident] = await find();

  // Step 1 pages Pia by SMS and by email; each carries a one-time acknowledge link.
  await expect
    .poll(async () => (await sms.received()).filter((m) => m.to === pia.phone).length, { timeout: 30_000 })
    .toBe(1);
  await expect
    .poll(async () => (await smtp.received()).filter((m) => m.envelope.rcptTo.includes(pia.email)).length, {
      timeout: 30_000,
    })
    .toBe(1);
  const [mail] = (await smtp.received()).filter((m) => m.envelope.rcptTo.includes(pia.email));
  expect(mail!.text).toContain(incident!.ref);
  const link = /https?:\/\/\S+\/ack\/[A-Za-z0-9_-]+/.exec(mail!.text)?.[0];
  expect(link, mail!.text).toBeTruthy();

  // The incident page tells it.
  await page.goto(`/incidents/${incident!.ref}`);
  await expect(page.getByText(new RegExp(`Paged ${pia.name}.*SMS`)).first()).toBeVisible();

  // Opening the link shows a confirm page and acknowledges nothing; its button does.
  await page.goto(new URL(new URL(link!).pathname, state.appUrl).toString());
  const confirm = page.getByRole("button", { name: `Acknowledge ${incident!.ref}` });
  await expect(confirm).toBeVisible();
  await expectNoSeriousAxeViolations(page, "acknowledge link page");
  expect((await find())[0]!.status).toBe("open");
  await confirm.click();
  await expect(page.getByText(/acknowledged/i).first()).toBeVisible();
  await expect.poll(async () => (await find())[0]!.status).toBe("acknowledged");

  // The escalation stopped: the timeline says so, and Quinn is never paged.
  await expect
    .poll(() => timelineTexts(request, incident!.ref), { timeout: 30_000 })
    .toContainEqual(expect.stringMatching(/Escalation stopped: acknowledged by Pia/));
  expect((await sms.received()).filter((m) => m.to === quinn.phone)).toEqual([]);
});

test("a worker killed between two steps pages the second step once, and the first never again", async ({ request }) => {
  const { fakes, workerEnv } = readE2eState();
  const sms = fakeControl<SmsReceived>(fakes.sms);
  const rae = await personWithMethods(request, "Rae", `+1557${String(run).slice(-7)}`);
  const sam = await personWithMethods(request, "Sam", `+1558${String(run).slice(-7)}`);
  const policyName = `Crash paging ${run}`;
  await post(request, "/api/v1/escalation-policies", {
    name: policyName,
    steps: [
      { delay_minutes: 1, targets: [{ type: "user", user_id: rae.id }] },
      { delay_minutes: 1, targets: [{ type: "user", user_id: sam.id }] },
    ],
  });
  const integration = await post<{ secret: string }>(request, "/api/v1/integrations", {
    kind: "alertmanager",
    name: `Crash Alertmanager ${run}`,
    escalation_policy: policyName,
  });
  const labels = { alertname: "QueueStuck", service: `queue-${run}`, severity: "page" };
  const fired = await request.post("/api/v1/webhooks/alertmanager", {
    headers: { authorization: `Bearer ${integration.secret}` },
    data: {
      version: "4",
      groupKey: `{}:{alertname="QueueStuck", service="queue-${run}"}`,
      status: "firing",
      receiver: "vigil",
      groupLabels: labels,
      commonLabels: labels,
      commonAnnotations: { summary: "The queue has not moved" },
      externalURL: "http://alertmanager.example",
      alerts: [
        {
          status: "firing",
          labels,
          annotations: { summary: "The queue has not moved" },
          startsAt: new Date().toISOString(),
        },
      ],
    },
  });
  expect(fired.status(), await fired.text()).toBe(200);
  const smsTo = async (phone: string) => (await sms.received()).filter((m) => m.to === phone && m.body);
  await expect.poll(async () => (await smsTo(rae.phone)).length, { timeout: 30_000 }).toBe(1);
  // Between the steps means after step 1's pages are recorded as sent: the fake records the SMS before the
  // worker commits "sent", and a send killed in that gap is re-sent by design (docs/oncall.md).
  const incidents = await request.get(`/api/v1/incidents?service=queue-${run}&limit=5`, { headers: auth });
  const [incident] = (await incidents.json()).data as { ref: string }[];
  const pagedRae = async () =>
    (await timelineTexts(request, incident!.ref)).filter((text) => text.startsWith(`Paged ${rae.name} by`));
  await expect.poll(pagedRae, { timeout: 30_000 }).toHaveLength(2); // by SMS and by email

  // Step 2 is due a minute after step 1: the worker dies in between, and another takes over.
  process.kill(-currentWorkerPid(), "SIGKILL");
  startWorker(workerEnv);
  await expect.poll(async () => (await smsTo(sam.phone)).length, { timeout: 120_000, intervals: [1000] }).toBe(1);
  await new Promise((r) => setTimeout(r, 3000));
  expect(await smsTo(sam.phone)).toHaveLength(1);
  expect(await smsTo(rae.phone)).toHaveLength(1);
});
