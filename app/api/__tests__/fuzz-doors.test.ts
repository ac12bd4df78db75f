// Every door on disk, fed hostile input: random and truncated JSON, a wrong type in each field, huge strings,
// NUL characters, deep nesting, empty bodies, wrong content types, hostile path segments and query strings.
// Signed doors (Slack, PagerDuty, Twilio) get bodies signed with the test secret, so the fuzz reaches past the
// signature; authenticated doors get an allowed role's token or session (and now and then none, a refused
// role or a bad token). What must hold for every input: never a 5xx, nothing logged as an error, nothing
// written by a refused request, and the door's own error shape. The inputs come from a fixed seed, so a
// failure here fails the same way on every run; the count tried per door is printed.
//
// A new door (a route.ts under app/api) fails "has a plan for every door" until it gets a row in `plans`.
import { createHmac } from "node:crypto";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FAKE_SLACK_BOT_TOKEN, startFakeSlack, type FakeSlack } from "@/e2e/fakes";
import { parse as parseYaml } from "yaml";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { defaultSeverityMap } from "@/lib/alerts/severity";
import { createApiToken } from "@/lib/auth/api-tokens";
import { flushIntegrationEvents } from "@/lib/intake/integration-event-log";
import { createIntegration } from "@/lib/intake/integrations";
import type { IntegrationKind } from "@/lib/intake/integration-options";
import { createMaintenanceWindow } from "@/lib/maintenance/manage-windows";
import { applyRunbookResource } from "@/lib/runbooks/sync-runbook-resources";
import { systemActor } from "@/lib/context";
import { issueAckLink } from "@/lib/escalation/ack-links";
import { createIncident } from "@/lib/incidents/create-incident";
import { createActionItem } from "@/lib/postmortems/action-items";
import { draftPostmortem } from "@/lib/postmortems/draft-postmortem";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { requestRemediation } from "@/lib/remediation/request-remediation";
import { actionTypes } from "@/lib/runbooks/action-types";
import { createRunbook } from "@/lib/runbooks/save-runbook";
import { createLogger } from "@/lib/observability/logger";
import { getRuntime } from "@/lib/runtime";
import { ctxOf, admin } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { apiRoot, httpMethods, routeFiles } from "@/test/api-routes";
import { useTestDatabase } from "@/test/database";
import { newIntegration } from "@/test/integrations";
import { oncallFixtures } from "@/test/oncall-fixtures";
import { emptyBodies, hostileJsonBodies, hostileQuery, hostileSegment, type HostileBody } from "@/test/hostile-inputs";
import { call, TEST_APP_ORIGIN, useTestRuntime } from "@/test/runtime";
import {
  blockActionPayload,
  commandBody,
  eventBody,
  FORM,
  interactionBody,
  settle,
  slackHeaders,
  SLACK_SIGNING_SECRET,
  viewSubmissionPayload,
} from "@/test/slack";

// Outside Next there is no request scope for after(): collect the Slack work and await it per input.
const deferred: Promise<unknown>[] = [];
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  after: (work: Promise<unknown>) => void deferred.push(work),
}));

const t = useTestDatabase();
const tokens = useTestRuntime(t);

/** Inputs per door and method, and the seed they grow from: bounded so the whole file runs in about two minutes. */
const RUNS = 30;
/** A GET without a query has only its credentials and path to fuzz: fewer inputs keep the file's runtime down. */
const PLAIN_GET_RUNS = 12;
const SEED = 17_2026;
const PAGERDUTY_SECRET = "whsec-fuzz-doors";

type Role = "viewer" | "responder" | "admin";
type Method = (typeof httpMethods)[number];
/** How a door's caller expects to hear "no": see `answerChecks`. */
type Answers =
  | "problem"
  | "pagerduty"
  | "pagerduty-events"
  | "opsgenie"
  | "slack"
  | "authjs"
  | "twilio"
  | "twilio-api"
  | "slack-web-api";

/**
 * What the fuzz sends to one door. Adding a door = adding one row: who may call it, a real target for its
 * path parameters, a valid body to break (or the vendor's own bodies), and whose error shape it answers in.
 */
interface DoorPlan {
  /** Roles allowed by Vigil's credentials; the fuzz calls as one of them. Omit for doors that check a signature. */
  allowed?: Role[];
  /** Machines only (no session cookie). */
  tokenOnly?: boolean;
  /** Path parameters naming a real target, made once per door. */
  params?: () => Promise<Record<string, string>>;
  /** A valid body: every hostile body is this one broken (omit: `{}`, for doors that take none). */
  sample?: () => Promise<unknown>;
  /** Query parameters a GET understands (fuzzed beside random ones). */
  query?: readonly string[];
  /** The query string of the valid request, for a GET that requires one. */
  validQuery?: string;
  /** A POST that only computes an answer (a dry run): its valid request writes nothing. */
  readOnly?: boolean;
  /** Bodies in a vendor's own wire format, replacing the JSON fuzz; `send` signs them. */
  vendor?: VendorDoor;
  answers: Answers;
}

/** One input to one door. */
interface FuzzInput {
  kind: string;
  body?: HostileBody;
  query: string;
  /** Hostile values for some path parameters. */
  segments: Record<string, string>;
  /** Headers a door reads besides credentials (Idempotency-Key, X-Request-Id), hostile or repeated. */
  extraHeaders: Record<string, string>;
  credentials: "allowed" | "none" | "refused role" | "bad token";
  /** Which of the allowed roles calls. */
  roleIndex: number;
  via: "token" | "session";
  /** Vendor doors: signed with the test secret (false: unsigned or wrongly signed). */
  signed: boolean;
  /** Vendor doors: a body the vendor could really send (its structure kept, its values hostile). */
  wellFormed: boolean;
  /** Alert-source doors: the request presented a live integration's secret (so its refusal is logged). */
  knownKey: boolean;
}

interface VendorBody {
  kind: string;
  raw: string;
  contentType: string;
  wellFormed: boolean;
  /** The body itself carries the integration's secret (PagerDuty's routing_key); default: the headers do. */
  keyed?: boolean;
}

interface VendorDoor {
  bodies: () => fc.Arbitrary<VendorBody>;
  sign: (raw: string, contentType: string) => Record<string, string>;
  /** What a sender without the secret presents (default: the signature of another body). */
  forge?: (raw: string, contentType: string) => Record<string, string>;
  /** An alert source that logs every body it refuses to `integration_events` once the key is known. */
  logsRefusals?: boolean;
}

let slack: FakeSlack;
const SLACK_PEOPLE = ["U0FUZZADMIN", "U0FUZZRESP", "U0FUZZVIEW", "U0NOBODY"] as const;

// ---- fixtures: one real target per door -------------------------------------------------------------

const newIncident = async () =>
  (await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "fuzz target", severity: "P3" } })).incident.ref;
let runbooks = 0;
const runbookMarkdown = (n: number, approval = false) =>
  `---\nslug: fuzz-${n}\ntitle: Fuzz ${n}\nalerts:\n  alertnames: [FuzzCheck]\nactions:\n  - { id: restart, title: Restart, type: k8s.rollout_restart, requires_approval: ${approval}, params: { namespace: fuzz, deployment: fuzz-${n} } }\n---\n## Symptoms\n`;
const newRunbook = async (approval = false) =>
  (await createRunbook({ ctx: ctxOf(t.db, admin), input: { markdown: runbookMarkdown(++runbooks, approval) } })).runbook
    .slug;
const pendingRun = async () =>
  (
    await requestRemediation({
      ctx: ctxOf(t.db, admin),
      input: { ref: await newIncident(), runbook: await newRunbook(true), action: "restart" },
      settings: {
        allowedActions: [...actionTypes],
        maxPerHour: 3,
        maxAutoPerHour: 20,
        namespaces: [],
        httpAllowedUrls: [],
        auto: true,
        dryRun: false,
        twoPerson: false,
        timeoutMs: 1000,
      },
    })
  ).id;
const newPostmortem = async () =>
  (
    await draftPostmortem({
      ctx: ctxOf(t.db, admin),
      input: { ref: await newIncident() },
      settings: postmortemSettings(),
    })
  ).postmortem.id;
const newActionItem = async () => {
  const id = await newPostmortem();
  const item = await createActionItem({
    ctx: ctxOf(t.db, admin),
    input: { id, title: "fuzz target" },
    settings: postmortemSettings(),
  });
  return { id, itemId: item.id };
};
const newUser = async () => {
  const rows =
    await t.sql`insert into users (email, name, role) values (${`fuzz-${crypto.randomUUID()}@example.com`}, 'fuzz', 'viewer') returning id`;
  return { id: rows[0]!.id as string };
};
const ref = async () => ({ ref: await newIncident() });
const analyticsQuery = ["from", "to", "by", "severity", "service", "team", "bucket"];
const userId = async () => (await newUser()).id;
const newIntegrationId = async () => ({
  id: (await createIntegration({ ctx: ctxOf(t.db, admin), input: { kind: "webhook", name: "fuzz target" } })).id,
});
/** The contact method the notification-rules door's sample names (made by its params). */
let ruleMethod = "";

