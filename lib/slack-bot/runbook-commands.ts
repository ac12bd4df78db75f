// /runbook list | show <runbook> | run <runbook> INC-123. The runbook catalog and the remediation policy
// arrive with the runbooks issue; until then the command says so (after the usual identity check, so an
// unknown Slack user still learns how to link) and runs nothing.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseRunbookCommand } from "./command-parsing";
import { ephemeral, failure, runbookHelp, runbooksUnavailable, usage, type SlackReply } from "./replies";
import { actorFor, doorOf, reply } from "./slack-door";

export async function handleRunbookCommand({ command, ack, respond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  const answer = (message: SlackReply) => reply(ack, respond, message);
  const parsed = parseRunbookCommand(command.text ?? "");
  if (parsed.name === "help") return answer(ephemeral(runbookHelp));
  if (parsed.name === "usage") return answer(usage(parsed.problem, runbookHelp));
  const door = doorOf(context);
  try {
    const actor = await actorFor(door, client, command.user_id, answer);
    if (actor) await answer(runbooksUnavailable(parsed.name));
  } catch (error) {
    door.log.error({ err: error }, "Slack /runbook command failed");
    await answer(failure(error, `${parsed.name} runbooks`, "viewer", door.requestId));
  }
}
