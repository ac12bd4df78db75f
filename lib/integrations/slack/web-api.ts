// Slack's Web API through @slack/web-api, with its own retries off: the job queue retries, and a 429 or
// an `ok: false` answer becomes a DeliveryError that says whether trying again can help.
import { ErrorCode, WebClient, type WebAPICallError } from "@slack/web-api";
import { DeliveryError, VENDOR_TIMEOUT_MS } from "../delivery-error";

export interface SlackSettings {
  botToken: string;
  apiUrl: string;
}

const clients = new Map<string, WebClient>();

export function slackClient(settings: SlackSettings): WebClient {
  const key = `${settings.apiUrl}\n${settings.botToken}`;
  let client = clients.get(key);
  if (!client) {
    client = new WebClient(settings.botToken, {
      slackApiUrl: settings.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: VENDOR_TIMEOUT_MS,
    });
    clients.set(key, client);
  }
  return client;
}

/** Slack errors that a later attempt can get past; everything else (channel_not_found, invalid_auth…) cannot. */
const transientSlackErrors = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

export function slackDeliveryError(error: unknown): DeliveryError {
  const e = error as WebAPICallError;
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return new DeliveryError("Slack is rate limiting (HTTP 429)", false, e.retryAfter * 1000);
    case ErrorCode.PlatformError:
      return new DeliveryError(`Slack answered ${e.data.error}`, !transientSlackErrors.has(e.data.error));
    case ErrorCode.HTTPError:
      return new DeliveryError(
        `Slack answered HTTP ${e.statusCode}`,
        e.statusCode >= 400 && e.statusCode < 500 && e.statusCode !== 408,
      );
    case ErrorCode.RequestError:
      return new DeliveryError(`Slack unreachable (${e.original.message})`, false);
    default:
      return new DeliveryError(`Slack call failed: ${(error as Error).message}`, false);
  }
}

/** Metadata Vigil puts on every message it posts, so a retry after a crash can find what it already sent. */
export const NOTIFICATION_EVENT_TYPE = "vigil_notification";

export async function findPostedMessage(
  client: WebClient,
  channel: string,
  notificationId: string,
  threadTs?: string,
): Promise<string | null> {
  const result = threadTs
    ? await client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 })
    : await client.conversations.history({ channel, include_all_metadata: true, limit: 100 });
  const match = result.messages?.find((m) => {
    const metadata = (m as { metadata?: { event_type?: string; event_payload?: { notification_id?: string } } })
      .metadata;
    return (
      metadata?.event_type === NOTIFICATION_EVENT_TYPE && metadata.event_payload?.notification_id === notificationId
    );
  });
  return match?.ts ?? null;
}
