// The runbook action types beyond the rollout restart, each through the whole pipeline (requestRemediation,
// the remediation.execute job as the worker runs it, the executor) against a loopback peer: k8s.scale and
// k8s.delete_pod against the fake Kubernetes API, http.post against a hook server started here.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remediationRuns } from "@/db/schema";
import { ingestAlertmanagerPayload, type IngestionSettings } from "@/lib/alerts/ingest-alertmanager-payload";
import { defaultSeverityMap } from "@/lib/alerts/severity";
import { createIncident } from "@/lib/incidents/create-incident";
import { requestRemediation } from "@/lib/remediation/request-remediation";
import type { RemediationSettings } from "@/lib/remediation/settings";
import { createRunbook } from "@/lib/runbooks/save-runbook";
import { getRuntime, setRuntime } from "@/lib/runtime";
import { admin, ctxOf, responder } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { useRemediation } from "@/test/remediation";

const t = useTestDatabase();
const r = useRemediation(t);
const ingestion: IngestionSettings = {
  reopenWindowMs: 5 * 60_000,
  serviceLabel: "service",
  teamLabel: "team",
  severityMap: defaultSeverityMap,
};

let groups = 0;
/** An incident from one firing alert with these labels and annotations; returns its ref. */
async function alertIncident(
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
): Promise<string> {
  const body = webhook(`{}:{alertname="${labels.alertname}",n="${++groups}"}`, [
    alert({ labels: { severity: "warning", ...labels }, annotations, startsAt: new Date().toISOString() }),
  ]);
  const summary = await ingestAlertmanagerPayload({ ctx: ctxOf(t.db, responder), input: body, settings: ingestion });
  return summary.incidents.created[0] ?? summary.incidents.reopened[0]!;
}

const runOf = async (id: string) => (await t.db.select().from(remediationRuns).where(eq(remediationRuns.id, id)))[0]!;
const incidentIdOf = async (ref: string) =>
  (await t.sql<{ id: string }[]>`select id from incidents where number = ${Number(ref.slice(4))}`)[0]!.id;
const runsOf = async (ref: string) =>
  t.db
    .select()
    .from(remediationRuns)
    .where(eq(remediationRuns.incidentId, await incidentIdOf(ref)))
    .orderBy(asc(remediationRuns.requestedAt));
const k8sCallsFor = (namespace: string, name: string) =>
  r.k8s.received.filter((q) => q.namespace === namespace && q.name === name).map((q) => `${q.method} ${q.resource}`);

