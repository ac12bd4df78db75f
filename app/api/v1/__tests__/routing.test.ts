import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { systemActor } from "@/lib/context";
import { loadConfig } from "@/lib/env";
import { createIncident } from "@/lib/incidents/create-incident";
import { createLogger } from "@/lib/observability/logger";
import { setRuntime } from "@/lib/runtime";
import { admin, ctxOf } from "@/test/actors";
import { alert, webhook } from "@/test/alertmanager";
import { useTestDatabase } from "@/test/database";
import { call } from "@/test/runtime";
import * as dryRunRoute from "../routing/dry-run/route";
import * as routingRoute from "../routing/route";

const t = useTestDatabase();
const tokens = { admin: "", viewer: "" };

beforeAll(async () => {
  const config = loadConfig({
    DATABASE_URL: t.url,
    LOG_LEVEL: "silent",
    VIGIL_CONFIG: "/nonexistent/vigil.config.yaml",
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_CHANNEL_CRITICAL: "#incidents-critical",
    PAGERDUTY_ROUTING_KEY: "0123456789abcdef0123456789abcdef",
  });
  setRuntime({ config, database: t, logger: createLogger("silent") });
  const ctx = ctxOf(t.db, systemActor());
  tokens.admin = (await createApiToken({ ctx, input: { name: "a", role: "admin" } })).token;
  tokens.viewer = (await createApiToken({ ctx, input: { name: "v", role: "viewer" } })).token;
});

describe("notification routing for admins", () => {
  it("shows the rules in force and which channels can be used", async () => {
    const res = await call(routingRoute.GET, "GET", "/api/v1/routing", { token: tokens.admin });
    const body = await res.json();
    expect(body.source).toBe("built-in (no routing file)");
    expect(body.routes.map((r: { name: string }) => r.name)).toEqual([
      "page P0 and P1",
      "P2 to Slack critical",
      "P3 to Slack warnings",
    ]);
    expect(body.channels).toContainEqual({ channel: "email", ready: false, detail: "SMTP_URL is not set" });
    expect((await call(routingRoute.GET, "GET", "/api/v1/routing", { token: tokens.viewer })).status).toBe(403);
  });

  it("dry-runs an incident: who is notified, by which rule, and what is skipped and why", async () => {
    const { incident } = await createIncident({ ctx: ctxOf(t.db, admin), input: { title: "Dry", severity: "P1" } });
    const res = await call(dryRunRoute.POST, "POST", "/api/v1/routing/dry-run", {
      token: tokens.admin,
      body: { incident: incident.ref },
    });
    const { decision } = await res.json();
    expect(decision.rules).toEqual(["page P0 and P1"]);
    expect(decision.notify.map((d: { channel: string; target: string }) => `${d.channel}:${d.target}`)).toEqual([
      "pagerduty:default",
      "slack:#incidents-critical",
    ]);
    expect(decision.skipped.map((s: { channel: string }) => s.channel)).toEqual(["email", "sms"]);
  });

  it("dry-runs a pasted Alertmanager payload as the incident it would open", async () => {
    const payload = webhook("g", [
      alert({ labels: { alertname: "DiskFull", service: "logging", severity: "warning" } }),
    ]);
    const body = await (
      await call(dryRunRoute.POST, "POST", "/api/v1/routing/dry-run", {
        token: tokens.admin,
        body: { alertmanager_payload: payload },
      })
    ).json();
    expect(body.incident).toMatchObject({ title: "DiskFull on logging", severity: "P3", service: "logging" });
    expect(body.decision.rules).toEqual(["P3 to Slack warnings"]);
    expect(body.decision.skipped).toContainEqual(
      expect.objectContaining({ channel: "slack", reason: "SLACK_CHANNEL_WARNINGS is not set" }),
    );
  });
});
