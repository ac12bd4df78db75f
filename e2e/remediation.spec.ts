// Runbooks acting through the real processes: an alert reaches the web server, the worker restarts the
// deployment on the loopback Kubernetes API — and a worker killed in the middle of a restart does not
// restart it twice. Then the incident page in Chromium: the runbook, its runs, and an approval.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { fakeControl, type FakeDeployment, type KubernetesReceived } from "./fakes";
import { requireChromium } from "./support/browser";
import { currentWorkerPid, startWorker } from "./support/processes";
import { signInAs } from "./support/sign-in";
import { E2E_ADMIN_TOKEN, readE2eState } from "./support/state";

test.describe.configure({ mode: "serial", timeout: 120_000 });
const auth = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };
const kubernetes = () => fakeControl<KubernetesReceived>(readE2eState().workerEnv.KUBERNETES_API_URL!);

interface Run {
  id: string;
  status: string;
  attempts: number;
  output: string | null;
  action_id: string;
}

const runsOf = async (request: APIRequestContext, ref: string) =>
  ((await (await request.get(`/api/v1/incidents/${ref}/remediations`, { headers: auth })).json()) as { data: Run[] })
    .data;
const deployment = (namespace: string, name: string) =>
  kubernetes().get<FakeDeployment | null>("deployment", { namespace, name });
const patchesOf = async (name: string) =>
  (await kubernetes().received()).filter((r) => r.method === "PATCH" && r.name === name);