describe("k8s.scale (HighLatency: scale-out)", () => {
  /** A HighLatency alert on a deployment of its own in the fake (scale-out allows 2 runs per hour per target). */
  async function highLatency(deployment: string, annotations: Record<string, string> = {}) {
    r.k8s.addDeployment({ namespace: "web", name: deployment, replicas: 3 });
    return alertIncident(
      { alertname: "HighLatency", namespace: "web", deployment, service: deployment },
      { summary: `${deployment}: p95 above 1 s`, ...annotations },
    );
  }
  const scaleOut = (ref: string, replicas?: number) =>
    requestRemediation({
      ctx: ctxOf(t.db, responder),
      input: { ref, runbook: "high-latency", action: "scale-out", ...(replicas !== undefined ? { replicas } : {}) },
      settings: r.settings,
    });

  it("merge-patches the scale subresource to the alert's scale_out_replicas, an absolute count", async () => {
    const ref = await highLatency("frontend", { scale_out_replicas: "8" });
    const run = await scaleOut(ref);
    expect(run).toMatchObject({
      status: "approved",
      action_type: "k8s.scale",
      target: "deployment web/frontend",
      params: {
        type: "k8s.scale",
        namespace: "web",
        deployment: "frontend",
        replicas: 8,
        min_replicas: 2,
        max_replicas: 12,
      },
    });
    await drainJobs(t);

    expect(k8sCallsFor("web", "frontend")).toEqual(["GET scale", "PATCH scale"]);
    const patch = r.k8s.received.find((q) => q.method === "PATCH" && q.name === "frontend");
    expect(patch).toMatchObject({
      path: "/apis/apps/v1/namespaces/web/deployments/frontend/scale",
      resource: "scale",
      contentType: "application/merge-patch+json",
      authorized: true,
      status: 200,
      body: { spec: { replicas: 8 } },
    });
    expect(r.k8s.deployment("web", "frontend")?.replicas).toBe(8);
    expect(await runOf(run.id)).toMatchObject({
      status: "succeeded",
      attempts: 1,
      output: "Scaled deployment web/frontend from 3 to 8 replicas",
    });
  });

  it("uses the runbook's default of 6 when the alert has no scale_out_replicas, and an explicit count within the bounds wins", async () => {
    const byDefault = await highLatency("catalog");
    const run = await scaleOut(byDefault);
    expect(run).toMatchObject({ status: "approved", params: { replicas: 6 } });

    const chosen = await highLatency("reviews", { scale_out_replicas: "8" });
    const explicit = await scaleOut(chosen, 12);
    expect(explicit).toMatchObject({ status: "approved", params: { replicas: 12 } });
    await drainJobs(t);

    expect(r.k8s.received.find((q) => q.method === "PATCH" && q.name === "catalog")?.body).toEqual({
      spec: { replicas: 6 },
    });
    expect(r.k8s.received.find((q) => q.method === "PATCH" && q.name === "reviews")?.body).toEqual({
      spec: { replicas: 12 },
    });
    expect(await runOf(run.id)).toMatchObject({
      status: "succeeded",
      output: "Scaled deployment web/catalog from 3 to 6 replicas",
    });
    expect(await runOf(explicit.id)).toMatchObject({
      status: "succeeded",
      output: "Scaled deployment web/reviews from 3 to 12 replicas",
    });
  });

  it("denies a count outside the runbook's 2..12 at request time, from the request or the alert, and sends nothing", async () => {
    const ref = await highLatency("gateway");
    const above = await scaleOut(ref, 13);
    const below = await scaleOut(ref, 1);
    expect(above).toMatchObject({
      status: "denied",
      target: "(unresolved)",
      reason: "its parameters cannot be filled from this alert: replicas: 13 is outside the runbook's bounds 2..12",
    });
    expect(below).toMatchObject({
      status: "denied",
      reason: "its parameters cannot be filled from this alert: replicas: 1 is outside the runbook's bounds 2..12",
    });

    const fromAlert = await highLatency("edge", { scale_out_replicas: "20" });
    expect(await scaleOut(fromAlert)).toMatchObject({
      status: "denied",
      reason: "its parameters cannot be filled from this alert: replicas: 20 is outside the runbook's bounds 2..12",
    });

    await drainJobs(t);
    expect(k8sCallsFor("web", "gateway")).toEqual([]);
    expect(k8sCallsFor("web", "edge")).toEqual([]);
    expect(r.k8s.deployment("web", "gateway")?.replicas).toBe(3);
    expect((await runsOf(ref)).map((run) => run.status)).toEqual(["denied", "denied"]);
  });
});

