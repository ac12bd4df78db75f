// A runbook as a file: YAML front matter between `---` lines, then markdown. The front matter says what
// the runbook is for and what it may do; this module reads and checks it, with errors people can act on
// (the field, the line, what is expected). Pure: the editor runs it in the browser as you type, the
// server runs it again on save, and the catalog sync runs it on every file.
import { isMap, LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";
import { markdownHeadings } from "../markdown/headings";
import { actionTypes } from "./action-types";
import {
  isRegexMatcher,
  parseLabelMatcher,
  readLabelMatcher,
  regexRefusal,
  type AlertSelector,
  type LabelMatcher,
} from "./alert-selector";
import { parseTemplate, TemplateError } from "./param-template";

/** One problem with a runbook document: the front-matter field (dotted), what is wrong, and where. */
export interface RunbookProblem {
  path: string;
  message: string;
  /** 1-based line in the whole document, when it is known. */
  line?: number;
}

/** The sections every runbook should have; a missing one is a warning, not an error. */
export const runbookSections = [
  "Symptoms",
  "Immediate Checks",
  "Automated Actions",
  "Manual Remediation",
  "Escalation",
  "Links",
] as const;

export const slugPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
const Slug = z
  .string()
  .regex(slugPattern, "lowercase letters, digits and dashes, such as high-error-rate")
  // /runbooks/new is the page that creates one.
  .refine((slug) => slug !== "new", "new is taken by the page that creates runbooks; choose another slug");

const Template = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .superRefine((value, ctx) => {
    try {
      parseTemplate(value);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message });
    }
  });

const Replicas = z.number().int().min(0).max(1000);

const RolloutRestartParams = z.strictObject({ namespace: Template, deployment: Template });
const ScaleParams = z
  .strictObject({
    namespace: Template,
    deployment: Template,
    replicas: z.union([Replicas, Template]),
    min_replicas: Replicas,
    max_replicas: Replicas,
  })
  .superRefine((p, ctx) => {
    if (p.min_replicas > p.max_replicas)
      ctx.addIssue({
        code: "custom",
        path: ["max_replicas"],
        message: `max_replicas (${p.max_replicas}) is below min_replicas (${p.min_replicas})`,
      });
    if (typeof p.replicas === "number" && (p.replicas < p.min_replicas || p.replicas > p.max_replicas)) {
      ctx.addIssue({
        code: "custom",
        path: ["replicas"],
        message: `replicas ${p.replicas} is outside min_replicas..max_replicas (${p.min_replicas}..${p.max_replicas})`,
      });
    }
  });
const DeletePodParams = z.strictObject({ namespace: Template, pod: Template });
const HttpPostParams = z.strictObject({
  // An http(s) URL, or one that comes whole from the alert ("{{annotations.rollback_url}}", checked when filled).
  url: Template.refine((u) => /^https?:\/\//.test(u) || u.startsWith("{{"), "an http:// or https:// URL"),
  body: z.record(z.string(), z.union([Template, z.number(), z.boolean()])).optional(),
});

const actionBase = {
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9_-]{0,62}$/,
      "lowercase letters, digits, dashes and underscores, such as restart-deployment",
    ),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).optional(),
  /** Run when a matching incident opens (still through the policy). */
  auto: z.boolean().default(false),
  requires_approval: z.boolean().default(false),
  /** Overrides REMEDIATION_MAX_PER_HOUR for this action's target. */
  max_per_hour: z.number().int().min(1).max(100).optional(),
};

export const RunbookAction = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ ...actionBase, type: z.literal("k8s.rollout_restart"), params: RolloutRestartParams }),
    z.strictObject({ ...actionBase, type: z.literal("k8s.scale"), params: ScaleParams }),
    z.strictObject({ ...actionBase, type: z.literal("k8s.delete_pod"), params: DeletePodParams }),
    z.strictObject({ ...actionBase, type: z.literal("http.post"), params: HttpPostParams }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? `type must be one of ${actionTypes.join(", ")}` : undefined) },
);
export type RunbookAction = z.infer<typeof RunbookAction>;

