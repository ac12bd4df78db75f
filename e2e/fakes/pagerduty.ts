// A loopback fake of the PagerDuty Events API v2 (`POST <url>/v2/enqueue`, JSON): it validates events as
// the real one does (400 "invalid event") and keeps the incidents they open, acknowledge and resolve,
// one open incident per dedup_key.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerControl,
  answerThroughPlan,
  closeHttpServer,
  fakeControl,
  FailurePlans,
  now,
  readBody,
  sendJson,
  startHttpServer,
  type Answer,
  type Fake,
  type FakeControl,
  type Recorded,
} from "./fake-server";

export type PagerDutySeverity = "critical" | "error" | "warning" | "info";
export type PagerDutyAction = "trigger" | "acknowledge" | "resolve";

export interface PagerDutyEvent {
  routing_key: string;
  event_action: PagerDutyAction;
  dedup_key?: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details?: unknown;
  };
  links?: { href: string; text?: string }[];
  images?: { src: string; href?: string; alt?: string }[];
  client?: string;
  client_url?: string;
}

export interface PagerDutyIncident {
  /** The fake's own id ("PD1", "PD2", ...). */
  id: string;
  dedupKey: string;
  routingKey: string;
  status: "triggered" | "acknowledged" | "resolved";
  summary: string;
  source: string;
  severity: PagerDutySeverity;
  /** Trigger events folded into this incident (a repeated trigger adds one, it opens nothing new). */
  triggerCount: number;
  createdAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
}

export interface PagerDutyReceived extends Recorded {
  /** The JSON body as sent (the raw text when it was not JSON). */
  body: unknown;
  /** Set when the event was valid and accepted (202). */
  event?: PagerDutyEvent;
  /** The dedup_key answered: the event's own, or the one generated for a trigger without one. */
  dedupKey?: string;
  /** Set when the fake answered 400. */
  errors?: string[];
}

export interface FakePagerDuty extends Fake<PagerDutyReceived> {
  /** Every incident, oldest first; a trigger after a resolve opens a new one with the same dedupKey. */
  incidents(): PagerDutyIncident[];
  /** The latest incident with this dedup_key. */
  incident(dedupKey: string): PagerDutyIncident | undefined;
  /** The accepted events with this dedup_key, in order. */
  events(dedupKey: string): PagerDutyEvent[];
}

const SEVERITIES: readonly string[] = ["critical", "error", "warning", "info"];
const ACTIONS: readonly string[] = ["trigger", "acknowledge", "resolve"];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const blank = (v: unknown) => typeof v !== "string" || v.trim() === "";

/** The real API's checks, with its wording where known. Returns the problems; none means valid. */
export function pagerDutyEventProblems(body: unknown): string[] {
  if (!isRecord(body)) return ["Event object must be a JSON object"];
  const errors: string[] = [];
  if (typeof body.routing_key !== "string" || body.routing_key.length !== 32)
    errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
  if (blank(body.event_action)) errors.push("'event_action' is missing or blank");
  else if (!ACTIONS.includes(body.event_action as string))
    errors.push("'event_action' is invalid (must be one of trigger, acknowledge, resolve)");
  if (body.dedup_key !== undefined && (typeof body.dedup_key !== "string" || body.dedup_key.length > 255))
    errors.push("'dedup_key' must be a string of at most 255 characters");
  if (body.event_action === "acknowledge" || body.event_action === "resolve") {
    if (blank(body.dedup_key)) errors.push("'dedup_key' is missing or blank");
  }
  if (body.event_action === "trigger") {
    const payload = body.payload;
    if (!isRecord(payload)) errors.push("'payload' is missing or not an object");
    else {
      if (blank(payload.summary)) errors.push("'payload.summary' is missing or blank");
      else if ((payload.summary as string).length > 1024)
        errors.push("Length of 'payload.summary' is incorrect (should be at most 1024 characters)");
      if (blank(payload.source)) errors.push("'payload.source' is missing or blank");
      if (blank(payload.severity)) errors.push("'payload.severity' is missing or blank");
      else if (!SEVERITIES.includes(payload.severity as string))
        errors.push("'payload.severity' is invalid (must be one of critical, error, warning, info)");
      if (
        payload.timestamp !== undefined &&
        (typeof payload.timestamp !== "string" || Number.isNaN(Date.parse(payload.timestamp)))
      ) {
        errors.push("'payload.timestamp' is not a valid ISO 8601 timestamp");
      }
    }
  }
  return errors;
}