let alertGroups = 0;
/** An incident opened by an alert (a snooze needs its alert group). */
const alertIncident = async () => {
  const n = ++alertGroups;
  const result = await ingestAlertmanagerPayload({
    ctx: ctxOf(t.db, admin),
    input: webhook(`fuzz-snooze-${n}`, [alert({ labels: { alertname: "FuzzCheck", n: `snooze-${n}` } })]),
    settings: { reopenWindowMs: 0, serviceLabel: "service", teamLabel: "team", severityMap: defaultSeverityMap },
  });
  return { ref: result.incidents.created[0]! };
};
const newWindow = async () => ({
  id: (
    await createMaintenanceWindow({
      ctx: ctxOf(t.db, admin),
      input: { reason: "fuzz target", service: `fuzz-${crypto.randomUUID()}`, duration: "1h" },
    })
  ).id,
});
/** A runbook from a Runbook resource, whose actions wait for an admin's approval. */
const resourceRunbook = async () => {
  const n = ++runbooks;
  const [, spec] = /^---\n([\s\S]*?)---\n/.exec(runbookMarkdown(n))!;
  await applyRunbookResource(
    t.db,
    { metadata: { namespace: "fuzz", name: `fuzz-${n}` }, spec: parseYaml(spec!) as Record<string, unknown> },
    { namespaces: ["fuzz"] },
    new Date(),
  );
  return `fuzz-${n}`;
};

// On-call targets, fresh per door (test/oncall-fixtures.ts).
const oncall = oncallFixtures(() => t.db, userId, "fuzz");
const { newPersonWithMethod, newRule, newSchedule, newOverride, newFeed } = oncall;
const oncallLayer = oncall.layer;
const newPolicy = async () => ({ id: await oncall.newPolicyId() });
const scheduleId = async () => ({ id: (await newSchedule()).id });
const newLayer = async () => {
  const schedule = await newSchedule();
  return { id: schedule.id, layerId: schedule.layers[0]!.id };
};

/** The secret of one live integration per alert-source kind, made by the first door of that kind. */
const integrationSecrets: Partial<Record<IntegrationKind, string>> = {};
const GRAFANA_HMAC = "grafana-fuzz-hmac";
const secretOf = (kind: IntegrationKind) => integrationSecrets[kind] ?? "no integration yet";
const withIntegration =
  (kind: IntegrationKind, params: Record<string, string> = {}, options: Record<string, unknown> = {}) =>
  async () => {
    integrationSecrets[kind] ??= (
      await newIntegration(tokens.admin, { kind, name: `fuzz ${kind}`, ...options })
    ).secret;
    return params;
  };

// ---- vendors' wire formats --------------------------------------------------------------------------

const signPagerDuty = (raw: string, contentType: string) => ({
  "content-type": contentType,
  "x-pagerduty-signature": `v1=${createHmac("sha256", PAGERDUTY_SECRET).update(raw).digest("hex")}`,
  "x-webhook-id": crypto.randomUUID(),
});
const signSlack = (raw: string, contentType: string) => slackHeaders(raw, contentType);

const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ maxLength: 10 }).map((s) => `${s}\u0000`),
  fc.constantFrom("", "x".repeat(50_000), "INC-99999999999999999999", "\ud800"),
);
const incidentWords = fc.constantFrom(
  "declare P1 db down",
  "ack INC-1",
  "resolve INC-1 fixed",
  "note INC-1 hi",
  "help",
);

/** PagerDuty V3 webhook deliveries: the real structure with hostile values, and broken JSON. */
const pagerDutyBodies = () =>
  fc.oneof(
    fc
      .record({
        id: anyText,
        event_type: fc.oneof(
          fc.constantFrom("incident.triggered", "incident.acknowledged", "incident.resolved", "incident.annotated"),
          anyText,
        ),
        incident_key: fc.oneof(anyText, fc.uuid(), fc.constant(null)),
        incidentId: anyText,
        content: anyText,
        html_url: anyText,
      })
      .map((e) => ({
        kind: "PagerDuty event",
        raw: JSON.stringify({
          event: {
            id: e.id,
            event_type: e.event_type,
            resource_type: "incident",
            occurred_at: "2026-12-07T06:00:00Z",
            agent: { id: "PAGENT1", summary: e.content, type: "user_reference" },
            data: { id: e.incidentId, incident_key: e.incident_key, html_url: e.html_url, content: e.content },
          },
        }),
        contentType: "application/json",
        wellFormed: true,
      })),
    hostileJsonBodies({ event: { id: "01FUZZ", event_type: "incident.acknowledged", data: { id: "P1" } } }).map(
      (b) => ({ kind: b.kind, raw: b.raw ?? "", contentType: b.contentType, wellFormed: false }),
    ),
  );

const slackUser = fc.constantFrom(...SLACK_PEOPLE);

const slackCommands = () =>
  fc.oneof(
    fc
      .record({
        words: fc.oneof(incidentWords, anyText),
        user: slackUser,
        command: fc.constantFrom("/incident", "/runbook", "/x"),
      })
      .map(({ words, user, command }) => ({
        kind: "slash command",
        raw: commandBody({ text: words, userId: user, command, responseUrl: slack.responseUrl("fuzz") }),
        contentType: FORM,
        wellFormed: true,
      })),
    slackBroken(),
  );

const actionIds = [
  "incident_acknowledge",
  "incident_resolve",
  "incident_open",
  "incident_menu",
  "runbook_run",
  "runbook_dry_run",
  "remediation_approve",
  "remediation_reject",
];
const slackInteractions = () =>
  fc.oneof(
    fc
      .record({
        user: slackUser,
        actionId: fc.oneof(fc.constantFrom(...actionIds), anyText),
        value: anyText,
        menu: fc.boolean(),
      })
      .map(({ user, actionId, value, menu }) => ({
        kind: "block action",
        raw: interactionBody(
          blockActionPayload({
            userId: user,
            actionId,
            ...(menu ? { selectedValue: value || "x" } : { value }),
            responseUrl: slack.responseUrl("fuzz"),
          }),
        ),
        contentType: FORM,
        wellFormed: true,
      })),
    fc
      .record({
        user: slackUser,
        callbackId: fc.oneof(fc.constantFrom("incident_create", "incident_note"), anyText),
        metadata: fc.oneof(anyText, fc.json({ maxDepth: 2 })),
        value: fc.oneof(anyText, fc.constant(null)),
      })
      .map(({ user, callbackId, metadata, value }) => ({
        kind: "view submission",
        raw: interactionBody(
          viewSubmissionPayload({
            userId: user,
            callbackId,
            privateMetadata: metadata,
            values: {
              title: { value: { type: "plain_text_input", value } },
              severity: { value: { type: "static_select", selected_option: { value } } },
              note: { value: { type: "plain_text_input", value } },
            },
          }),
        ),
        contentType: FORM,
        wellFormed: true,
      })),
    hostileJsonBodies({ type: "block_actions", user: { id: "U0FUZZADMIN" }, actions: [{ action_id: "x" }] }).map(
      (b) => ({
        kind: `payload: ${b.kind}`,
        raw: new URLSearchParams({ payload: b.raw ?? "" }).toString(),
        contentType: FORM,
        wellFormed: false,
      }),
    ),
    slackBroken(),
  );

const slackEvents = () =>
  fc.oneof(
    fc
      .record({
        type: fc.oneof(fc.constantFrom("pin_added", "reaction_added", "app_mention"), anyText),
        user: slackUser,
        channel: anyText,
        reaction: anyText,
        text: anyText,
      })
      .map((e) => ({
        kind: "event",
        raw: eventBody({
          type: e.type,
          user: e.user,
          channel_id: e.channel,
          reaction: e.reaction,
          item: { type: "message", channel: e.channel, ts: "1764000000.000100", message: { text: e.text } },
        }),
        contentType: "application/json",
        wellFormed: true,
      })),
    anyText.map((challenge) => ({
      kind: "url_verification",
      raw: JSON.stringify({ token: "x", challenge, type: "url_verification" }),
      contentType: "application/json",
      wellFormed: challenge.length > 0 && challenge.length <= 500,
    })),
    slackBroken(),
  );

/** Bodies Slack never sends: JSON broken every way, under either content type. */
function slackBroken() {
  return hostileJsonBodies({ type: "event_callback", event: { type: "pin_added" } }).map((b) => ({
    kind: b.kind,
    raw: b.raw ?? "",
    contentType: b.contentType,
    wellFormed: false,
  }));
}

// Twilio's callbacks: an SMS reply (from a number with pages waiting, now and then) and a key pressed in a
// call. The fuzz POSTs without a query, so the voice door never sees a token: it answers "not acknowledged".
const TWILIO_AUTH_TOKEN = "twilio-fuzz-auth-token";
const PAGED_NUMBER = "+15555550199";
const FORM_TYPE = "application/x-www-form-urlencoded";
const signTwilio = (urlPath: string) => (raw: string, contentType: string) => ({
  "content-type": contentType,
  "x-twilio-signature": createHmac("sha1", TWILIO_AUTH_TOKEN)
    .update(
      `${TEST_APP_ORIGIN}${urlPath}` +
        [...new URLSearchParams(raw)]
          .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
          .map(([name, value]) => name + value)
          .join(""),
    )
    .digest("base64"),
});
const twilioBodies = (kind: string, fields: fc.Arbitrary<Record<string, string>>) => () =>
  fc.oneof(
    fields.map((f) => ({ kind, raw: new URLSearchParams(f).toString(), contentType: FORM_TYPE, wellFormed: true })),
    hostileJsonBodies({ From: PAGED_NUMBER, Body: "1" }).map((b) => ({
      kind: b.kind,
      raw: b.raw ?? "",
      contentType: b.contentType,
      wellFormed: false,
    })),
  );
