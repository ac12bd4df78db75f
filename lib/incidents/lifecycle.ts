// Applies one lifecycle move (acknowledge, status, resolve, reopen) to a locked incident row: the
// update, its timeline event and its audit row, on the caller's transaction.
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { alerts, type IncidentRow } from "@/db/schema";
import { describeAlertLabels } from "../alerts/describe-alert";
import { type Ctx, inTransaction } from "../context";
import { conflict } from "../errors";
import { recordIncidentTransitions } from "../observability/incident-metrics";
import { findIncident, toIncident } from "./incident-store";
import { recordIncidentChange, type IncidentPatch } from "./record-incident-change";
import { formatIncidentRef } from "./ref";
import type { IncidentChange } from "./schemas";
import { planLifecycleMove, type LifecycleMove } from "./state-machine";

/** `ctx.db` is the caller's transaction, in which `row` is locked. */
export async function moveIncident(
  ctx: Ctx,
  row: IncidentRow,
  move: LifecycleMove,
  options: MoveOptions,
): Promise<{ row: IncidentRow; changed: boolean }> {
  const plan = planLifecycleMove(row, move, ctx.now);
  if (!plan.changed) {
    // Resolving a resolved incident again is a retry and changes nothing; but a person's different note
    // would be dropped without a word, so that is refused, saying where the note can go.
    if (move.type === "resolve" && !options.automatic && options.note && options.note !== row.resolutionNote) {
      throw conflict(
        `${formatIncidentRef(row.number)} is already resolved${row.resolutionNote ? ` (its note: "${row.resolutionNote}")` : ""}: add your note to its timeline, or reopen it`,
      );
    }
    return { row, changed: false };
  }

  const patch: IncidentPatch = { ...plan.patch };
  if (plan.to === "resolved") {
    patch.resolutionNote = options.note || null;
    patch.autoResolved = options.automatic ?? false;
  }
  if (move.type === "reopen") patch.autoResolved = false;
  // A person may resolve while alerts still fire (say, a known issue being fixed): the timeline names them.
  const stillFiring = plan.to === "resolved" && !options.automatic ? await firingAlertNames(ctx.db, row.id) : [];
  const note = options.note ? `: ${options.note}` : "";
  const event =
    move.type === "reopen"
      ? { kind: "reopened", text: `Reopened by ${ctx.actor.name}${note}` }
      : plan.to === "acknowledged"
        ? { kind: "acknowledged", text: `Acknowledged by ${ctx.actor.name}${note}` }
        : plan.to === "resolved"
          ? {
              kind: "resolved",
              text: options.automatic
                ? `Resolved: ${options.note ?? "all alerts resolved"}`
                : `Resolved by ${ctx.actor.name}${note}${stillFiring.length ? `. Still firing: ${stillFiring.join(", ")}` : ""}`,
            }
          : {
              kind: "status_changed",
              text: `Status changed from ${plan.from} to ${plan.to} by ${ctx.actor.name}${note}`,
            };
  const data = {
    from: plan.from,
    to: plan.to,
    ...(options.note ? { note: options.note } : {}),
    ...(options.automatic ? { automatic: true } : {}),
  };
  const { row: updated } = await recordIncidentChange(ctx, row, {
    patch,
    event: { ...event, data: stillFiring.length ? { ...data, still_firing: stillFiring } : data },
    audit: {
      action: options.auditAction,
      details: { from: plan.from, to: plan.to, ...(options.note ? { note: options.note } : {}) },
    },
  });
  return { row: updated, changed: true };
}

export interface MoveOptions {
  note?: string;
  auditAction: string;
  /** The move was made by Vigil itself (all alerts resolved), not by a person. */
  automatic?: boolean;
}

async function firingAlertNames(db: DbOrTx, incidentId: string): Promise<string[]> {
  const rows = await db
    .select({ labels: alerts.labels })
    .from(alerts)
    .where(and(eq(alerts.incidentId, incidentId), eq(alerts.status, "firing")));
  return rows.map((r) => describeAlertLabels(r.labels));
}

/** The whole of a lifecycle verb after its checks: lock, move, and return the incident as shown. */
export async function changeLifecycle(
  ctx: Ctx,
  ref: string,
  move: LifecycleMove,
  options: MoveOptions,
): Promise<IncidentChange> {
  const { change, transition } = await inTransaction(ctx, async (txCtx) => {
    const row = await findIncident(txCtx.db, ref, { lock: true });
    const result = await moveIncident(txCtx, row, move, options);
    return {
      change: { incident: await toIncident(txCtx.db, result.row), changed: result.changed },
      transition: { before: row, after: result.row },
    };
  });
  // Only now is the move committed: time to acknowledge / resolve must never count a rolled-back one.
  if (change.changed) recordIncidentTransitions([transition]);
  return change;
}
