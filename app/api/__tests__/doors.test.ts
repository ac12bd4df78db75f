// Every door that changes something, walked with no credentials, a viewer, a responder and an admin —
// by API token and by session cookie — plus a cross-site session write. The list of routes comes from
// the files under app/api, so a new mutating route that is missing from the table fails this test.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ingestAlertmanagerPayload } from "@/lib/alerts/ingest-alertmanager-payload";
import { defaultSeverityMap } from "@/lib/alerts/severity";
import { createIncident } from "@/lib/incidents/create-incident";
import { createMaintenanceWindow } from "@/lib/maintenance/manage-windows";
import { requestRemediation } from "@/lib/remediation/request-remediation";
import { actionTypes } from "@/lib/runbooks/action-types";
import { createRunbook } from "@/lib/runbooks/save-runbook";
import { applyRunbookResource } from "@/lib/runbooks/sync-runbook-resources";
import { parse as parseYaml } from "yaml";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createIntegration } from "@/lib/intake/integrations";
import { createActionItem } from "@/lib/postmortems/action-items";
import { draftPostmortem } from "@/lib/postmortems/draft-postmortem";
import { postmortemSettings } from "@/lib/postmortems/postmortem-settings";
import { getRuntime } from "@/lib/runtime";
import { systemActor } from "@/lib/context";
import { alert, webhook } from "@/test/alertmanager";
import { ctxOf, admin } from "@/test/actors";
import { useTestDatabase } from "@/test/database";
import { call, TEST_APP_ORIGIN, useTestRuntime } from "@/test/runtime";
import { apiRoot, routeFiles } from "@/test/api-routes";
import { oncallFixtures } from "@/test/oncall-fixtures";

const t = useTestDatabase();
const tokens = useTestRuntime(t);

type Role = "viewer" | "responder" | "admin";
type Method = "POST" | "PATCH" | "PUT" | "DELETE";

interface Door {
  /** Who may use it; everyone else gets 403 (and no credentials 401). */
  allowed: Role[];
  /** Builds a fresh target and body for one call, so each role acts on its own resource. */
  prepare: () => Promise<{ params: Record<string, string>; body?: unknown }>;
  /** Token-only doors (machines) are not offered to browser sessions. */
  tokenOnly?: boolean;
  /** POSTs that only compute an answer (a dry run): nothing to audit. */
  readOnly?: boolean;
}

const newIncident = async () =>
  (await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "door check", severity: "P3" } })).incident.ref;
const newToken = async () =>
  (await createApiToken({ ctx: ctxOf(t.db, systemActor()), input: { name: "door check", role: "viewer" } })).id;
const newIntegrationId = async () =>
  (await createIntegration({ ctx: ctxOf(t.db, admin), input: { kind: "webhook", name: "door check" } })).id;
const newUser = async () => {
  const rows =
    await t.sql`insert into users (email, name, role) values (${`door-${crypto.randomUUID()}@example.com`}, 'door', 'viewer') returning id`;
  return rows[0]!.id as string;
};
let groups = 0;
let runbooks = 0;
/** A runbook of its own (its own deployment, so no door call meets another's hourly limit). */
const runbookMarkdown = (n: number, options: { approval?: boolean; title?: string } = {}) =>
  `---\nslug: door-${n}\ntitle: ${options.title ?? `Door ${n}`}\nalerts:\n  alertnames: [DoorCheck]\nactions:\n  - { id: restart, title: Restart, type: k8s.rollout_restart, requires_approval: ${options.approval === true}, params: { namespace: door, deployment: door-${n} } }\n---\n## Symptoms\n`;
