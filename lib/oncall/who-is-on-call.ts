// "Who is on call at t" for every schedule (or those of a team), with until when and whether a page can
// reach them: the answer of GET /api/v1/oncall and Slack's /oncall, from the one on-call function.
import { z } from "zod";
import { authorize } from "../auth/permissions";
import type { VerbArgs } from "../context";
import { parseInput } from "../input";
import { onCallUntil } from "./on-call-at";
import { loadScheduleModels, peopleFacts } from "./schedules";

export const OnCallQuery = z.strictObject({
  at: z.iso.datetime({ offset: true }).optional().describe("The instant to ask about (default: now)"),
  team: z.string().trim().min(1).max(100).optional().describe("Only the schedules of this team"),
  schedule_id: z.uuid().optional(),
});

export const OnCallEntry = z.object({
  schedule: z.object({ id: z.uuid(), name: z.string(), team: z.string().nullable(), time_zone: z.string() }),
  on_call: z.array(z.object({ user_id: z.uuid(), name: z.string(), no_contact_methods: z.boolean() })),
  until: z.string().nullable().describe("When this answer changes next (null: not within 60 days)"),
});
export type OnCallEntry = z.infer<typeof OnCallEntry>;
export const OnCallAnswer = z.object({ at: z.string(), schedules: z.array(OnCallEntry) });

export async function whoIsOnCall({
  ctx,
  input,
}: VerbArgs<z.input<typeof OnCallQuery>>): Promise<z.infer<typeof OnCallAnswer>> {
  authorize(ctx.actor, "oncall.read");
  const query = parseInput(OnCallQuery, input, "query");
  const at = query.at ? new Date(query.at) : ctx.now;
  const loaded = (await loadScheduleModels(ctx.db, query.schedule_id ? [query.schedule_id] : null, at)).filter(
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
