// The runbook buttons: Run / Dry run (from `/runbook run`'s confirmation) request the action through the
// same verb as the web page; Approve / Reject (in the incident's thread) decide on a run that waits. Each
// acknowledges at once and answers through response_url: the confirmation or the approval message is
// replaced by what happened, and a refusal is said only to the person who pressed.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { isAppError } from "../errors";
import { getIncident } from "../incidents/get-incident";
import { approveRemediation, rejectRemediation } from "../remediation/decide-on-run";
import { requestRemediation } from "../remediation/request-remediation";
import type { RemediationRun } from "../remediation/schemas";
import { remediationSettingsFrom } from "../remediation/settings";
import { getRunbook } from "../runbooks/read-runbooks";
import type { SlackActor } from "./identity";
import { failure, type SlackReply } from "./replies";
import { decidedMessage, requestedReply, RunButtonValue } from "./runbook-replies";
import { actorFor, ctxFor, doorOf } from "./slack-door";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const answer = (args: ButtonArgs) => async (message: SlackReply) => {
  if (!args.body.response_url) return;
  await args.respond({ response_type: "ephemeral", replace_original: false, ...message });
};

function readRunButton(value: string | undefined): RunButtonValue | null {
  try {
    const parsed = RunButtonValue.safeParse(JSON.parse(value ?? ""));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const runFromSlack = (args: ButtonArgs) => requestFromButton(args, false);
export const dryRunFromSlack = (args: ButtonArgs) => requestFromButton(args, true);

async function requestFromButton(args: ButtonArgs, dryRun: boolean): Promise<void> {
  await args.ack();
  const value = readRunButton(args.action.value);
  if (!value) return answer(args)({ text: "This button does not say which runbook action to run." });
  await actAsPresser(args, "run this runbook action", "Slack runbook run failed", async (ctx, door, tell) => {
    const run = await requestRemediation({
      ctx,
      input: { ref: value.i, runbook: value.r, action: value.a, dry_run: dryRun },
      settings: remediationSettingsFrom(door.config),
    });
    const incident = await getIncident({ ctx, input: { ref: value.i } });
    await tell(requestedReply(run, incident.ref, await titleOf(ctx, run), door.config.appUrl));
  });
}

export const approveFromSlack = (args: ButtonArgs) => decideFromButton(args, true);
export const rejectFromSlack = (args: ButtonArgs) => decideFromButton(args, false);

async function decideFromButton(args: ButtonArgs, approve: boolean): Promise<void> {
  await args.ack();
  const runId = args.action.value;
  if (!runId || !uuidPattern.test(runId))
    return answer(args)({ text: "This button does not name a remediation run I know." });
  const doing = `${approve ? "approve" : "reject"} this remediation`;
  await actAsPresser(args, doing, "Slack remediation decision failed", async (ctx, door, _tell, actor) => {
    const settings = remediationSettingsFrom(door.config);
    const run = approve
      ? await approveRemediation({ ctx, input: { id: runId }, settings })
      : await rejectRemediation({ ctx, input: { id: runId }, settings });
    // The approval message itself: its buttons give way to the decision, for everyone in the thread.
    if (args.body.response_url)
      await args.respond({ ...decidedMessage(run, await titleOf(ctx, run), actor.name), response_type: "in_channel" });
  });
}

type SlackCtx = ReturnType<typeof ctxFor>;
type Tell = ReturnType<typeof answer>;

/** What every button does around its work: find who pressed, act as them, and say a refusal only to them. */
async function actAsPresser(
  args: ButtonArgs,
  doing: string,
  logLine: string,
  act: (ctx: SlackCtx, door: ReturnType<typeof doorOf>, tell: Tell, actor: SlackActor) => Promise<void>,
): Promise<void> {
  const door = doorOf(args.context);
  const tell = answer(args);
  let actor: SlackActor | null = null;
  try {
    actor = await actorFor(door, args.client, args.body.user.id, tell);
    if (!actor) return;
    await act(ctxFor(door, actor), door, tell, actor);
  } catch (error) {
    if (!isAppError(error)) door.log.error({ err: error }, logLine);
    await tell(failure(error, doing, actor?.role ?? "viewer", door.requestId));
  }
}

async function titleOf(ctx: SlackCtx, run: RemediationRun): Promise<string> {
  if (!run.runbook) return run.action_id;
  const runbook = await getRunbook({ ctx, input: { slug: run.runbook } }).catch(() => null);
  return runbook?.actions.find((a) => a.id === run.action_id)?.title ?? run.action_id;
}