export async function startFakePagerDuty(options: { port?: number } = {}): Promise<FakePagerDuty> {
  const received: PagerDutyReceived[] = [];
  const plans = new FailurePlans();
  const incidents: PagerDutyIncident[] = [];
  let incidentCounter = 0;

  const latest = (dedupKey: string) => incidents.findLast((i) => i.dedupKey === dedupKey);

  const apply = (event: PagerDutyEvent, dedupKey: string) => {
    const at = now();
    const open = latest(dedupKey);
    if (event.event_action === "trigger") {
      // A trigger folds into the open incident with its dedup_key; after a resolve it opens a new one.
      if (open && open.status !== "resolved") open.triggerCount += 1;
      else if (event.payload) {
        const { summary, source, severity } = event.payload;
        incidents.push({
          id: `PD${++incidentCounter}`,
          dedupKey,
          routingKey: event.routing_key,
          status: "triggered",
          summary,
          source,
          severity,
          triggerCount: 1,
          createdAt: at,
        });
      }
    } else if (open && open.status !== "resolved") {
      // Acknowledging or resolving a key with no open incident is accepted and changes nothing, as in PagerDuty.
      if (event.event_action === "acknowledge") {
        open.status = "acknowledged";
        open.acknowledgedAt = at;
      } else {
        open.status = "resolved";
        open.resolvedAt = at;
      }
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (await answerControl(req, res, controls)) return;
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method !== "POST" || path !== "/v2/enqueue")
      return sendJson(res, 404, { status: "not found", message: `no route ${req.method} ${path}` });
    const text = (await readBody(req)).toString("utf8");
    let body: unknown = text;
    let parsed = true;
    try {
      body = JSON.parse(text);
    } catch {
      parsed = false;
    }
    const action = isRecord(body) && typeof body.event_action === "string" ? body.event_action : "";

    await answerThroughPlan(
      res,
      plans.take([action]),
      (status) => ({
        status,
        body:
          status === 429
            ? { status: "throttle event", message: "Too many events for this routing key" }
            : { status: "error", message: "Internal error (fake)" },
      }),
      (): Answer => {
        const errors = parsed ? pagerDutyEventProblems(body) : ["Could not parse the request body as JSON"];
        if (errors.length)
          return { status: 400, body: { status: "invalid event", message: "Event object is invalid", errors } };
        const event = body as PagerDutyEvent;
        const dedupKey = event.dedup_key ?? randomUUID().replaceAll("-", "");
        apply(event, dedupKey);
        return { status: 202, body: { status: "success", message: "Event processed", dedup_key: dedupKey } };
      },
      (answer, flags) => {
        const reply = isRecord(answer.body) ? answer.body : {};
        received.push({
          at: now(),
          status: answer.status,
          ...flags,
          body,
          ...(answer.status === 202 && flags.failedWith === undefined
            ? { event: body as PagerDutyEvent, dedupKey: String(reply.dedup_key) }
            : {}),
          ...(answer.status === 400 && flags.failedWith === undefined && Array.isArray(reply.errors)
            ? { errors: reply.errors as string[] }
            : {}),
        });
      },
    );
  };

  const events = (dedupKey: string): PagerDutyEvent[] =>
    received.filter((r) => r.event && r.dedupKey === dedupKey).map((r) => r.event as PagerDutyEvent);
  const reset = () => {
    received.length = 0;
    plans.clear();
    incidents.length = 0;
  };
  const controls = {
    received: () => received,
    fail: plans.add.bind(plans),
    reset,
    routes: {
      "GET incidents": () => incidents,
      "GET events": ({ query }: { query: URLSearchParams }) => events(query.get("dedup_key") ?? ""),
    },
  };

  const { server, url } = await startHttpServer(options.port, handle);
  return {
    url,
    received,
    fail: (plan) => plans.add(plan),
    reset,
    close: () => closeHttpServer(server),
    incidents: () => structuredClone(incidents),
    incident: (dedupKey) => {
      const incident = latest(dedupKey);
      return incident && structuredClone(incident);
    },
    events,
  };
}

export interface PagerDutyControl extends FakeControl<PagerDutyReceived> {
  incidents(): Promise<PagerDutyIncident[]>;
  events(dedupKey: string): Promise<PagerDutyEvent[]>;
}

/** From a spec in another process: the PagerDuty fake's control routes (url: the fake's base URL). */
export function pagerDutyControl(url: string): PagerDutyControl {
  const control = fakeControl<PagerDutyReceived>(url);
  return {
    ...control,
    incidents: () => control.get<PagerDutyIncident[]>("incidents"),
    events: (dedupKey) => control.get<PagerDutyEvent[]>("events", { dedup_key: dedupKey }),
  };
}
