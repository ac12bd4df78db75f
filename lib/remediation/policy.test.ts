import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ActionType } from "../runbooks/action-types";
import { actionTypes } from "../runbooks/action-types";
import { parseRunbookDocument, type RunbookAction } from "../runbooks/runbook-document";
import { resolveActionTarget, type ActionTarget } from "./action-target";
import {
  approvalRight,
  decideRemediation,
  policyActionOf,
  riskOf,
  type PolicyRequest,
  type PolicySettings,
} from "./policy";

function actionOf(yaml: string): RunbookAction {
  const parsed = parseRunbookDocument(`---\nslug: x\ntitle: X\nalerts:\n  alertnames: [X]\nactions:\n${yaml}\n---\n`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.document.frontMatter.actions[0]!;
}

const settings: PolicySettings = {
  allowedActions: [...actionTypes],
  maxPerHour: 3,
  maxAutoPerHour: 20,
  namespaces: [],
  auto: true,
  httpAllowedUrls: ["https://hooks.example.com/vigil"],
};
const restartTarget: ActionTarget = {
  params: { type: "k8s.rollout_restart", namespace: "shop", deployment: "checkout" },
  target: "deployment shop/checkout",
  rateKey: "k8s.rollout_restart deployment shop/checkout",
};

function request(overrides: Partial<PolicyRequest> & { type?: ActionType } = {}): PolicyRequest {
  return {
    action: { id: "restart-deployment", type: overrides.type ?? "k8s.rollout_restart", requiresApproval: false },
    target: restartTarget,
    automatic: false,
    dryRun: false,
    incidentStatus: "open",
    recentRuns: 0,
    recentAutomaticRuns: 0,
    ...overrides,
  };
}

describe("the remediation policy", () => {
  it("lets http.post call only the hook URLs an administrator listed", () => {
    const hook = (url: string): Partial<PolicyRequest> => ({
      action: { id: "call-hook", type: "http.post", requiresApproval: false },
      target: { params: { type: "http.post", url, body: null }, target: `POST ${url}`, rateKey: `http.post ${url}` },
    });
    expect(decideRemediation(request(hook("https://hooks.example.com/vigil/restart")), settings).status).toBe(
      "approved",
    );
    expect(decideRemediation(request(hook("https://hooks.example.com/vigil")), settings).status).toBe("approved");
    // Compared as decoded segments: the same path spelt with escapes is the same path.
    expect(decideRemediation(request(hook("https://hooks.example.com/vig%69l/restart")), settings).status).toBe(
      "approved",
    );
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "https://hooks.example.com/vigilante",
      "https://hooks.example.com.evil.test/vigil",
      "http://hooks.example.com/vigil",
      // Segments a server decodes into a walk out of /vigil: the old string prefix check let them through.
      "https://hooks.example.com/vigil/..%2F..%2Fadmin",
      "https://hooks.example.com/vigil/%2e%2e%2Fadmin",
      "https://hooks.example.com/vigil/..%5Cadmin",
      "https://hooks.example.com/vigil/%252e%252e/admin",
    ]) {
      expect(decideRemediation(request(hook(url)), settings)).toMatchObject({
        status: "denied",
        reason: expect.stringContaining("REMEDIATION_HTTP_ALLOWED_URLS (https://hooks.example.com/vigil)"),
      });
    }
    expect(
      decideRemediation(request(hook("https://hooks.example.com/vigil")), { ...settings, httpAllowedUrls: [] }),
    ).toMatchObject({
      status: "denied",
      reason:
        "http.post may not call https://hooks.example.com/vigil: no hook URL is allowed yet (REMEDIATION_HTTP_ALLOWED_URLS)",
    });
  });

  it("allows an allowed action under its hourly limit, saying which run this is", () => {
    expect(decideRemediation(request({ recentRuns: 2 }), settings)).toEqual({
      status: "approved",
      reason: "allowed: run 3 of at most 3 this hour on deployment shop/checkout",
      risk: null,
    });
  });

  it("rate limits the fourth run in an hour on the same target, and honours the action's own limit", () => {
    expect(decideRemediation(request({ recentRuns: 3 }), settings)).toMatchObject({
      status: "rate_limited",
      reason: "3 runs of k8s.rollout_restart on deployment shop/checkout in the last hour; at most 3 per hour",
    });
    expect(
      decideRemediation(
        request({
          recentRuns: 1,
          action: { id: "a", type: "k8s.rollout_restart", requiresApproval: false, maxPerHour: 1 },
        }),
        settings,
      ).status,
    ).toBe("rate_limited");
    expect(decideRemediation(request({ recentRuns: 3 }), { ...settings, maxPerHour: 5 }).status).toBe("approved");
  });

  it("rate limits automatic runs over REMEDIATION_MAX_AUTO_PER_HOUR across all targets, saying why; people may still run", () => {
    expect(decideRemediation(request({ automatic: true, recentAutomaticRuns: 19 }), settings).status).toBe("approved");
    expect(decideRemediation(request({ automatic: true, recentAutomaticRuns: 20 }), settings)).toEqual({
      status: "rate_limited",
      reason:
        "20 automatic runs in the last hour over all targets; at most 20 per hour (REMEDIATION_MAX_AUTO_PER_HOUR)",
      risk: null,
    });
    expect(
      decideRemediation(request({ automatic: true, recentAutomaticRuns: 5 }), { ...settings, maxAutoPerHour: 5 })
        .status,
    ).toBe("rate_limited");
    expect(decideRemediation(request({ recentAutomaticRuns: 20 }), settings).status).toBe("approved");
  });

  it("denies action types the installation does not allow, and namespaces outside the allowed list", () => {
    expect(decideRemediation(request(), { ...settings, allowedActions: ["k8s.scale"] })).toMatchObject({
      status: "denied",
      reason: expect.stringContaining("REMEDIATION_ALLOWED_ACTIONS"),
    });
    expect(decideRemediation(request(), { ...settings, namespaces: ["payments"] })).toMatchObject({
      status: "denied",
      reason: expect.stringContaining("namespace shop is not one remediation may touch"),
    });
    expect(decideRemediation(request(), { ...settings, namespaces: ["shop"] }).status).toBe("approved");
  });

  it("never runs automatically on a resolved incident, nor when automatic runs are off, but lets a person run", () => {
    expect(decideRemediation(request({ automatic: true, incidentStatus: "resolved" }), settings)).toMatchObject({
      status: "denied",
      reason: expect.stringContaining("resolved"),
    });
    expect(decideRemediation(request({ automatic: true }), { ...settings, auto: false })).toMatchObject({
      status: "denied",
      reason: expect.stringContaining("REMEDIATION_AUTO=0"),
    });
    expect(decideRemediation(request({ incidentStatus: "resolved" }), settings).status).toBe("approved");
  });

  it("sends risky actions to approval: marked ones, rollbacks, database restarts and scaling to zero", () => {
    const marked = request({ action: { id: "x", type: "k8s.rollout_restart", requiresApproval: true } });
    expect(decideRemediation(marked, settings)).toEqual({
      status: "pending_approval",
      reason: "needs approval: the runbook marks this action as needing approval",
      risk: "the runbook marks this action as needing approval",
    });
    expect(
      riskOf(
        request({
          action: { id: "rollback-last-deploy", type: "http.post", requiresApproval: false },
          target: {
            params: { type: "http.post", url: "https://d.example/hook", body: null },
            target: "POST https://d.example/hook",
            rateKey: "k",
          },
        }),
      ),
    ).toBe("it is a rollback");
    const database: ActionTarget = {
      params: { type: "k8s.rollout_restart", namespace: "shop", deployment: "orders-postgres" },
      target: "deployment shop/orders-postgres",
      rateKey: "k",
    };
    expect(riskOf(request({ target: database }))).toBe("it restarts a database (deployment shop/orders-postgres)");
    expect(
      riskOf(
        request({
          target: { ...database, params: { type: "k8s.delete_pod", namespace: "data", pod: "checkout-db-0" } },
          type: "k8s.delete_pod",
        }),
      ),
    ).toMatch(/restarts a database/);
    const toZero: ActionTarget = {
      params: {
        type: "k8s.scale",
        namespace: "shop",
        deployment: "api",
        replicas: 0,
        min_replicas: 0,
        max_replicas: 5,
      },
      target: "deployment shop/api",
      rateKey: "k",
    };
    expect(riskOf(request({ target: toZero, type: "k8s.scale" }))).toBe(
      "it scales deployment shop/api to zero replicas",
    );
    expect(
      riskOf(
        request({
          target: {
            ...restartTarget,
            params: { type: "k8s.rollout_restart", namespace: "shop", deployment: "dbadmin-ui" },
          },
        }),
      ),
    ).toBeNull();
  });

  it("takes no risk from an action's title, which responders may edit: renaming a rollback does not lift its approval", () => {
    const hook = (id: string, title: string, url = "https://deploy.example/hooks/{{labels.service}}") =>
      actionOf(`  - { id: ${id}, title: "${title}", type: http.post, params: { url: "${url}" } }`);
    const riskFor = (action: RunbookAction) =>
      riskOf({
        action: policyActionOf(action),
        target: resolveActionTarget(action, {
          labels: { service: "checkout" },
          annotations: { rollback_url: "https://deploy.example/hooks/undo" },
          incident: {},
        }),
      });
    // The title once decided: "Roll back …" needed approval, the same action renamed "Restore …" ran at once.
    expect(riskFor(hook("call-deploy-hook", "Roll back the last deploy"))).toBe(
      riskFor(hook("call-deploy-hook", "Restore the last deploy")),
    );
    expect(riskFor(hook("call-deploy-hook", "Roll back the last deploy"))).toBeNull();
    // What admins write still does: the id, the URL as written or as filled, the approval flag.
    expect(riskFor(hook("rollback-last-deploy", "Restore the last deploy"))).toBe("it is a rollback");
    expect(riskFor(hook("call-deploy-hook", "Restore", "{{annotations.rollback_url}}"))).toBe("it is a rollback");
    expect(riskFor(hook("call-deploy-hook", "Restore", "https://deploy.example/{{labels.service}}/revert"))).toBe(
      "it is a rollback",
    );
  });

  it("still sends the shipped runbooks' rollback and pooler restart to approval, whatever their titles say", () => {
    for (const [file, id] of [
      ["high-error-rate.md", "rollback-last-deploy"],
      ["database-connections-exhausted.md", "restart-pooler"],
    ] as const) {
      const parsed = parseRunbookDocument(
        readFileSync(path.resolve(import.meta.dirname, "../../runbooks", file), "utf8"),
      );
      const action = parsed.ok ? parsed.document.frontMatter.actions.find((a) => a.id === id) : undefined;
      expect(action && policyActionOf({ ...action, title: "Harmless" })).toMatchObject({ requiresApproval: true });
    }
  });

  it("checks the rate limit before approval: a risky action over its limit is rate limited, not queued", () => {
    const marked = request({ recentRuns: 3, action: { id: "x", type: "k8s.rollout_restart", requiresApproval: true } });
    expect(decideRemediation(marked, settings).status).toBe("rate_limited");
  });

  it("lets a dry run through, saying what a real run would be, but not a denied one", () => {
    expect(decideRemediation(request({ dryRun: true, recentRuns: 3 }), settings)).toMatchObject({
      status: "approved",
      reason: expect.stringMatching(/^dry run, nothing is changed \(a real run would be rate limited: 3 runs/),
    });
    expect(decideRemediation(request({ dryRun: true }), { ...settings, allowedActions: [] }).status).toBe("denied");
  });
});