const newRunbook = async (options: { approval?: boolean } = {}) => {
  const n = ++runbooks;
  return (await createRunbook({ ctx: ctxOf(t.db, admin), input: { markdown: runbookMarkdown(n, options) } })).runbook
    .slug;
};
const remediationSettings = {
  allowedActions: [...actionTypes],
  maxPerHour: 3,
  maxAutoPerHour: 20,
  namespaces: [],
  httpAllowedUrls: [],
  auto: true,
  dryRun: false,
  twoPerson: false,
  timeoutMs: 1000,
};
/** A run waiting for approval (requested by the admin bot, which is nobody's session or token here). */
const pendingRun = async () => {
  const run = await requestRemediation({
    ctx: ctxOf(t.db, admin),
    input: { ref: await newIncident(), runbook: await newRunbook({ approval: true }), action: "restart" },
    settings: remediationSettings,
  });
  return run.id;
};
const newPostmortem = async () =>
  (
    await draftPostmortem({
      ctx: ctxOf(t.db, admin),
      input: { ref: await newIncident() },
      settings: postmortemSettings(),
    })
  ).postmortem.id;
/** An incident opened by an alert (a snooze needs its alert group). */
const alertIncident = async () => {
  const n = ++groups;
  const result = await ingestAlertmanagerPayload({
    ctx: ctxOf(t.db, admin),
    input: webhook(`door-snooze-${n}`, [alert({ labels: { alertname: "DoorCheck", n: `snooze-${n}` } })]),
    settings: { reopenWindowMs: 0, serviceLabel: "service", teamLabel: "team", severityMap: defaultSeverityMap },
  });
  return result.incidents.created[0]!;
};
const newWindow = async () =>
  (
    await createMaintenanceWindow({
      ctx: ctxOf(t.db, admin),
      input: { reason: "door check", service: `door-${crypto.randomUUID()}`, duration: "1h" },
    })
  ).id;
const newActionItem = async () => {
  const id = await newPostmortem();
  // The ticket door needs a tracker configured; the job it queues never runs here.
  Object.assign(getRuntime().config, {
    postmortems: { timeZone: "UTC", tracker: "jira" },
    jira: { url: "http://127.0.0.1:9", email: "e@x", apiToken: "t", project: "OPS" },
  });
  const item = await createActionItem({
    ctx: ctxOf(t.db, admin),
    input: { id, title: "door check" },
    settings: postmortemSettings(),
  });
  return { id, itemId: item.id };
};

// On-call targets, fresh per call (test/oncall-fixtures.ts).
const oncall = oncallFixtures(() => t.db, newUser, "door");
const { newPersonWithMethod, newRule, newSchedule, newOverride } = oncall;
const oncallLayer = oncall.layer;
const newPolicy = oncall.newPolicyId;
const newFeed = async () => (await oncall.newFeed()).id;

