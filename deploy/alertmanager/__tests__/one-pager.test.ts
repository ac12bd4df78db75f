// Vigil is the one pager, checked with the real thing: Debian's Alertmanager runs the shipped
// deploy/alertmanager/alertmanager.yml (only secrets, URLs and timings swapped for loopback ones) in
// front of Vigil's route handlers, Vigil's worker tasks and the PagerDuty, Slack and SMS fakes. Every
// alert group pages once, through Vigil, and one acknowledgement silences it; Alertmanager pages
// PagerDuty itself only for the alerts about Vigil. Without Alertmanager installed this fails and says
// so (apt-get install prometheus-alertmanager), as deploy/deploy-configs.test.ts does.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import * as alertmanagerWebhook from "@/app/api/v1/webhooks/alertmanager/route";
import * as pagerdutyWebhook from "@/app/api/v1/webhooks/pagerduty/route";
import { freePort } from "@/db/embedded-postgres";
import { createApiToken } from "@/lib/auth/api-tokens";
import { systemActor } from "@/lib/context";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { ruleGroups } from "@/deploy/kubernetes/prometheus-rule";
import { ctxOf } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { PAGERDUTY_WEBHOOK_SECRET, useNotificationFakes } from "@/test/notifications";
import { call } from "@/test/runtime";

const ALERTMANAGER = "/usr/bin/prometheus-alertmanager";
const shippedConfig = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../alertmanager.yml");
// Alertmanager's own integration key, unlike Vigil's (PAGERDUTY_ROUTING_KEY): who paged shows in the fake.
const ALERTMANAGER_ROUTING_KEY = "alertmanagerdirectroutingkey0001";
const CLUSTER = "prod";

const t = useTestDatabase();
const fakes = useNotificationFakes(t);

let tmp = "";
let alertmanager: ChildProcess | undefined;
let alertmanagerLog = "";
let alertmanagerUrl = "";
let vigil: Server | undefined;
let slackWebhook: Server | undefined;
/** What Alertmanager posted to its Slack incoming webhook (the alerts are in its attachments). */
const slackPosts: { channel: string; attachments?: unknown[] }[] = [];