describe("k8s.delete_pod (PodCrashLooping: delete-pod)", () => {
  const deletePod = (ref: string) =>
    requestRemediation({
      ctx: ctxOf(t.db, responder),
      input: { ref, runbook: "pod-crash-looping", action: "delete-pod" },
      settings: r.settings,
    });

  it("deletes the pod the alert names, and its controller is named in the output", async () => {
    r.k8s.addPod({ namespace: "shop", name: "checkout-7d9f8-x2k4q", ownerName: "checkout-7d9f8" });
    const ref = await alertIncident({
      alertname: "KubePodCrashLooping",
      namespace: "shop",
      pod: "checkout-7d9f8-x2k4q",
      container: "app",
    });
    const run = await deletePod(ref);
    expect(run).toMatchObject({
      status: "approved",
      action_type: "k8s.delete_pod",
      target: "pod shop/checkout-7d9f8-x2k4q",
    });
    await drainJobs(t);

    expect(k8sCallsFor("shop", "checkout-7d9f8-x2k4q")).toEqual(["GET pod", "DELETE pod"]);
    expect(r.k8s.received.find((q) => q.method === "DELETE")).toMatchObject({
      path: "/api/v1/namespaces/shop/pods/checkout-7d9f8-x2k4q",
      authorized: true,
      status: 200,
    });
    expect(r.k8s.pod("shop", "checkout-7d9f8-x2k4q")).toBeUndefined();
    expect(await runOf(run.id)).toMatchObject({
      status: "succeeded",
      attempts: 1,
      output: "Deleted pod shop/checkout-7d9f8-x2k4q; its ReplicaSet checkout-7d9f8 replaces it",
    });
  });

  it("fails the run, naming the 404, when the fake has no such pod", async () => {
    const ref = await alertIncident({ alertname: "KubePodCrashLooping", namespace: "shop", pod: "ghost-5c6d7-zzzzz" });
    const run = await deletePod(ref);
    expect(run.status).toBe("approved");
    await drainJobs(t);

    expect(k8sCallsFor("shop", "ghost-5c6d7-zzzzz")).toEqual(["GET pod"]);
    const finished = await runOf(run.id);
    expect(finished).toMatchObject({ status: "failed", attempts: 1 });
    expect(finished.output).toBe(
      'pod shop/ghost-5c6d7-zzzzz was not found (Kubernetes answered 404: pods "ghost-5c6d7-zzzzz" not found)',
    );
  });
});

