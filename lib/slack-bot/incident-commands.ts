// /incident: list, show, ack, escalate, assign, resolve, note, create, snooze, maintenance, help. Each one names its Slack user in
// Vigil, then calls the same verb the web page and the API call; the answer is the command's HTTP reply
// (ephemeral unless it changed something the channel should see).
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { can } from "../auth/permissions";
import { isAppError } from "../errors";
import { escalateNow } from "../escalation/manual";
import { acknowledgeIncident } from "../incidents/acknowledge-incident";
import { addTimelineEvent } from "../incidents/add-timeline-event";
import { getIncident, listTimelineEvents } from "../incidents/get-incident";
import { listIncidents } from "../incidents/list-incidents";
import { resolveIncident } from "../incidents/resolve-incident";
import { updateIncident } from "../incidents/update-incident";
import {
  createMaintenanceWindow,
  endMaintenanceWindow,
  listMaintenanceWindows,
  snoozeIncident,
} from "../maintenance/manage-windows";
import { parseIncidentCommand, type IncidentCommand, type MaintenanceAction } from "./command-parsing";
import { escapeMrkdwn } from "../integrations/slack/mrkdwn";
import { findVigilUserForSlackUser, type SlackActor } from "./identity";
import { findIncidentInChannel } from "./incident-channel";
import {
  changedText,
  ephemeral,
  failure,
  incidentDetails,
  incidentHelp,
  incidentList,
  inChannel,
  maintenanceList,
  maintenanceStarted,
  notAllowed,
  usage,
  type SlackReply,
} from "./replies";
import { ackNow, actorFor, ctxFor, doorOf, reply, type SlackDoor } from "./slack-door";
import { createIncidentModal } from "./views";

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type Acting = Exclude<IncidentCommand, { name: "help" | "usage" }>;

const ACTIVE = ["open", "acknowledged", "investigating"] as const;

export async function handleIncidentCommand(args: CommandArgs): Promise<void> {
  const { command, ack, respond, client, context } = args;
  const door = doorOf(context);
  const answer = (message: SlackReply) => reply(ack, respond, message);
  const parsed = parseIncidentCommand(command.text ?? "");
  if (parsed.name === "help") return answer(ephemeral(incidentHelp));
  if (parsed.name === "usage") return answer(usage(parsed.problem, incidentHelp));

  let actor: SlackActor | null = null;
  try {
    actor = await actorFor(door, client, command.user_id, answer);
    if (!actor) return;
    if (parsed.name === "create") return await openCreateForm(args, door, actor, parsed.title);
    if (parsed.name === "maintenance") return await answer(await runMaintenance(parsed.action, door, actor));
    const ref =
      "ref" in parsed && parsed.ref
        ? parsed.ref
        : parsed.name === "list"
          ? undefined
          : await findIncidentInChannel(door.db, command.channel_id);
    if (parsed.name !== "list" && !ref) {
      return await answer(
        usage(
          `Name the incident, e.g. \`/incident ${parsed.name} INC-123\` (only in an incident's own channel may you leave it out).`,
          incidentHelp,
        ),
      );
    }
    await answer(await runCommand(parsed, ref ?? "", { args, door, actor }));
  } catch (error) {
    if (!isAppError(error)) door.log.error({ err: error, command: parsed.name }, "Slack /incident command failed");
    await answer(
      failure(
        error,
        attemptOf(parsed, "ref" in parsed ? parsed.ref : undefined),
        actor?.role ?? "viewer",
        door.requestId,
      ),
    );
  }
}

interface Acted {
  args: CommandArgs;
  door: SlackDoor;
  actor: SlackActor;
}

