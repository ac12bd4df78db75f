// Escalation policies as data: admins create, replace and delete them; everyone reads them. A save
// refuses targets that do not exist (naming the field) and returns the lint warnings of what was saved.
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { escalationPolicies, integrations, schedules, users, type EscalationPolicyRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { inTransaction, type VerbArgs } from "../context";
import { AppError, conflict, notFound, type FieldError } from "../errors";
import { parseInput } from "../input";
import { EscalationPolicyFields, EscalationStep, type PolicyDefinition, type TargetLookup } from "./escalation-policy";
import { lintPolicy } from "./lint";
import { onCallAt } from "./on-call-at";
import { loadScheduleModels, LintWarningDto, peopleFacts } from "./schedules";

export const EscalationPolicyDto = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  team: z.string().nullable(),
  repeat: z.number().int(),
  is_default: z.boolean(),
  steps: z.array(EscalationStep),
  warnings: z.array(LintWarningDto),
});
export type EscalationPolicyDto = z.infer<typeof EscalationPolicyDto>;

export const toPolicyDefinition = (row: EscalationPolicyRow): PolicyDefinition => ({
  id: row.id,
  name: row.name,
  repeat: row.repeat,
  steps: row.steps,
});

/**
 * Who each target reaches at `at`: schedules through the one on-call function, people while they exist
 * and are not disabled. Shared by lint, the preview, /oncall and the engine.
 */
export async function targetLookupAt(db: DbOrTx, policies: PolicyDefinition[], at: Date): Promise<TargetLookup> {
  const targets = policies.flatMap((p) => p.steps.flatMap((s) => s.targets));
  const scheduleIds = [...new Set(targets.flatMap((t) => (t.type === "schedule" ? [t.schedule_id] : [])))];
  const loaded = scheduleIds.length ? await loadScheduleModels(db, scheduleIds, at) : [];
  const onCall = new Map(loaded.map((s) => [s.row.id, onCallAt(s.model, at)]));
  const userIds = [...targets.flatMap((t) => (t.type === "user" ? [t.user_id] : [])), ...[...onCall.values()].flat()];
  const active = new Set(
    userIds.length
      ? (
          await db
            .select({ id: users.id })
            .from(users)
            .where(and(inArray(users.id, userIds), isNull(users.disabledAt)))
        ).map((r) => r.id)
      : [],
  );
  return { onCall: (id) => onCall.get(id) ?? [], userActive: (id) => active.has(id) };
}

async function policyDto(db: DbOrTx, row: EscalationPolicyRow, now: Date): Promise<EscalationPolicyDto> {
  const definition = toPolicyDefinition(row);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    team: row.team,
    repeat: row.repeat,
    is_default: row.isDefault,
    steps: row.steps,
    warnings: lintPolicy(definition, await targetLookupAt(db, [definition], now)),
  };
}

export async function listPolicies({ ctx }: VerbArgs<unknown>): Promise<EscalationPolicyDto[]> {
  authorize(ctx.actor, "oncall.read");
  const rows = await ctx.db.select().from(escalationPolicies).orderBy(asc(escalationPolicies.name));
  return Promise.all(rows.map((row) => policyDto(ctx.db, row, ctx.now)));
}

const IdInput = z.object({ id: z.uuid() });

export async function getPolicy({ ctx, input }: VerbArgs<{ id: string }>): Promise<EscalationPolicyDto> {
  authorize(ctx.actor, "oncall.read");
  const { id } = parseInput(IdInput, input);
  const [row] = await ctx.db.select().from(escalationPolicies).where(eq(escalationPolicies.id, id));
  if (!row) throw notFound(`Escalation policy ${id}`);
  return policyDto(ctx.db, row, ctx.now);
}

/** Every user and schedule a policy names must exist. */
async function checkTargetsExist(db: DbOrTx, fields: z.output<typeof EscalationPolicyFields>) {
  const named = fields.steps.flatMap((step, i) =>
    step.targets.map((target, j) => ({ path: `steps.${i}.targets.${j}`, target })),
  );
  const scheduleIds = named.flatMap((n) => (n.target.type === "schedule" ? [n.target.schedule_id] : []));
  const knownSchedules = new Set(
    scheduleIds.length
      ? (await db.select({ id: schedules.id }).from(schedules).where(inArray(schedules.id, scheduleIds))).map(
          (r) => r.id,
        )
      : [],
  );
  const people = await peopleFacts(
    db,
    named.flatMap((n) => (n.target.type === "user" ? [n.target.user_id] : [])),
  );
  const fieldErrors: FieldError[] = named.flatMap(({ path, target }) => {
    if (target.type === "schedule" && !knownSchedules.has(target.schedule_id))
      return [{ path: `${path}.schedule_id`, message: `no schedule has id ${target.schedule_id}` }];
    if (target.type === "user" && !people.known(target.user_id))
      return [{ path: `${path}.user_id`, message: `no person has id ${target.user_id}` }];
    return [];
  });
  if (fieldErrors.length) throw new AppError("invalid", "The policy names targets that do not exist", { fieldErrors });
}

