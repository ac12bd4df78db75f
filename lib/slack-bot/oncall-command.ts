// /oncall [team <name> | service <name> | <name>]: who is on call now, from the one on-call function.
// Any role may ask; a bare name is tried as a team, then as a service.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { isAppError } from "../errors";
import { notificationSettingsIfUsable } from "../notifications/settings";
import { whoIsOnCall, type OnCallEntry } from "../oncall/who-is-on-call";
import { escapeMrkdwn } from "../integrations/slack/mrkdwn";
import { parseOnCallCommand } from "./command-parsing";
import type { SlackActor } from "./identity";
import { ephemeral, failure, usage, type SlackReply } from "./replies";
import { actorFor, ctxFor, doorOf, reply } from "./slack-door";

export const onCallHelp = [
  "*Vigil's /oncall*",
  "• `/oncall`: who is on call now, on every schedule",
  "• `/oncall team <team>`: on that team's schedules",
  "• `/oncall service <service>`: on the schedules an incident for that service would page",
  "• `/oncall <name>`: a team, else a service",
].join("\n");

/** The answer as Slack text: one line per schedule, with until when and a flag for the unreachable. */
export function onCallReply(entries: OnCallEntry[], heading: string): SlackReply {
  if (entries.length === 0) return ephemeral(`${heading}: no schedule matches.`);
  const lines = entries.map(({ schedule, on_call, until }) => {
    const who =
      on_call.length === 0
        ? ":warning: *nobody* (a gap)"
        : on_call
            .map((p) => `*${escapeMrkdwn(p.name)}*${p.no_contact_methods ? " :warning: no contact methods" : ""}`)
            .join(", ");
    const untilText = until
      ? ` until <!date^${Math.floor(Date.parse(until) / 1000)}^{date_short_pretty} {time}|${until}>`
      : "";
    return `• ${escapeMrkdwn(schedule.name)}: ${who}${untilText}`;
  });
  return ephemeral([`${heading}:`, ...lines].join("\n"));
}

export async function handleOnCallCommand({
  command,
  ack,
  respond,
  client,
  context,
}: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  const answer = (message: SlackReply) => reply(ack, respond, message);
  const parsed = parseOnCallCommand(command.text ?? "");
  if (parsed.name === "help") return answer(ephemeral(onCallHelp));
  if (parsed.name === "usage") return answer(usage(parsed.problem, onCallHelp));
  const door = doorOf(context);
  let actor: SlackActor | null = null;
  try {
    actor = await actorFor(door, client, command.user_id, answer);
    if (!actor) return;
    const ctx = ctxFor(door, actor);
    const routing = notificationSettingsIfUsable()?.routing;
    const { scope } = parsed;
    const ask = (input: { team?: string; service?: string }) => whoIsOnCall({ ctx, input, routing });
    if (scope.kind === "everyone") return await answer(onCallReply((await ask({})).schedules, "On call now"));
    if (scope.kind === "team")
      return await answer(onCallReply((await ask({ team: scope.value })).schedules, `On call for team ${scope.value}`));
    if (scope.kind === "service")
      return await answer(
        onCallReply((await ask({ service: scope.value })).schedules, `On call for service ${scope.value}`),
      );
    const byTeam = (await ask({ team: scope.value })).schedules;
    if (byTeam.length > 0) return await answer(onCallReply(byTeam, `On call for team ${scope.value}`));
    await answer(onCallReply((await ask({ service: scope.value })).schedules, `On call for ${scope.value}`));
  } catch (error) {
    if (!isAppError(error)) door.log.error({ err: error }, "Slack /oncall command failed");
    await answer(failure(error, "see who is on call", actor?.role ?? "viewer", door.requestId));
  }
}
