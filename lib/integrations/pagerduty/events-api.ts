// PagerDuty Events API v2: trigger, acknowledge and resolve an alert by dedup key (Vigil's incident id).
// A repeated trigger with the same dedup key updates the same PagerDuty incident, so retries are safe.
import { deliveryErrorForNetwork, deliveryErrorForStatus, VENDOR_TIMEOUT_MS } from "../delivery-error";

export interface PagerDutySettings {
  eventsUrl: string;
  routingKey: string;
}

export type PagerDutyEvent =
  | {
      event_action: "trigger";
      dedup_key: string;
      payload: {
        summary: string;
        source: string;
        severity: "critical" | "error" | "warning" | "info";
        timestamp?: string;
        component?: string;
        group?: string;
        class?: string;
        custom_details?: Record<string, unknown>;
      };
      links?: { href: string; text: string }[];
    }
  | { event_action: "acknowledge" | "resolve"; dedup_key: string };

export async function sendPagerDutyEvent(
  settings: PagerDutySettings,
  event: PagerDutyEvent,
): Promise<{ dedupKey: string }> {
  let res: Response;
  try {
    res = await fetch(`${settings.eventsUrl}/v2/enqueue`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ routing_key: settings.routingKey, ...event }),
      signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS),
    });
  } catch (error) {
    throw deliveryErrorForNetwork("PagerDuty", error);
  }
  const body = (await res.json().catch(() => ({}))) as { message?: string; errors?: string[]; dedup_key?: string };
  if (res.status !== 202) {
    throw deliveryErrorForStatus(
      "PagerDuty",
      res.status,
      [body.message, ...(body.errors ?? [])].filter(Boolean).join("; "),
      res.headers.get("retry-after"),
    );
  }
  return { dedupKey: body.dedup_key ?? event.dedup_key };
}