/** A HighErrorRate alert for this deployment, through Alertmanager's webhook; the incident's ref. */
async function highErrorRate(request: APIRequestContext, name: string): Promise<string> {
  await kubernetes().post("deployments", { namespace: "shop", name, replicas: 3 });
  const alert = {
    status: "firing",
    labels: { alertname: "HighErrorRate", service: name, namespace: "shop", deployment: name, severity: "critical" },
    annotations: {
      summary: `${name}: 9% of requests fail with 5xx`,
      runbook_url: "http://localhost:3000/runbooks/high-error-rate",
    },
    startsAt: new Date().toISOString(),
    endsAt: "0001-01-01T00:00:00Z",
  };
  const res = await request.post("/api/v1/webhooks/alertmanager", {
    headers: auth,
    data: {
      version: "4",
      status: "firing",
      groupKey: `{}:{alertname="HighErrorRate",service="${name}"}`,
      alerts: [alert],
      groupLabels: { alertname: "HighErrorRate" },
      commonLabels: alert.labels,
      commonAnnotations: alert.annotations,
    },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { incidents: { created: string[] } }).incidents.created[0]!;
}

test("an alert opens an incident and the worker restarts its deployment automatically", async ({ request }) => {
  // The worker loads runbooks/ when it starts, next to the web server.
  await expect
    .poll(async () => (await request.get("/api/v1/runbooks/high-error-rate", { headers: auth })).status(), {
      timeout: 30_000,
    })
    .toBe(200);
  const name = `checkout-${Date.now()}`;
  const ref = await highErrorRate(request, name);

  await expect
    .poll(async () => (await runsOf(request, ref)).map((r) => r.status), { timeout: 30_000 })
    .toEqual(["succeeded"]);
  expect((await deployment("shop", name))?.restarts).toHaveLength(1);
  expect(await patchesOf(name)).toEqual([
    expect.objectContaining({
      path: `/apis/apps/v1/namespaces/shop/deployments/${name}`,
      contentType: "application/strategic-merge-patch+json",
      status: 200,
    }),
  ]);
  const timeline = (
    (await (await request.get(`/api/v1/incidents/${ref}/timeline?order=asc`, { headers: auth })).json()) as {
      data: { kind: string; text: string }[];
    }
  ).data;
  expect(timeline.filter((e) => e.kind === "remediation").map((e) => e.text)).toEqual([
    expect.stringContaining("Automatic remediation"),
    expect.stringMatching(/^✅ .* succeeded: Restarted deployment shop\//),
  ]);
});

test("a worker killed in the middle of a restart does not restart twice", async ({ request }) => {
  const { workerEnv } = readE2eState();
  // A worker whose runs give up (and whose leases end) sooner, so the test does not wait a minute.
  process.kill(-currentWorkerPid(), "SIGKILL");
  startWorker({ ...workerEnv, REMEDIATION_TIMEOUT: "5s" });

  const name = `crash-${Date.now()}`;
  // Kubernetes takes the patch at once but answers only after 4 s: the worker dies in between.
  await kubernetes().fail({ times: 1, delayMs: 4000, only: "PATCH deployment" });
  const ref = await highErrorRate(request, name);
  await expect.poll(async () => (await patchesOf(name)).length, { timeout: 30_000 }).toBe(1);
  process.kill(-currentWorkerPid(), "SIGKILL");
  startWorker({ ...workerEnv, REMEDIATION_TIMEOUT: "5s" });

  await expect
    .poll(async () => (await runsOf(request, ref)).map((r) => r.status), { timeout: 90_000, intervals: [1000] })
    .toEqual(["succeeded"]);
  const [run] = await runsOf(request, ref);
  expect(run).toMatchObject({ attempts: 2, output: expect.stringContaining("already restarted by this run") });
  expect(await patchesOf(name)).toHaveLength(1);
  expect((await deployment("shop", name))?.restarts).toHaveLength(1);
});

test.describe("in the browser", () => {
  test.beforeEach(() => requireChromium());

  test("bob asks for a risky action on the incident page; alice approves it and it runs", async ({
    page,
    browser,
    request,
  }) => {
    const namespace = `data-${Date.now()}`;
    await kubernetes().post("deployments", { namespace, name: "pgbouncer", replicas: 2 });
    const incident = (await (
      await request.post("/api/v1/incidents", {
        headers: auth,
        data: {
          title: `Too many connections ${namespace}`,
          severity: "P2",
          labels: { alertname: "DatabaseConnectionsExhausted", namespace },
        },
      })
    ).json()) as { ref: string };

    await signInAs(page, "bob", `/incidents/${incident.ref}`);
    const section = page.getByTestId("incident-runbook");
    await expect(section.getByRole("link", { name: "Database Connections Exhausted" })).toBeVisible();
    await expect(section.getByTestId("runbook-body")).toContainText("Immediate Checks");
    const pooler = section.getByTestId("runbook-action").filter({ hasText: "Restart the connection pooler" });
    await expect(pooler).toContainText(`on deployment ${namespace}/pgbouncer`);
    page.once("dialog", (dialog) => void dialog.accept());
    await pooler.getByRole("button", { name: "Run", exact: true }).click();
    await expect(section.getByTestId("remediation-status").first()).toHaveText("pending approval");
    await expect(section.getByRole("button", { name: "Approve" })).toHaveCount(0); // bob is a responder

    // Alice's board says what waits for her, and leads to it.
    const admin = await browser.newPage();
    await signInAs(admin, "alice", "/");
    const waiting = admin.getByTestId("pending-approvals");
    await expect(waiting).toContainText(
      `${incident.ref} restart-pooler on deployment ${namespace}/pgbouncer, asked by Bob Responder`,
    );
    // The board is live: a refresh that lands with the click can move the link from under the pointer,
    // and a person would click again.
    const incidentPage = new RegExp(`/incidents/${incident.ref}$`);
    await expect(async () => {
      if (!incidentPage.test(admin.url()))
        await waiting.getByRole("link", { name: incident.ref }).click({ timeout: 5_000 });
      await expect(admin).toHaveURL(incidentPage, { timeout: 5_000 });
    }).toPass({ timeout: 30_000 });
    await admin.getByTestId("incident-runbook").getByRole("button", { name: "Approve" }).click();
    await expect
      .poll(async () => (await runsOf(request, incident.ref)).map((r) => r.status), { timeout: 30_000 })
      .toEqual(["succeeded"]);
    expect((await deployment(namespace, "pgbouncer"))?.restarts).toHaveLength(1);
    await page.reload();
    await expect(section.getByTestId("remediation-status").first()).toHaveText("succeeded");
    await page.screenshot({ path: "e2e/artifacts/incident-runbook.png", fullPage: true });
  });
});
