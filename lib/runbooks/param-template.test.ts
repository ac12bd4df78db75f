import { describe, expect, it } from "vitest";
import { parseTemplate, renderTemplate, TemplateError, type TemplateContext } from "./param-template";

const context: TemplateContext = {
  labels: { alertname: "HighErrorRate", service: "checkout", namespace: "shop", empty: "" },
  annotations: { rollback_url: "https://deploy.example/hooks/rollback" },
  incident: { service: "checkout", team: "payments", ref: "INC-7", severity: "P1" },
};

describe("parameter templates", () => {
  it("takes the first source that is set, so the deployment label wins over the service label", () => {
    expect(renderTemplate("{{labels.deployment|labels.service}}", context)).toBe("checkout");
    expect(
      renderTemplate("{{labels.deployment|labels.service}}", {
        ...context,
        labels: { ...context.labels, deployment: "checkout-v2" },
      }),
    ).toBe("checkout-v2");
  });

  it("treats an empty label as unset and falls back to a quoted literal", () => {
    expect(renderTemplate("{{labels.empty|'default'}}", context)).toBe("default");
    expect(renderTemplate('{{labels.missing|"ns-1"}}', context)).toBe("ns-1");
  });

  it("mixes text and holes, reading annotations and incident fields", () => {
    expect(renderTemplate("https://deploy.example/{{incident.service}}/rollback?ref={{incident.ref}}", context)).toBe(
      "https://deploy.example/checkout/rollback?ref=INC-7",
    );
    expect(renderTemplate("{{annotations.rollback_url}}", context)).toBe("https://deploy.example/hooks/rollback");
  });

  it("escapes only what the holes bring in when asked to", () => {
    expect(
      renderTemplate("https://x/{{labels.service}}", { ...context, labels: { service: "a/../b" } }, encodeURIComponent),
    ).toBe("https://x/a%2F..%2Fb");
  });

  it("refuses to guess: a hole none of whose sources is set is an error naming it", () => {
    expect(() => renderTemplate("{{labels.deployment|labels.pod}}", context)).toThrow(
      "{{labels.deployment|labels.pod}}: none of its sources is set for this alert",
    );
  });

  it("reports malformed templates: unclosed holes, unknown sources, stray braces", () => {
    expect(() => parseTemplate("{{labels.service")).toThrow(TemplateError);
    expect(() => parseTemplate("{{foo.bar}}")).toThrow(/is not a source/);
    expect(() => parseTemplate("{{incident.owner}}")).toThrow(/is not a source/);
    expect(() => parseTemplate("x}}")).toThrow(/without/);
    expect(() => parseTemplate("{{ }}")).toThrow(/empty/);
    expect(parseTemplate("plain")).toEqual([{ kind: "text", text: "plain" }]);
  });
});
