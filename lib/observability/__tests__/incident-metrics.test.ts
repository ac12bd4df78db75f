// The incident counter and histograms are recorded by the verbs once their change has committed: what the
// web server's /metrics then shows for creation, acknowledgement and resolution, by hand and from alerts.
import { describe, expect, it } from "vitest";
import { ingestAlertmanagerPayload, type IngestionSettings } from "@/lib/alerts/ingest-alertmanager-payload";
import { defaultSeverityMap } from "@/lib/alerts/severity";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { createIncident } from "@/lib/incidents/create-incident";
import { reopenIncident } from "@/lib/incidents/reopen-incident";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { updateIncident } from "@/lib/incidents/update-incident";
import { ctxOf, responder } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { getMetrics } from "../metrics";

const t = useTestDatabase();
const T0 = Date.parse("2026-11-28T06:00:00Z");
const at = (seconds: number) => ctxOf(t.db, responder, new Date(T0 + seconds * 1000));
let services = 0;
/** Each test uses a service of its own, so the process-wide metrics of other tests do not mix in. */
const newService = () => `metrics-${++services}-${Date.now()}`;

async function histogram(name: "timeToAcknowledge" | "timeToResolve", service: string) {
  const { values } = await getMetrics()[name].get();
  const mine = values.filter((v) => v.labels.incident_service === service);
  return {
    count: mine.find((v) => v.metricName?.endsWith("_count"))?.value ?? 0,
    sum: mine.find((v) => v.metricName?.endsWith("_sum"))?.value ?? 0,
  };
}

async function created(service: string, severity: string) {
  const { values } = await getMetrics().incidentsCreated.get();
  return values.find((v) => v.labels.incident_service === service && v.labels.severity === severity)?.value ?? 0;
}

describe("incident metrics", () => {
  it("counts a declared incident, and times its acknowledgement and resolution once each", async () => {
    const service = newService();
    const { incident } = await createIncident({
      ctx: at(0),
      input: { title: "Checkout 5xx", severity: "P1", service },
    });
    expect(await created(service, "P1")).toBe(1);

    await acknowledgeIncident({ ctx: at(90), input: { ref: incident.ref } });
    await acknowledgeIncident({ ctx: at(120), input: { ref: incident.ref } }); // a repeat changes nothing
    expect(await histogram("timeToAcknowledge", service)).toEqual({ count: 1, sum: 90 });

    await resolveIncident({ ctx: at(600), input: { ref: incident.ref } });
    await reopenIncident({ ctx: at(700), input: { ref: incident.ref } });
    await resolveIncident({ ctx: at(900), input: { ref: incident.ref } });
    expect(await histogram("timeToResolve", service)).toEqual({ count: 1, sum: 600 });
  });

  it("times a status set through an edit (PATCH) like the lifecycle verbs", async () => {
    const service = newService();
    const { incident } = await createIncident({
      ctx: at(0),
      input: { title: "Queue backlog", severity: "P2", service },
    });
    await updateIncident({
      ctx: at(45),
      input: { ref: incident.ref, status: "acknowledged", title: "Queue backlog in eu-west" },
    });
    await updateIncident({ ctx: at(300), input: { ref: incident.ref, status: "resolved" } });
    await updateIncident({ ctx: at(400), input: { ref: incident.ref, status: "resolved" } }); // no change: not timed again
    expect(await histogram("timeToAcknowledge", service)).toEqual({ count: 1, sum: 45 });
    expect(await histogram("timeToResolve", service)).toEqual({ count: 1, sum: 300 });
  });

  it("records nothing for a change that failed", async () => {
    const service = newService();
    const { incident } = await createIncident({ ctx: at(0), input: { title: "x", severity: "P3", service } });
    await resolveIncident({ ctx: at(60), input: { ref: incident.ref } });
    await expect(acknowledgeIncident({ ctx: at(120), input: { ref: incident.ref } })).rejects.toThrow(/reopen it/);
    expect(await histogram("timeToAcknowledge", service)).toEqual({ count: 0, sum: 0 });
  });

  it("does not time a drill", async () => {
    const service = newService();
    const { incident } = await createIncident({ ctx: at(0), input: { title: "Game day", severity: "P2", service } });
    await updateIncident({ ctx: at(1), input: { ref: incident.ref, exclude_from_metrics: true } });
    await acknowledgeIncident({ ctx: at(30), input: { ref: incident.ref } });
    expect(await histogram("timeToAcknowledge", service)).toEqual({ count: 0, sum: 0 });
    expect(await created(service, "P2")).toBe(1);
  });

  it("counts an incident opened by alerts and times its automatic resolution", async () => {
    const service = newService();
    const settings: IngestionSettings = {
      reopenWindowMs: 5 * 60_000,
      serviceLabel: "service",
      teamLabel: "team",
      severityMap: defaultSeverityMap,
    };
    const labels = { alertname: "HighErrorRate", service, severity: "critical" };
    const group = `{}:{alertname="HighErrorRate", service="${service}"}`;
    await ingestAlertmanagerPayload({ ctx: at(0), input: webhook(group, [alert({ labels })]), settings });
    expect(await created(service, "P2")).toBe(1);
    await ingestAlertmanagerPayload({
      ctx: at(1200),
      input: webhook(group, [alert({ labels, status: "resolved" })]),
      settings,
    });
    expect(await histogram("timeToResolve", service)).toEqual({ count: 1, sum: 1200 });
  });
});
