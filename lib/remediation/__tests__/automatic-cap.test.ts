// The global cap on automatic runs (REMEDIATION_MAX_AUTO_PER_HOUR, here 2): alert labels choose what an
// automatic restart acts on, so alerts crafted for many deployments must not restart them all.
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, remediationRuns } from "@/db/schema";
import { ingestAlertmanagerPayload, type IngestionSettings } from "@/lib/alerts/ingest-alertmanager-payload";
import { defaultSeverityMap } from "@/lib/alerts/severity";
import { createIncident } from "@/lib/incidents/create-incident";
import { requestRemediation } from "@/lib/remediation/request-remediation";
import { admin, ctxOf, responder } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { drainJobs } from "@/test/jobs";
import { useRemediation } from "@/test/remediation";

const t = useTestDatabase();
const r = useRemediation(t, { REMEDIATION_MAX_AUTO_PER_HOUR: "2" });
const ingestion: IngestionSettings = {
  reopenWindowMs: 5 * 60_000,
  serviceLabel: "service",
  teamLabel: "team",
  severityMap: defaultSeverityMap,
};

/** A HighErrorRate alert group aimed at `deployment` by its labels. */
const aimedAt = (deployment: string) => {
  r.k8s.addDeployment({ namespace: "shop", name: deployment, replicas: 3 });
  return webhook(`{}:{alertname="HighErrorRate",deployment="${deployment}"}`, [
    alert({
      labels: { alertname: "HighErrorRate", service: deployment, namespace: "shop", deployment, severity: "critical" },
      startsAt: new Date().toISOString(),
    }),
  ]);
};
const automaticRuns = () =>
  t.db
    .select()
    .from(remediationRuns)
    .where(eq(remediationRuns.automatic, true))
    .orderBy(asc(remediationRuns.requestedAt));
const restarted = () => r.k8s.received.filter((q) => q.method === "PATCH").map((q) => q.name);

describe("the cap on automatic remediation runs per hour", () => {
  it("restarts only the first two of four deployments alerts aim at, at once, and records the rest as rate limited, saying why", async () => {
    const targets = ["alpha", "bravo", "charlie", "delta"];
    await Promise.all(
      targets.map((d) =>
        ingestAlertmanagerPayload({ ctx: ctxOf(t.db, responder), input: aimedAt(d), settings: ingestion }),
      ),
    );
    await drainJobs(t);

    const runs = await automaticRuns();
    expect(runs).toHaveLength(4);
    expect(runs.filter((run) => run.status === "succeeded")).toHaveLength(2);
    const limited = runs.filter((run) => run.status === "rate_limited");
    expect(limited).toHaveLength(2);
    for (const run of limited)
      expect(run.reason).toBe(
        "2 automatic runs in the last hour over all targets; at most 2 per hour (REMEDIATION_MAX_AUTO_PER_HOUR)",
      );
    expect(restarted()).toHaveLength(2);

    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "remediation.request"), eq(auditLog.resourceId, limited[0]!.id)));
    expect(audit?.details).toMatchObject({
      decision: "rate_limited",
      automatic: true,
      reason: expect.stringContaining("REMEDIATION_MAX_AUTO_PER_HOUR"),
    });
  });

  it("leaves people's requests to the per-target limit alone", async () => {
    r.k8s.addDeployment({ namespace: "shop", name: "echo" });
    const incident = (
      await createIncident({
        ctx: ctxOf(t.db, admin),
        input: {
          title: "by hand",
          severity: "P2",
          labels: { alertname: "ManualCheck", namespace: "shop", service: "echo" },
        },
      })
    ).incident;
    const run = await requestRemediation({
      ctx: ctxOf(t.db, responder),
      input: { ref: incident.ref, runbook: "high-error-rate", action: "restart-deployment" },
      settings: r.settings,
    });
    expect(run.status).toBe("approved");
  });
});