const smsReplies = twilioBodies(
  "inbound SMS",
  fc.record({
    AccountSid: anyText,
    MessageSid: fc.oneof(fc.constantFrom("SMfuzz00000000000000000000000001", "SMfuzz2"), anyText),
    From: fc.oneof(fc.constant(PAGED_NUMBER), anyText),
    To: anyText,
    Body: fc.oneof(fc.constantFrom("1", "ack", " YES ", "help"), anyText),
  }),
);
const voiceDigits = twilioBodies(
  "gathered digits",
  fc.record({
    AccountSid: anyText,
    CallSid: anyText,
    From: anyText,
    To: anyText,
    Digits: fc.oneof(fc.constantFrom("1", "2", "#"), anyText),
  }),
);
/** Pages waiting for an SMS reply from PAGED_NUMBER, so replies reach the acknowledging path. */
const pagedBySms = async () => {
  const rows =
    await t.sql`insert into users (email, name, role) values (${`fuzz-${crypto.randomUUID()}@example.com`}, 'fuzz', 'responder') returning id`;
  for (let i = 0; i < 5; i++) {
    const incident = await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "fuzz page", severity: "P1" } });
    await issueAckLink(t.db, {
      incidentId: incident.incident.id,
      userId: rows[0]!.id as string,
      method: "sms",
      address: PAGED_NUMBER,
      now: new Date(),
      appUrl: TEST_APP_ORIGIN,
    });
  }
  return {};
};
// ---- the dev inbox's look-alikes: what Twilio's and Slack's clients send (npm start's dev inbox) -------

const DEV_INBOX_SID = "ACfuzz00000000000000000000000000ff";
// One SMS_AUTH_TOKEN signs Twilio's callbacks and is what the dev inbox's look-alike takes from senders.
const DEV_INBOX_TOKEN = TWILIO_AUTH_TOKEN;
const basicAuth = (sid: string, token: string) => `Basic ${Buffer.from(`${sid}:${token}`).toString("base64")}`;
const phoneNumber = fc.oneof(fc.constantFrom("+15550100001", "+15550100002"), anyText);
const formBroken = () =>
  hostileJsonBodies({ To: "+15550100001", Body: "x" }).map((b) => ({
    kind: b.kind,
    raw: b.raw ?? "",
    contentType: b.contentType,
    wellFormed: false,
  }));

/** Twilio's Messages and Calls create: form fields, the real names with hostile values, and broken bodies. */
const twilioApiBodies = (call: boolean) => () =>
  fc.oneof(
    fc
      .record({ to: phoneNumber, from: phoneNumber, body: anyText, twiml: anyText, say: anyText })
      .map(({ to, from, body, twiml, say }) => ({
        kind: call ? "Twilio call" : "Twilio message",
        raw: new URLSearchParams(
          call
            ? { To: to, From: from, Twiml: `<Response><Say>${say}</Say>${twiml}</Response>` }
            : { To: to, From: from, Body: body },
        ).toString(),
        contentType: FORM_TYPE,
        wellFormed: true,
      })),
    formBroken(),
  );
const signTwilioApi = (_raw: string, contentType: string) => ({
  "content-type": contentType,
  authorization: basicAuth(DEV_INBOX_SID, DEV_INBOX_TOKEN),
});
const forgeTwilioApi = (_raw: string, contentType: string) => ({
  "content-type": contentType,
  authorization: basicAuth(DEV_INBOX_SID, "not-the-token"),
});

/** What @slack/web-api sends: form fields, Block Kit and metadata as JSON strings; or a JSON body. */
const slackWebApiBodies = () =>
  fc.oneof(
    fc
      .record({
        channel: fc.oneof(fc.constantFrom("#incidents-critical", "C0123456789"), anyText),
        text: anyText,
        blocks: fc.oneof(
          fc.constant(JSON.stringify([{ type: "section", text: { type: "mrkdwn", text: "*INC-1* <http://x|x>" } }])),
          anyText,
        ),
        threadTs: fc.oneof(fc.constant(undefined), anyText),
        asJson: fc.boolean(),
      })
      .map(({ channel, text, blocks, threadTs, asJson }) => {
        const fields = { channel, text, blocks, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) };
        return {
          kind: asJson ? "Slack call (JSON)" : "Slack call",
          raw: asJson ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
          contentType: asJson ? "application/json; charset=utf-8" : FORM_TYPE,
          wellFormed: true,
        };
      }),
    formBroken(),
  );
const signSlackWebApi = (_raw: string, contentType: string) => ({
  "content-type": contentType,
  authorization: `Bearer ${FAKE_SLACK_BOT_TOKEN}`,
});
const forgeSlackWebApi = (_raw: string, contentType: string) => ({
  "content-type": contentType,
  authorization: "Bearer xoxb-not-the-token",
});

// ---- alert sources' wire formats (lib/intake): the secret in a header, or in PagerDuty's body ----------

const WRONG_KEY = "vgl_fuzz-not-an-integration-key";
const anyLabels = fc.dictionary(
  fc.oneof(fc.constantFrom("alertname", "service", "team", "severity"), anyText),
  anyText,
  {
    maxKeys: 4,
  },
);
const anyInstant = fc.oneof(
  fc.constantFrom("2026-12-07T06:00:00Z", "0001-01-01T00:00:00Z", "2015-07-17T08:42:58.315+0000"),
  fc.integer(),
  anyText,
);
/** A vendor's own structure with hostile values, serialized, plus JSON broken every way (never well-formed). */
const vendorBodies = (
  kind: string,
  real: fc.Arbitrary<unknown>,
  sample: unknown,
  keyedBy?: (raw: string) => boolean,
): fc.Arbitrary<VendorBody> =>
  fc
    .oneof(
      {
        weight: 3,
        arbitrary: real.map((body) => ({
          kind,
          raw: JSON.stringify(body),
          contentType: "application/json",
          wellFormed: true,
        })),
      },
      {
        weight: 2,
        arbitrary: hostileJsonBodies(sample).map((b) => ({
          kind: b.kind,
          raw: b.raw ?? "",
          contentType: b.contentType,
          wellFormed: false,
        })),
      },
    )
    .map((b) => (keyedBy ? { ...b, keyed: keyedBy(b.raw) } : b));

/** PagerDuty Events API v2 (the routing_key is the integration's secret). */
const pagerDutyEvents = () => {
  const secret = secretOf("pagerduty");
  return vendorBodies(
    "PagerDuty event",
    fc.record(
      {
        routing_key: fc.oneof({ weight: 4, arbitrary: fc.constant(secret) }, { weight: 1, arbitrary: anyText }),
        event_action: fc.oneof(fc.constantFrom("trigger", "acknowledge", "resolve"), anyText),
        dedup_key: fc.oneof(fc.constantFrom("fuzz-1", "fuzz-2"), anyText),
        payload: fc.record(
          {
            summary: anyText,
            source: anyText,
            severity: fc.oneof(fc.constantFrom("critical", "error", "warning", "info"), anyText),
            timestamp: anyInstant,
            component: anyText,
            group: anyText,
            class: anyText,
            custom_details: fc.oneof(anyLabels, anyText),
          },
          { requiredKeys: ["summary", "source", "severity"] },
        ),
        client: anyText,
        links: fc.array(fc.record({ href: anyText, text: anyText }), { maxLength: 2 }),
      },
      { requiredKeys: ["routing_key", "event_action"] },
    ),
    {
      routing_key: secret,
      event_action: "trigger",
      dedup_key: "fuzz",
      payload: { summary: "disk full", source: "db1", severity: "critical" },
    },
    (raw) => raw.includes(secret),
  );
};
const jsonOnly = (raw: string, contentType: string) => ({ "content-type": contentType });

const genieKey =
  (secret = () => secretOf("opsgenie")) =>
  (_raw: string, contentType: string) => ({ "content-type": contentType, authorization: `GenieKey ${secret()}` });
/** Opsgenie's create alert request (what Alertmanager's opsgenie_configs and other tools send). */
const opsgenieCreate = () =>
  vendorBodies(
    "Opsgenie create",
    fc.record(
      {
        message: fc.oneof(fc.constant("disk full"), anyText),
        alias: anyText,
        description: anyText,
        priority: fc.oneof(fc.constantFrom("P1", "P2", "P3", "P4", "P5"), anyText),
        tags: fc.oneof(fc.array(anyText, { maxLength: 3 }), anyText),
        details: fc.oneof(anyLabels, fc.constant(null)),
        entity: anyText,
        source: anyText,
        responders: fc.array(fc.record({ name: anyText, type: fc.constantFrom("team", "user") }), { maxLength: 2 }),
      },
      { requiredKeys: ["message"] },
    ),
    { message: "disk full", alias: "fuzz", priority: "P1", tags: ["a"], details: { k: "v" } },
  );
/** Opsgenie's close / acknowledge (optional user, source, note) and update message / description bodies. */
const opsgenieByAlias = (field?: "message" | "description") => () =>
  vendorBodies(
    `Opsgenie ${field ?? "action"}`,
    field
      ? fc.record({ [field]: anyText })
      : fc.record({ user: anyText, source: anyText, note: anyText }, { requiredKeys: [] }),
    field ? { [field]: "changed" } : { user: "fuzz", source: "fuzz", note: "n" },
  );

/** Grafana Alerting's webhook contact point (Basic auth, and its HMAC signature: the integration has one). */
const grafanaBodies = () =>
  vendorBodies(
    "Grafana notification",
    fc.record({
      receiver: anyText,
      status: fc.oneof(fc.constantFrom("firing", "resolved"), anyText),
      orgId: fc.oneof(fc.integer(), anyText),
      alerts: fc.array(
        fc.record(
          {
            status: fc.oneof(fc.constantFrom("firing", "resolved"), anyText),
            labels: anyLabels,
            annotations: anyLabels,
            startsAt: anyInstant,
            endsAt: anyInstant,
            fingerprint: anyText,
            generatorURL: anyText,
            values: fc.oneof(fc.dictionary(anyText, fc.double()), fc.constant(null)),
          },
          { requiredKeys: ["status", "labels"] },
        ),
        { maxLength: 3 },
      ),
      groupLabels: anyLabels,
      commonLabels: anyLabels,
      groupKey: anyText,
      state: fc.oneof(fc.constantFrom("alerting", "ok"), anyText),
      title: anyText,
      version: fc.constant("1"),
    }),
    {
      receiver: "vigil",
      status: "firing",
      alerts: [{ status: "firing", labels: { alertname: "FuzzCheck" }, startsAt: "2026-12-07T06:00:00Z" }],
      groupKey: "{}:{}",
    },
  );
