// At a window's end (graphile-worker runs this job at `run_at`, or at once when the window is ended
// early): each incident it held back that is still unresolved gets an `unmuted` event, whose plan pages as
// the incident would have been paged. A retried job finds the incidents already released and pages nobody.
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { incidents, maintenanceWindows, mutedIncidents } from "@/db/schema";
import { inTransaction, systemActor, type Ctx } from "../context";
import { appendTimelineEvent } from "../incidents/incident-store";
import { defineJob } from "../jobs/job-definition";
import { MAINTENANCE_ACTOR_NAME, mutingWindows, recordMuted } from "./muting";
import { windowState } from "./window-matcher";
import { WINDOW_END_JOB } from "./window-store";

/** Releases what the window held back; the number of incidents whose paging starts now. */
export async function releaseHeldIncidents(db: DbOrTx, windowId: string, now: Date): Promise<number> {
  const maintenance: Ctx = { db, actor: systemActor(MAINTENANCE_ACTOR_NAME), now };
  return inTransaction(maintenance, async (ctx) => {
    const tx = ctx.db;
    const [window] = await tx
      .select()
      .from(maintenanceWindows)
      .where(eq(maintenanceWindows.id, windowId))
      .for("update");
    // Extended since this job was queued: the job at its new end releases them.
    if (!window || windowState(window, now) !== "ended") return 0;
    const held = await tx
      .select({ incident: incidents })
      .from(mutedIncidents)
      .innerJoin(incidents, eq(incidents.id, mutedIncidents.incidentId))
      .where(and(eq(mutedIncidents.windowId, windowId), isNull(mutedIncidents.releasedAt)))
      .for("update", { of: mutedIncidents });
    let paging = 0;
    for (const { incident } of held) {
      await tx
        .update(mutedIncidents)
        .set({ releasedAt: now })
        .where(and(eq(mutedIncidents.windowId, windowId), eq(mutedIncidents.incidentId, incident.id)));
      if (incident.status === "resolved") continue;
      // Another window still covers it: that one's end pages it.
      const still = await mutingWindows(tx, incident, now);
      if (still.length > 0) {
        await recordMuted(tx, incident.id, still, now);
        continue;
      }
      const what = window.kind === "snooze" ? "The snooze" : `Maintenance window “${window.name}”`;
      await appendTimelineEvent(ctx, incident.id, {
        kind: "unmuted",
        text: `${what} ended while the incident is unresolved: paging starts`,
        data: { window: window.id },
      });
      paging++;
    }
    return paging;
  });
}

export const windowEndJob = defineJob({
  name: WINDOW_END_JOB,
  payload: z.object({ window_id: z.uuid() }),
  maxAttempts: 25,
  async handler({ window_id }, job) {
    const paging = await releaseHeldIncidents(job.db, window_id, new Date());
    job.logger.info({ window: window_id, paging }, "maintenance window ended");
  },
});