interface HookRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe("http.post", () => {
  const received: HookRequest[] = [];
  const hook = { url: "", close: async () => {} };
  let settings: RemediationSettings;

  beforeAll(async () => {
    // The hook: 500 under /vigil/broken, 202 elsewhere; everything it receives is kept.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = req.url ?? "/";
        received.push({
          method: req.method ?? "",
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        const broken = path.startsWith("/vigil/broken");
        res.writeHead(broken ? 500 : 202, { "content-type": "text/plain" });
        res.end(broken ? "boom: the deploy service is down" : "accepted");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    hook.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    // REMEDIATION_HTTP_ALLOWED_URLS naming the hook's /vigil/ path only.
    settings = { ...r.settings, httpAllowedUrls: [`${hook.url}/vigil/`] };
    // The worker's job reads its settings from the runtime's config, and checks the URL again there.
    const runtime = getRuntime();
    setRuntime({
      ...runtime,
      config: {
        ...runtime.config,
        remediation: { ...runtime.config.remediation, httpAllowedUrls: [...settings.httpAllowedUrls] },
      },
    });

    const markdown = [
      "---",
      "slug: hook-check",
      "title: Hook Check",
      "alerts:",
      "  alertnames: [HookCheck]",
      "actions:",
      "  - id: notify-deploys",
      "    title: Tell the deploy service",
      "    type: http.post",
      "    params:",
      `      url: "${hook.url}/vigil/notify/{{labels.service}}"`,
      "      body:",
      '        service: "{{labels.service}}"',
      '        incident: "{{incident.ref}}"',
      "        urgent: true",
      "        attempts: 3",
      "  - id: ping",
      "    title: Ping the hook",
      "    type: http.post",
      "    params:",
      `      url: "${hook.url}/vigil/ping"`,
      "  - id: broken",
      "    title: Call the broken hook",
      "    type: http.post",
      "    params:",
      `      url: "${hook.url}/vigil/broken"`,
      "  - id: elsewhere",
      "    title: Call a hook outside the allowed prefix",
      "    type: http.post",
      "    params:",
      `      url: "${hook.url}/internal/admin"`,
      "  - id: lookalike",
      "    title: Call a path that only starts like the prefix",
      "    type: http.post",
      "    params:",
      `      url: "${hook.url}/vigilante"`,
      "---",
      "## Symptoms",
      "A hook needs calling.",
      "",
    ].join("\n");
    await createRunbook({ ctx: ctxOf(t.db, admin), input: { markdown } });
  });
  afterAll(async () => hook.close());

  let declared = 0;
  /** A declared HookCheck incident: no alerts, its labels fill the templates. */
  async function hookIncident() {
    return (
      await createIncident({
        ctx: ctxOf(t.db, admin),
        input: {
          title: `Hook check ${++declared}`,
          severity: "P3",
          labels: { alertname: "HookCheck", service: "checkout" },
        },
      })
    ).incident.ref;
  }
  const call = (ref: string, action: string) =>
    requestRemediation({ ctx: ctxOf(t.db, responder), input: { ref, runbook: "hook-check", action }, settings });
  const hits = (prefix: string) => received.filter((q) => q.path.startsWith(prefix));

  it("posts the action's JSON body with the run id as Idempotency-Key; a 2xx answer succeeds", async () => {
    const ref = await hookIncident();
    const run = await call(ref, "notify-deploys");
    expect(run).toMatchObject({
      status: "approved",
      action_type: "http.post",
      target: `POST ${hook.url}/vigil/notify/checkout`,
    });
    await drainJobs(t);

    const [request, ...more] = hits("/vigil/notify/");
    expect(more).toEqual([]);
    expect(request).toMatchObject({ method: "POST", path: "/vigil/notify/checkout" });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["idempotency-key"]).toBe(run.id);
    expect(JSON.parse(request!.body)).toEqual({ service: "checkout", incident: ref, urgent: true, attempts: 3 });
    expect(await runOf(run.id)).toMatchObject({
      status: "succeeded",
      attempts: 1,
      output: `POST ${hook.url}/vigil/notify/checkout answered 202: accepted`,
    });
  });

  it("posts the default body {run_id, source, app_url} when the action has none", async () => {
    const run = await call(await hookIncident(), "ping");
    await drainJobs(t);
    const [request, ...more] = hits("/vigil/ping");
    expect(more).toEqual([]);
    expect(request!.method).toBe("POST");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["idempotency-key"]).toBe(run.id);
    expect(JSON.parse(request!.body)).toEqual({ run_id: run.id, source: "vigil", app_url: getRuntime().config.appUrl });
    expect((await runOf(run.id)).status).toBe("succeeded");
  });

  it("fails the run when the hook answers 500, with the status and the answer in its output", async () => {
    const run = await call(await hookIncident(), "broken");
    expect(run.status).toBe("approved");
    await drainJobs(t);
    expect(hits("/vigil/broken")).toHaveLength(1);
    expect(await runOf(run.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      output: `POST ${hook.url}/vigil/broken answered 500: boom: the deploy service is down`,
    });
  });

  it("denies at execution a hook the allowed URLs no longer cover, though it was approved under them", async () => {
    const run = await call(await hookIncident(), "ping");
    expect(run.status).toBe("approved");
    const runtime = getRuntime();
    setRuntime({
      ...runtime,
      config: { ...runtime.config, remediation: { ...runtime.config.remediation, httpAllowedUrls: [] } },
    });
    try {
      const before = hits("/vigil/ping").length;
      await drainJobs(t);
      expect(hits("/vigil/ping")).toHaveLength(before);
      expect(await runOf(run.id)).toMatchObject({ status: "denied", reason: expect.stringContaining("no longer") });
    } finally {
      setRuntime(runtime);
    }
  });

  it("denies a URL under none of the allowed prefixes before anything is sent", async () => {
    const ref = await hookIncident();
    const before = received.length;
    const outside = await call(ref, "elsewhere");
    const lookalike = await call(ref, "lookalike");
    expect(outside).toMatchObject({
      status: "denied",
      target: `POST ${hook.url}/internal/admin`,
      reason: `http.post may not call ${hook.url}/internal/admin: it is under none of REMEDIATION_HTTP_ALLOWED_URLS (${hook.url}/vigil/)`,
    });
    expect(lookalike).toMatchObject({
      status: "denied",
      reason: expect.stringContaining(`http.post may not call ${hook.url}/vigilante: it is under none of`),
    });
    await drainJobs(t);
    expect(received).toHaveLength(before);
    expect((await runOf(outside.id)).startedAt).toBeNull();
    expect((await runOf(lookalike.id)).startedAt).toBeNull();
  });
});
