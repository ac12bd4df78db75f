// Runbook actions against the fake Kubernetes API, through the verbs and the worker's jobs (drainJobs runs
// them as the worker does): automatic restarts from alerts, the hourly limit, approvals, refusals, and a
// run that survives its worker dying without acting twice.
import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, remediationRuns, timelineEvents, users } from "@/db/schema";
import { ingestAlertmanagerPayload, type IngestionSettings } from "@/lib/alerts/ingest-alertmanager-payload";
import { defaultSeverityMap } from "@/lib/alerts/severity";
import type { Actor } from "@/lib/context";
import { createIncident } from "@/lib/incidents/create-incident";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { getMetrics } from "@/lib/observability/metrics";
import { createLogger } from "@/lib/observability/logger";
import { approveRemediation, rejectRemediation } from "@/lib/remediation/decide-on-run";
import { executeRemediationRun } from "@/lib/remediation/execute-remediation-run";
import { listPendingApprovals } from "@/lib/remediation/list-remediation-runs";
import { createExecutor, type RemediationExecutor } from "@/lib/remediation/executor";
import { requestRemediation } from "@/lib/remediation/request-remediation";
import { triggerAutomaticRuns } from "@/lib/remediation/trigger-automatic-runs";
import { createRunbook } from "@/lib/runbooks/save-runbook";
import { admin, ctxOf, responder, viewer } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { FAKE_KUBERNETES_TOKEN, useRemediation } from "@/test/remediation";

const t = useTestDatabase();
const r = useRemediation(t);
const log = createLogger("silent");
const ingestion: IngestionSettings = {
  reopenWindowMs: 5 * 60_000,
  serviceLabel: "service",
  teamLabel: "team",
  severityMap: defaultSeverityMap,
};

let groups = 0;
/** A HighErrorRate alert for a deployment of its own (each test has its own target and rate limit). */
async function highErrorRateIncident(deployment: string, labels: Record<string, string> = {}) {
  r.k8s.addDeployment({ namespace: "shop", name: deployment, replicas: 3 });
  const body = webhook(`{}:{alertname="HighErrorRate",n="${++groups}"}`, [
    alert({
      labels: {
        alertname: "HighErrorRate",
        service: deployment,
        namespace: "shop",
        deployment,
        severity: "critical",
        ...labels,
      },
      annotations: {
        summary: `${deployment}: 7% of requests fail with 5xx`,
        runbook_url: "http://localhost:3000/runbooks/high-error-rate",
      },
      startsAt: new Date().toISOString(),
    }),
  ]);
  const summary = await ingestAlertmanagerPayload({ ctx: ctxOf(t.db, responder), input: body, settings: ingestion });
  return summary.incidents.created[0] ?? summary.incidents.reopened[0]!;
}

/**
 * A declared incident whose labels name the target (no alerts: the labels fill the templates). Its
 * alertname matches no runbook, so nothing runs automatically; requests name the runbook.
 */
async function declared(labels: Record<string, string>) {
  return (
    await createIncident({
      ctx: ctxOf(t.db, admin),
      input: { title: `${labels.alertname} by hand`, severity: "P2", labels },
    })
  ).incident;
}

const runsOf = (incidentId: string) =>
  t.db
    .select()
    .from(remediationRuns)
    .where(eq(remediationRuns.incidentId, incidentId))
    .orderBy(asc(remediationRuns.requestedAt));
const remediationEvents = (incidentId: string) =>
  t.db
    .select()
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "remediation")))
    .orderBy(asc(timelineEvents.id));
const auditsOf = (runId: string) =>
  t.db.select().from(auditLog).where(eq(auditLog.resourceId, runId)).orderBy(asc(auditLog.id));
const patchesOf = (deployment: string) => r.k8s.received.filter((q) => q.method === "PATCH" && q.name === deployment);
const incidentIdOf = async (ref: string) =>
  (await t.sql<{ id: string }[]>`select id from incidents where number = ${Number(ref.slice(4))}`)[0]!.id;

