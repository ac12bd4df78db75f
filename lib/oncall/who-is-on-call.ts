// "Who is on call at t" for every schedule (or those of a team), with until when and whether a page can
// reach them: the answer of GET /api/v1/oncall and Slack's /oncall, from the one on-call function.
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { escalationPolicies } from "@/db/schema";
import { authorize } from "../auth/permissions";
import { routeIncident, type ChannelSettings } from "../notifications/route-incident";
import type { RoutingConfig } from "../notifications/routing-config";
import { choosePolicy, type PolicySource } from "./escalation-policy";
import type { VerbArgs } from "../context";
import { AppError } from "../errors";
import { parseInput } from "../input";
import { ON_CALL_HORIZON_MS, onCallUntil } from "./on-call-at";
import { loadCurrentSchedules } from "./schedule-cache";
import { peopleFacts } from "./schedules";

export const OnCallQuery = z.strictObject({
  at: z.iso.datetime({ offset: true }).optional().describe("The instant to ask about (default: now)"),
  team: z.string().trim().min(1).max(100).optional().describe("Only the schedules of this team"),
  schedule_id: z.uuid().optional(),
  service: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "Only the schedules an incident for this service would page (its routing rule's policy, else the default)",
    ),
});

export const OnCallEntry = z.object({
  schedule: z.object({ id: z.uuid(), name: z.string(), team: z.string().nullable(), time_zone: z.string() }),
  on_call: z.array(z.object({ user_id: z.uuid(), name: z.string(), no_contact_methods: z.boolean() })),
  until: z.string().nullable().describe("When this answer changes next (null: not within 60 days)"),
});
export type OnCallEntry = z.infer<typeof OnCallEntry>;
export const OnCallAnswer = z.object({ at: z.string(), schedules: z.array(OnCallEntry) });

const noChannels: ChannelSettings = {
  pagerduty: false,
  slack: { enabled: false },
  email: { enabled: false },
  sms: { enabled: false },
};

/**
 * The schedules an incident for `service` would page: its routing rule's policy (else the default), step
 * by step; also the policy and why it was chosen, for the policy preview.
 */
export async function schedulesForService(
  db: VerbArgs<unknown>["ctx"]["db"],
  service: string,
  routing: RoutingConfig,
): Promise<{ policy: string | null; source: PolicySource | null; scheduleIds: string[] }> {
  const decision = routeIncident(routing, { severity: "P1", service, team: null, labels: {} }, noChannels);
  const [fallback] = await db
    .select({ name: escalationPolicies.name })
    .from(escalationPolicies)
    .where(eq(escalationPolicies.isDefault, true));
  const chosen = choosePolicy({ routing: decision.escalation?.policy, defaultPolicy: fallback?.name });
  if (!chosen) return { policy: null, source: null, scheduleIds: [] };
  const [policy] = await db
    .select()
    .from(escalationPolicies)
    .where(sql`lower(${escalationPolicies.name}) = lower(${chosen.name})`);
  const scheduleIds = (policy?.steps ?? []).flatMap((step) =>
    step.targets.flatMap((t) => (t.type === "schedule" ? [t.schedule_id] : [])),
  );
  return { policy: policy?.name ?? null, source: chosen.source, scheduleIds: [...new Set(scheduleIds)] };
}

/** `routing` is needed only to answer for a service. */
export async function whoIsOnCall({
  ctx,
  input,
  routing,
}: VerbArgs<z.input<typeof OnCallQuery>> & { routing?: RoutingConfig }): Promise<z.infer<typeof OnCallAnswer>> {
  authorize(ctx.actor, "oncall.read");
  const query = parseInput(OnCallQuery, input, "query");
  const at = query.at ? new Date(query.at) : ctx.now;
  let ids: string[] | null = query.schedule_id ? [query.schedule_id] : null;
  if (query.service) {
    if (!routing) throw new AppError("unavailable", "The routing file is not loaded, so services cannot be answered");
    const forService = await schedulesForService(ctx.db, query.service, routing);
    ids = ids ? ids.filter((id) => forService.scheduleIds.includes(id)) : forService.scheduleIds;
  }
  const horizon = new Date(at.getTime() + ON_CALL_HORIZON_MS);
  const loaded = (ids && ids.length === 0 ? [] : await loadCurrentSchedules(ctx.db, ids, at, horizon)).filter(
    (s) => !query.team || s.row.team?.toLowerCase() === query.team.toLowerCase(),
  );
  const answers = loaded.map((s) => ({ s, ...onCallUntil(s.model, at) }));
  const people = await peopleFacts(
    ctx.db,
    answers.flatMap((a) => a.userIds),
  );
  return {
    at: at.toISOString(),
    schedules: answers.map(({ s, userIds, until }) => ({
      schedule: { id: s.row.id, name: s.row.name, team: s.row.team, time_zone: s.row.timeZone },
      on_call: userIds.map((id) => ({
        user_id: id,
        name: people.name(id),
        no_contact_methods: !people.hasContactMethods(id),
      })),
      until: until?.toISOString() ?? null,
    })),
  };
}