/** A loopback HTTP server; `handle` answers each request with its body already read. */
async function serve(
  handle: (req: IncomingMessage, body: string) => Promise<{ status: number; body: string }>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handle(req, Buffer.concat(chunks).toString("utf8"))
        .then(({ status, body }) => res.writeHead(status, { "content-type": "application/json" }).end(body))
        .catch((error: unknown) => res.writeHead(500).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

/** The shipped config with loopback URLs, secret files that exist and second-scale timings; nothing else changes. */
function loopbackConfig(vigilUrl: string, slackUrl: string, token: string): string {
  const secret = (name: string, value: string) => {
    const file = path.join(tmp, name);
    writeFileSync(file, value);
    return file;
  };
  const am = YAML.parse(readFileSync(shippedConfig, "utf8"));
  am.global = { ...am.global, pagerduty_url: `${fakes.pagerduty.url}/v2/enqueue` };
  Object.assign(am.route, { group_wait: "1s", group_interval: "1s", repeat_interval: "1h" });
  for (const receiver of am.receivers) {
    for (const hook of receiver.webhook_configs ?? []) {
      hook.url = `${vigilUrl}${new URL(hook.url).pathname}`;
      hook.http_config.authorization.credentials_file = secret("vigil-token", token);
    }
    for (const pd of receiver.pagerduty_configs ?? [])
      pd.routing_key_file = secret("pagerduty-routing-key", ALERTMANAGER_ROUTING_KEY);
    for (const slack of receiver.slack_configs ?? []) slack.api_url_file = secret("slack-webhook-url", slackUrl);
  }
  const file = path.join(tmp, "alertmanager.yml");
  writeFileSync(file, YAML.stringify(am));
  return file;
}

beforeAll(async () => {
  try {
    accessSync(ALERTMANAGER, constants.X_OK);
  } catch {
    throw new Error(
      `${ALERTMANAGER} is not installed: apt-get install -y --no-install-recommends prometheus-alertmanager`,
    );
  }
  tmp = mkdtempSync(path.join(tmpdir(), "vigil-one-pager-"));
  const { token } = await createApiToken({
    ctx: { db: t.db, actor: systemActor("test setup"), now: new Date() },
    input: { name: "alertmanager", role: "responder" },
  });

  // Vigil's web server, as far as Alertmanager can tell: its webhook route handler.
  const web = await serve(async (req, body) => {
    const res = await call(alertmanagerWebhook.POST, "POST", req.url ?? "/", {
      rawBody: body,
      headers: { authorization: req.headers.authorization ?? "", "content-type": "application/json" },
    });
    return { status: res.status, body: await res.text() };
  });
  vigil = web.server;
  const slack = await serve(async (_req, body) => {
    slackPosts.push(JSON.parse(body) as (typeof slackPosts)[number]);
    return { status: 200, body: "ok" };
  });
  slackWebhook = slack.server;

  const port = await freePort();
  alertmanagerUrl = `http://127.0.0.1:${port}`;
  alertmanager = spawn(
    ALERTMANAGER,
    [
      `--config.file=${loopbackConfig(web.url, slack.url, token)}`,
      `--storage.path=${path.join(tmp, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  alertmanager.stdout?.on("data", (d: Buffer) => (alertmanagerLog += d.toString()));
  alertmanager.stderr?.on("data", (d: Buffer) => (alertmanagerLog += d.toString()));
  await waitFor(
    "Alertmanager to be ready",
    async () => (await fetch(`${alertmanagerUrl}/-/ready`)).ok || undefined,
    15_000,
  );
});

afterAll(async () => {
  if (alertmanager && alertmanager.exitCode === null) {
    const gone = new Promise((r) => alertmanager?.once("exit", r));
    alertmanager.kill("SIGTERM");
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
    if (alertmanager.exitCode === null) alertmanager.kill("SIGKILL");
  }
  await Promise.all([vigil, slackWebhook].map((s) => s && new Promise((r) => s.close(r))));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}. Alertmanager log:\n${alertmanagerLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The labels a shipped alert fires with: its rule's fixed labels, the templated ones filled in, as Prometheus sends them. */
function firing(alertname: string, labels: Record<string, string>) {
  const rule = (ruleGroups() as { rules: { alert?: string; labels?: Record<string, string> }[] }[])
    .flatMap((g) => g.rules)
    .find((r) => r.alert === alertname);
  if (!rule) throw new Error(`no shipped alert ${alertname}`);
  const fixed = Object.entries(rule.labels ?? {}).filter(([, v]) => !v.includes("{{"));
  return {
    labels: { ...labels, ...Object.fromEntries(fixed), alertname, cluster: CLUSTER },
    annotations: { summary: `${alertname} on ${labels.service}` },
    startsAt: new Date().toISOString(),
  };
}

async function fire(...alerts: ReturnType<typeof firing>[]): Promise<void> {
  const res = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(alerts),
  });
  expect(res.status).toBe(200);
}

/** Alertmanager's count of notifications it sent through one integration (webhook = Vigil). */
async function notificationsSent(integration: "webhook" | "pagerduty" | "slack"): Promise<number> {
  const text = await (await fetch(`${alertmanagerUrl}/metrics`)).text();
  const total = (name: string) =>
    Number(new RegExp(`^${name}\\{[^}]*integration="${integration}"[^}]*\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
  return total("alertmanager_notifications_total") - total("alertmanager_notifications_failed_total");
}

const incidentsOf = (service: string) =>
  t.sql<
    { id: string; number: number; status: string; severity: string }[]
  >`select id, number, status, severity from incidents where service = ${service} order by number`;

/** PagerDuty's V3 webhook about one of its incidents, signed as PagerDuty signs it. */
async function pagerDutySays(eventType: string, incident: { id: string; dedupKey: string }, deliveryId: string) {
  const raw = JSON.stringify({
    event: {
      id: `01${deliveryId}`,
      event_type: eventType,
      resource_type: "incident",
      occurred_at: new Date().toISOString(),
      agent: { id: "PUSER1", summary: "Dana Oncall", type: "user_reference" },
      data: {
        id: incident.id,
        type: "incident",
        incident_key: incident.dedupKey,
        status: eventType.replace("incident.", ""),
      },
    },
  });
  const signature = `v1=${createHmac("sha256", PAGERDUTY_WEBHOOK_SECRET).update(raw).digest("hex")}`;
  const res = await call(pagerdutyWebhook.POST, "POST", "/api/v1/webhooks/pagerduty", {
    rawBody: raw,
    headers: { "x-pagerduty-signature": signature, "x-webhook-id": deliveryId },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { outcome: string; incident?: string };
}

describe("the shipped Alertmanager config in front of Vigil", () => {
  it(
    "pages once per alert group, through Vigil, and one acknowledgement silences each page",
    { timeout: 60_000 },
    async () => {
      // Two groups that page: checkout down in two regions (one group: alertname, cluster, service), and cart's 5xx.
      await fire(
        firing("ServiceDown", { service: "checkout", job: "kubernetes-pods", namespace: "shop-eu", team: "payments" }),
        firing("ServiceDown", { service: "checkout", job: "kubernetes-pods", namespace: "shop-us", team: "payments" }),
        firing("HighErrorRate", { service: "cart", namespace: "shop-eu", team: "payments" }),
      );
      await waitFor(
        "Vigil to hear of both groups",
        async () =>
          (await notificationsSent("webhook")) >= 2 &&
          (await incidentsOf("checkout")).length + (await incidentsOf("cart")).length === 2,
      );
      // Whatever Alertmanager sends for a group it sends in the same flush: give a direct page time to land.
      await new Promise((r) => setTimeout(r, 1_500));
      await drainJobs(t);

      const [checkout] = await incidentsOf("checkout");
      const [cart] = await incidentsOf("cart");
      expect([checkout?.severity, cart?.severity]).toEqual(["P1", "P1"]);
      expect(await notificationsSent("pagerduty")).toBe(0);
      const pages = fakes.pagerduty.incidents();
      expect(
        pages
          .map((p) => ({ dedupKey: p.dedupKey, routingKey: p.routingKey, status: p.status }))
          .sort((a, b) => a.dedupKey.localeCompare(b.dedupKey)),
      ).toEqual(
        [checkout!.id, cart!.id]
          .sort()
          .map((dedupKey) => ({ dedupKey, routingKey: fakes.env.PAGERDUTY_ROUTING_KEY, status: "triggered" })),
      );

      // PagerDuty tells Vigil of each incident it opened: every one is a Vigil incident (none unknown_incident).
      for (const page of pages)
        expect(await pagerDutySays("incident.triggered", page, `triggered-${page.id}`)).toMatchObject({
          outcome: "applied",
          incident: page.dedupKey,
        });

      // The on-call acknowledges checkout's page in PagerDuty: Vigil's incident follows, and nothing else rings for it.
      const checkoutPage = pages.find((p) => p.dedupKey === checkout!.id)!;
      expect(await pagerDutySays("incident.acknowledged", checkoutPage, `ack-${checkoutPage.id}`)).toMatchObject({
        outcome: "applied",
        incident: checkout!.id,
      });
      expect((await incidentsOf("checkout"))[0]?.status).toBe("acknowledged");

      // Cart's is acknowledged in Vigil (Slack, the app): PagerDuty's one incident for it stops ringing.
      await acknowledgeIncident({ ctx: ctxOf(t.db), input: { ref: cart!.id } });
      await drainJobs(t);
      expect(fakes.pagerduty.incident(cart!.id)?.status).toBe("acknowledged");
      expect(
        fakes.pagerduty
          .incidents()
          .filter((p) => p.status === "triggered")
          .map((p) => p.dedupKey),
      ).toEqual([checkout!.id]);
      expect(fakes.pagerduty.incidents()).toHaveLength(2);
    },
  );

  it(
    "pages PagerDuty directly for VigilDown, with Alertmanager's own key, and leaves Vigil out of it",
    { timeout: 60_000 },
    async () => {
      await fire(firing("VigilDown", { job: "vigil", service: "vigil" }));
      const page = await waitFor("Alertmanager's page", async () =>
        fakes.pagerduty.incidents().find((p) => p.routingKey === ALERTMANAGER_ROUTING_KEY),
      );

      // Alertmanager's dedup key: the SHA-256 of its route's group key, which names the route's matchers.
      const groupKey = `{}/{pager="alertmanager"}:{alertname="VigilDown", cluster="${CLUSTER}", service="vigil"}`;
      expect(page.dedupKey).toBe(createHash("sha256").update(groupKey).digest("hex"));
      expect(page.summary).toBe("VigilDown on vigil: VigilDown on vigil");
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await incidentsOf("vigil")).toEqual([]);

      // PagerDuty's webhook about that page is not about a Vigil incident: ignored, like events Vigil has no use for.
      expect(await pagerDutySays("incident.triggered", page, "triggered-am")).toEqual({
        outcome: "ignored",
        event_type: "incident.triggered",
      });
    },
  );

  it(
    "posts raw critical alerts to Slack #alerts-critical, while Vigil posts its incident card to #incidents-critical",
    { timeout: 60_000 },
    async () => {
      await fire(
        firing("DatabaseConnectionsExhausted", { service: "orders", instance: "orders-db:5432", team: "payments" }),
      );
      const aboutOrders = () =>
        slackPosts.filter((p) => JSON.stringify(p).includes("DatabaseConnectionsExhausted on orders"));
      await waitFor("Alertmanager's Slack post", async () => aboutOrders().length > 0);
      await waitFor("Vigil's incident", async () => (await incidentsOf("orders")).length === 1);
      await drainJobs(t);

      expect(aboutOrders().map((p) => p.channel)).toEqual(["#alerts-critical"]);
      const [orders] = await incidentsOf("orders");
      expect(orders?.severity).toBe("P2");
      expect(
        fakes.slack.messagesIn("#incidents-critical").filter((m) => m.text?.includes(`INC-${orders!.number}`)),
      ).toHaveLength(1);
      expect(fakes.slack.messagesIn("#alerts-critical")).toEqual([]);
      expect(fakes.pagerduty.incidents()).toEqual([]);
    },
  );
});