const signGrafana =
  (secret = () => secretOf("grafana")) =>
  (raw: string, contentType: string) => ({
    "content-type": contentType,
    authorization: `Basic ${Buffer.from(`grafana:${secret()}`).toString("base64")}`,
    "x-grafana-alerting-signature": createHmac("sha256", GRAFANA_HMAC).update(raw).digest("hex"),
  });

/** A Vigil event from any tool (lib/intake/vigil-event.ts). */
const vigilEvents = () =>
  vendorBodies(
    "Vigil event",
    fc.record(
      {
        dedup_key: fc.oneof(fc.constantFrom("fuzz-1", "fuzz-2"), anyText, fc.integer()),
        status: fc.oneof(fc.constantFrom("firing", "resolved", "trigger", "resolve", "ok"), anyText),
        title: anyText,
        severity: fc.oneof(fc.constantFrom("P1", "critical", "warning"), anyText),
        service: anyText,
        team: anyText,
        labels: anyLabels,
        annotations: anyLabels,
        links: fc.array(fc.record({ href: anyText, text: anyText }), { maxLength: 2 }),
        started_at: anyInstant,
        group_key: anyText,
      },
      { requiredKeys: ["dedup_key"] },
    ),
    { dedup_key: "fuzz", title: "backup failed", severity: "critical", labels: { host: "db1" } },
  );
/** A heartbeat's ping: any body (Alertmanager's Watchdog webhook, or nothing at all). */
const heartbeatPings = () =>
  fc.oneof(
    fc.constantFrom("", "ok").map((raw) => ({ kind: "ping", raw, contentType: "text/plain", wellFormed: true })),
    vendorBodies("Watchdog", fc.constant(webhook("watchdog", [alert({ labels: { alertname: "Watchdog" } })])), {
      status: "firing",
    }),
  );
const bearer = (kind: IntegrationKind) => (_raw: string, contentType: string) => ({
  "content-type": contentType,
  authorization: `Bearer ${secretOf(kind)}`,
});
const forgedBearer = (_raw: string, contentType: string) => ({
  "content-type": contentType,
  authorization: `Bearer ${WRONG_KEY}`,
});

// ---- the plans: one row per door and method ---------------------------------------------------------

const responders: Role[] = ["responder", "admin"];
const everyone: Role[] = ["viewer", "responder", "admin"];

/**
 * One row per door and method, keyed as the route file's folder names it ("POST /api/v1/incidents/[ref]/ack").
 * To add a door:
 * - Vigil's own API: `allowed` (the roles its verb lets in), `params` (a fresh real target, when the path
 *   has [segments]), `sample` (a valid body: the test fails if it is refused or writes nothing), `query` (a
 *   GET's filter names), `answers: "problem"`.
 * - A vendor's door (an alert source, a chat tool): `vendor.bodies` (arbitraries of what that vendor really
 *   sends, `wellFormed: true`, plus broken ones) and `vendor.sign` (its signature with a test secret, set in
 *   beforeAll), and the shape its sender expects in `answers`: add that name to `Answers` and its check to
 *   `answerChecks` (e.g. PagerDuty Events v2 answers 400 `{"status":"invalid event","message","errors"}`).
 * - A door with nothing to fuzz (a stream that never ends): `leftOut`, with the reason.
 */
