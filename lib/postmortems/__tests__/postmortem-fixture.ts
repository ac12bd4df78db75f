// The fixture incident the golden test writes a postmortem for, built through the same verbs people and
// Alertmanager use, at fixed times: two alerts fire, PagerDuty pages, Bob takes it, notes, a remediation
// run restarts checkout, and Bob resolves it with a note.
import { eq } from "drizzle-orm";
import { incidents, remediationRuns, users } from "@/db/schema";
import { defaultSeverityMap } from "@/lib/alerts/severity";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { systemActor, type Actor } from "@/lib/context";
import { acknowledgeIncident } from "@/lib/incidents/acknowledge-incident";
import { addTimelineEvent } from "@/lib/incidents/add-timeline-event";
import { appendTimelineEvent } from "@/lib/incidents/incident-store";
import { resolveIncident } from "@/lib/incidents/resolve-incident";
import { updateIncident } from "@/lib/incidents/update-incident";
import { ctxOf, responder } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import type { TestDatabase } from "@/test/database";

/** 06:20 UTC on 28 November 2026, plus minutes (and seconds). */
export const at = (minutes: number, seconds = 0) => new Date(Date.UTC(2026, 10, 28, 6, 20 + minutes, seconds));

const ingestion = {
  reopenWindowMs: 5 * 60_000,
  serviceLabel: "service",
  teamLabel: "team",
  severityMap: defaultSeverityMap,
};

export async function bobOf(t: TestDatabase): Promise<Actor & { type: "user" }> {
  const email = `bob-${crypto.randomUUID()}@example.com`;
  const [bob] = await t.db.insert(users).values({ email, name: "Bob Responder", role: "responder" }).returning();
  return { type: "user", userId: bob!.id, name: "Bob Responder", email, role: "responder" };
}

export async function buildFixtureIncident(t: TestDatabase, group = '{}:{alertname="HighErrorRate"}') {
  const bob = await bobOf(t);
  const summary = { summary: "Checkout 5xx above 5%" };
  const firing = [
    alert({
      labels: { alertname: "HighErrorRate", instance: "web-1", service: "checkout", severity: "critical" },
      annotations: summary,
      startsAt: at(0).toISOString(),
    }),
    alert({
      labels: { alertname: "HighErrorRate", instance: "web-2", service: "payments", severity: "critical" },
      annotations: summary,
      startsAt: at(0, 30).toISOString(),
    }),
  ];
  const ingested = await ingestAlertmanagerPayload({
    ctx: ctxOf(t.db, responder, at(1)),
    input: webhook(group, firing),
    settings: ingestion,
  });
  const ref = ingested.incidents.created[0]!;
  const [row] = await t.db
    .select()
    .from(incidents)
    .where(eq(incidents.number, Number(ref.slice(4))));
  const id = row!.id;

  await appendTimelineEvent(ctxOf(t.db, systemActor("Vigil notifications"), at(1, 5)), id, {
    kind: "notification_sent",
    text: "Paged via PagerDuty",
  });
  await updateIncident({ ctx: ctxOf(t.db, bob, at(4)), input: { ref, owner: bob.email } });
  await acknowledgeIncident({ ctx: ctxOf(t.db, bob, at(5)), input: { ref } });
  await addTimelineEvent({
    ctx: ctxOf(t.db, bob, at(11)),
    input: { ref, text: "Deploy 2026.11.28-1 raised the error rate; rolling back." },
  });
  await t.db.insert(remediationRuns).values({
    incidentId: id,
    actionId: "restart-checkout",
    actionType: "k8s.rollout_restart",
    target: "deployment shop/checkout",
    rateKey: "k8s.rollout_restart:shop/checkout",
    params: { namespace: "shop", deployment: "checkout" },
    status: "succeeded",
    requestedByType: "user",
    requestedById: bob.userId,
    requestedByName: "Bob Responder",
    requestedAt: at(15),
    startedAt: at(15, 10),
    finishedAt: at(15, 40),
    updatedAt: at(15, 40),
  });
  // A kind this code has never heard of: remediation writes its own events.
  await appendTimelineEvent(ctxOf(t.db, systemActor("Vigil remediation"), at(15, 40)), id, {
    kind: "remediation",
    text: "Rollout restart of deployment shop/checkout succeeded",
  });
  await addTimelineEvent({
    ctx: ctxOf(t.db, bob, at(30)),
    input: { ref, text: "Error rate | p95 back to normal\non both instances" },
  });
  await resolveIncident({
    ctx: ctxOf(t.db, bob, at(83, 30)),
    input: { ref, resolution_note: "Rolled back checkout to 2026.11.27-3; error rate back under 0.1%" },
  });
  return { ref, id, bob };
}
