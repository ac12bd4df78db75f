// Heartbeats (dead man's switches): an integration expecting a ping at least every N minutes. Each ping
// moves one graphile-worker job (keyed per integration) to the new deadline; if the job runs, the pings
// stopped, and it feeds a firing alert to the ingestion core. The next ping resolves it.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { integrations, type IntegrationRow } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import type { AlertBatch } from "../alerts/alertmanager-payload";
import type { IngestionSettings } from "../alerts/ingest-alertmanager-payload";
import { systemActor, type Ctx, inTransaction } from "../context";
import { defineJob } from "../jobs/job-definition";
import { ingestionSettingsOf } from "./ingestion-settings";
import { enqueueJob } from "../jobs/enqueue";
import { optionsOf } from "./integration-options";
import { keyedFingerprint, receiveIntake, recordIntegrationEvent, type IntakeOutcome } from "./receive";

export const HEARTBEAT_CHECK_JOB = "intake.heartbeat_check";

const intervalMsOf = (row: IntegrationRow) => (optionsOf(row).interval_minutes ?? 5) * 60_000;

/** The check runs when the interval since `from` has passed; a later ping moves it. */
export async function scheduleHeartbeatCheck(db: DbOrTx, row: IntegrationRow, from: Date): Promise<void> {
  await enqueueJob(
    db,
    HEARTBEAT_CHECK_JOB,
    { integrationId: row.id },
    { jobKey: `heartbeat:${row.id}`, runAt: new Date(from.getTime() + intervalMsOf(row)), maxAttempts: 10 },
  );
}

const heartbeatGroup = (row: IntegrationRow) => `heartbeat:${row.id}`;

function missingHeartbeat(row: IntegrationRow, since: Date): AlertBatch {
  const minutes = optionsOf(row).interval_minutes ?? 5;
  const labels = { alertname: "HeartbeatMissing", integration: row.name };
  return {
    source: "heartbeat",
    instanceByFingerprint: true,
    groupKey: heartbeatGroup(row),
    receiver: null,
    groupLabels: {},
    commonLabels: labels,
    commonAnnotations: { summary: `No heartbeat from ${row.name} for ${minutes} min` },
    truncatedAlerts: 0,
    alerts: [
      {
        fingerprint: keyedFingerprint(row, "heartbeat"),
        status: "firing",
        labels,
        annotations: {
          summary: `No heartbeat from ${row.name} for ${minutes} min`,
          description: `The last ping arrived at ${since.toISOString()}; one is expected every ${minutes} min.`,
        },
        startsAt: since,
        endsAt: null,
        generatorUrl: null,
      },
    ],
  };
}

/** A ping: the deadline moves, and a missing-heartbeat incident (if any) resolves. */
export async function recordHeartbeatPing(
  ctx: Ctx,
  row: IntegrationRow,
  settings: IngestionSettings,
): Promise<IntakeOutcome> {
  await inTransaction(ctx, async (txCtx) => {
    await txCtx.db.update(integrations).set({ lastPingAt: ctx.now }).where(eq(integrations.id, row.id));
    await scheduleHeartbeatCheck(txCtx.db, row, ctx.now);
  });
  const resolved = await receiveIntake(
    ctx,
    row,
    { type: "resolve", fingerprint: keyedFingerprint(row, "heartbeat") },
    settings,
  );
  return { ...resolved, text: resolved.summary ? `ping; ${resolved.text}` : "ping" };
}

export const HeartbeatCheckPayload = z.object({ integrationId: z.uuid() });

/** The job: if no ping came within the interval, the heartbeat is missing and an incident opens. */
export async function checkHeartbeat(
  ctx: Ctx,
  integrationId: string,
  settings: IngestionSettings,
): Promise<IntakeOutcome | null> {
  const [row] = await ctx.db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row || row.kind !== "heartbeat") return null; // deleted since
  const since = row.lastPingAt ?? row.createdAt;
  if (ctx.now.getTime() - since.getTime() < intervalMsOf(row)) return null; // a ping moved the deadline
  return receiveIntake(ctx, row, { type: "alerts", batch: missingHeartbeat(row, since) }, settings);
}

export const heartbeatCheckJob = defineJob({
  name: HEARTBEAT_CHECK_JOB,
  payload: HeartbeatCheckPayload,
  maxAttempts: 10,
  async handler({ integrationId }, job) {
    const ctx = { db: job.db, actor: systemActor("heartbeat monitor"), now: new Date() };
    const outcome = await checkHeartbeat(ctx, integrationId, ingestionSettingsOf(job.config));
    if (!outcome) return;
    job.logger.info({ integrationId, outcome: outcome.text }, "heartbeat missing");
    await recordIntegrationEvent(job.db, { id: integrationId }, ctx.now, {
      action: "missed",
      status: 0,
      outcome: `no ping within the interval; ${outcome.text}`,
      incidentsOpened: outcome.incidentsOpened,
      payload: null,
    });
  },
});
