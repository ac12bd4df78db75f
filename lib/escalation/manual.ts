// People steering an escalation: "escalate now" runs the next step at once; reassigning stops the run
// and starts a new one for a person (who becomes the owner) or a named policy. Responders may do both.
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { escalations, type EscalationRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { inTransaction, type Ctx, type VerbArgs } from "../context";
import { conflict, invalid } from "../errors";
import { findIncident, resolveUserReference, toIncident } from "../incidents/incident-store";
import { recordIncidentChange } from "../incidents/record-incident-change";
import { formatIncidentRef } from "../incidents/ref";
import type { Incident } from "../incidents/schemas";
import { parseInput } from "../input";
import { PolicyName } from "../oncall/escalation-policy";
import { lockIncidentEscalation } from "./locks";
import { policyByName } from "./policy-of";
import { runStep } from "./run-step";
import { activeEscalation, startEscalation } from "./start";
import { stopEscalation } from "./stop";

export const EscalationDto = z.object({
  id: z.uuid(),
  state: z.enum(["active", "stopped", "exhausted"]),
  policy: z.string(),
  policy_source: z.string(),
  urgency: z.enum(["high", "low"]),
  next_step: z.number().int().describe("The step that runs next (1-based), with `pass` counting the policy's repeats"),
  pass: z.number().int(),
  next_step_at: z.string().nullable(),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  ended_reason: z.string().nullable(),
});
export type EscalationDto = z.infer<typeof EscalationDto>;

export const toEscalationDto = (row: EscalationRow): EscalationDto => ({
  id: row.id,
  state: row.state,
  policy: row.policyName,
  policy_source: row.policySource,
  urgency: row.urgency,
  next_step: row.step + 1,
  pass: row.pass,
  next_step_at: row.nextStepAt?.toISOString() ?? null,
  started_at: row.startedAt.toISOString(),
  ended_at: row.endedAt?.toISOString() ?? null,
  ended_reason: row.endedReason,
});

export interface EscalationChange {
  incident: Incident;
  escalation: EscalationDto | null;
}

const RefInput = z.object({ ref: z.string().min(1).max(100) });
export const ReassignBody = z.union([
  z.strictObject({ user_id: z.uuid().describe("The person to page (and make the owner)") }),
  z.strictObject({ policy: PolicyName.describe("The escalation policy to run instead, by name") }),
]);
const ReassignInput = z.intersection(RefInput, ReassignBody);

/** Locks the incident's escalation first, then its row: the engine's jobs take them in that order too. */
async function lockedIncident(ctx: Ctx, ref: string) {
  const { id } = await findIncident(ctx.db, ref);
  await lockIncidentEscalation(ctx.db, id);
  return findIncident(ctx.db, ref, { lock: true });
}

async function latestRun(ctx: Ctx, incidentId: string): Promise<EscalationDto | null> {
  const [row] = await ctx.db
    .select()
    .from(escalations)
    .where(eq(escalations.incidentId, incidentId))
    .orderBy(desc(escalations.startedAt))
    .limit(1);
  return row ? toEscalationDto(row) : null;
}

/** Runs the next step now instead of at its time; the timeline names who asked. */
export async function escalateNow({ ctx, input }: VerbArgs<{ ref: string }>): Promise<EscalationChange> {
  authorize(ctx.actor, "incident.update");
  const { ref } = parseInput(RefInput, input);
  return inTransaction(ctx, async (tx) => {
    const row = await lockedIncident(tx, ref);
    const shown = formatIncidentRef(row.number);
    if (row.status !== "open") throw conflict(`${shown} is ${row.status}: only an open incident escalates`);
    const run = await activeEscalation(tx, row.id);
    if (!run) throw conflict(`${shown} has no running escalation (no policy, or its policy has run out)`);
    const after = await runStep(tx, run, row, { manualBy: tx });
    const [current] = await tx.db.select().from(escalations).where(eq(escalations.id, after.id));
    return { incident: await toIncident(tx.db, row), escalation: toEscalationDto(current!) };
  });
}

/** Stops the running escalation and starts one for this person (the new owner) or this policy. */
export async function reassignIncident({
  ctx,
  input,
}: VerbArgs<{ ref: string } & ({ user_id: string } | { policy: string })>): Promise<EscalationChange> {
  authorize(ctx.actor, "incident.update");
  const fields = parseInput(ReassignInput, input);
  return inTransaction(ctx, async (tx) => {
    let row = await lockedIncident(tx, fields.ref);
    const by = ctx.actor.name;
    if ("user_id" in fields) {
      const person = await resolveUserReference(tx.db, fields.user_id, "user_id");
      await stopEscalation(
        tx,
        row.id,
        "reassigned",
        `Escalation stopped: ${by} reassigned the incident to ${person.name}`,
      );
      if (row.ownerId !== person.id)
        ({ row } = await recordIncidentChange(tx, row, {
          patch: { ownerId: person.id },
          event: {
            kind: "updated",
            text: `${by} reassigned the incident to ${person.name}`,
            data: { changes: { owner: { from: row.ownerId, to: person.name } } },
          },
          audit: { action: "incident.reassign", details: { user_id: person.id } },
        }));
      // Paged like a one-step policy of its own, repeated, until someone acknowledges.
      await startEscalation(tx, row, null, {
        policy: {
          id: row.id,
          name: `Reassigned to ${person.name}`,
          repeat: 2,
          steps: [{ delay_minutes: 15, targets: [{ type: "user", user_id: person.id }], delivery: "everyone" }],
        },
        source: "reassigned",
        why: `reassigned by ${by}`,
        adhoc: true,
      });
    } else {
      const policy = await policyByName(tx.db, fields.policy);
      if (!policy)
        throw invalid(`No escalation policy is named "${fields.policy}"`, [
          { path: "policy", message: "no such policy" },
        ]);
      await stopEscalation(
        tx,
        row.id,
        "reassigned",
        `Escalation stopped: ${by} handed the incident to “${policy.name}”`,
      );
      await startEscalation(tx, row, null, { policy, source: "reassigned", why: `reassigned by ${by}` });
      await recordAudit(tx, {
        action: "incident.reassign",
        resourceType: "incident",
        resourceId: row.id,
        details: { ref: formatIncidentRef(row.number), policy: policy.name },
      });
    }
    return { incident: await toIncident(tx.db, row), escalation: await latestRun(tx, row.id) };
  });
}
