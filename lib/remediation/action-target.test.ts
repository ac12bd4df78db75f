import { describe, expect, it } from "vitest";
import { parseRunbookDocument, type RunbookAction } from "../runbooks/runbook-document";
import type { TemplateContext } from "../runbooks/param-template";
import { ActionResolutionError, resolveActionTarget } from "./action-target";

function action(yaml: string): RunbookAction {
  const parsed = parseRunbookDocument(`---\nslug: x\ntitle: X\nalerts:\n  alertnames: [X]\nactions:\n${yaml}\n---\n`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.document.frontMatter.actions[0]!;
}

const context = (labels: Record<string, string>, annotations: Record<string, string> = {}): TemplateContext => ({ labels, annotations, incident: { service: "checkout", ref: "INC-7" } });

const restart = action('  - { id: restart, title: Restart, type: k8s.rollout_restart, params: { namespace: "{{labels.namespace}}", deployment: "{{labels.deployment|labels.service}}" } }');

describe("resolving an action for an alert", () => {
  it("names the deployment by the deployment label, else the service label, in the alert's namespace", () => {
    expect(resolveActionTarget(restart, context({ namespace: "shop", deployment: "checkout-v2", service: "checkout" }))).toEqual({
      params: { type: "k8s.rollout_restart", namespace: "shop", deployment: "checkout-v2" },
      target: "deployment shop/checkout-v2",
      rateKey: "k8s.rollout_restart deployment shop/checkout-v2",
    });
    expect(resolveActionTarget(restart, context({ namespace: "shop", service: "checkout" })).target).toBe("deployment shop/checkout");
  });

  it("refuses a missing label and a value that is no Kubernetes name", () => {
    expect(() => resolveActionTarget(restart, context({ service: "checkout" }))).toThrow(ActionResolutionError);
    expect(() => resolveActionTarget(restart, context({ service: "checkout" }))).toThrow(/namespace: \{\{labels.namespace\}\}: none of its sources/);
    expect(() => resolveActionTarget(restart, context({ namespace: "shop", service: "../../nodes" }))).toThrow(/not a valid Kubernetes name/);
    expect(() => resolveActionTarget(restart, context({ namespace: "Shop", service: "api" }))).toThrow(/not a valid Kubernetes namespace/);
  });

  it("scales to an absolute count within the runbook's bounds, which a request may choose", () => {
    const scale = action('  - { id: scale, title: Scale, type: k8s.scale, params: { namespace: shop, deployment: api, replicas: "{{annotations.replicas|\'6\'}}", min_replicas: 2, max_replicas: 8 } }');
    expect(resolveActionTarget(scale, context({})).params).toMatchObject({ type: "k8s.scale", replicas: 6 });
    expect(resolveActionTarget(scale, context({}), { replicas: 3 }).params).toMatchObject({ replicas: 3 });
    expect(() => resolveActionTarget(scale, context({}), { replicas: 9 })).toThrow(/outside the runbook's bounds 2..8/);
    expect(() => resolveActionTarget(scale, context({}, { replicas: "lots" }))).toThrow(/not a whole number/);
    // The target of a scale is the deployment: every scale of it shares one hourly limit.
    expect(resolveActionTarget(scale, context({})).rateKey).toBe("k8s.scale deployment shop/api");
  });

  it("escapes label values inside a URL, but takes a whole URL from an annotation as it is", () => {
    const hook = action('  - { id: hook, title: Hook, type: http.post, params: { url: "https://deploy.example/{{labels.service}}/restart", body: { ref: "{{incident.ref}}", force: true } } }');
    expect(resolveActionTarget(hook, context({ service: "a b/c" })).params).toEqual({ type: "http.post", url: "https://deploy.example/a%20b%2Fc/restart", body: { ref: "INC-7", force: true } });
    const whole = action('  - { id: rollback, title: Roll back, type: http.post, params: { url: "{{annotations.rollback_url}}" } }');
    expect(resolveActionTarget(whole, context({}, { rollback_url: "https://deploy.example/hooks/rollback?svc=api" })).target).toBe("POST https://deploy.example/hooks/rollback");
    expect(() => resolveActionTarget(whole, context({}, { rollback_url: "ftp://x" }))).toThrow(/is not http\(s\)/);
  });
});
