import { describe, expect, it } from "vitest";
import { parseRunbookDocument, type RunbookAction } from "../runbooks/runbook-document";
import type { TemplateContext } from "../runbooks/param-template";
import { ActionResolutionError, resolveActionTarget } from "./action-target";

function action(yaml: string): RunbookAction {
  const parsed = parseRunbookDocument(`---\nslug: x\ntitle: X\nalerts:\n  alertnames: [X]\nactions:\n${yaml}\n---\n`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.document.frontMatter.actions[0]!;
}

const context = (labels: Record<string, string>, annotations: Record<string, string> = {}): TemplateContext => ({
  labels,
  annotations,
  incident: { service: "checkout", ref: "INC-7" },
});

const restart = action(
  '  - { id: restart, title: Restart, type: k8s.rollout_restart, params: { namespace: "{{labels.namespace}}", deployment: "{{labels.deployment|labels.service}}" } }',
);

describe("resolving an action for an alert", () => {
  it("names the deployment by the deployment label, else the service label, in the alert's namespace", () => {
    expect(
      resolveActionTarget(restart, context({ namespace: "shop", deployment: "checkout-v2", service: "checkout" })),
    ).toEqual({
      params: { type: "k8s.rollout_restart", namespace: "shop", deployment: "checkout-v2" },
      target: "deployment shop/checkout-v2",
      rateKey: "k8s.rollout_restart deployment shop/checkout-v2",
    });
    expect(resolveActionTarget(restart, context({ namespace: "shop", service: "checkout" })).target).toBe(
      "deployment shop/checkout",
    );
  });

  it("refuses a missing label and a value that is no Kubernetes name", () => {
    expect(() => resolveActionTarget(restart, context({ service: "checkout" }))).toThrow(ActionResolutionError);
    expect(() => resolveActionTarget(restart, context({ service: "checkout" }))).toThrow(
      /namespace: \{\{labels.namespace\}\}: none of its sources/,
    );
    expect(() => resolveActionTarget(restart, context({ namespace: "shop", service: "../../nodes" }))).toThrow(
      /not a valid Kubernetes name/,
    );
    expect(() => resolveActionTarget(restart, context({ namespace: "Shop", service: "api" }))).toThrow(
      /not a valid Kubernetes namespace/,
    );
  });

  it("scales to an absolute count within the runbook's bounds, which a request may choose", () => {
    const scale = action(
      "  - { id: scale, title: Scale, type: k8s.scale, params: { namespace: shop, deployment: api, replicas: \"{{annotations.replicas|'6'}}\", min_replicas: 2, max_replicas: 8 } }",
    );
    expect(resolveActionTarget(scale, context({})).params).toMatchObject({ type: "k8s.scale", replicas: 6 });
    expect(resolveActionTarget(scale, context({}), { replicas: 3 }).params).toMatchObject({ replicas: 3 });
    expect(() => resolveActionTarget(scale, context({}), { replicas: 9 })).toThrow(/outside the runbook's bounds 2..8/);
    expect(() => resolveActionTarget(scale, context({}, { replicas: "lots" }))).toThrow(/not a whole number/);
    // The target of a scale is the deployment: every scale of it shares one hourly limit.
    expect(resolveActionTarget(scale, context({})).rateKey).toBe("k8s.scale deployment shop/api");
  });

  it("escapes label values inside a URL, but takes a whole URL from an annotation as it is", () => {
    const hook = action(
      '  - { id: hook, title: Hook, type: http.post, params: { url: "https://deploy.example/{{labels.service}}/restart", body: { ref: "{{incident.ref}}", force: true } } }',
    );
    expect(resolveActionTarget(hook, context({ service: "a b" })).params).toEqual({
      type: "http.post",
      url: "https://deploy.example/a%20b/restart",
      body: { ref: "INC-7", force: true },
    });
    const whole = action(
      '  - { id: rollback, title: Roll back, type: http.post, params: { url: "{{annotations.rollback_url}}" } }',
    );
    expect(
      resolveActionTarget(whole, context({}, { rollback_url: "https://deploy.example/hooks/rollback?svc=api" })).target,
    ).toBe("POST https://deploy.example/hooks/rollback");
    expect(() => resolveActionTarget(whole, context({}, { rollback_url: "ftp://x" }))).toThrow(/is not http\(s\)/);
  });

  it("keeps a label filled into a URL's path to one segment: no dot segments, no slashes plain or encoded", () => {
    const hook = action(
      '  - { id: hook, title: Hook, type: http.post, params: { url: "https://deploy.example/hooks/{{labels.service}}/restart?env={{labels.env}}" } }',
    );
    const filled = (service: string, env = "prod") => resolveActionTarget(hook, context({ service, env })).params;
    // Before, ".." made https://deploy.example/restart, and "%2F.." a path a decoding server walks up.
    for (const service of ["..", ".", "a/b", "a\\b", "%2F..%2Fadmin", "..%2f", "%5C", "%2e%2E"]) {
      expect(() => filled(service), service).toThrow(/cannot be filled into a URL's path/);
    }
    expect(filled("100%")).toMatchObject({ url: "https://deploy.example/hooks/100%25/restart?env=prod" });
    expect(filled("checkout-v2")).toMatchObject({ url: "https://deploy.example/hooks/checkout-v2/restart?env=prod" });
    // In the query a slash is only a value.
    expect(filled("checkout", "eu/west")).toMatchObject({
      url: "https://deploy.example/hooks/checkout/restart?env=eu%2Fwest",
    });
  });

  it("refuses a whole URL from an alert whose path a decoding server would read differently", () => {
    const whole = action(
      '  - { id: rollback, title: Roll back, type: http.post, params: { url: "{{annotations.rollback_url}}" } }',
    );
    const from = (rollback_url: string) => () => resolveActionTarget(whole, context({}, { rollback_url }));
    expect(from("https://deploy.example/hooks/..%2F..%2Fadmin")).toThrow(/holds an encoded slash or backslash/);
    expect(from("https://deploy.example/hooks/%252e%252e/admin")).toThrow(/is a dot segment/);
    expect(from("https://deploy.example/hooks/%E0%A4%A")).toThrow(/not valid percent-encoding/);
  });
});
