// People as the on-call tool sees them: their time zone, contact methods and notification rules. People
// edit their own; admins edit anyone's and add people before their first sign-in (recordSignIn links
// them by email then). A test notification is a job, so no vendor is called inside the request.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { contactMethods, notificationRules, users, type ContactMethodRow, type NotificationRuleRow } from "@/db/schema";
import { recordAudit } from "../audit/record-audit";
import { authorize } from "../auth/permissions";
import { roles } from "../auth/roles";
import { inTransaction, type Actor, type Ctx, type VerbArgs } from "../context";
import { AppError, conflict, notFound } from "../errors";
import { parseInput } from "../input";
import { enqueueJob } from "../jobs/enqueue";
import { ContactMethodFields, NotificationRuleFields, TimeZoneName } from "./contact-methods";

export const TEST_NOTIFICATION_JOB = "oncall.test_notification";

export const ContactMethod = z.object({
  id: z.uuid(),
  kind: z.enum(["email", "sms", "slack", "voice"]),
  value: z.string(),
  label: z.string(),
});
export const NotificationRule = z.object({
  id: z.uuid(),
  contact_method_id: z.uuid(),
  urgency: z.enum(["high", "low"]),
  delay_minutes: z.number().int(),
});
export const Person = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: z.enum(roles),
  time_zone: z.string().nullable(),
  /** Never signed in yet (added by an admin); linked by email at their first sign-in. */
  pending_sign_in: z.boolean(),
  /** The flag shown wherever they are scheduled: no page can reach them. */
  no_contact_methods: z.boolean(),
  contact_methods: z.array(ContactMethod),
  notification_rules: z.array(NotificationRule),
});
export type Person = z.infer<typeof Person>;

const methodDto = (m: ContactMethodRow) => ({ id: m.id, kind: m.kind, value: m.value, label: m.label });
const ruleDto = (r: NotificationRuleRow) => ({
  id: r.id,
  contact_method_id: r.contactMethodId,
  urgency: r.urgency,
  delay_minutes: r.delayMinutes,
});

/** The acting person's own user id, when the actor is a person. */
export const actorUserId = (actor: Actor): string | null =>
  actor.type === "user" || actor.type === "slack" ? actor.userId : null;

/** People may edit their own on-call details; admins anyone's. */
function authorizePersonEdit(actor: Actor, userId: string) {
  if (actorUserId(actor) === userId) authorize(actor, "oncall.edit_own");
  else authorize(actor, "oncall.manage");
}

/** `me` stands for the acting person. */
function resolvePersonId(actor: Actor, id: string): string {
  if (id !== "me") return id;
  const own = actorUserId(actor);
  if (!own)
    throw new AppError("invalid", "`me` needs a person signed in; an API token is nobody", {
      fieldErrors: [{ path: "id", message: "not a person" }],
    });
  return own;
}

export async function loadPeople(db: DbOrTx, ids?: string[]): Promise<Person[]> {
  if (ids && ids.length === 0) return [];
  const rows = await db
    .select()
    .from(users)
    .where(ids ? inArray(users.id, ids) : undefined)
    .orderBy(asc(users.name));
  const userIds = rows.map((u) => u.id);
  const methods = userIds.length
    ? await db
        .select()
        .from(contactMethods)
        .where(inArray(contactMethods.userId, userIds))
        .orderBy(asc(contactMethods.createdAt))
    : [];
  const rules = userIds.length
    ? await db
        .select()
        .from(notificationRules)
        .where(inArray(notificationRules.userId, userIds))
        .orderBy(asc(notificationRules.urgency), asc(notificationRules.delayMinutes))
    : [];
  return rows.map((u) => {
    const own = methods.filter((m) => m.userId === u.id);
    return {
      id: u.id,
      name: u.name,
      email: u.email,
      role: u.role,
      time_zone: u.timeZone,
      pending_sign_in: u.oidcSubject === null,
      no_contact_methods: own.length === 0,
      contact_methods: own.map(methodDto),
      notification_rules: rules.filter((r) => r.userId === u.id).map(ruleDto),
    };
  });
}

