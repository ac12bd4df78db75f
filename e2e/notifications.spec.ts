// Notifications through the real processes: the web server takes the alert, the worker talks to the
// loopback fakes of PagerDuty and Slack — and survives being killed in the middle of it.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { fakeControl, pagerDutyControl, slackControl, type PagerDutyReceived, type SlackReceived } from "./fakes";
import { requireChromium } from "./support/browser";
import { currentWorkerPid, startWorker } from "./support/processes";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";

test.describe.configure({ mode: "serial", timeout: 120_000 });
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

async function deliveries(request: APIRequestContext, ref: string) {
  return (await (await request.get(`/api/v1/incidents/${ref}/notifications`, { headers: auth })).json()).data as {
    channel: string;
    status: string;
    purpose: string;
    attempts: number;
  }[];
}

test("an alert that opens a P1 reaches PagerDuty and Slack critical, and the ack and the resolution follow", async ({
  request,
}) => {
  const { fakes } = readE2eState();
  const pagerduty = pagerDutyControl(fakes.pagerduty);
  const group = `{}:{alertname="CheckoutDown", run="${Date.now()}"}`;
  const alert = {
    status: "firing",
    labels: { alertname: "CheckoutDown", service: "checkout", severity: "page" },
    annotations: { summary: "Checkout is down" },
    startsAt: new Date().toISOString(),
    endsAt: "0001-01-01T00:00:00Z",
  };
  const summary = await (
    await request.post("/api/v1/webhooks/alertmanager", {
      headers: auth,
      data: {
        version: "4",
        groupKey: group,
        status: "firing",
        alerts: [alert],
        commonLabels: alert.labels,
        commonAnnotations: alert.annotations,
        groupLabels: {},
      },
    })
  ).json();
  const ref: string = summary.incidents.created[0];
  const incident = await (await request.get(`/api/v1/incidents/${ref}`, { headers: auth })).json();

  await expect
    .poll(async () => (await deliveries(request, ref)).map((d) => `${d.channel}:${d.status}`).sort(), {
      timeout: 30_000,
    })
    .toEqual(["pagerduty:sent", "slack:sent"]);
  const triggers = (await fakeControl<PagerDutyReceived>(fakes.pagerduty).received()).filter(
    (r) => (r.body as { dedup_key?: string }).dedup_key === incident.id,
  );
  expect(triggers[0]?.body).toMatchObject({
    event_action: "trigger",
    payload: { summary: `[${ref}] Checkout is down`, severity: "critical", source: "checkout" },
  });
  const cards = await slackControl(fakes.slack).messagesIn("#incidents-critical");
  expect(cards.some((m) => m.text.includes(`${ref}: Checkout is down`))).toBe(true);

  await request.post(`/api/v1/incidents/${ref}/ack`, { headers: auth });
  await request.post(`/api/v1/incidents/${ref}/resolve`, { headers: auth, data: { resolution_note: "Restarted" } });
  await expect
    .poll(async () => (await pagerduty.incidents()).find((i) => i.dedupKey === incident.id)?.status, {
      timeout: 30_000,
    })
    .toBe("resolved");
  const actions = (await pagerduty.events(incident.id)).map((e) => e.event_action);
  expect(actions).toEqual(["trigger", "acknowledge", "resolve"]);
});

test("a worker killed in the middle of a delivery loses nothing and doubles nothing", async ({ request }) => {
  const { fakes, workerEnv } = readE2eState();
  const slack = fakeControl<SlackReceived>(fakes.slack);
  const pagerduty = pagerDutyControl(fakes.pagerduty);
  // Both vendors take the message at once but answer only after 4 s: the worker dies in between.
  await slack.fail({ times: 1, delayMs: 4000, only: "chat.postMessage" });
  await fakeControl(fakes.pagerduty).fail({ times: 1, delayMs: 4000, only: "trigger" });

  const created = await (
    await request.post("/api/v1/incidents", {
      headers: auth,
      data: { title: `Crash test ${Date.now()}`, severity: "P1" },
    })
  ).json();
  const cardsFor = async () =>
    (await slack.received()).filter(
      (r) => r.method === "chat.postMessage" && String(r.params.text ?? "").includes(created.ref),
    );
  await expect.poll(async () => (await cardsFor()).length, { timeout: 20_000 }).toBe(1);
  await expect.poll(async () => (await pagerduty.events(created.id)).length, { timeout: 20_000 }).toBe(1);

  process.kill(-currentWorkerPid(), "SIGKILL");
  startWorker(workerEnv);

  await expect
    .poll(async () => (await deliveries(request, created.ref)).map((d) => `${d.channel}:${d.status}`).sort(), {
      timeout: 90_000,
      intervals: [1000],
    })
    .toEqual(["pagerduty:sent", "slack:sent"]);
  expect(await cardsFor()).toHaveLength(1);
  expect((await pagerduty.incidents()).filter((i) => i.dedupKey === created.id)).toHaveLength(1);
  const timeline = (await (await request.get(`/api/v1/incidents/${created.ref}/timeline`, { headers: auth })).json())
    .data as { kind: string; text: string }[];
  expect(timeline.filter((e) => e.text === "Posted to Slack #incidents-critical")).toHaveLength(1);
});

test.describe("in the browser", () => {
  test.beforeEach(() => requireChromium());

  test("the incident page shows its alerts, the delivery log and the timeline", async ({ page, request }) => {
    const created = await (
      await request.post("/api/v1/incidents", {
        headers: auth,
        data: { title: `Page check ${Date.now()}`, severity: "P2", service: "search" },
      })
    ).json();
    await expect
      .poll(async () => (await deliveries(request, created.ref)).map((d) => d.status), { timeout: 30_000 })
      .toEqual(["sent"]);
    await signInAs(page, "carol", `/incidents/${created.ref}`);
    await expect(page.getByRole("heading", { name: created.title })).toBeVisible();
    await expect(page.getByTestId("notification-row")).toContainText(["slack#incidents-criticalfirst noticesent"]);
    await expect(
      page.getByTestId("timeline-event").filter({ hasText: "Posted to Slack #incidents-critical" }),
    ).toHaveCount(1);
    await expect(page.getByText("No alerts: this incident was declared by hand.")).toBeVisible();
    await page.screenshot({ path: "e2e/artifacts/incident-page.png", fullPage: true });
  });

  test("alice reads the routing in force and dry-runs an Alertmanager payload", async ({ page }) => {
    await signInAs(page, "alice", "/admin/routing");
    await expect(page.getByTestId("routing-rule")).toHaveCount(3);
    await page.getByLabel("an Alertmanager payload").check();
    const payload = {
      version: "4",
      groupKey: "g",
      alerts: [
        {
          status: "firing",
          labels: { alertname: "Down", service: "api", severity: "page" },
          startsAt: new Date().toISOString(),
        },
      ],
    };
    await page.getByLabel("Payload (JSON)").fill(JSON.stringify(payload));
    await page.getByRole("button", { name: "Dry run" }).click();
    await expect(page.getByTestId("dry-run-result")).toContainText("Rules: page P0 and P1");
    await expect(page.getByTestId("dry-run-result")).toContainText(
      "Notified: PagerDuty (page P0 and P1); slack #incidents-critical (page P0 and P1)",
    );
  });
});