describe("automatic remediation", () => {
  it("restarts the alert's deployment when a HighErrorRate incident opens, and records the result", async () => {
    const ref = await highErrorRateIncident("checkout");
    await drainJobs(t);
    const patches = patchesOf("checkout");
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({
      path: "/apis/apps/v1/namespaces/shop/deployments/checkout",
      contentType: "application/strategic-merge-patch+json",
      authorized: true,
      status: 200,
    });
    expect(r.k8s.deployment("shop", "checkout")?.restarts).toHaveLength(1);

    const incidentId = await incidentIdOf(ref);
    const [run] = await runsOf(incidentId);
    expect(run).toMatchObject({
      status: "succeeded",
      automatic: true,
      actionId: "restart-deployment",
      actionType: "k8s.rollout_restart",
      target: "deployment shop/checkout",
      requestedByName: "Vigil auto-remediation",
      attempts: 1,
    });
    expect(run!.output).toMatch(/^Restarted deployment shop\/checkout/);
    const events = await remediationEvents(incidentId);
    expect(events.map((e) => e.text)).toEqual([
      expect.stringMatching(
        /^Automatic remediation "Rolling restart of the deployment" \(k8s.rollout_restart\) on deployment shop\/checkout: allowed\. Allowed: run 1 of at most 3 this hour/,
      ),
      expect.stringMatching(
        /^✅ "Rolling restart of the deployment" \(k8s.rollout_restart\) on deployment shop\/checkout succeeded: Restarted/,
      ),
    ]);
    expect((await auditsOf(run!.id)).map((a) => [a.action, a.actorName])).toEqual([
      ["remediation.request", "Vigil auto-remediation"],
      ["remediation.finish", "Vigil remediation"],
    ]);
    expect(await getMetrics().registry.getSingleMetricAsString("vigil_remediations_total")).toContain(
      'vigil_remediations_total{action="k8s.rollout_restart",status="succeeded"}',
    );
  });

  it("falls back to the service label when the alert has no deployment label", async () => {
    r.k8s.addDeployment({ namespace: "shop", name: "search" });
    const body = webhook(`{}:{alertname="HighErrorRate",n="${++groups}"}`, [
      alert({
        labels: { alertname: "HighErrorRate", service: "search", namespace: "shop" },
        startsAt: new Date().toISOString(),
      }),
    ]);
    await ingestAlertmanagerPayload({ ctx: ctxOf(t.db, responder), input: body, settings: ingestion });
    await drainJobs(t);
    expect(patchesOf("search")).toHaveLength(1);
  });

  it("runs nothing on an incident resolved before the trigger ran, and says so", async () => {
    const ref = await highErrorRateIncident("cart");
    await resolveIncident({ ctx: ctxOf(t.db, responder), input: { ref } });
    await drainJobs(t);
    expect(patchesOf("cart")).toEqual([]);
    const [run] = await runsOf(await incidentIdOf(ref));
    expect(run).toMatchObject({
      status: "denied",
      reason: "the incident is resolved: nothing runs automatically on a resolved incident",
    });
  });

  it("requests once per target and opening, even when the trigger job runs twice", async () => {
    const ref = await highErrorRateIncident("basket");
    const incidentId = await incidentIdOf(ref);
    const [created] = await t.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "created")));
    await triggerAutomaticRuns(t.db, created!.id, r.settings, new Date(), log);
    await triggerAutomaticRuns(t.db, created!.id, r.settings, new Date(), log);
    await drainJobs(t);
    expect(await runsOf(incidentId)).toHaveLength(1);
    expect(patchesOf("basket")).toHaveLength(1);
  });

  it("starts the automatic action of a runbook loaded after its alert arrived: the job decides from the catalog as it then is", async () => {
    r.k8s.addDeployment({ namespace: "shop", name: "late-loader", replicas: 2 });
    const body = webhook(`{}:{alertname="LateRunbookAlert"}`, [
      alert({
        labels: { alertname: "LateRunbookAlert", namespace: "shop", deployment: "late-loader", severity: "critical" },
        startsAt: new Date().toISOString(),
      }),
    ]);
    // The alert comes first (a fresh start, or a runbook version still rolling out) …
    const summary = await ingestAlertmanagerPayload({ ctx: ctxOf(t.db, responder), input: body, settings: ingestion });
    // … and its runbook, with an automatic restart, reaches the catalog before the trigger job runs.
    await createRunbook({
      ctx: ctxOf(t.db, admin),
      input: {
        markdown:
          "---\nslug: late-runbook\ntitle: Late runbook\nalerts:\n  alertnames: [LateRunbookAlert]\nactions:\n" +
          "  - { id: restart, title: Restart, type: k8s.rollout_restart, auto: true, params: { namespace: shop, deployment: '{{ labels.deployment }}' } }\n---\n## Symptoms\n",
      },
    });
    await drainJobs(t);
    expect(patchesOf("late-loader")).toHaveLength(1);
    const [run] = await runsOf(await incidentIdOf(summary.incidents.created[0]!));
    expect(run).toMatchObject({
      status: "succeeded",
      automatic: true,
      actionId: "restart",
      target: "deployment shop/late-loader",
    });
  });
});

