// The incident card's buttons and "more" menu. Slack ignores what an action's HTTP answer says, so each
// acknowledges at once and answers through response_url: only when something needs saying (a refusal, a
// failure), since a change updates the card itself through the notification pipeline. A card shown only
// to the person who asked (/incident show) is not one the pipeline knows: that one is replaced here.
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  OverflowAction,
  SlackActionMiddlewareArgs,
} from "@slack/bolt";
import { can } from "../auth/permissions";
import { isAppError } from "../errors";
import { acknowledgeIncident } from "../incidents/acknowledge-incident";
import { getIncident } from "../incidents/get-incident";
import { resolveIncident } from "../incidents/resolve-incident";
import type { IncidentChange } from "../incidents/schemas";
import { setIncidentStatus } from "../incidents/set-incident-status";
import { cardMenuChoices, incidentCard, type CardMenuChoice } from "../integrations/slack/incident-card";
import type { SlackActor } from "./identity";
import { failure, notAllowed, type SlackReply } from "./replies";
import { actorFor, ctxFor, doorOf, type SlackDoor } from "./slack-door";
import { addNoteModal } from "./views";

type ActionArgs<A extends ButtonAction | OverflowAction> = SlackActionMiddlewareArgs<BlockAction<A>> &
  AllMiddlewareArgs;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An ephemeral note to the person who pressed (never replacing the card). */
const tellerOf = (args: ActionArgs<ButtonAction | OverflowAction>) => async (message: SlackReply) => {
  if (!args.body.response_url) return; // an action outside a message (a modal, App Home): nowhere to say it
  await args.respond({ ...message, response_type: "ephemeral", replace_original: false });
};

export const acknowledgeFromCard = (args: ActionArgs<ButtonAction>) =>
  changeFromCard(args, args.action.value, "acknowledge", (ctx, ref) => acknowledgeIncident({ ctx, input: { ref } }));

export const resolveFromCard = (args: ActionArgs<ButtonAction>) =>
  changeFromCard(args, args.action.value, "resolve", (ctx, ref) => resolveIncident({ ctx, input: { ref } }));

/** The URL button opens Vigil in the browser; Slack still reports the click and wants it acknowledged. */
export const openInVigil = async ({ ack }: ActionArgs<ButtonAction>) => ack();

export async function menuChoice(args: ActionArgs<OverflowAction>): Promise<void> {
  const [choice, incidentId] = (args.action.selected_option?.value ?? "").split(":") as [
    CardMenuChoice | string,
    string | undefined,
  ];
  if (choice === "open" || !cardMenuChoices.includes(choice as CardMenuChoice)) return args.ack();
  if (choice === "investigating") {
    return changeFromCard(args, incidentId, "mark this incident as investigating", (ctx, ref) =>
      setIncidentStatus({ ctx, input: { ref, status: "investigating" } }),
    );
  }
  return openNoteForm(args, incidentId);
}

async function changeFromCard(
  args: ActionArgs<ButtonAction | OverflowAction>,
  incidentId: string | undefined,
  attempt: string,
  change: (ctx: ReturnType<typeof ctxFor>, ref: string) => Promise<IncidentChange>,
): Promise<void> {
  await args.ack();
  const door = doorOf(args.context);
  const tell = tellerOf(args);
  if (!incidentId || !uuidPattern.test(incidentId))
    return tell({ text: "This button does not name an incident I know." });
  let actor: SlackActor | null = null;
  try {
    actor = await actorFor(door, args.client, args.body.user.id, tell);
    if (!actor) return;
    const { incident } = await change(ctxFor(door, actor), incidentId);
    if (args.body.container?.is_ephemeral && args.body.response_url) {
      const card = incidentCard(incident, door.config.appUrl);
      await args.respond({ replace_original: true, text: card.text, blocks: card.blocks });
    }
  } catch (error) {
    report(door, error, attempt);
    await tell(failure(error, attempt, actor?.role ?? "viewer", door.requestId));
  }
}

async function openNoteForm(args: ActionArgs<OverflowAction>, incidentId: string | undefined): Promise<void> {
  // The trigger_id lasts three seconds: acknowledge, identify (a database read), open.
  await args.ack();
  const door = doorOf(args.context);
  const tell = tellerOf(args);
  if (!incidentId || !uuidPattern.test(incidentId))
    return tell({ text: "This menu does not name an incident I know." });
  let actor: SlackActor | null = null;
  try {
    actor = await actorFor(door, args.client, args.body.user.id, tell);
    if (!actor) return;
    if (!can(actor.role, "incident.add_timeline_event"))
      return await tell(notAllowed(actor.role, "add notes to incidents"));
    const incident = await getIncident({ ctx: ctxFor(door, actor), input: { ref: incidentId } });
    const origin = {
      ...(args.body.channel?.id ? { channel_id: args.body.channel.id } : {}),
      ...(args.body.response_url ? { response_url: args.body.response_url } : {}),
    };
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: addNoteModal(incident, origin) });
  } catch (error) {
    report(door, error, "open the note form");
    await tell(failure(error, "open the note form", actor?.role ?? "viewer", door.requestId));
  }
}

function report(door: SlackDoor, error: unknown, attempt: string) {
  if (!isAppError(error)) door.log.error({ err: error, attempt }, "Slack card action failed");
}