const plans: Record<string, DoorPlan> = {
  "GET /api/health": { answers: "problem" },
  "GET /api/v1/openapi.json": { answers: "problem" },
  "GET /api/auth/[...nextauth]": { params: async () => ({ nextauth: "session" }), answers: "authjs" },
  "POST /api/auth/[...nextauth]": {
    params: async () => ({ nextauth: "signout" }),
    sample: async () => ({ csrfToken: "x", callbackUrl: "/" }),
    answers: "authjs",
  },

  "GET /api/v1/incidents": {
    allowed: everyone,
    query: ["status", "severity", "service", "team", "q", "cursor", "limit", "from", "to", "sort", "assignee"],
    answers: "problem",
  },
  "POST /api/v1/incidents": {
    allowed: responders,
    sample: async () => ({
      title: "fuzz",
      severity: "P4",
      description: "d",
      service: "api",
      team: "core",
      labels: { a: "b" },
      detected_at: "2026-12-07T06:00:00Z",
    }),
    answers: "problem",
  },
  "GET /api/v1/incidents/counts": { allowed: everyone, query: ["status", "service", "team", "q"], answers: "problem" },
  "GET /api/v1/incidents/[ref]": { allowed: everyone, params: ref, answers: "problem" },
  "PATCH /api/v1/incidents/[ref]": {
    allowed: responders,
    params: ref,
    sample: async () => ({
      title: "renamed",
      severity: "P2",
      status: "acknowledged",
      service: "db",
      false_positive: false,
    }),
    answers: "problem",
  },
  "POST /api/v1/incidents/[ref]/ack": { allowed: responders, params: ref, answers: "problem" },
  "POST /api/v1/incidents/[ref]/escalate": {
    allowed: responders,
    params: async () => ({ ref: await oncall.escalatingIncident() }),
    answers: "problem",
  },
  "POST /api/v1/incidents/[ref]/reassign": {
    allowed: responders,
    params: ref,
    sample: async () => ({ user_id: await userId() }),
    answers: "problem",
  },
  "POST /api/v1/incidents/[ref]/resolve": {
    allowed: responders,
    params: ref,
    sample: async () => ({ resolution_note: "fixed" }),
    answers: "problem",
  },
  "POST /api/v1/incidents/[ref]/reopen": {
    allowed: responders,
    params: async () => {
      const target = await newIncident();
      await t.sql`update incidents set status = 'resolved', resolved_at = now() where number = ${Number(target.slice(4))}`;
      return { ref: target };
    },
    sample: async () => ({ reason: "back" }),
    answers: "problem",
  },
  "GET /api/v1/incidents/[ref]/alerts": { allowed: everyone, params: ref, answers: "problem" },
  "GET /api/v1/incidents/[ref]/notifications": { allowed: everyone, params: ref, answers: "problem" },
  "GET /api/v1/incidents/[ref]/escalation": { allowed: everyone, params: ref, answers: "problem" },
  "GET /api/v1/incidents/[ref]/runbook": { allowed: everyone, params: ref, answers: "problem" },
  "GET /api/v1/incidents/[ref]/timeline": {
    allowed: everyone,
    params: ref,
    query: ["kind", "cursor", "limit"],
    answers: "problem",
  },
  "POST /api/v1/incidents/[ref]/timeline": {
    allowed: responders,
    params: ref,
    sample: async () => ({ text: "note" }),
    answers: "problem",
  },
  "GET /api/v1/incidents/[ref]/postmortem": {
    allowed: everyone,
    params: async () => {
      const target = await newIncident();
      await draftPostmortem({ ctx: ctxOf(t.db, admin), input: { ref: target }, settings: postmortemSettings() });
      return { ref: target };
    },
    answers: "problem",
  },
  "POST /api/v1/incidents/[ref]/postmortem": { allowed: responders, params: ref, answers: "problem" },
  "GET /api/v1/incidents/[ref]/remediations": { allowed: everyone, params: ref, answers: "problem" },
  "POST /api/v1/incidents/[ref]/remediations": {
    allowed: responders,
    params: ref,
    sample: async () => ({ runbook: await newRunbook(), action: "restart", dry_run: true }),
    answers: "problem",
  },
  "POST /api/v1/remediations/[id]/approve": {
    allowed: ["admin"],
    params: async () => ({ id: await pendingRun() }),
    sample: async () => ({}),
    answers: "problem",
  },
  "POST /api/v1/remediations/[id]/reject": {
    allowed: ["admin"],
    params: async () => ({ id: await pendingRun() }),
    sample: async () => ({ reason: "not now" }),
    answers: "problem",
  },

  "GET /api/v1/postmortems": { allowed: everyone, query: ["status", "overdue"], answers: "problem" },
  "GET /api/v1/postmortems/[id]": {
    allowed: everyone,
    params: async () => ({ id: await newPostmortem() }),
    answers: "problem",
  },
  "PATCH /api/v1/postmortems/[id]": {
    allowed: responders,
    params: async () => ({ id: await newPostmortem() }),
    sample: async () => ({ markdown: "# Edited\n\n## Summary\n\nx", version: 1, status: "in_review" }),
    answers: "problem",
  },
  "GET /api/v1/postmortems/[id]/export": {
    allowed: everyone,
    params: async () => ({ id: await newPostmortem() }),
    answers: "problem",
  },
  "GET /api/v1/postmortems/[id]/action-items": {
    allowed: everyone,
    params: async () => ({ id: await newPostmortem() }),
    answers: "problem",
  },
  "POST /api/v1/postmortems/[id]/action-items": {
    allowed: responders,
    params: async () => ({ id: await newPostmortem() }),
    sample: async () => ({
      title: "fix it",
      owner: `responder-${t.name}@example.com`,
      due_date: "2026-12-31",
      status: "open",
    }),
    answers: "problem",
  },
  "PATCH /api/v1/postmortems/[id]/action-items/[itemId]": {
    allowed: responders,
    params: newActionItem,
    sample: async () => ({
      title: "fix it",
      owner: `responder-${t.name}@example.com`,
      due_date: "2026-12-31",
      status: "done",
    }),
    answers: "problem",
  },
  "DELETE /api/v1/postmortems/[id]/action-items/[itemId]": {
    allowed: responders,
    params: newActionItem,
    answers: "problem",
  },
  "POST /api/v1/postmortems/[id]/action-items/[itemId]/ticket": {
    allowed: responders,
    params: newActionItem,
    answers: "problem",
  },

  "GET /api/v1/runbooks": { allowed: everyone, answers: "problem" },
  "POST /api/v1/runbooks": {
    allowed: responders,
    sample: async () => ({
      markdown: `---\nslug: fuzz-new-${++runbooks}\ntitle: New\nalerts:\n  alertnames: [FuzzCheck]\n---\n## Symptoms\n`,
    }),
    answers: "problem",
  },
  "GET /api/v1/runbooks/[slug]": {
    allowed: everyone,
    params: async () => ({ slug: await newRunbook() }),
    answers: "problem",
  },
  "PUT /api/v1/runbooks/[slug]": {
    allowed: responders,
    params: async () => ({ slug: `fuzz-${runbooks + 1}` }),
    sample: async () => {
      const slug = await newRunbook();
      return {
        base_version: 1,
        markdown: runbookMarkdown(Number(slug.replace("fuzz-", ""))).replace("title: Fuzz", "title: Edited"),
      };
    },
    answers: "problem",
  },
  "GET /api/v1/runbooks/[slug]/export": {
    allowed: everyone,
    params: async () => ({ slug: await newRunbook() }),
    answers: "problem",
  },
  "GET /api/v1/runbooks/[slug]/versions": {
    allowed: everyone,
    params: async () => ({ slug: await newRunbook() }),
    answers: "problem",
  },

  "POST /api/v1/webhooks/alertmanager": {
    allowed: responders,
    tokenOnly: true,
    sample: async () => webhook("fuzz", [alert({ labels: { alertname: "FuzzCheck", service: "api" } })]),
    answers: "problem",
  },
  "POST /api/v1/webhooks/pagerduty": {
    vendor: { bodies: pagerDutyBodies, sign: signPagerDuty },
    answers: "pagerduty",
  },
  "POST /api/v1/webhooks/twilio/sms": {
    params: pagedBySms,
    vendor: { bodies: smsReplies, sign: signTwilio("/api/v1/webhooks/twilio/sms") },
    answers: "twilio",
  },
  "POST /api/v1/webhooks/twilio/voice": {
    vendor: { bodies: voiceDigits, sign: signTwilio("/api/v1/webhooks/twilio/voice") },
    answers: "twilio",
  },
  "POST /api/slack/commands": { vendor: { bodies: slackCommands, sign: signSlack }, answers: "slack" },
  "POST /api/slack/interactions": { vendor: { bodies: slackInteractions, sign: signSlack }, answers: "slack" },
  "POST /api/slack/events": { vendor: { bodies: slackEvents, sign: signSlack }, answers: "slack" },

  // The dev inbox's look-alikes (on for this file: see beforeAll), answering as Twilio and Slack do.
  "POST /api/dev-inbox/twilio/2010-04-01/Accounts/[sid]/Messages.json": {
    params: async () => ({ sid: DEV_INBOX_SID }),
    vendor: { bodies: twilioApiBodies(false), sign: signTwilioApi, forge: forgeTwilioApi },
    answers: "twilio-api",
  },
  "POST /api/dev-inbox/twilio/2010-04-01/Accounts/[sid]/Calls.json": {
    params: async () => ({ sid: DEV_INBOX_SID }),
    vendor: { bodies: twilioApiBodies(true), sign: signTwilioApi, forge: forgeTwilioApi },
    answers: "twilio-api",
  },
  "POST /api/dev-inbox/slack/api/[method]": {
    params: async () => ({ method: "chat.postMessage" }),
    vendor: { bodies: slackWebApiBodies, sign: signSlackWebApi, forge: forgeSlackWebApi },
    answers: "slack-web-api",
  },

  "GET /api/v1/tokens": { allowed: ["admin"], answers: "problem" },
  "POST /api/v1/tokens": {
    allowed: ["admin"],
    sample: async () => ({ name: "fuzz", role: "viewer", scope: "full", expires_at: "2027-01-01T00:00:00Z" }),
    answers: "problem",
  },
  "DELETE /api/v1/tokens/[id]": {
    allowed: ["admin"],
    params: async () => ({
      id: (await createApiToken({ ctx: ctxOf(t.db, systemActor()), input: { name: "fuzz", role: "viewer" } })).id,
    }),
    answers: "problem",
  },
  "GET /api/v1/users": { allowed: ["admin"], answers: "problem" },
  "PATCH /api/v1/users/[id]": {
    allowed: ["admin"],
    params: newUser,
    sample: async () => ({ role: "responder", role_pinned: true, slack_user_id: "U024BE7LH", disabled: false }),
    answers: "problem",
  },
  "GET /api/v1/routing": { allowed: ["admin"], answers: "problem" },
  "POST /api/v1/routing/dry-run": {
    allowed: ["admin"],
    readOnly: true,
    sample: async () => ({
      alertmanager_payload: webhook("fuzz-dry", [alert({ labels: { alertname: "FuzzCheck", severity: "critical" } })]),
    }),
    answers: "problem",
  },
  "GET /api/v1/audit": {
    allowed: ["admin"],
    query: ["actor", "action", "resource_type", "resource_id", "from", "to", "cursor", "limit"],
    answers: "problem",
  },
  "GET /api/v1/audit/export": {
    allowed: ["admin"],
    query: ["actor", "action", "resource_type", "resource_id", "from", "to"],
    answers: "problem",
  },
  "GET /api/v1/analytics/summary": { allowed: everyone, query: analyticsQuery, answers: "problem" },
  "GET /api/v1/analytics/trends": { allowed: everyone, query: analyticsQuery, answers: "problem" },
  "GET /api/v1/analytics/distribution": { allowed: everyone, query: analyticsQuery, answers: "problem" },
  "GET /api/v1/analytics/noise": { allowed: everyone, query: analyticsQuery, answers: "problem" },
  "GET /api/v1/analytics/notifications": { allowed: everyone, query: analyticsQuery, answers: "problem" },
  "GET /api/v1/analytics/remediation": { allowed: everyone, query: analyticsQuery, answers: "problem" },
  "GET /api/v1/analytics/deduplication": { allowed: everyone, query: analyticsQuery, answers: "problem" },
  "GET /api/v1/analytics/oncall": { allowed: everyone, query: analyticsQuery, answers: "problem" },

  "POST /api/v1/runbooks/[slug]/approve-actions": {
    allowed: ["admin"],
    params: async () => ({ slug: await resourceRunbook() }),
    sample: async () => ({ version: 1 }),
    answers: "problem",
  },
  "GET /api/v1/runbooks/[slug]/runs": {
    allowed: everyone,
    params: async () => ({ slug: await newRunbook() }),
    query: ["outcome", "action", "from", "to", "limit", "cursor"],
    answers: "problem",
  },

  "GET /api/v1/maintenance-windows": { allowed: everyone, query: ["state"], answers: "problem" },
  "POST /api/v1/maintenance-windows": {
    allowed: responders,
    sample: async () => ({
      reason: "fuzz",
      service: "api",
      team: "core",
      labels: { env: "prod" },
      starts_at: "2030-01-01T00:00:00Z",
      duration: "30m",
    }),
    answers: "problem",
  },
  "POST /api/v1/maintenance-windows/[id]/end": { allowed: responders, params: newWindow, answers: "problem" },
  "DELETE /api/v1/maintenance-windows/[id]": { allowed: ["admin"], params: newWindow, answers: "problem" },
  "POST /api/v1/incidents/[ref]/snooze": {
    allowed: responders,
    params: alertIncident,
    sample: async () => ({ duration: "1h" }),
    answers: "problem",
  },

  "GET /api/v1/people": { allowed: everyone, answers: "problem" },
  "POST /api/v1/people": {
    allowed: ["admin"],
    sample: async () => ({
      name: "Fuzz Person",
      email: `fuzz-${crypto.randomUUID()}@example.com`,
      role: "responder",
      time_zone: "Europe/London",
    }),
    answers: "problem",
  },
  "GET /api/v1/people/[id]": { allowed: everyone, params: newUser, answers: "problem" },
  "PATCH /api/v1/people/[id]": {
    allowed: ["admin"],
    params: newUser,
    sample: async () => ({ name: "Renamed", time_zone: "Europe/Paris" }),
    answers: "problem",
  },
  "POST /api/v1/people/[id]/contact-methods": {
    allowed: ["admin"],
    params: newUser,
    sample: async () => ({ kind: "sms", value: "+15551230000", label: "mobile" }),
    answers: "problem",
  },
  "DELETE /api/v1/people/[id]/contact-methods/[methodId]": {
    allowed: ["admin"],
    params: newPersonWithMethod,
    answers: "problem",
  },
  "POST /api/v1/people/[id]/contact-methods/[methodId]/test": {
    allowed: ["admin"],
    params: newPersonWithMethod,
    answers: "problem",
  },
  "POST /api/v1/people/[id]/notification-rules": {
    allowed: ["admin"],
    params: async () => {
      const { id, methodId } = await newPersonWithMethod();
      ruleMethod = methodId;
      return { id };
    },
    sample: async () => ({ contact_method_id: ruleMethod, urgency: "low", delay_minutes: 10 }),
    answers: "problem",
  },
  "DELETE /api/v1/people/[id]/notification-rules/[ruleId]": { allowed: ["admin"], params: newRule, answers: "problem" },

  "GET /api/v1/schedules": { allowed: everyone, answers: "problem" },
  "POST /api/v1/schedules": {
    allowed: ["admin"],
    sample: async () => ({
      name: `fuzz ${crypto.randomUUID()}`,
      team: "core",
      time_zone: "Europe/London",
      layers: [oncallLayer([await userId()])],
    }),
    answers: "problem",
  },
  "GET /api/v1/schedules/[id]": { allowed: everyone, params: scheduleId, answers: "problem" },
  "PATCH /api/v1/schedules/[id]": {
    allowed: ["admin"],
    params: scheduleId,
    sample: async () => ({ description: "edited", team: "core", time_zone: "America/New_York" }),
    answers: "problem",
  },
  "DELETE /api/v1/schedules/[id]": { allowed: ["admin"], params: scheduleId, answers: "problem" },
  "GET /api/v1/schedules/[id]/shifts": {
    allowed: everyone,
    params: scheduleId,
    query: ["from", "to", "format"],
    validQuery: "from=2026-01-05T00:00:00Z&to=2026-01-20T00:00:00Z&format=csv",
    answers: "problem",
  },
  "POST /api/v1/schedules/[id]/layers": {
    allowed: ["admin"],
    params: scheduleId,
    sample: async () => oncallLayer([await userId()]),
    answers: "problem",
  },
  "PUT /api/v1/schedules/[id]/layers/[layerId]": {
    allowed: ["admin"],
    params: newLayer,
    sample: async () => oncallLayer([await userId()]),
    answers: "problem",
  },
  "DELETE /api/v1/schedules/[id]/layers/[layerId]": { allowed: ["admin"], params: newLayer, answers: "problem" },
  "POST /api/v1/schedules/[id]/overrides": {
    allowed: responders,
    params: scheduleId,
    sample: async () => ({ user_id: await userId(), start: "2030-01-01T00:00:00Z", end: "2030-01-02T00:00:00Z" }),
    answers: "problem",
  },
  "DELETE /api/v1/schedules/[id]/overrides/[overrideId]": {
    allowed: responders,
    params: newOverride,
    answers: "problem",
  },
  "GET /api/v1/oncall": { allowed: everyone, query: ["at", "team", "service", "schedule_id"], answers: "problem" },

  "GET /api/v1/escalation-policies": { allowed: everyone, answers: "problem" },
  "POST /api/v1/escalation-policies": {
    allowed: ["admin"],
    sample: async () => ({
      name: `fuzz ${crypto.randomUUID()}`,
      repeat: 1,
      steps: [
        { delay_minutes: 5, targets: [{ type: "user", user_id: await userId() }] },
        { delay_minutes: 10, targets: [{ type: "slack_channel", channel: "#ops" }] },
      ],
    }),
    answers: "problem",
  },
  "GET /api/v1/escalation-policies/[id]": { allowed: everyone, params: newPolicy, answers: "problem" },
  "PUT /api/v1/escalation-policies/[id]": {
    allowed: ["admin"],
    params: newPolicy,
    sample: async () => ({
      name: `fuzz ${crypto.randomUUID()}`,
      steps: [{ delay_minutes: 10, targets: [{ type: "schedule", schedule_id: (await newSchedule()).id }] }],
    }),
    answers: "problem",
  },
  "DELETE /api/v1/escalation-policies/[id]": { allowed: ["admin"], params: newPolicy, answers: "problem" },

  "POST /api/v1/calendar-feeds": {
    allowed: everyone,
    sample: async () => ({ schedule_id: (await newSchedule()).id }),
    answers: "problem",
  },
  "DELETE /api/v1/calendar-feeds/[id]": {
    allowed: ["admin"],
    params: async () => ({ id: (await newFeed()).id }),
    answers: "problem",
  },
  // The secret token in the URL is the credential (calendar apps send no other).
  "GET /api/calendar/[token]": {
    params: async () => ({ token: `${(await newFeed()).url.split("/").pop()!}` }),
    answers: "problem",
  },

  "GET /api/v1/integrations": { allowed: ["admin"], answers: "problem" },
  "POST /api/v1/integrations": {
    allowed: ["admin"],
    sample: async () => ({
      kind: "grafana",
      name: "fuzz",
      default_service: "api",
      default_team: "core",
      default_severity: "P2",
      hmac_secret: "a-long-enough-secret",
      timestamp_header: "X-Grafana-Timestamp",
    }),
    answers: "problem",
  },
  "GET /api/v1/integrations/[id]": { allowed: ["admin"], params: newIntegrationId, answers: "problem" },
  "PATCH /api/v1/integrations/[id]": {
    allowed: ["admin"],
    params: newIntegrationId,
    sample: async () => ({ name: "renamed", default_team: "core", default_severity: "P1" }),
    answers: "problem",
  },
  "DELETE /api/v1/integrations/[id]": { allowed: ["admin"], params: newIntegrationId, answers: "problem" },
  "POST /api/v1/integrations/[id]/rotate": { allowed: ["admin"], params: newIntegrationId, answers: "problem" },

  "POST /api/v1/integrations/pagerduty/v2/enqueue": {
    params: withIntegration("pagerduty"),
    vendor: { bodies: pagerDutyEvents, sign: jsonOnly, logsRefusals: true },
    answers: "pagerduty-events",
  },
  "POST /api/v1/integrations/opsgenie/v2/alerts": {
    params: withIntegration("opsgenie"),
    vendor: { bodies: opsgenieCreate, sign: genieKey(), forge: genieKey(() => WRONG_KEY), logsRefusals: true },
    answers: "opsgenie",
  },
  ...Object.fromEntries(
    (
      [
        ["POST", "close", undefined],
        ["POST", "acknowledge", undefined],
        ["PUT", "message", "message"],
        ["PUT", "description", "description"],
      ] as const
    ).map(([method, action, field]) => [
      `${method} /api/v1/integrations/opsgenie/v2/alerts/[identifier]/${action}`,
      {
        params: withIntegration("opsgenie", { identifier: "fuzz-1" }),
        vendor: {
          bodies: opsgenieByAlias(field),
          sign: genieKey(),
          forge: genieKey(() => WRONG_KEY),
          logsRefusals: true,
        },
        answers: "opsgenie",
      } satisfies DoorPlan,
    ]),
  ),
  "POST /api/v1/integrations/grafana": {
    params: withIntegration("grafana", {}, { hmac_secret: GRAFANA_HMAC }),
    vendor: {
      bodies: grafanaBodies,
      sign: signGrafana(),
      forge: signGrafana(() => WRONG_KEY),
      logsRefusals: true,
    },
    answers: "problem",
  },
  "POST /api/v1/integrations/webhook": {
    params: withIntegration("webhook"),
    vendor: { bodies: vigilEvents, sign: bearer("webhook"), forge: forgedBearer, logsRefusals: true },
    answers: "problem",
  },
  "POST /api/v1/integrations/heartbeat": {
    params: withIntegration("heartbeat", {}, { interval_minutes: 5 }),
    vendor: { bodies: heartbeatPings, sign: bearer("heartbeat"), forge: forgedBearer, logsRefusals: true },
    answers: "problem",
  },
};

