import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRunbookDocument, runbookSections } from "./runbook-document";

const runbooksDir = path.resolve(import.meta.dirname, "../../runbooks");
const shipped = readdirSync(runbooksDir).filter((f) => f.endsWith(".md"));
const read = (file: string) => readFileSync(path.join(runbooksDir, file), "utf8");
const rulesDir = path.resolve(import.meta.dirname, "../../deploy/prometheus/rules");

const minimal = (frontMatter: string, body = runbookSections.map((s) => `## ${s}\n`).join("\n")) =>
  `---\n${frontMatter}\n---\n${body}`;

describe("runbook documents", () => {
  it("parses front matter and body, with defaults for auto, requires_approval and actions", () => {
    const parsed = parseRunbookDocument(minimal("slug: x\ntitle: X\nalerts:\n  alertnames: [X]"));
    expect(parsed.ok && parsed.document).toMatchObject({
      frontMatter: { slug: "x", title: "X", actions: [] },
      selector: { alertnames: ["X"], matchers: [] },
    });
    expect(parsed.warnings).toEqual([]);
  });

  it("names each front-matter problem with its field and line", () => {
    const parsed = parseRunbookDocument(
      minimal(
        [
          "slug: Bad Slug",
          "title: X",
          "alerts: {}",
          "actions:",
          "  - id: restart",
          "    title: Restart",
          "    type: k8s.reboot",
          "    params: {}",
          "  - id: scale",
          "    title: Scale",
          "    type: k8s.scale",
          "    params: { namespace: shop, deployment: api, replicas: 20, min_replicas: 1, max_replicas: 5 }",
          "    requires_aproval: true",
        ].join("\n"),
      ),
    );
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: "slug", line: 2, message: "lowercase letters, digits and dashes, such as high-error-rate" },
        { path: "alerts", line: 4, message: "name at least one alertname or label matcher" },
        {
          path: "actions.0.type",
          line: 8,
          message: "type must be one of k8s.rollout_restart, k8s.scale, k8s.delete_pod, http.post",
        },
        {
          path: "actions.1.params.replicas",
          line: 13,
          message: "replicas 20 is outside min_replicas..max_replicas (1..5)",
        },
        { path: "actions.1", line: 10, message: 'Unrecognized key: "requires_aproval"' },
      ]),
    );
  });

  it("reports YAML syntax errors and a missing front matter", () => {
    const broken = parseRunbookDocument("---\nslug: [x\n---\n");
    expect(broken.ok === false && broken.errors[0]).toMatchObject({
      path: "(front matter)",
      line: 2,
      message: expect.stringMatching(/^YAML: /),
    });
    const none = parseRunbookDocument("# Just markdown");
    expect(none.ok === false && none.errors[0]?.message).toMatch(/opens with YAML front matter/);
  });

  it("checks templates and label matchers where they are written", () => {
    const parsed = parseRunbookDocument(
      minimal(
        'slug: x\ntitle: X\nalerts:\n  matchers: [\'service=checkout\']\nactions:\n  - { id: r, title: R, type: k8s.rollout_restart, params: { namespace: "{{labels.namespace", deployment: "{{pod.name}}" } }',
      ),
    );
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.path)).toEqual([
      "alerts.matchers.0",
      "actions.0.params.namespace",
      "actions.0.params.deployment",
    ]);
  });

  it("finds its sections in a body of hostile headings in milliseconds, and not inside fenced code", () => {
    // `## x`, 2,500 spaces and a letter took 20 s of the web process with the old heading pattern.
    const hostile = `## x${" ".repeat(2_500)}y\n`.repeat(20);
    const started = performance.now();
    const parsed = parseRunbookDocument(
      minimal("slug: x\ntitle: X\nalerts:\n  alertnames: [X]", `${hostile}## Symptoms\n\`\`\`\n## Links\n\`\`\`\n`),
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(parsed.warnings).toContain('No "## Links" section');
    expect(parsed.warnings).not.toContain('No "## Symptoms" section');
  });

  it("refuses a regular expression RE2 cannot run where it is written, yet reads a stored version that holds one", () => {
    const markdown = minimal("slug: x\ntitle: X\nalerts:\n  matchers: ['service=~\"(?!canary).*\"']");
    const written = parseRunbookDocument(markdown);
    expect(written.ok ? [] : written.errors).toEqual([
      { path: "alerts.matchers.0", line: 5, message: expect.stringContaining("Invalid regular expression for RE2") },
    ]);
    // Saved before matchers ran on RE2: the runbook stays readable, and that matcher matches no alert.
    const stored = parseRunbookDocument(markdown, { stored: true });
    expect(stored.ok && stored.document.selector.matchers.map((m) => m.text)).toEqual(['service=~"(?!canary).*"']);
    expect(stored.warnings).toEqual([
      expect.stringMatching(/^Matcher service=~"\(\?!canary\)\.\*" matches no alert: RE2 refuses it/),
    ]);
  });

  it("warns about missing sections without refusing the runbook", () => {
    const parsed = parseRunbookDocument(minimal("slug: x\ntitle: X\nalerts:\n  alertnames: [X]", "## Symptoms\n"));
    expect(parsed.ok).toBe(true);
    expect(parsed.warnings).toEqual([
      'No "## Immediate Checks" section',
      'No "## Automated Actions" section',
      'No "## Manual Remediation" section',
      'No "## Escalation" section',
      'No "## Links" section',
    ]);
  });
});

describe("the shipped runbooks", () => {
  it.each(shipped)("%s parses with every section, and its slug is its file name", (file) => {
    const parsed = parseRunbookDocument(read(file));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.ok && parsed.document.frontMatter.slug).toBe(file.replace(/\.md$/, ""));
  });

  it("cover every runbook_url in the Prometheus rules, and the runbooks the issue asks for", () => {
    const linked = readdirSync(rulesDir).flatMap((f) =>
      [
        ...readFileSync(path.join(rulesDir, f), "utf8").matchAll(
          /runbook_url: http:\/\/localhost:3000\/runbooks\/([a-z0-9-]+)/g,
        ),
      ].map((m) => m[1]),
    );
    const slugs = shipped.map((f) => f.replace(/\.md$/, ""));
    expect(linked.length).toBeGreaterThan(5);
    for (const slug of [
      ...linked,
      "pod-crash-looping",
      "database-connections-exhausted",
      "disk-filling-up",
      "certificate-expiring",
    ])
      expect(slugs).toContain(slug);
  });

  it("restart the deployment of a HighErrorRate alert automatically, at most 3 times per hour", () => {
    const parsed = parseRunbookDocument(read("high-error-rate.md"));
    if (!parsed.ok) throw new Error("high-error-rate.md does not parse");
    expect(parsed.document.selector.alertnames).toEqual(["HighErrorRate"]);
    expect(parsed.document.frontMatter.actions[0]).toMatchObject({
      type: "k8s.rollout_restart",
      auto: true,
      max_per_hour: 3,
      params: { namespace: "{{labels.namespace}}", deployment: "{{labels.deployment|labels.service}}" },
    });
  });
});