describe("requests and the policy", () => {
  it("rate limits the fourth run in an hour on the same target", async () => {
    r.k8s.addDeployment({ namespace: "shop", name: "payments" });
    const incident = await declared({ alertname: "ManualCheck", namespace: "shop", service: "payments" });
    const ask = () =>
      requestRemediation({
        ctx: ctxOf(t.db, responder),
        input: { ref: incident.ref, runbook: "high-error-rate", action: "restart-deployment" },
        settings: r.settings,
      });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await ask()).status);
    const fourth = await ask();
    expect(statuses).toEqual(["approved", "approved", "approved"]);
    expect(fourth).toMatchObject({
      status: "rate_limited",
      reason: "3 runs of k8s.rollout_restart on deployment shop/payments in the last hour; at most 3 per hour",
      target: "deployment shop/payments",
    });
    expect((await remediationEvents(incident.id)).at(-1)?.text).toContain(
      "rate limited. 3 runs of k8s.rollout_restart",
    );
    expect((await auditsOf(fourth.id))[0]?.details).toMatchObject({ decision: "rate_limited", reason: fourth.reason });
    await drainJobs(t);
    expect(patchesOf("payments")).toHaveLength(3);
    expect((await runsOf(incident.id)).map((run) => run.status)).toEqual([
      "succeeded",
      "succeeded",
      "succeeded",
      "rate_limited",
    ]);
  });

  it("serialises concurrent requests, so the limit cannot be raced past", async () => {
    r.k8s.addDeployment({ namespace: "shop", name: "race" });
    const incident = await declared({ alertname: "ManualCheck", namespace: "shop", service: "race" });
    const all = await Promise.all(
      Array.from({ length: 6 }, () =>
        requestRemediation({
          ctx: ctxOf(t.db, responder),
          input: { ref: incident.ref, runbook: "high-error-rate", action: "restart-deployment" },
          settings: r.settings,
        }),
      ),
    );
    expect(all.filter((run) => run.status === "approved")).toHaveLength(3);
    expect(all.filter((run) => run.status === "rate_limited")).toHaveLength(3);
  });

  it("does not count dry runs, and a dry run changes nothing", async () => {
    r.k8s.addDeployment({ namespace: "shop", name: "dry" });
    const incident = await declared({ alertname: "ManualCheck", namespace: "shop", service: "dry" });
    for (let i = 0; i < 4; i++) {
      const run = await requestRemediation({
        ctx: ctxOf(t.db, responder),
        input: { ref: incident.ref, runbook: "high-error-rate", action: "restart-deployment", dry_run: true },
        settings: r.settings,
      });
      expect(run).toMatchObject({ status: "approved", dry_run: true });
    }
    await drainJobs(t);
    expect(patchesOf("dry")).toEqual([]);
    expect((await runsOf(incident.id))[0]).toMatchObject({
      status: "succeeded",
      output: expect.stringMatching(/^Dry run: would restart deployment shop\/dry/),
    });
  });

  it("refuses a viewer, writing nothing", async () => {
    const incident = await declared({ alertname: "ManualCheck", namespace: "shop", service: "viewer-target" });
    const before = (await t.sql`select count(*)::int as n from audit_log`)[0]!.n;
    await expect(
      requestRemediation({
        ctx: ctxOf(t.db, viewer),
        input: { ref: incident.ref, runbook: "high-error-rate", action: "restart-deployment" },
        settings: r.settings,
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(await runsOf(incident.id)).toEqual([]);
    expect((await t.sql`select count(*)::int as n from audit_log`)[0]!.n).toBe(before);
  });

  it("records a run whose parameters the alert cannot fill as denied, with the reason", async () => {
    const incident = await declared({ alertname: "ManualCheck", service: "nowhere" });
    const run = await requestRemediation({
      ctx: ctxOf(t.db, responder),
      input: { ref: incident.ref, runbook: "high-error-rate", action: "restart-deployment" },
      settings: r.settings,
    });
    expect(run).toMatchObject({
      status: "denied",
      target: "(unresolved)",
      reason: expect.stringContaining("namespace: {{labels.namespace}}: none of its sources is set"),
    });
  });

  it("answers unknown actions and runbooks with not_found, and replicas on the wrong action as invalid", async () => {
    const incident = await declared({ alertname: "ManualCheck", namespace: "shop", service: "x" });
    await expect(
      requestRemediation({
        ctx: ctxOf(t.db, responder),
        input: { ref: incident.ref, runbook: "high-error-rate", action: "reboot" },
        settings: r.settings,
      }),
    ).rejects.toMatchObject({ code: "not_found", message: expect.stringContaining('has no action "reboot"') });
    await expect(
      requestRemediation({
        ctx: ctxOf(t.db, responder),
        input: { ref: incident.ref, runbook: "nope", action: "x" },
        settings: r.settings,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      requestRemediation({
        ctx: ctxOf(t.db, responder),
        input: { ref: incident.ref, runbook: "high-error-rate", action: "restart-deployment", replicas: 3 },
        settings: r.settings,
      }),
    ).rejects.toMatchObject({ code: "invalid" });
  });
});

describe("approval", () => {
  it("makes a risky action wait: it runs only after an admin approves", async () => {
    r.k8s.addDeployment({ namespace: "data", name: "pgbouncer" });
    const incident = await declared({ alertname: "DatabaseConnectionsExhausted", namespace: "data" });
    const run = await requestRemediation({
      ctx: ctxOf(t.db, responder),
      input: { ref: incident.ref, action: "restart-pooler" },
      settings: r.settings,
    });
    expect(run).toMatchObject({
      status: "pending_approval",
      target: "deployment data/pgbouncer",
      reason: "needs approval: the runbook marks this action as needing approval",
    });
    await drainJobs(t);
    expect(patchesOf("pgbouncer")).toEqual([]);

    await expect(
      approveRemediation({ ctx: ctxOf(t.db, responder), input: { id: run.id }, settings: r.settings }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const approved = await approveRemediation({ ctx: ctxOf(t.db, admin), input: { id: run.id }, settings: r.settings });
    expect(approved).toMatchObject({ status: "approved", decided_by: { name: "admin bot" } });
    await drainJobs(t);
    expect(patchesOf("pgbouncer")).toHaveLength(1);
    expect((await runsOf(incident.id))[0]).toMatchObject({ status: "succeeded", decidedByName: "admin bot" });
    expect((await auditsOf(run.id)).map((a) => a.action)).toEqual([
      "remediation.request",
      "remediation.approve",
      "remediation.finish",
    ]);
    await expect(
      approveRemediation({ ctx: ctxOf(t.db, admin), input: { id: run.id }, settings: r.settings }),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("lists the runs waiting for approval, longest waiting first, with their incidents, and drops a decided one", async () => {
    r.k8s.addDeployment({ namespace: "billing", name: "pgbouncer" });
    const incident = await declared({ alertname: "DatabaseConnectionsExhausted", namespace: "billing" });
    const run = await requestRemediation({
      ctx: ctxOf(t.db, responder),
      input: { ref: incident.ref, action: "restart-pooler" },
      settings: r.settings,
    });
    const pending = await listPendingApprovals({ ctx: ctxOf(t.db, viewer), input: {} });
    expect(pending.find((p) => p.id === run.id)).toMatchObject({
      status: "pending_approval",
      target: "deployment billing/pgbouncer",
      incident: { ref: incident.ref },
    });
    const waited = pending.map((p) => p.requested_at);
    expect(waited).toEqual([...waited].sort());
    await rejectRemediation({ ctx: ctxOf(t.db, admin), input: { id: run.id }, settings: r.settings });
    expect((await listPendingApprovals({ ctx: ctxOf(t.db, viewer), input: {} })).map((p) => p.id)).not.toContain(
      run.id,
    );
  });

  it("runs nothing once rejected, and a rejected run cannot be approved later", async () => {
    r.k8s.addDeployment({ namespace: "ledger", name: "pgbouncer" });
    const incident = await declared({ alertname: "DatabaseConnectionsExhausted", namespace: "ledger" });
    const run = await requestRemediation({
      ctx: ctxOf(t.db, responder),
      input: { ref: incident.ref, action: "restart-pooler" },
      settings: r.settings,
    });
    const rejected = await rejectRemediation({
      ctx: ctxOf(t.db, admin),
      input: { id: run.id, reason: "the DBA is on it" },
      settings: r.settings,
    });
    expect(rejected).toMatchObject({ status: "rejected", reason: "rejected by admin bot: the DBA is on it" });
    await drainJobs(t);
    expect(r.k8s.received.filter((q) => q.namespace === "ledger")).toEqual([]);
    await expect(
      approveRemediation({ ctx: ctxOf(t.db, admin), input: { id: run.id }, settings: r.settings }),
    ).rejects.toThrow(/not waiting for approval: it is rejected/);
    expect((await remediationEvents(incident.id)).map((e) => e.text).at(-1)).toBe(
      'admin bot rejected "Restart the connection pooler" (k8s.rollout_restart) on deployment ledger/pgbouncer: the DBA is on it',
    );
  });

  it("with the two-person rule lets a second responder approve, never the requester, and no API token", async () => {
    const twoPerson = { ...r.settings, twoPerson: true };
    r.k8s.addDeployment({ namespace: "orders", name: "pgbouncer" });
    const incident = await declared({ alertname: "DatabaseConnectionsExhausted", namespace: "orders" });
    const person = async (name: string): Promise<Actor> => {
      const [row] = await t.db
        .insert(users)
        .values({ email: `${name}-${crypto.randomUUID()}@example.com`, name, role: "responder" })
        .returning();
      return { type: "user", userId: row!.id, name, email: row!.email, role: "responder" };
    };
    const bob = await person("bob");
    // A token may not ask for what needs approval: its holder, signed in, would be the "second" person.
    await expect(
      requestRemediation({
        ctx: ctxOf(t.db, responder),
        input: { ref: incident.ref, action: "restart-pooler" },
        settings: twoPerson,
      }),
    ).rejects.toThrow(/requested by a person/);
    expect(await runsOf(incident.id)).toEqual([]);
    const run = await requestRemediation({
      ctx: ctxOf(t.db, bob),
      input: { ref: incident.ref, action: "restart-pooler" },
      settings: twoPerson,
    });
    await expect(
      approveRemediation({ ctx: ctxOf(t.db, bob), input: { id: run.id }, settings: twoPerson }),
    ).rejects.toThrow(/two-person rule/);
    // Bob's own API token would be anybody's: under the rule, tokens (even an admin's) decide nothing.
    for (const token of [responder, admin]) {
      await expect(
        approveRemediation({ ctx: ctxOf(t.db, token), input: { id: run.id }, settings: twoPerson }),
      ).rejects.toThrow(/not an API token/);
    }
    expect(
      (await approveRemediation({ ctx: ctxOf(t.db, await person("dana")), input: { id: run.id }, settings: twoPerson }))
        .status,
    ).toBe("approved");
  });
});

describe("at most once, whatever happens to the worker", () => {
  it("does not act twice when the worker dies mid-run: the retry finds the restart already applied", async () => {
    r.k8s.addDeployment({ namespace: "shop", name: "crashy" });
    const incident = await declared({ alertname: "ManualCheck", namespace: "shop", service: "crashy" });
    const run = await requestRemediation({
      ctx: ctxOf(t.db, responder),
      input: { ref: incident.ref, runbook: "high-error-rate", action: "restart-deployment" },
      settings: r.settings,
    });
    const real = createExecutor({
      kubernetes: { kind: "url", url: r.k8s.url, token: FAKE_KUBERNETES_TOKEN },
      appUrl: "http://localhost:3000",
    });
    // The worker applies the restart, then dies before it can record anything.
    const dying: RemediationExecutor = {
      async execute(request) {
        await real.execute(request);
        throw new Error("SIGKILL");
      },
    };
    await expect(executeRemediationRun(t.db, run.id, dying, r.settings, log)).rejects.toThrow("SIGKILL");
    expect((await runsOf(incident.id))[0]).toMatchObject({ status: "running", attempts: 1 });

    // A retry while the lease holds waits for it; nothing is sent.
    expect(await executeRemediationRun(t.db, run.id, real, r.settings, log)).toBe("busy");
    expect(patchesOf("crashy")).toHaveLength(1);

    // The lease runs out: the next attempt looks first, and finds this run's restart in place.
    await t.db
      .update(remediationRuns)
      .set({ leaseUntil: sql`now() - interval '1 second'` })
      .where(eq(remediationRuns.id, run.id));
    expect(await executeRemediationRun(t.db, run.id, real, r.settings, log)).toBe("succeeded");
    expect(patchesOf("crashy")).toHaveLength(1);
    expect(r.k8s.deployment("shop", "crashy")?.restarts).toHaveLength(1);
    expect((await runsOf(incident.id))[0]).toMatchObject({
      status: "succeeded",
      attempts: 2,
      output: expect.stringContaining("already restarted by this run"),
    });
    expect((await remediationEvents(incident.id)).filter((e) => e.text.startsWith("✅"))).toHaveLength(1);

    // And a finished run is never run again.
    expect(await executeRemediationRun(t.db, run.id, real, r.settings, log)).toBe("done");
  });

  it("lets only one of two workers racing for the same run act", async () => {
    r.k8s.addDeployment({ namespace: "shop", name: "racer" });
    const incident = await declared({ alertname: "ManualCheck", namespace: "shop", service: "racer" });
    const run = await requestRemediation({
      ctx: ctxOf(t.db, responder),
      input: { ref: incident.ref, runbook: "high-error-rate", action: "restart-deployment" },
      settings: r.settings,
    });
    const executor = createExecutor({
      kubernetes: { kind: "url", url: r.k8s.url, token: FAKE_KUBERNETES_TOKEN },
      appUrl: "http://localhost:3000",
    });
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => executeRemediationRun(t.db, run.id, executor, r.settings, log)),
    );
    expect(outcomes.filter((o) => o === "succeeded")).toHaveLength(1);
    expect(patchesOf("racer")).toHaveLength(1);
  });

  it("does not send an HTTP hook again after a crash: its outcome is unknown", async () => {
    const incident = await declared({ alertname: "ManualCheck", namespace: "shop", service: "hooked" });
    const run = await requestRemediation({
      ctx: ctxOf(t.db, admin),
      input: { ref: incident.ref, runbook: "high-error-rate", action: "restart-deployment" },
      settings: r.settings,
    });
    // As if it were a hook call whose worker died mid-request.
    await t.db
      .update(remediationRuns)
      .set({
        status: "running",
        leaseUntil: sql`now() - interval '1 second'`,
        attempts: 1,
        params: { type: "http.post", url: "http://127.0.0.1:9/hook", body: null },
      })
      .where(eq(remediationRuns.id, run.id));
    const executor = createExecutor({
      kubernetes: { kind: "none" },
      appUrl: "http://localhost:3000",
      fetch: () => Promise.reject(new Error("must not be called")),
    });
    expect(
      await executeRemediationRun(
        t.db,
        run.id,
        executor,
        { ...r.settings, httpAllowedUrls: ["http://127.0.0.1:9/"] },
        log,
      ),
    ).toBe("failed");
    expect((await t.db.select().from(remediationRuns).where(eq(remediationRuns.id, run.id)))[0]?.output).toMatch(
      /whether it took effect is unknown, so it is not sent again/,
    );
  });
});