/** Doors the fuzz leaves out, and why. */
const leftOut: Record<string, string> = {
  "GET /api/v1/stream": "the live stream (SSE) never ends; its only input is the credentials, walked by doors tests",
};

// ---- the invariants ---------------------------------------------------------------------------------

const isProblem = (res: Response, text: string): string | null => {
  if (res.headers.get("content-type") !== "application/problem+json")
    return `a ${res.status} must be application/problem+json, got ${res.headers.get("content-type")}`;
  const doc = JSON.parse(text) as Record<string, unknown>;
  if (typeof doc.type !== "string" || !doc.type.startsWith("urn:vigil:problem:"))
    return `problem type ${String(doc.type)}`;
  if (doc.status !== res.status || typeof doc.title !== "string" || typeof doc.detail !== "string")
    return `problem document incomplete: ${text.slice(0, 200)}`;
  if (res.status === 400) {
    const errors = doc.errors as { path?: unknown; message?: unknown }[] | undefined;
    if (!Array.isArray(errors) || errors.length === 0 || errors.some((e) => typeof e.path !== "string"))
      return `a 400 must name the failing fields: ${text.slice(0, 200)}`;
  }
  return null;
};

/**
 * The error shape each kind of caller expects. Vigil's API: problem+json naming the failing fields.
 * PagerDuty retries 429 and 5xx for 48 h: a delivery that cannot succeed gets a 4xx it drops, and a signed
 * one is never answered as unsigned. Slack shows the person an error for anything but a 200 to a real
 * command or interaction: those are answered 200 with a message (or silently), never an HTTP error.
 * Twilio says nothing to the person (and logs error 11200) for anything but a 200 with TwiML.
 * Auth.js answers in its own way (redirects to its error page): there, only "never a 5xx" applies.
 */