const doors: Record<string, Door> = {
  "POST /api/v1/people": {
    allowed: ["admin"],
    prepare: async () => ({ params: {}, body: { name: "door", email: `door-${crypto.randomUUID()}@example.com` } }),
  },
  "PATCH /api/v1/people/[id]": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await newUser() }, body: { time_zone: "Europe/Paris" } }),
  },
  "POST /api/v1/people/[id]/contact-methods": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await newUser() }, body: { kind: "sms", value: "+15551230000" } }),
  },
  "DELETE /api/v1/people/[id]/contact-methods/[methodId]": {
    allowed: ["admin"],
    prepare: async () => ({ params: await newPersonWithMethod() }),
  },
  "POST /api/v1/people/[id]/contact-methods/[methodId]/test": {
    allowed: ["admin"],
    prepare: async () => ({ params: await newPersonWithMethod() }),
  },
  "POST /api/v1/people/[id]/notification-rules": {
    allowed: ["admin"],
    prepare: async () => {
      const { id, methodId } = await newPersonWithMethod();
      return { params: { id }, body: { contact_method_id: methodId, urgency: "low", delay_minutes: 10 } };
    },
  },
  "DELETE /api/v1/people/[id]/notification-rules/[ruleId]": {
    allowed: ["admin"],
    prepare: async () => ({ params: await newRule() }),
  },
  "POST /api/v1/schedules": {
    allowed: ["admin"],
    prepare: async () => ({ params: {}, body: { name: `door ${crypto.randomUUID()}`, time_zone: "UTC" } }),
  },
  "PATCH /api/v1/schedules/[id]": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: (await newSchedule()).id }, body: { description: "edited" } }),
  },
  "DELETE /api/v1/schedules/[id]": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: (await newSchedule()).id } }),
  },
  "POST /api/v1/schedules/[id]/layers": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: (await newSchedule()).id }, body: oncallLayer([await newUser()]) }),
  },
  "PUT /api/v1/schedules/[id]/layers/[layerId]": {
    allowed: ["admin"],
    prepare: async () => {
      const schedule = await newSchedule();
      return { params: { id: schedule.id, layerId: schedule.layers[0]!.id }, body: oncallLayer([await newUser()]) };
    },
  },
  "DELETE /api/v1/schedules/[id]/layers/[layerId]": {
    allowed: ["admin"],
    prepare: async () => {
      const schedule = await newSchedule();
      return { params: { id: schedule.id, layerId: schedule.layers[0]!.id } };
    },
  },
  "POST /api/v1/schedules/[id]/overrides": {
    allowed: ["responder", "admin"],
    prepare: async () => ({
      params: { id: (await newSchedule()).id },
      body: { user_id: await newUser(), start: "2030-01-01T00:00:00Z", end: "2030-01-02T00:00:00Z" },
    }),
  },
  "DELETE /api/v1/schedules/[id]/overrides/[overrideId]": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: await newOverride() }),
  },
  "POST /api/v1/escalation-policies": {
    allowed: ["admin"],
    prepare: async () => ({
      params: {},
      body: {
        name: `door ${crypto.randomUUID()}`,
        steps: [{ delay_minutes: 5, targets: [{ type: "user", user_id: await newUser() }] }],
      },
    }),
  },
  "PUT /api/v1/escalation-policies/[id]": {
    allowed: ["admin"],
    prepare: async () => ({
      params: { id: await newPolicy() },
      body: {
        name: `door ${crypto.randomUUID()}`,
        steps: [{ delay_minutes: 10, targets: [{ type: "slack_channel", channel: "#ops" }] }],
      },
    }),
  },
  "DELETE /api/v1/escalation-policies/[id]": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await newPolicy() } }),
  },
  "POST /api/v1/calendar-feeds": {
    allowed: ["viewer", "responder", "admin"],
    prepare: async () => ({ params: {}, body: { schedule_id: (await newSchedule()).id } }),
  },
  "DELETE /api/v1/calendar-feeds/[id]": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await newFeed() } }),
  },
  "POST /api/v1/incidents": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: {}, body: { title: "door check", severity: "P4" } }),
  },
  "PATCH /api/v1/incidents/[ref]": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { ref: await newIncident() }, body: { title: "renamed" } }),
  },
  "POST /api/v1/incidents/[ref]/ack": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { ref: await newIncident() } }),
  },
  "POST /api/v1/incidents/[ref]/escalate": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { ref: await oncall.escalatingIncident() } }),
  },
  "POST /api/v1/incidents/[ref]/reassign": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { ref: await newIncident() }, body: { user_id: await newUser() } }),
  },
  "POST /api/v1/incidents/[ref]/resolve": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { ref: await newIncident() }, body: {} }),
  },
  "POST /api/v1/incidents/[ref]/reopen": {
    allowed: ["responder", "admin"],
    prepare: async () => {
      const ref = await newIncident();
      await t.sql`update incidents set status = 'resolved', resolved_at = now() where number = ${Number(ref.slice(4))}`;
      return { params: { ref }, body: {} };
    },
  },
  "POST /api/v1/incidents/[ref]/postmortem": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { ref: await newIncident() } }),
  },
  "PATCH /api/v1/postmortems/[id]": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { id: await newPostmortem() }, body: { markdown: "# Edited", version: 1 } }),
  },
  "POST /api/v1/postmortems/[id]/action-items": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { id: await newPostmortem() }, body: { title: "door check" } }),
  },
  "PATCH /api/v1/postmortems/[id]/action-items/[itemId]": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: await newActionItem(), body: { status: "done" } }),
  },
  "DELETE /api/v1/postmortems/[id]/action-items/[itemId]": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: await newActionItem() }),
  },
  "POST /api/v1/postmortems/[id]/action-items/[itemId]/ticket": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: await newActionItem() }),
  },
  "POST /api/v1/incidents/[ref]/timeline": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { ref: await newIncident() }, body: { text: "note" } }),
  },
  "POST /api/v1/webhooks/alertmanager": {
    allowed: ["responder", "admin"],
    tokenOnly: true,
    prepare: async () => ({
      params: {},
      body: webhook(`door-${++groups}`, [alert({ labels: { alertname: "DoorCheck", n: String(groups) } })]),
    }),
  },
  "POST /api/v1/tokens": {
    allowed: ["admin"],
    prepare: async () => ({ params: {}, body: { name: "door check", role: "viewer" } }),
  },
  "DELETE /api/v1/tokens/[id]": { allowed: ["admin"], prepare: async () => ({ params: { id: await newToken() } }) },
  "POST /api/v1/integrations": {
    allowed: ["admin"],
    prepare: async () => ({ params: {}, body: { kind: "webhook", name: "door check" } }),
  },
  "PATCH /api/v1/integrations/[id]": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await newIntegrationId() }, body: { default_team: "doors" } }),
  },
  "DELETE /api/v1/integrations/[id]": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await newIntegrationId() } }),
  },
  "POST /api/v1/integrations/[id]/rotate": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await newIntegrationId() } }),
  },
  "PATCH /api/v1/users/[id]": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await newUser() }, body: { role: "responder" } }),
  },
  "POST /api/v1/routing/dry-run": {
    allowed: ["admin"],
    readOnly: true,
    prepare: async () => ({ params: {}, body: { incident: await newIncident() } }),
  },
  "POST /api/v1/runbooks": {
    allowed: ["responder", "admin"],
    prepare: async () => ({
      params: {},
      body: { markdown: `---\nslug: door-new-${++runbooks}\ntitle: New\nalerts:\n  alertnames: [DoorCheck]\n---\n` },
    }),
  },
  "PUT /api/v1/runbooks/[slug]": {
    allowed: ["responder", "admin"],
    prepare: async () => {
      const slug = await newRunbook();
      // The words only: changing the actions is an admin's (lib/runbooks/__tests__/runbook-catalog.test.ts).
      return {
        params: { slug },
        body: { base_version: 1, markdown: runbookMarkdown(Number(slug.replace("door-", "")), { title: "Edited" }) },
      };
    },
  },
  "POST /api/v1/runbooks/[slug]/approve-actions": {
    allowed: ["admin"],
    prepare: async () => {
      const n = ++runbooks;
      const [, spec] = /^---\n([\s\S]*?)---\n/.exec(runbookMarkdown(n))!;
      await applyRunbookResource(
        t.db,
        { metadata: { namespace: "door", name: `door-${n}` }, spec: parseYaml(spec!) as Record<string, unknown> },
        { namespaces: ["door"] },
        new Date(),
      );
      return { params: { slug: `door-${n}` }, body: { version: 1 } };
    },
  },
  "POST /api/v1/incidents/[ref]/remediations": {
    allowed: ["responder", "admin"],
    prepare: async () => ({
      params: { ref: await newIncident() },
      body: { runbook: await newRunbook(), action: "restart" },
    }),
  },
  "POST /api/v1/remediations/[id]/approve": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await pendingRun() }, body: {} }),
  },
  "POST /api/v1/maintenance-windows": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: {}, body: { reason: "door check", service: "door", duration: "30m" } }),
  },
  "POST /api/v1/maintenance-windows/[id]/end": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { id: await newWindow() } }),
  },
  "DELETE /api/v1/maintenance-windows/[id]": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await newWindow() } }),
  },
  "POST /api/v1/incidents/[ref]/snooze": {
    allowed: ["responder", "admin"],
    prepare: async () => ({ params: { ref: await alertIncident() }, body: { duration: "1h" } }),
  },
  "POST /api/v1/remediations/[id]/reject": {
    allowed: ["admin"],
    prepare: async () => ({ params: { id: await pendingRun() }, body: { reason: "not now" } }),
  },
};