export async function listPeople({ ctx }: VerbArgs<unknown>): Promise<Person[]> {
  authorize(ctx.actor, "oncall.read");
  return loadPeople(ctx.db);
}

export async function getPerson({ ctx, input }: VerbArgs<{ id: string }>): Promise<Person> {
  authorize(ctx.actor, "oncall.read");
  const { id } = parseInput(z.object({ id: z.string() }), input);
  return findPerson(ctx.db, resolvePersonId(ctx.actor, id));
}

async function findPerson(db: DbOrTx, id: string): Promise<Person> {
  if (!z.uuid().safeParse(id).success) throw notFound(`Person ${id}`);
  const [person] = await loadPeople(db, [id]);
  if (!person) throw notFound(`Person ${id}`);
  return person;
}

export const AddPersonInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email(),
  // A viewer cannot acknowledge, so someone added to be scheduled is a responder unless said otherwise.
  role: z.enum(roles).default("responder"),
  time_zone: TimeZoneName.nullable().default(null),
});

/**
 * Adds a person before their first sign-in, so a team can be scheduled on day one. The role is pinned
 * (the admin chose it); their first sign-in links them by (verified) email.
 */
export async function addPerson({ ctx, input }: VerbArgs<z.input<typeof AddPersonInput>>): Promise<Person> {
  authorize(ctx.actor, "oncall.manage");
  const fields = parseInput(AddPersonInput, input);
  return inTransaction(ctx, async (txCtx) => {
    const [existing] = await txCtx.db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${fields.email})`);
    if (existing) throw conflict(`Someone with ${fields.email} already exists`);
    const [user] = await txCtx.db
      .insert(users)
      .values({
        name: fields.name,
        email: fields.email,
        role: fields.role,
        rolePinned: true,
        timeZone: fields.time_zone,
        createdAt: ctx.now,
      })
      .returning();
    await recordAudit(txCtx, {
      action: "person.add",
      resourceType: "user",
      resourceId: user!.id,
      details: { email: fields.email, role: fields.role },
    });
    return findPerson(txCtx.db, user!.id);
  });
}

export const UpdatePersonBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    time_zone: TimeZoneName.nullable().optional(),
  })
  .refine((v) => v.name !== undefined || v.time_zone !== undefined, { message: "give a name or a time_zone" });

export async function updatePerson({
  ctx,
  input,
}: VerbArgs<z.input<typeof UpdatePersonBody> & { id: string }>): Promise<Person> {
  const { id: rawId, ...body } = input as { id: string };
  const id = resolvePersonId(ctx.actor, rawId);
  authorizePersonEdit(ctx.actor, id);
  const fields = parseInput(UpdatePersonBody, body);
  return inTransaction(ctx, async (txCtx) => {
    const before = await findPerson(txCtx.db, id);
    await txCtx.db
      .update(users)
      .set({
        ...(fields.name ? { name: fields.name } : {}),
        ...(fields.time_zone !== undefined ? { timeZone: fields.time_zone } : {}),
      })
      .where(eq(users.id, id));
    await recordAudit(txCtx, {
      action: "person.update",
      resourceType: "user",
      resourceId: id,
      details: { from: { name: before.name, time_zone: before.time_zone }, to: fields },
    });
    return findPerson(txCtx.db, id);
  });
}

/** Runs `change` on a person's own on-call details in one transaction with its audit row. */
async function changePerson(
  ctx: Ctx,
  rawId: string,
  action: string,
  change: (tx: DbOrTx, userId: string) => Promise<Record<string, unknown>>,
): Promise<Person> {
  const userId = resolvePersonId(ctx.actor, rawId);
  authorizePersonEdit(ctx.actor, userId);
  return inTransaction(ctx, async (txCtx) => {
    await findPerson(txCtx.db, userId);
    const details = await change(txCtx.db, userId);
    await recordAudit(txCtx, { action, resourceType: "user", resourceId: userId, details });
    return findPerson(txCtx.db, userId);
  });
}

export async function addContactMethod({
  ctx,
  input,
}: VerbArgs<z.input<typeof ContactMethodFields> & { id: string }>): Promise<Person> {
  const { id, ...body } = input as { id: string };
  const fields = parseInput(ContactMethodFields, body);
  return changePerson(ctx, id, "person.add_contact_method", async (tx, userId) => {
    const [added] = await tx
      .insert(contactMethods)
      .values({ userId, ...fields, createdAt: ctx.now })
      .onConflictDoNothing()
      .returning();
    if (!added) throw conflict(`This person already has ${fields.kind} ${fields.value}`);
    return { kind: fields.kind, value: fields.value };
  });
}

export async function removeContactMethod({
  ctx,
  input,
}: VerbArgs<{ id: string; method_id: string }>): Promise<Person> {
  const { id, method_id } = parseInput(z.object({ id: z.string(), method_id: z.uuid() }), input);
  return changePerson(ctx, id, "person.remove_contact_method", async (tx, userId) => {
    const [removed] = await tx
      .delete(contactMethods)
      .where(and(eq(contactMethods.id, method_id), eq(contactMethods.userId, userId)))
      .returning();
    if (!removed) throw notFound(`Contact method ${method_id}`);
    return { kind: removed.kind, value: removed.value };
  });
}

export async function addNotificationRule({
  ctx,
  input,
}: VerbArgs<z.input<typeof NotificationRuleFields> & { id: string }>): Promise<Person> {
  const { id, ...body } = input as { id: string };
  const fields = parseInput(NotificationRuleFields, body);
  return changePerson(ctx, id, "person.add_notification_rule", async (tx, userId) => {
    const [method] = await tx
      .select({ id: contactMethods.id })
      .from(contactMethods)
      .where(and(eq(contactMethods.id, fields.contact_method_id), eq(contactMethods.userId, userId)));
    if (!method)
      throw new AppError("invalid", "The contact method is not this person's", {
        fieldErrors: [{ path: "contact_method_id", message: "not one of this person's contact methods" }],
      });
    const [added] = await tx
      .insert(notificationRules)
      .values({
        userId,
        contactMethodId: fields.contact_method_id,
        urgency: fields.urgency,
        delayMinutes: fields.delay_minutes,
        createdAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!added) throw conflict("This rule already exists");
    return { ...fields };
  });
}

export async function removeNotificationRule({
  ctx,
  input,
}: VerbArgs<{ id: string; rule_id: string }>): Promise<Person> {
  const { id, rule_id } = parseInput(z.object({ id: z.string(), rule_id: z.uuid() }), input);
  return changePerson(ctx, id, "person.remove_notification_rule", async (tx, userId) => {
    const [removed] = await tx
      .delete(notificationRules)
      .where(and(eq(notificationRules.id, rule_id), eq(notificationRules.userId, userId)))
      .returning();
    if (!removed) throw notFound(`Notification rule ${rule_id}`);
    return { urgency: removed.urgency, delay_minutes: removed.delayMinutes };
  });
}

/** Queues a test message to one contact method; the worker sends it through the configured channel. */
export async function sendTestNotification({
  ctx,
  input,
}: VerbArgs<{ id: string; method_id: string }>): Promise<{ queued: true; contact_method_id: string }> {
  const { id, method_id } = parseInput(z.object({ id: z.string(), method_id: z.uuid() }), input);
  await changePerson(ctx, id, "person.test_notification", async (tx, userId) => {
    const [method] = await tx
      .select()
      .from(contactMethods)
      .where(and(eq(contactMethods.id, method_id), eq(contactMethods.userId, userId)));
    if (!method) throw notFound(`Contact method ${method_id}`);
    await enqueueJob(tx, TEST_NOTIFICATION_JOB, { contact_method_id: method_id }, { maxAttempts: 3 });
    return { kind: method.kind, value: method.value };
  });
  return { queued: true, contact_method_id: method_id };
}