async function savePolicy(
  ctx: VerbArgs<unknown>["ctx"],
  id: string | null,
  input: unknown,
  routingPolicyNames: string[] = [],
): Promise<EscalationPolicyDto> {
  authorize(ctx.actor, "oncall.manage");
  const fields = parseInput(EscalationPolicyFields, input);
  await checkTargetsExist(ctx.db, fields);
  return inTransaction(ctx, async (txCtx) => {
    const [same] = await txCtx.db
      .select({ id: escalationPolicies.id })
      .from(escalationPolicies)
      .where(sql`lower(${escalationPolicies.name}) = lower(${fields.name})`);
    if (same && same.id !== id) throw conflict(`An escalation policy named "${fields.name}" already exists`);
    const [before] = id
      ? await txCtx.db.select().from(escalationPolicies).where(eq(escalationPolicies.id, id)).for("update")
      : [];
    // One default: making this one the default takes it from the other.
    if (fields.is_default)
      await txCtx.db.update(escalationPolicies).set({ isDefault: false }).where(eq(escalationPolicies.isDefault, true));
    const values = {
      name: fields.name,
      description: fields.description,
      team: fields.team,
      repeat: fields.repeat,
      isDefault: fields.is_default,
      steps: fields.steps,
      updatedAt: ctx.now,
    };
    const [row] = id
      ? await txCtx.db.update(escalationPolicies).set(values).where(eq(escalationPolicies.id, id)).returning()
      : await txCtx.db
          .insert(escalationPolicies)
          .values({ ...values, createdAt: ctx.now })
          .returning();
    if (!row) throw notFound(`Escalation policy ${id}`);
    if (
      before &&
      before.name.toLowerCase() !== row.name.toLowerCase() &&
      routingPolicyNames.some((n) => n.toLowerCase() === before.name.toLowerCase())
    )
      throw conflict(`The routing file sends incidents to "${before.name}": rename it there too, after this`);
    if (before && before.name.toLowerCase() !== row.name.toLowerCase())
      await refuseIfIntegrationsFeed(txCtx.db, before.name, "rename it there too, after this");
    await recordAudit(txCtx, {
      action: id ? "escalation_policy.replace" : "escalation_policy.create",
      resourceType: "escalation_policy",
      resourceId: row.id,
      details: {
        name: fields.name,
        steps: fields.steps.length,
        repeat: fields.repeat,
        is_default: fields.is_default,
      },
    });
    return policyDto(txCtx.db, row, ctx.now);
  });
}

/** The routing file's `escalation:` names, so a policy it relies on is not deleted or renamed under it. */
export interface RoutingNames {
  routingPolicyNames?: string[];
}

export const createPolicy = ({ ctx, input }: VerbArgs<z.input<typeof EscalationPolicyFields>>) =>
  savePolicy(ctx, null, input);

export async function replacePolicy({
  ctx,
  input,
  routingPolicyNames,
}: VerbArgs<z.input<typeof EscalationPolicyFields> & { id: string }> & RoutingNames): Promise<EscalationPolicyDto> {
  const { id, ...body } = input as { id: string };
  parseInput(IdInput, { id });
  return savePolicy(ctx, id, body, routingPolicyNames);
}

export async function deletePolicy({
  ctx,
  input,
  routingPolicyNames = [],
}: VerbArgs<{ id: string }> & RoutingNames): Promise<{ deleted: true }> {
  authorize(ctx.actor, "oncall.manage");
  const { id } = parseInput(IdInput, input);
  await inTransaction(ctx, async (txCtx) => {
    const [row] = await txCtx.db.delete(escalationPolicies).where(eq(escalationPolicies.id, id)).returning();
    if (!row) throw notFound(`Escalation policy ${id}`);
    if (routingPolicyNames.some((n) => n.toLowerCase() === row.name.toLowerCase()))
      throw conflict(`The routing file sends incidents to "${row.name}": change it there before deleting the policy`);
    await refuseIfIntegrationsFeed(txCtx.db, row.name, "change them before deleting the policy");
    await recordAudit(txCtx, {
      action: "escalation_policy.delete",
      resourceType: "escalation_policy",
      resourceId: id,
      details: { name: row.name },
    });
  });
  return { deleted: true };
}

/** Integrations name the policy their incidents follow: it cannot vanish or be renamed under them. */
async function refuseIfIntegrationsFeed(db: DbOrTx, name: string, remedy: string): Promise<void> {
  const feeding = await db
    .select({ name: integrations.name })
    .from(integrations)
    .where(sql`lower(${integrations.escalationPolicy}) = ${name.toLowerCase()}`);
  if (feeding.length)
    throw conflict(`Integrations send incidents to "${name}" (${feeding.map((i) => i.name).join(", ")}): ${remedy}`);
}

/** The names of the policies that exist (lower-cased), for checking the routing file's `escalation:`. */
export async function policyNames(db: DbOrTx): Promise<Set<string>> {
  const rows = await db.select({ name: escalationPolicies.name }).from(escalationPolicies);
  return new Set(rows.map((r) => r.name.toLowerCase()));
}

/** The default policy's name: incidents that neither their integration nor a routing rule send elsewhere follow it. */
export async function defaultPolicyName(db: DbOrTx): Promise<string | null> {
  const [row] = await db
    .select({ name: escalationPolicies.name })
    .from(escalationPolicies)
    .where(eq(escalationPolicies.isDefault, true));
  return row?.name ?? null;
}