/**
 * Doors that prove the caller another way: Auth.js's own endpoints (sign-in, callback, sign-out) with
 * their CSRF token; vendor webhooks with a signature over the body (see pagerduty-webhook.test.ts); the
 * alert-source doors, which take only the secret of an integration of their kind, never a person's token
 * or session (each door's test refuses other keys and writes nothing: pagerduty-events.test.ts,
 * grafana-webhook.test.ts, vigil-webhook.test.ts, opsgenie-alerts.test.ts, heartbeat.test.ts); Slack's
 * commands, interactions and events, signed with SLACK_SIGNING_SECRET, acting as the Slack user's linked
 * Vigil account and role (see app/api/slack/__tests__); Twilio's SMS and voice callbacks, signed with
 * SMS_AUTH_TOKEN, acting as the person the page was sent to (see twilio-webhooks.test.ts); the dev inbox's Twilio and Slack look-alikes, which
 * exist only under `npm start`'s dev inbox (404 otherwise) and take the made-up vendor credentials it gave
 * the senders, never a person's (see app/api/dev-inbox/__tests__).
 */
const exempt = new Set([
  "POST /api/auth/[...nextauth]",
  "POST /api/v1/webhooks/pagerduty",
  "POST /api/v1/integrations/pagerduty/v2/enqueue",
  "POST /api/v1/integrations/webhook",
  "POST /api/v1/integrations/grafana",
  "POST /api/v1/integrations/heartbeat",
  "POST /api/v1/integrations/opsgenie/v2/alerts",
  "POST /api/v1/integrations/opsgenie/v2/alerts/[identifier]/close",
  "POST /api/v1/integrations/opsgenie/v2/alerts/[identifier]/acknowledge",
  "PUT /api/v1/integrations/opsgenie/v2/alerts/[identifier]/message",
  "PUT /api/v1/integrations/opsgenie/v2/alerts/[identifier]/description",
  "POST /api/slack/commands",
  "POST /api/slack/interactions",
  "POST /api/slack/events",
  "POST /api/v1/webhooks/twilio/sms",
  "POST /api/v1/webhooks/twilio/voice",
  "POST /api/dev-inbox/twilio/2010-04-01/Accounts/[sid]/Messages.json",
  "POST /api/dev-inbox/twilio/2010-04-01/Accounts/[sid]/Calls.json",
  "POST /api/dev-inbox/slack/api/[method]",
]);