async function runCommand(
  command: Exclude<Acting, { name: "create" | "maintenance" }>,
  ref: string,
  { args, door, actor }: Acted,
): Promise<SlackReply> {
  const ctx = ctxFor(door, actor);
  const appUrl = door.config.appUrl;
  switch (command.name) {
    case "list": {
      const page = await listIncidents({ ctx, input: { status: [...ACTIVE], limit: 20 } });
      return incidentList(page.data, page.next_cursor !== null, appUrl, ctx.now);
    }
    case "show": {
      const incident = await getIncident({ ctx, input: { ref } });
      const timeline = await listTimelineEvents({ ctx, input: { ref: incident.id, order: "desc", limit: 5 } });
      return incidentDetails(incident, timeline, appUrl, ctx.now);
    }
    case "ack": {
      const { incident, changed } = await acknowledgeIncident({ ctx, input: { ref } });
      return changed
        ? inChannel(changedText(actor.name, "acknowledged", incident, appUrl))
        : ephemeral(`${incident.ref} is already ${incident.status}.`);
    }
    case "escalate": {
      const { incident } = await escalateNow({ ctx, input: { ref } });
      return inChannel(changedText(actor.name, "escalated", incident, appUrl));
    }
    case "resolve": {
      const { incident, changed } = await resolveIncident({
        ctx,
        input: { ref, ...(command.note ? { resolution_note: command.note } : {}) },
      });
      return changed
        ? inChannel(changedText(actor.name, "resolved", incident, appUrl))
        : ephemeral(`${incident.ref} is already resolved.`);
    }
    case "note": {
      const event = await addTimelineEvent({ ctx, input: { ref, text: command.text } });
      const incident = await getIncident({ ctx, input: { ref: event.incident_id } });
      return ephemeral(`Added your note to ${incident.ref}'s timeline.`);
    }
    case "assign": {
      const owner = await ownerReference(command.assignee, actor, args, door);
      if ("problem" in owner) return ephemeral(owner.problem);
      const { incident, changed } = await updateIncident({ ctx, input: { ref, owner: owner.reference } });
      const ownerName = incident.owner?.name ?? "nobody";
      return changed
        ? inChannel(changedText(actor.name, `made ${ownerName} the owner of`, incident, appUrl))
        : ephemeral(`${ownerName} already owns ${incident.ref}.`);
    }
    case "snooze": {
      const snooze = await snoozeIncident({
        ctx,
        input: { ref, ...(command.duration ? { duration: command.duration } : {}) },
      });
      const incident = await getIncident({ ctx, input: { ref } });
      return inChannel(
        changedText(
          actor.name,
          `snoozed until ${snooze.ends_at.slice(11, 16)} UTC the alert group of`,
          incident,
          appUrl,
        ),
      );
    }
  }
}

async function runMaintenance(action: MaintenanceAction, door: SlackDoor, actor: SlackActor): Promise<SlackReply> {
  const ctx = ctxFor(door, actor);
  switch (action.name) {
    case "list": {
      const windows = await listMaintenanceWindows({ ctx, input: { state: "all" } });
      return maintenanceList(
        windows.filter((w) => w.state !== "ended"),
        door.config.appUrl,
      );
    }
    case "start": {
      const { name: _, ...input } = action;
      return maintenanceStarted(actor.name, await createMaintenanceWindow({ ctx, input }));
    }
    case "end": {
      const window = await endMaintenanceWindow({ ctx, input: { id: action.id } });
      return inChannel(
        `${actor.name} ended maintenance window *${escapeMrkdwn(window.name)}*: paging is back to normal.`,
      );
    }
  }
}

/** The owner as updateIncident takes it (a user id or an email), or why there is none. */
async function ownerReference(
  assignee: Extract<IncidentCommand, { name: "assign" }>["assignee"],
  actor: SlackActor,
  args: CommandArgs,
  door: SlackDoor,
): Promise<{ reference: string } | { problem: string }> {
  if ("self" in assignee) return { reference: actor.userId };
  if ("email" in assignee) return { reference: assignee.email };
  const user = await findVigilUserForSlackUser({
    db: door.db,
    client: args.client,
    slackUserId: assignee.slackUserId,
    log: door.log,
  });
  if (user) return { reference: user.id };
  return {
    problem: `<@${assignee.slackUserId}> has no Vigil account that I can find (by a link or their Slack email). They can sign in to Vigil once, or an admin can link their Slack user.`,
  };
}

/** `/incident create` opens the declaration form; the submission calls createIncident (modal-submissions.ts). */
async function openCreateForm(
  { command, ack, respond, client }: CommandArgs,
  door: SlackDoor,
  actor: SlackActor,
  title: string | undefined,
): Promise<void> {
  if (!can(actor.role, "incident.create")) return reply(ack, respond, notAllowed(actor.role, "declare incidents"));
  // The trigger_id lasts three seconds: acknowledge first, then open the form.
  await ackNow(ack);
  try {
    await client.views.open({
      trigger_id: command.trigger_id,
      view: createIncidentModal({
        title,
        origin: { channel_id: command.channel_id, response_url: command.response_url },
      }),
    });
  } catch (error) {
    door.log.warn({ err: error }, "views.open failed for /incident create");
    await respond(
      ephemeral(
        "I could not open the form (Slack refused it or took too long). Try `/incident create` again, or declare it on Vigil's web page.",
      ),
    );
  }
}

function attemptOf(command: Acting, ref: string | undefined): string {
  const target = ref ?? "this incident";
  switch (command.name) {
    case "list":
      return "list incidents";
    case "show":
      return `show ${target}`;
    case "ack":
      return `acknowledge ${target}`;
    case "escalate":
      return `escalate ${target}`;
    case "assign":
      return `assign ${target}`;
    case "resolve":
      return `resolve ${target}`;
    case "note":
      return `add a note to ${target}`;
    case "create":
      return "declare incidents";
    case "snooze":
      return `snooze ${target}`;
    case "maintenance":
      return command.action.name === "list"
        ? "list maintenance windows"
        : command.action.name === "start"
          ? "start a maintenance window"
          : "end a maintenance window";
  }
}