const matcherOf = (parse: (text: string) => LabelMatcher) =>
  z.string().superRefine((text, ctx) => {
    try {
      parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  });

/** The front matter, its label matchers read by `parseMatcher` (stored versions: see parseRunbookDocument). */
const frontMatterOf = (parseMatcher: (text: string) => LabelMatcher) =>
  z.strictObject({
    slug: Slug,
    title: z.string().trim().min(1).max(200),
    service: z.string().trim().min(1).max(100).optional(),
    alerts: z
      .strictObject({
        alertnames: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
        matchers: z.array(matcherOf(parseMatcher)).max(20).default([]),
      })
      .refine((a) => a.alertnames.length > 0 || a.matchers.length > 0, "name at least one alertname or label matcher"),
    escalation: z
      .strictObject({
        to: z.string().trim().min(1).max(300),
        after: z
          .string()
          .regex(/^\d+(m|h)$/, "minutes or hours, such as 15m or 1h")
          .optional(),
        channel: z.string().trim().max(100).optional(),
      })
      .optional(),
    actions: z
      .array(RunbookAction)
      .max(20)
      .default([])
      .superRefine((actions, ctx) => {
        const seen = new Set<string>();
        actions.forEach((a, i) => {
          if (seen.has(a.id))
            ctx.addIssue({ code: "custom", path: [i, "id"], message: `another action already has the id "${a.id}"` });
          seen.add(a.id);
        });
      }),
  });
export const RunbookFrontMatter = frontMatterOf(parseLabelMatcher);
export type RunbookFrontMatter = z.infer<typeof RunbookFrontMatter>;
const StoredRunbookFrontMatter = frontMatterOf(readLabelMatcher);

export interface RunbookDocument {
  frontMatter: RunbookFrontMatter;
  selector: AlertSelector;
  /** The markdown after the front matter. */
  body: string;
}

export type RunbookParse =
  | { ok: true; document: RunbookDocument; warnings: string[] }
  | { ok: false; errors: RunbookProblem[]; warnings: string[] };

const fence = /^---[ \t]*$/;

/** Splits `---\n<yaml>\n---\n<markdown>`; null when the document does not open with front matter. */
export function splitFrontMatter(markdown: string): { yaml: string; body: string } | null {
  const lines = markdown.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (!fence.test(lines[0] ?? "")) return null;
  const end = lines.findIndex((line, i) => i > 0 && fence.test(line));
  if (end === -1) return null;
  return {
    yaml: lines.slice(1, end).join("\n"),
    body: lines
      .slice(end + 1)
      .join("\n")
      .replace(/^\n+/, ""),
  };
}

export function selectorOf(frontMatter: RunbookFrontMatter): AlertSelector {
  return { alertnames: frontMatter.alerts.alertnames, matchers: frontMatter.alerts.matchers.map(readLabelMatcher) };
}

/**
 * Reads and checks a runbook document. What is written (a save, a file, the editor) must pass every
 * check; a version already `stored` is read as it was accepted then, so a rule made stricter since does
 * not hide the runbook or break its pages: a regular expression RE2 refuses (runbooks written before
 * matchers ran on RE2) is a warning there, and that matcher matches no alert.
 */
export function parseRunbookDocument(markdown: string, options: { stored?: boolean } = {}): RunbookParse {
  const split = splitFrontMatter(markdown);
  if (!split) {
    return {
      ok: false,
      errors: [
        {
          path: "(front matter)",
          line: 1,
          message: "A runbook opens with YAML front matter between two --- lines (slug, title, alerts, actions)",
        },
      ],
      warnings: [],
    };
  }
  const warnings = missingSections(split.body).map((s) => `No "## ${s}" section`);
  const lineCounter = new LineCounter();
  const yamlDocument = parseDocument(split.yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // Lines inside the YAML count from the line after the opening ---.
  const lineAt = (offset: number) => lineCounter.linePos(offset).line + 1;
  if (yamlDocument.errors.length > 0) {
    return {
      ok: false,
      errors: yamlDocument.errors.map((e) => ({
        path: "(front matter)",
        line: lineAt(e.pos[0]),
        message: `YAML: ${e.message.split("\n")[0]}`,
      })),
      warnings,
    };
  }
  if (!isMap(yamlDocument.contents)) {
    return {
      ok: false,
      errors: [
        { path: "(front matter)", line: 2, message: "The front matter must be a YAML mapping (slug: …, title: …)" },
      ],
      warnings,
    };
  }
  const parsed = (options.stored ? StoredRunbookFrontMatter : RunbookFrontMatter).safeParse(yamlDocument.toJS());
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String);
      const node = nearestNode(yamlDocument, issue.path as (string | number)[]);
      return {
        path: path.join(".") || "(front matter)",
        message: issue.message,
        ...(node?.range ? { line: lineAt(node.range[0]) } : {}),
      };
    });
    return { ok: false, errors, warnings };
  }
  const selector = selectorOf(parsed.data);
  for (const matcher of selector.matchers.filter(isRegexMatcher)) {
    const refused = regexRefusal(matcher.value);
    if (refused)
      warnings.push(
        `Matcher ${matcher.text} matches no alert: RE2 refuses it (${refused}); an admin should rewrite it`,
      );
  }
  return { ok: true, document: { frontMatter: parsed.data, selector, body: split.body }, warnings };
}

/** The YAML node at `path`, or the closest one above it that exists (a missing key points at its map). */
function nearestNode(doc: ReturnType<typeof parseDocument>, path: (string | number)[]): Node | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (node && typeof node === "object" && "range" in node) return node as Node;
  }
  return undefined;
}

function missingSections(body: string): string[] {
  const headings = new Set(
    markdownHeadings(body)
      .filter((h) => h.depth === 2 || h.depth === 3)
      .map((h) => h.text.toLowerCase()),
  );
  return runbookSections.filter((s) => !headings.has(s.toLowerCase()));
}
