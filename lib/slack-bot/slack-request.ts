// One request from Slack, as the three route handlers receive it: verify the signature on the raw body
// (401, nothing read, when it is wrong or older than five minutes), answer url_verification and ssl_check,
// then hand the body to Bolt. Bolt's `ack` resolves the HTTP answer; the rest of the work goes to
// `defer` (Next's after()), so Slack hears back within its three seconds while the work continues.
import { AppError } from "../errors";
import { json } from "../http/api-route";
import { clientIp, readRawBody } from "../http/request";
import type { Logger } from "../observability/logger";
import { getRuntime } from "../runtime";
import { ACK_TIMEOUT_MS, openAckWindow } from "./ack-window";
import { slackBotApp } from "./bolt-app";
import { readSlackBody } from "./incoming-request";
import { signatureProblem, verifySlackSignature } from "./signature";
import { DOOR_KEY, type SlackDoor } from "./slack-door";

export interface SlackRequestArgs {
  req: Request;
  requestId: string;
  log: Logger;
  /** Keeps the work going after the answer: Next's after() in production; tests collect it to await it. */
  defer: (work: Promise<void>) => void;
  ackTimeoutMs?: number;
}

/** Slack bodies are small (a view submission is the largest); refuse anything far beyond. */
const BODY_LIMIT = 256 * 1024;

export async function handleSlackRequest({
  req,
  requestId,
  log,
  defer,
  ackTimeoutMs = ACK_TIMEOUT_MS,
}: SlackRequestArgs): Promise<Response> {
  const { config, database, logger } = getRuntime();
  const { signingSecret, botToken, apiUrl } = config.slack;
  if (!signingSecret || !botToken)
    throw new AppError("unavailable", "The Slack bot is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN");

  const rawBody = await readRawBody(req, BODY_LIMIT);
  const verdict = verifySlackSignature({
    rawBody,
    signature: req.headers.get("x-slack-signature"),
    timestamp: req.headers.get("x-slack-request-timestamp"),
    signingSecret,
    nowMs: Date.now(),
  });
  if (verdict !== "valid") throw new AppError("unauthenticated", signatureProblem[verdict]);

  const incoming = readSlackBody(rawBody, req.headers.get("content-type"));
  if (incoming.kind === "url_verification") return json({ challenge: incoming.challenge });
  if (incoming.kind === "ssl_check") return new Response(null, { status: 200 });

  let app;
  try {
    app = await slackBotApp({ botToken, apiUrl }, logger);
  } catch (error) {
    log.error({ err: error }, "the Slack bot could not start (auth.test failed)");
    throw new AppError("unavailable", "The Slack bot could not reach Slack to start; try again shortly");
  }

  const door: SlackDoor = { db: database.db, config, log, requestId, ip: clientIp(req) };
  const window = openAckWindow(ackTimeoutMs);
  const retryNum = Number(req.headers.get("x-slack-retry-num") ?? Number.NaN);
  const work = app
    .processEvent({
      body: incoming.body,
      ack: window.ack,
      ...(Number.isInteger(retryNum)
        ? { retryNum, retryReason: req.headers.get("x-slack-retry-reason") ?? undefined }
        : {}),
      customProperties: { [DOOR_KEY]: door },
    })
    .catch((error: unknown) => log.error({ err: error }, "Slack request processing failed"))
    .finally(() => window.close());
  defer(work);
  return window.response;
}
