// /runbook list | show <runbook | INC-123> | run <runbook> INC-123. Reading needs any role; `run` first
// shows a confirmation with a Run and a Dry run button per action (remediation-actions.ts answers them),
// so nothing runs from a typo. The run itself goes through the remediation policy like any request.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { can } from "../auth/permissions";
import { isAppError } from "../errors";
import { getIncident } from "../incidents/get-incident";
import { getIncidentRunbook } from "../remediation/incident-runbook";
import { getRunbook, listRunbooks } from "../runbooks/read-runbooks";
import { parseRunbookCommand, type RunbookCommand } from "./command-parsing";
import type { SlackActor } from "./identity";
import { ephemeral, failure, notAllowed, usage, type SlackReply } from "./replies";
import { runbookDetails, runbookHelp, runbookList, runConfirmation } from "./runbook-replies";
import { actorFor, ctxFor, doorOf, reply, type SlackDoor } from "./slack-door";

const incidentRef = /^(INC-\d{1,9}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export async function handleRunbookCommand({
  command,
  ack,
  respond,
  client,
  context,
}: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  const answer = (message: SlackReply) => reply(ack, respond, message);
  const parsed = parseRunbookCommand(command.text ?? "");
  if (parsed.name === "help") return answer(ephemeral(runbookHelp));
  if (parsed.name === "usage") return answer(usage(parsed.problem, runbookHelp));
  const door = doorOf(context);
  let actor: SlackActor | null = null;
  try {
    actor = await actorFor(door, client, command.user_id, answer);
    if (!actor) return;
    await answer(await runCommand(parsed, door, actor));
  } catch (error) {
    if (!isAppError(error)) door.log.error({ err: error }, "Slack /runbook command failed");
    if (isAppError(error) && error.code === "not_found" && error.message.startsWith("Runbook "))
      return await answer(ephemeral(`${error.message}. \`/runbook list\` shows the runbooks.`));
    await answer(failure(error, attemptOf(parsed), actor?.role ?? "viewer", door.requestId));
  }
}

async function runCommand(
  command: Exclude<RunbookCommand, { name: "help" | "usage" }>,
  door: SlackDoor,
  actor: SlackActor,
): Promise<SlackReply> {
  const ctx = ctxFor(door, actor);
  const appUrl = door.config.appUrl;
  switch (command.name) {
    case "list":
      return runbookList(await listRunbooks({ ctx, input: {} }), appUrl);
    case "show": {
      if (!incidentRef.test(command.slug))
        return runbookDetails(await getRunbook({ ctx, input: { slug: command.slug } }), appUrl);
      const incident = await getIncident({ ctx, input: { ref: command.slug } });
      const plan = await getIncidentRunbook({ ctx, input: { ref: incident.id } });
      if (!plan.runbook)
        return ephemeral(
          `No runbook matches ${incident.ref}: its alerts carry no runbook_url that names one, and no runbook's alertnames or matchers fit them. \`/runbook list\` shows them all.`,
        );
      return runbookDetails(plan.runbook, appUrl, { incident, reason: plan.reason });
    }
    case "run": {
      if (!can(actor.role, "remediation.request")) return notAllowed(actor.role, "run runbook actions");
      const incident = await getIncident({ ctx, input: { ref: command.ref } });
      const plan = await getIncidentRunbook({ ctx, input: { ref: incident.id, runbook: command.slug } });
      if (!plan.runbook) return ephemeral(`No runbook ${command.slug}.`);
      return runConfirmation(incident, { ...plan, runbook: plan.runbook }, appUrl);
    }
  }
}

function attemptOf(command: Exclude<RunbookCommand, { name: "help" | "usage" }>): string {
  switch (command.name) {
    case "list":
      return "list runbooks";
    case "show":
      return `show runbook ${command.slug}`;
    case "run":
      return `run runbook ${command.slug} for ${command.ref}`;
  }
}