describe("who may approve", () => {
  it("is an admin, and with the two-person rule also a second responder, never the requester", () => {
    expect(approvalRight({ role: "admin", personId: "u1", isPerson: true }, "u1", false)).toEqual({ allowed: true });
    expect(approvalRight({ role: "responder", personId: "u2", isPerson: true }, "u1", false)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("admins approve"),
    });
    expect(approvalRight({ role: "responder", personId: "u2", isPerson: true }, "u1", true)).toEqual({ allowed: true });
    expect(approvalRight({ role: "responder", personId: "u1", isPerson: true }, "u1", true)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("two-person rule"),
    });
    expect(approvalRight({ role: "admin", personId: "u1", isPerson: true }, "u1", true).allowed).toBe(false);
    expect(approvalRight({ role: "viewer", personId: "u3", isPerson: true }, null, true).allowed).toBe(false);
    expect(approvalRight({ role: "responder", personId: "u2", isPerson: true }, null, true)).toEqual({ allowed: true });
    // Under the two-person rule an API token (whoever holds it) decides nothing; without it, an admin token may.
    expect(approvalRight({ role: "responder", personId: "token-1", isPerson: false }, "u1", true)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("not an API token"),
    });
    expect(approvalRight({ role: "admin", personId: "token-2", isPerson: false }, "u1", true).allowed).toBe(false);
    expect(approvalRight({ role: "admin", personId: "token-2", isPerson: false }, "u1", false)).toEqual({
      allowed: true,
    });
  });
});
