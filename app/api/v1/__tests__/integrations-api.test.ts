import { describe, expect, it } from "vitest";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { newIntegration } from "@/test/integrations";
import { call, useTestRuntime } from "@/test/runtime";
import * as policyRoute from "../escalation-policies/[id]/route";
import * as policiesRoute from "../escalation-policies/route";
import * as integrationRoute from "../integrations/[id]/route";
import * as rotateRoute from "../integrations/[id]/rotate/route";
import * as integrationsRoute from "../integrations/route";
import * as alertmanagerRoute from "../webhooks/alertmanager/route";

const t = useTestDatabase();
const tokens = useTestRuntime(t);
const amPath = "/api/v1/webhooks/alertmanager";

describe("/api/v1/integrations", () => {
  /** An escalation policy named `name` (posting to a channel: enough for an integration to name it). */
  async function createPolicy(name: string): Promise<string> {
    const res = await call(policiesRoute.POST, "POST", "/api/v1/escalation-policies", {
      token: tokens.admin,
      body: { name, steps: [{ delay_minutes: 15, targets: [{ type: "slack_channel", channel: "#ops" }] }] },
    });
    expect(res.status).toBe(201);
    return (await res.json()).id;
  }

  it("creates an integration whose secret is an alerts:write token, stored hashed and shown once", async () => {
    await createPolicy("sre");
    const res = await call(integrationsRoute.POST, "POST", "/api/v1/integrations", {
      token: tokens.admin,
      body: { kind: "alertmanager", name: "prod Alertmanager", default_service: "checkout", escalation_policy: "sre" },
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ kind: "alertmanager", name: "prod Alertmanager", escalation_policy: "sre" });
    expect(created.secret).toMatch(/^vgl_/);
    const [token] = await t.sql`select a.scope, a.token_hash from api_tokens a join integrations i on i.token_id = a.id
      where i.id = ${created.id}`;
    expect(token!.scope).toBe("alerts:write");
    expect(token!.token_hash).not.toContain(created.secret);
    const list = await (
      await call(integrationsRoute.GET, "GET", "/api/v1/integrations", { token: tokens.admin })
    ).json();
    expect(JSON.stringify(list)).not.toContain(created.secret);
    const audit = await t.sql`select action from audit_log where resource_id = ${created.id}`;
    expect(audit.map((r) => r.action)).toEqual(["integration.create"]);
  });

  it("refuses an escalation policy that does not exist, and keeps a policy it names from being deleted", async () => {
    const unknown = await call(integrationsRoute.POST, "POST", "/api/v1/integrations", {
      token: tokens.admin,
      body: { kind: "webhook", name: "ci", escalation_policy: "nobody-named-this" },
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors).toEqual([expect.objectContaining({ path: "escalation_policy" })]);
    expect(await t.sql`select id from integrations where name = 'ci'`).toHaveLength(0);

    const policyId = await createPolicy("Storage on call");
    const created = await call(integrationsRoute.POST, "POST", "/api/v1/integrations", {
      token: tokens.admin,
      body: { kind: "webhook", name: "ci", escalation_policy: "storage on call" },
    });
    expect(created.status).toBe(201);
    const deleting = await call(policyRoute.DELETE, "DELETE", `/api/v1/escalation-policies/${policyId}`, {
      token: tokens.admin,
      params: { id: policyId },
    });
    expect(deleting.status).toBe(409);
    expect((await deleting.json()).detail).toContain("ci");
  });

  it("refuses a responder, and a heartbeat without its interval", async () => {
    const asResponder = await call(integrationsRoute.POST, "POST", "/api/v1/integrations", {
      token: tokens.responder,
      body: { kind: "webhook", name: "x" },
    });
    expect(asResponder.status).toBe(403);
    const noInterval = await call(integrationsRoute.POST, "POST", "/api/v1/integrations", {
      token: tokens.admin,
      body: { kind: "heartbeat", name: "x" },
    });
    expect(noInterval.status).toBe(400);
    expect((await noInterval.json()).errors).toEqual([expect.objectContaining({ path: "interval_minutes" })]);
  });

  it("makes Alertmanager one kind among them: its defaults apply and each delivery is logged; other tokens still work", async () => {
    const am = await newIntegration(tokens.admin, { kind: "alertmanager", name: "am", default_team: "payments" });
    const res = await call(alertmanagerRoute.POST, "POST", amPath, {
      token: am.secret,
      body: webhook('{}:{alertname="Defaults"}', [alert({ labels: { alertname: "Defaults", severity: "warning" } })]),
    });
    expect(res.status).toBe(200);
    const [incident] = await t.sql`select team from incidents where group_key = ${'{}:{alertname="Defaults"}'}`;
    expect(incident!.team).toBe("payments");
    const detail = await (
      await call(integrationRoute.GET, "GET", `/api/v1/integrations/${am.id}`, {
        token: tokens.admin,
        params: { id: am.id },
      })
    ).json();
    expect(detail.recent_events).toEqual([
      expect.objectContaining({ action: "firing", status: 200, outcome: expect.stringMatching(/^opened INC-\d+$/) }),
    ]);
    expect(detail).toMatchObject({ events_today: 1, incidents_opened_today: 1 });
    // A token made before integrations existed keeps sending alerts.
    const plain = await call(alertmanagerRoute.POST, "POST", amPath, {
      token: tokens.responder,
      body: webhook("plain", [alert({ labels: { alertname: "Plain" } })]),
    });
    expect(plain.status).toBe(200);
  });

  it("rotates the secret: the new one works, the old one is refused at once", async () => {
    const am = await newIntegration(tokens.admin, { kind: "alertmanager", name: "rotating" });
    const rotated = await call(rotateRoute.POST, "POST", `/api/v1/integrations/${am.id}/rotate`, {
      token: tokens.admin,
      params: { id: am.id },
    });
    expect(rotated.status).toBe(200);
    const { secret } = await rotated.json();
    expect(secret).not.toBe(am.secret);
    const body = webhook("rotation", [alert({ labels: { alertname: "Rotation" } })]);
    expect((await call(alertmanagerRoute.POST, "POST", amPath, { token: am.secret, body })).status).toBe(401);
    expect((await call(alertmanagerRoute.POST, "POST", amPath, { token: secret, body })).status).toBe(200);
  });

  it("edits defaults, and deleting revokes the secret", async () => {
    const hook = await newIntegration(tokens.admin, { kind: "pagerduty", name: "edit me" });
    const patched = await call(integrationRoute.PATCH, "PATCH", `/api/v1/integrations/${hook.id}`, {
      token: tokens.admin,
      params: { id: hook.id },
      body: { default_severity: "P1", group_by: "component" },
    });
    expect(await patched.json()).toMatchObject({ default_severity: "P1", group_by: "component" });
    const deleted = await call(integrationRoute.DELETE, "DELETE", `/api/v1/integrations/${hook.id}`, {
      token: tokens.admin,
      params: { id: hook.id },
    });
    expect(deleted.status).toBe(200);
    const [token] =
      await t.sql`select revoked_at from api_tokens where display_prefix = ${`${hook.secret.slice(0, 8)}…`}`;
    expect(token!.revoked_at).not.toBeNull();
  });
});
