// The Bolt app behind the three Slack endpoints. Built on the first request, not at import: `next build`
// loads route modules without a token (and must not call Slack with one). One auth.test learns the bot's
// ids and is cached with the app; if it fails the next request tries again. Bolt's own receiver (an HTTP
// server) is replaced by the route handlers: see slack-request.ts.
import { App, LogLevel, type Logger as BoltLogger, type Receiver } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import { VENDOR_TIMEOUT_MS } from "../integrations/delivery-error";
import { cardActions } from "../integrations/slack/incident-card";
import type { Logger } from "../observability/logger";
import { acknowledgeFromCard, menuChoice, openInVigil, resolveFromCard } from "./card-actions";
import { handleIncidentCommand } from "./incident-commands";
import { addNoteFromModal, declareFromModal } from "./modal-submissions";
import { ephemeral } from "./replies";
import { approveFromSlack, dryRunFromSlack, rejectFromSlack, runFromSlack } from "./remediation-actions";
import { handleOnCallCommand } from "./oncall-command";
import { handleRunbookCommand } from "./runbook-commands";
import { runbookButtons } from "./runbook-replies";
import { reply } from "./slack-door";
import { noteFromPin, noteFromReaction } from "./timeline-capture";
import { viewCallbacks } from "./views";

export interface SlackBotSettings {
  botToken: string;
  apiUrl: string;
}

/** Requests arrive through the route handlers, which call app.processEvent themselves. */
class RouteHandlerReceiver implements Receiver {
  init(): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

// Kept on globalThis, like the runtime (lib/runtime.ts): Next may load this module once per route bundle,
// and the three endpoints should share one app and its one auth.test.
const appsKey = Symbol.for("vigil.slackBotApps");
type GlobalWithApps = typeof globalThis & { [appsKey]?: Map<string, Promise<App>> };

export function slackBotApp(settings: SlackBotSettings, logger: Logger): Promise<App> {
  const apps = ((globalThis as GlobalWithApps)[appsKey] ??= new Map());
  const key = `${settings.apiUrl}\n${settings.botToken}`;
  let app = apps.get(key);
  if (!app) {
    app = buildApp(settings, logger);
    apps.set(key, app);
    app.catch(() => apps.delete(key));
  }
  return app;
}

async function buildApp(settings: SlackBotSettings, logger: Logger): Promise<App> {
  const boltLogger = boltLoggerFrom(logger.child({ component: "slack-bot" }));
  // No retries inside a request: a person can repeat a command, and the ack window is short.
  const clientOptions: WebClientOptions = {
    slackApiUrl: settings.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: VENDOR_TIMEOUT_MS,
  };
  const auth = await new WebClient(settings.botToken, { ...clientOptions, logger: boltLogger }).auth.test();
  const app = new App({
    token: settings.botToken,
    botId: auth.bot_id,
    botUserId: auth.user_id,
    receiver: new RouteHandlerReceiver(),
    // Stateless web servers: nothing kept in process memory between requests.
    convoStore: false,
    logger: boltLogger,
    clientOptions,
  });
  // Listeners answer people themselves; what reaches here is a bug or Slack being unreachable.
  app.error(async (error) => {
    logger.error({ err: error.original ?? error, code: error.code }, "Slack listener failed");
  });
  registerListeners(app);
  return app;
}

function registerListeners(app: App): void {
  // One listener for every command (Bolt runs all that match): the name picks the handler, so a renamed
  // command (/vigil-incident, in a workspace that already has /incident) still works.
  app.command(/^\/.+/, async (args) => {
    const name = args.command.command.toLowerCase();
    if (name.endsWith("runbook")) return handleRunbookCommand(args);
    if (name.endsWith("incident")) return handleIncidentCommand(args);
    if (name.endsWith("oncall")) return handleOnCallCommand(args);
    await reply(
      args.ack,
      args.respond,
      ephemeral(`Vigil answers /incident, /runbook and /oncall, not ${args.command.command}.`),
    );
  });
  app.action(cardActions.acknowledge, acknowledgeFromCard);
  app.action(cardActions.resolve, resolveFromCard);
  app.action(cardActions.open, openInVigil);
  app.action(cardActions.menu, menuChoice);
  app.action(runbookButtons.run, runFromSlack);
  app.action(runbookButtons.dryRun, dryRunFromSlack);
  app.action(runbookButtons.approve, approveFromSlack);
  app.action(runbookButtons.reject, rejectFromSlack);
  app.view(viewCallbacks.createIncident, declareFromModal);
  app.view(viewCallbacks.addNote, addNoteFromModal);
  app.event("pin_added", noteFromPin);
  app.event("reaction_added", noteFromReaction);
}

/** Bolt and its Web API client log through ours. */
function boltLoggerFrom(log: Logger): BoltLogger {
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === "string" ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(" ");
  return {
    debug: (...parts) => log.debug(text(parts)),
    info: (...parts) => log.info(text(parts)),
    warn: (...parts) => log.warn(text(parts)),
    error: (...parts) => log.error(text(parts)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
