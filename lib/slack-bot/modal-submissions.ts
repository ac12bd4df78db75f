// Submissions of the bot's modals. The verb runs before the acknowledgement (it only touches the
// database), so a refusal or a bad field shows in the form itself, next to the input; on success the form
// closes and the person hears back in the channel they started from.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { untrusted } from "../context";
import { isAppError } from "../errors";
import { addTimelineEvent } from "../incidents/add-timeline-event";
import { createIncident } from "../incidents/create-incident";
import { getIncident } from "../incidents/get-incident";
import { AckWindowClosed } from "./ack-window";
import type { SlackActor } from "./identity";
import { changedText, ephemeral, failure, type SlackReply } from "./replies";
import { actorFor, ctxFor, doorOf, type SlackDoor } from "./slack-door";
import { clip } from "./slack-text";
import {
  AddNoteMetadata,
  CreateIncidentMetadata,
  readCreateIncidentForm,
  readMetadata,
  readNoteForm,
  type ViewOrigin,
} from "./views";

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export async function declareFromModal(args: SubmitArgs): Promise<void> {
  const door = doorOf(args.context);
  const origin = readMetadata(CreateIncidentMetadata, args.view.private_metadata) ?? {};
  const form = new FormAnswer(args, door, origin, ["title", "severity", "service", "description"]);
  let actor: SlackActor | null = null;
  try {
    actor = await actorFor(door, args.client, args.body.user.id, (message) => form.fail(message));
    if (!actor) return;
    const { incident } = await createIncident({
      ctx: ctxFor(door, actor),
      input: untrusted(readCreateIncidentForm(args.view.state.values)),
    });
    await form.succeed(
      ephemeral(changedText("You", `declared a ${incident.severity} incident,`, incident, door.config.appUrl)),
    );
  } catch (error) {
    await form.fail(failure(error, "declare the incident", actor?.role ?? "viewer", door.requestId), error);
  }
}

export async function addNoteFromModal(args: SubmitArgs): Promise<void> {
  const door = doorOf(args.context);
  const metadata = readMetadata(AddNoteMetadata, args.view.private_metadata);
  const form = new FormAnswer(args, door, metadata ?? {}, ["text"]);
  if (!metadata)
    return form.fail(
      ephemeral("This form does not say which incident it is for. Open it again from the incident's card."),
    );
  let actor: SlackActor | null = null;
  try {
    actor = await actorFor(door, args.client, args.body.user.id, (message) => form.fail(message));
    if (!actor) return;
    const ctx = ctxFor(door, actor);
    await addTimelineEvent({ ctx, input: { ref: metadata.incident_id, text: readNoteForm(args.view.state.values) } });
    const incident = await getIncident({ ctx, input: { ref: metadata.incident_id } });
    await form.succeed(ephemeral(`Added your note to ${incident.ref}'s timeline.`));
  } catch (error) {
    await form.fail(failure(error, "add the note", actor?.role ?? "viewer", door.requestId), error);
  }
}

/**
 * How a form submission is answered: errors shown beside the inputs (or on the first one), or the form
 * closed and a message posted to where the person started. If the acknowledgement window has already
 * closed, both go to the origin's response_url instead.
 */
class FormAnswer {
  constructor(
    private readonly args: SubmitArgs,
    private readonly door: SlackDoor,
    private readonly origin: ViewOrigin,
    /** The form's input blocks, named like the verb's fields. */
    private readonly blocks: string[],
  ) {}

  async succeed(message: SlackReply): Promise<void> {
    try {
      await this.args.ack();
    } catch (error) {
      if (!(error instanceof AckWindowClosed)) throw error;
    }
    await this.tellOrigin(message);
  }

  async fail(message: SlackReply, error?: unknown): Promise<void> {
    if (error !== undefined && !isAppError(error)) this.door.log.error({ err: error }, "Slack form submission failed");
    const errors: Record<string, string> = {};
    if (isAppError(error) && error.code === "invalid") {
      for (const field of error.fieldErrors)
        if (this.blocks.includes(field.path)) errors[field.path] = clip(field.message, 150);
    }
    if (Object.keys(errors).length === 0) errors[this.blocks[0]!] = clip(message.text.replace(/[*`]/g, ""), 300);
    try {
      await this.args.ack({ response_action: "errors", errors });
    } catch (ackError) {
      if (!(ackError instanceof AckWindowClosed)) throw ackError;
      await this.tellOrigin(message);
    }
  }

  private async tellOrigin(message: SlackReply): Promise<void> {
    if (!this.origin.response_url) return;
    try {
      const res = await fetch(this.origin.response_url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...message, response_type: "ephemeral", replace_original: false }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) this.door.log.warn({ status: res.status }, "Slack refused the response_url message");
    } catch (error) {
      this.door.log.warn({ err: error }, "could not post to the response_url");
    }
  }
}