const answerChecks: Record<Answers, (res: Response, text: string, input: FuzzInput) => string | null> = {
  problem: (res, text) => (res.status >= 400 ? isProblem(res, text) : null),
  pagerduty: (res, text, input) => {
    if (res.status === 429) return "429 makes PagerDuty retry for 48 hours";
    if (input.signed && res.status === 401) return "a correctly signed delivery was answered as unsigned";
    return res.status >= 400 ? isProblem(res, text) : null;
  },
  slack: (res, text, input) => {
    if (input.signed && input.wellFormed && res.status !== 200)
      return `Slack expects 200 (with a message) for what it really sends, got ${res.status}: ${text.slice(0, 200)}`;
    if (input.signed && res.status === 401) return "a correctly signed request was answered as unsigned";
    if (res.status === 200 && text && !/^(application\/json|text\/plain)/.test(res.headers.get("content-type") ?? ""))
      return `Slack reads a 200 as text or JSON, got ${res.headers.get("content-type")}`;
    return res.status >= 400 ? isProblem(res, text) : null;
  },
  twilio: (res, text, input) => {
    if (input.signed && res.status === 403) return "a correctly signed callback was answered as forged";
    if (input.signed && input.wellFormed && res.status !== 200 && res.status !== 413)
      return `Twilio expects 200 with TwiML for what it really sends, got ${res.status}: ${text.slice(0, 200)}`;
    if (res.status === 200 && !(res.headers.get("content-type") ?? "").startsWith("text/xml"))
      return `Twilio reads TwiML (text/xml), got ${res.headers.get("content-type")}`;
    return res.status >= 400 ? isProblem(res, text) : null;
  },
  "pagerduty-events": (res, text) => pagerDutyEventsAnswer(res, text),
  "twilio-api": (res, text, input) => twilioApiAnswer(res, text, input),
  "slack-web-api": (res, text, input) => slackWebApiAnswer(res, text, input),
  opsgenie: (res, text) => opsgenieAnswer(res, text),
  authjs: () => null,
};

const jsonDoc = (res: Response, text: string): Record<string, unknown> | string => {
  if (!res.headers.get("content-type")?.startsWith("application/json"))
    return `a ${res.status} must be application/json, got ${res.headers.get("content-type")}`;
  return JSON.parse(text) as Record<string, unknown>;
};

/**
 * PagerDuty Events v2 answers 202 {"status":"success","message","dedup_key"} and, for anything it cannot
 * take (a bad routing key included), 400 {"status":"invalid event","message","errors":[text]}: senders
 * retry everything else. Past the size limit, Vigil's own 413 problem.
 */
function pagerDutyEventsAnswer(res: Response, text: string): string | null {
  if (res.status === 413) return isProblem(res, text);
  if (res.status !== 202 && res.status !== 400) return `PagerDuty Events v2 answers 202 or 400, got ${res.status}`;
  const doc = jsonDoc(res, text);
  if (typeof doc === "string") return doc;
  if (res.status === 202)
    return doc.status === "success" && typeof doc.message === "string" && typeof doc.dedup_key === "string"
      ? null
      : `not PagerDuty's success answer: ${text.slice(0, 200)}`;
  const errors = doc.errors as unknown[] | undefined;
  return doc.status === "invalid event" &&
    typeof doc.message === "string" &&
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((e) => typeof e === "string")
    ? null
    : `not PagerDuty's "invalid event" answer: ${text.slice(0, 200)}`;
}

/**
 * Opsgenie answers 202 {"result","took","requestId"}, 401 {"message",…} for a bad key and 422
 * {"message","errors":{field: text},…} for a body it cannot process. A body that is no JSON object at all
 * is refused before Opsgenie's reading: Vigil's 400/413 problem.
 */
function opsgenieAnswer(res: Response, text: string): string | null {
  if (res.status === 400 || res.status === 413) return isProblem(res, text);
  if (![202, 401, 422].includes(res.status)) return `Opsgenie answers 202, 401 or 422, got ${res.status}`;
  const doc = jsonDoc(res, text);
  if (typeof doc === "string") return doc;
  if (typeof doc.requestId !== "string" || typeof doc.took !== "number")
    return `an Opsgenie answer carries took and requestId: ${text.slice(0, 200)}`;
  if (res.status === 202) return typeof doc.result === "string" ? null : `no result: ${text.slice(0, 200)}`;
  if (typeof doc.message !== "string") return `no message: ${text.slice(0, 200)}`;
  if (res.status === 422 && (typeof doc.errors !== "object" || doc.errors === null || Array.isArray(doc.errors)))
    return `a 422 names the failing fields in errors: ${text.slice(0, 200)}`;
  return null;
}

/**
 * Twilio answers 201 with the created resource's `sid`, and its errors as JSON {code, message, status}
 * (401 for wrong credentials). Past the size limit, Vigil's own 413 problem; a hostile path segment may
 * meet Vigil's 404 before Twilio's reading.
 */
function twilioApiAnswer(res: Response, text: string, input: FuzzInput): string | null {
  if (res.status === 413) return isProblem(res, text);
  if (res.headers.get("content-type") === "application/problem+json")
    return res.status === 404 ? isProblem(res, text) : `Twilio never answers problem+json ${res.status}`;
  const doc = jsonDoc(res, text);
  if (typeof doc === "string") return doc;
  if (input.signed && res.status === 401) return "the right credentials were refused";
  if (!input.signed && res.status !== 401) return `wrong credentials got ${res.status}`;
  if (res.status === 201) return typeof doc.sid === "string" ? null : `a 201 without sid: ${text.slice(0, 200)}`;
  return res.status >= 400 && res.status < 500 && typeof doc.code === "number" && typeof doc.message === "string"
    ? null
    : `not Twilio's error answer: ${res.status} ${text.slice(0, 200)}`;
}

/** Slack's Web API answers HTTP 200 with `ok` (and `error` when false); Vigil's 413 past the size limit. */
function slackWebApiAnswer(res: Response, text: string, input: FuzzInput): string | null {
  if (res.status === 413) return isProblem(res, text);
  if (res.status !== 200) return `Slack's Web API answers 200, got ${res.status}: ${text.slice(0, 200)}`;
  const doc = jsonDoc(res, text);
  if (typeof doc === "string") return doc;
  if (typeof doc.ok !== "boolean") return `no ok: ${text.slice(0, 200)}`;
  if (!doc.ok && typeof doc.error !== "string") return `ok:false without error: ${text.slice(0, 200)}`;
  if (!input.signed && doc.ok) return "a wrong token was let in";
  return null;
}

/** Refusals recorded on purpose (an append-only trace of an attempt), which the write check allows. */
const auditedRefusals = ["auth.sign_in_refused"];

let snapshotSql = "";
/** Row count and checksum of every table a door could write (ours and the job queue's). */
async function snapshot(): Promise<Map<string, string>> {
  // The doors queue their integration log lines (lib/intake/integration-event-log.ts): each in its request's snapshot.
  await flushIntegrationEvents(getRuntime().database.db);
  const rows = await t.sql.unsafe<{ name: string; state: string }[]>(snapshotSql, [auditedRefusals]);
  return new Map(rows.map((r) => [r.name, r.state]));
}