type Handler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const mutating: { key: string; method: Method; urlPath: string; handler: Handler }[] = [];

beforeAll(async () => {
  for (const file of routeFiles(apiRoot)) {
    const module = (await import(file)) as Partial<Record<Method, Handler>>;
    const route = `/api/${path.relative(apiRoot, path.dirname(file)).split(path.sep).join("/")}`;
    for (const method of ["POST", "PATCH", "PUT", "DELETE"] as const) {
      const handler = module[method];
      if (handler) mutating.push({ key: `${method} ${route}`, method, urlPath: route, handler });
    }
  }
});

const urlOf = (urlPath: string, params: Record<string, string>) =>
  urlPath.replace(/\[(\w+)\]/g, (_, name: string) => params[name] ?? name);

describe("every mutating route checks identity and role", () => {
  it("has every mutating route in the table (or explicitly exempt)", () => {
    expect(mutating.length).toBeGreaterThan(5);
    const missing = mutating.map((m) => m.key).filter((key) => !doors[key] && !exempt.has(key));
    expect(missing, "add these routes to the door table").toEqual([]);
    const stale = Object.keys(doors).filter((key) => !mutating.some((m) => m.key === key));
    expect(stale, "these table rows name routes that no longer exist").toEqual([]);
  });

  it("answers 401 to a request without credentials, and writes nothing", async () => {
    for (const route of mutating.filter((m) => doors[m.key])) {
      const { params, body } = await doors[route.key]!.prepare();
      const before = await auditCount();
      const res = await call(route.handler, route.method, urlOf(route.urlPath, params), { params, body });
      expect(res.status, route.key).toBe(401);
      expect(await auditCount(), route.key).toBe(before);
    }
  });

  for (const role of ["viewer", "responder", "admin"] as const) {
    for (const via of ["token", "session"] as const) {
      it(`lets a ${role} through only where the table says, by ${via}; every allowed write leaves an audit row`, async () => {
        for (const route of mutating.filter((m) => doors[m.key])) {
          const door = doors[route.key]!;
          if (via === "session" && door.tokenOnly) continue;
          const { params, body } = await door.prepare();
          const credentials =
            via === "token"
              ? { token: tokens[role] }
              : { headers: { cookie: tokens.sessions[role], origin: TEST_APP_ORIGIN } };
          const before = await auditCount();
          const res = await call(route.handler, route.method, urlOf(route.urlPath, params), {
            params,
            body,
            ...credentials,
          });
          if (door.allowed.includes(role)) {
            expect(res.status, `${route.key} as ${role} by ${via}: ${await res.clone().text()}`).toBeLessThan(300);
            if (!door.readOnly) expect(await auditCount(), `${route.key} wrote no audit row`).toBeGreaterThan(before);
          } else {
            expect(res.status, `${route.key} as ${role} by ${via}`).toBe(403);
            expect(await auditCount(), route.key).toBe(before);
          }
        }
      });
    }
  }

  it("lets an alerts:write token post alerts and nothing else, writing nothing elsewhere", async () => {
    const { token } = await createApiToken({
      ctx: ctxOf(t.db, systemActor()),
      input: { name: "alertmanager", scope: "alerts:write" },
    });
    for (const route of mutating.filter((m) => doors[m.key])) {
      const { params, body } = await doors[route.key]!.prepare();
      const before = await auditCount();
      const res = await call(route.handler, route.method, urlOf(route.urlPath, params), { params, body, token });
      if (route.key === "POST /api/v1/webhooks/alertmanager") {
        expect(res.status, `${route.key}: ${await res.clone().text()}`).toBe(200);
      } else {
        expect(res.status, route.key).toBe(403);
        expect((await res.json()).detail, route.key).toMatch(/scope \(alerts:write\) does not allow/);
        expect(await auditCount(), route.key).toBe(before);
      }
    }
  });

  it("refuses a session write from another origin, or with no origin, with 403", async () => {
    for (const route of mutating.filter((m) => doors[m.key] && !doors[m.key]!.tokenOnly)) {
      const { params, body } = await doors[route.key]!.prepare();
      for (const origin of ["https://evil.example", undefined]) {
        const headers: Record<string, string> = { cookie: tokens.sessions.admin, ...(origin ? { origin } : {}) };
        const res = await call(route.handler, route.method, urlOf(route.urlPath, params), { params, body, headers });
        expect(res.status, `${route.key} from ${origin ?? "no origin"}`).toBe(403);
      }
    }
  });
});

async function auditCount(): Promise<number> {
  const rows = await t.sql`select count(*)::int as n from audit_log`;
  return rows[0]!.n as number;
}