async function prepareSnapshot() {
  const tables = await t.sql<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_schema in ('public', 'graphile_worker') and table_type = 'BASE TABLE'
      and table_name not in ('__drizzle_migrations', 'migrations')`;
  // An API token's last_used_at moves on use, by design (lib/auth/api-tokens.ts): not a write by the door.
  snapshotSql = tables
    .map(({ schema, name }) => {
      const where = name === "audit_log" ? "where action <> all($1::text[])" : "";
      return `select '${schema}.${name}' as name, count(*) || ':' || coalesce(md5(string_agg((to_jsonb(x) - 'last_used_at')::text, ',' order by (to_jsonb(x) - 'last_used_at')::text)), '') as state from "${schema}"."${name}" x ${where}`;
    })
    .join(" union all ");
}

/**
 * What a refused request wrote. An alert source logs every body it refuses on the integration whose key the
 * request presented (lib/http/intake.ts logRefusal), so "why didn't it page?" has an answer: that log row is
 * the refusal's only trace, allowed once the key was a live integration's and nowhere else.
 */
const refusedWrites = (tables: string[], input: FuzzInput) =>
  tables.filter((name) => !(input.knownKey && name === "public.integration_events"));

const changedTables = (before: Map<string, string>, after: Map<string, string>) =>
  [...after].filter(([name, state]) => before.get(name) !== state).map(([name]) => name);

// ---- walking the doors ------------------------------------------------------------------------------

type Handler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const doors: { key: string; method: Method; urlPath: string; handler: Handler }[] = [];
const errorLines: string[] = [];

beforeAll(async () => {
  for (const file of routeFiles(apiRoot)) {
    const module = (await import(file)) as Partial<Record<Method, Handler>>;
    const urlPath = `/api/${path.relative(apiRoot, path.dirname(file)).split(path.sep).join("/")}`;
    for (const method of httpMethods) {
      const handler = module[method];
      if (handler) doors.push({ key: `${method} ${urlPath}`, method, urlPath, handler });
    }
  }
  slack = await startFakeSlack({ botToken: FAKE_SLACK_BOT_TOKEN });
  const runtime = getRuntime();
  Object.assign(runtime.config.pagerduty, { webhookSecret: PAGERDUTY_SECRET });
  Object.assign(runtime.config.sms, { authToken: TWILIO_AUTH_TOKEN });
  Object.assign(runtime.config.slack, {
    signingSecret: SLACK_SIGNING_SECRET,
    botToken: FAKE_SLACK_BOT_TOKEN,
    apiUrl: `${slack.url}/api/`,
  });
  // The dev inbox's look-alikes answer only in dev-inbox mode, with the credentials npm start would give.
  Object.assign(runtime.config, { devInbox: true });
  Object.assign(runtime.config.sms, { accountSid: DEV_INBOX_SID, authToken: DEV_INBOX_TOKEN, from: "+15550100000" });
  // The ticket door needs a tracker configured; the job it queues never runs here.
  Object.assign(runtime.config, {
    postmortems: { ...runtime.config.postmortems, tracker: "jira" },
    jira: { url: "http://127.0.0.1:9", email: "e@x", apiToken: "t", project: "OPS" },
  });
  // Anything logged as an error is a failure the answer may hide (Slack's work goes on after its 200).
  Object.assign(runtime, {
    logger: createLogger("error", "vigil", { write: (line: string) => void errorLines.push(line) }),
  });
  for (const [id, role] of [
    ["U0FUZZADMIN", "admin"],
    ["U0FUZZRESP", "responder"],
    ["U0FUZZVIEW", "viewer"],
  ] as const) {
    await t.sql`update users set slack_user_id = ${id} where role = ${role}`;
    slack.addUser({ id, name: id.toLowerCase(), email: `${id.toLowerCase()}@example.com` });
  }
  await prepareSnapshot();
});
afterAll(async () => slack?.close());
// Auth.js reports every refused request on console.error with a stack; its answers are what is checked.
beforeAll(() => void vi.spyOn(console, "error").mockImplementation(() => {}));

const urlOf = (urlPath: string, params: Record<string, string>) =>
  urlPath.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, name: string) => encodeURIComponent(params[name] ?? name));

/** A path segment as Next hands it over: decoded from UTF-8, so a lone surrogate has become U+FFFD. */
const asDecodedSegment = (value: string) => value.replace(/[\ud800-\udfff]/gu, "\ufffd");

/** The fuzz inputs for one door, the same on every run (its seed comes from its name). */
function inputsFor(key: string, plan: DoorPlan, sample: unknown, paramNames: string[]): FuzzInput[] {
  const method = key.split(" ")[0] as Method;
  const takesBody = method !== "GET" && method !== "DELETE";
  const body: fc.Arbitrary<HostileBody | undefined> = plan.vendor
    ? // What a vendor really sends is small: past the door's limit, the 413 is right.
      plan.vendor.bodies().map((b) => ({ ...b, wellFormed: b.wellFormed && b.raw.length < 200 * 1024 }))
    : takesBody
      ? hostileJsonBodies(sample)
      : method === "DELETE"
        ? fc.oneof(fc.constant(undefined), emptyBodies)
        : fc.constant(undefined); // a GET carries no body (fetch's Request refuses one)
  const segments = paramNames.length
    ? fc.oneof(
        { arbitrary: fc.constant({}), weight: 4 },
        { arbitrary: fc.record(Object.fromEntries(paramNames.map((p) => [p, hostileSegment]))), weight: 1 },
      )
    : fc.constant({});
  const credentials = plan.allowed
    ? fc.oneof(
        { arbitrary: fc.constant("allowed" as const), weight: 8 },
        { arbitrary: fc.constantFrom("none" as const, "refused role" as const, "bad token" as const), weight: 2 },
      )
    : fc.constant("none" as const);
  // First the plan's own valid request, which must get through: else the fuzz never reaches past validation.
  const valid: FuzzInput = {
    kind: VALID,
    body: takesBody ? { kind: VALID, raw: JSON.stringify(sample), contentType: "application/json" } : undefined,
    query: plan.validQuery ?? "",
    segments: {},
    extraHeaders: {},
    credentials: "allowed",
    roleIndex: 0,
    via: "token",
    signed: true,
    wellFormed: true,
    knownKey: false,
  };
  const generated = fc
    .sample(
      fc.record({
        body,
        query: method === "GET" ? hostileQuery(plan.query ?? []) : fc.constant(""),
        segments,
        extraHeaders: fc.record(
          {
            // A few keys, so that a key comes back with another body (which must be refused, not replayed).
            "idempotency-key": fc.constantFrom("fuzz-key-1", "fuzz-key-2", " ", "k".repeat(300), "\u00e9t\u00e9"),
            "x-request-id": fc.constantFrom("x".repeat(5000), "<script>", ""),
          },
          { requiredKeys: [] },
        ),
        credentials,
        roleIndex: fc.nat({ max: 2 }),
        via: plan.tokenOnly ? fc.constant("token" as const) : fc.constantFrom("token" as const, "session" as const),
        signed: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
      }),
      { seed: SEED ^ hashOf(key), numRuns: method === "GET" && !plan.query ? PLAIN_GET_RUNS : RUNS },
    )
    .map((input) => {
      const vendorBody = input.body as Partial<VendorBody> | undefined;
      return {
        ...input,
        kind: input.body?.kind ?? "no body",
        wellFormed: vendorBody?.wellFormed ?? false,
        knownKey: plan.vendor?.logsRefusals === true && (vendorBody?.keyed ?? input.signed),
      };
    });
  return plan.vendor || plan.answers === "authjs" ? generated : [valid, ...generated];
}

const VALID = "the plan's valid request";

const hashOf = (text: string) => [...text].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 0);

function headersFor(plan: DoorPlan, input: FuzzInput): Record<string, string> {
  const headers: Record<string, string> = { ...input.extraHeaders };
  if (input.body?.contentType) headers["content-type"] = input.body.contentType;
  if (plan.vendor && input.body?.raw !== undefined) {
    const { sign, forge } = plan.vendor;
    const signature = sign(input.body.raw, input.body.contentType);
    if (input.signed) return { ...signature };
    if (forge) return { ...forge(input.body.raw, input.body.contentType), ...headers };
    return { ...signature, ...sign(`${input.body.raw} `, input.body.contentType), ...headers };
  }
  if (!plan.allowed || input.credentials === "none") return headers;
  if (input.credentials === "bad token") return { ...headers, authorization: "Bearer vgl_not-a-real-token\u0001" };
  const role =
    input.credentials === "allowed"
      ? plan.allowed[input.roleIndex % plan.allowed.length]!
      : (["viewer", "responder", "admin"] as const).find((r) => !plan.allowed!.includes(r));
  if (!role) return headers; // every role is allowed: "refused role" means no credentials
  return input.via === "token"
    ? { ...headers, authorization: `Bearer ${tokens[role]}` }
    : { ...headers, cookie: tokens.sessions[role], origin: TEST_APP_ORIGIN };
}

interface DoorReport {
  door: string;
  inputs: number;
  "2xx": number;
  "3xx": number;
  "4xx": number;
  "5xx": number;
  failures: number;
  ms: number;
}
const reports: DoorReport[] = [];

describe("the door fuzz", () => {
  it("has a plan for every door on disk (and none for a door that is gone)", () => {
    expect(doors.length).toBeGreaterThan(40);
    const missing = doors.map((d) => d.key).filter((key) => !plans[key] && !leftOut[key]);
    expect(missing, "add a plan for these doors to `plans` in app/api/__tests__/fuzz-doors.test.ts").toEqual([]);
    const stale = Object.keys(plans).filter((key) => !doors.some((d) => d.key === key));
    expect(stale, "these plans name doors that no longer exist").toEqual([]);
  });

  it(
    "never answers 5xx, writes nothing when it refuses, and answers in each door's own shape",
    { timeout: 600_000 },
    async () => {
      const failures: string[] = [];
      let state = await snapshot();
      for (const door of doors) {
        const plan = plans[door.key];
        if (!plan) continue;
        const params = (await plan.params?.()) ?? {};
        const sample = (await plan.sample?.()) ?? {};
        const paramNames = [...door.urlPath.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => m[1]!);
        const report: DoorReport = {
          door: door.key,
          inputs: 0,
          "2xx": 0,
          "3xx": 0,
          "4xx": 0,
          "5xx": 0,
          failures: 0,
          ms: 0,
        };
        const started = performance.now();
        state = await snapshot();
        for (const input of inputsFor(door.key, plan, sample, paramNames)) {
          const used = Object.fromEntries(
            Object.entries({ ...params, ...input.segments }).map(([k, v]) => [k, asDecodedSegment(v)]),
          );
          const urlPath = urlOf(door.urlPath, used) + (input.query ? `?${input.query}` : "");
          const logged = errorLines.length;
          const res = await call(door.handler, door.method, urlPath, {
            params: used,
            rawBody: input.body?.raw,
            headers: headersFor(plan, input),
          });
          const text = await res.text();
          await settle(deferred);
          const after = await snapshot();
          report.inputs++;
          report[`${Math.floor(res.status / 100)}xx` as "2xx"]++;
          const who = plan.vendor ? (input.signed ? "signed" : "wrongly signed") : input.credentials;
          const what = `${door.key} <- ${input.kind} (${who}, ${JSON.stringify(input.extraHeaders).slice(0, 80)}) ${JSON.stringify(input.body?.raw ?? null).slice(0, 160)} ${urlPath.slice(0, 120)}`;
          const problems = [
            res.status >= 500 ? `answered ${res.status}: ${text.slice(0, 300)}` : null,
            input.kind === VALID && res.status >= 300
              ? `the plan's valid request was refused (${res.status} ${text.slice(0, 300)}): fix the plan's sample or params`
              : null,
            // Proves the write check sees the tables this door writes.
            input.kind === VALID && door.method !== "GET" && !plan.readOnly && !changedTables(state, after).length
              ? "the plan's valid request changed no table the write check reads"
              : null,
            answerChecks[plan.answers](res, text, input),
            res.status >= 400 && refusedWrites(changedTables(state, after), input).length
              ? `refused with ${res.status} but wrote to ${refusedWrites(changedTables(state, after), input).join(", ")}`
              : null,
            errorLines.length > logged ? `logged an error: ${errorLines.slice(logged).join(" ").slice(0, 400)}` : null,
          ].filter((p): p is string => p !== null);
          if (problems.length) {
            report.failures++;
            failures.push(...problems.map((p) => `${what}: ${p}`));
          }
          state = after;
        }
        report.ms = Math.round(performance.now() - started);
        reports.push(report);
      }
      console.log(
        `door fuzz: seed ${SEED}, ${RUNS} inputs per door and method (${PLAIN_GET_RUNS} for a GET without query)`,
      );
      console.table(reports);
      console.log(`door fuzz: ${reports.reduce((n, r) => n + r.inputs, 0)} inputs over ${reports.length} doors`);
      expect(failures).toEqual([]);
    },
  );
});
