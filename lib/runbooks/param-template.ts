// The small template language of runbook action parameters: literal text with `{{…}}` holes, each hole a
// list of sources tried in order, the first one set wins:
//   "{{labels.deployment|labels.service}}"   the alert's deployment label, else its service label
//   "{{labels.namespace|'default'}}"         a quoted literal as the last resort
//   "https://deploy.example/{{incident.service}}/rollback"
// Sources: labels.<name> and annotations.<name> of the alert the action is for, incident.<field> for
// service, team, ref and severity. A hole whose sources are all unset makes the action unresolvable: it
// is never run with a guessed value.

export type TemplateSource =
  | { kind: "label"; name: string }
  | { kind: "annotation"; name: string }
  | { kind: "incident"; field: IncidentField }
  | { kind: "literal"; value: string };
export type TemplatePart = { kind: "text"; text: string } | { kind: "hole"; sources: TemplateSource[]; raw: string };

export const incidentFields = ["service", "team", "ref", "severity"] as const;
export type IncidentField = (typeof incidentFields)[number];

/** What a template is filled from: one alert's labels and annotations, and the incident. */
export interface TemplateContext {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  incident: Partial<Record<IncidentField, string | null>>;
}

export class TemplateError extends Error {}

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseSource(text: string, raw: string): TemplateSource {
  const source = text.trim();
  const quoted = /^'([^']*)'$/.exec(source) ?? /^"([^"]*)"$/.exec(source);
  if (quoted) return { kind: "literal", value: quoted[1]! };
  const [scope, name, ...rest] = source.split(".");
  if (rest.length === 0 && name && (scope === "labels" || scope === "annotations") && labelName.test(name)) {
    return scope === "labels" ? { kind: "label", name } : { kind: "annotation", name };
  }
  if (rest.length === 0 && scope === "incident" && (incidentFields as readonly string[]).includes(name ?? ""))
    return { kind: "incident", field: name as IncidentField };
  throw new TemplateError(
    `"${source}" in ${raw} is not a source: use labels.<name>, annotations.<name>, incident.${incidentFields.join("|incident.")} or a 'quoted literal'`,
  );
}

/** The parts of a template, or a TemplateError saying what is wrong with it. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf("{{");
    if (open === -1) {
      if (rest.includes("}}")) throw new TemplateError(`"}}" without "{{" in ${JSON.stringify(text)}`);
      parts.push({ kind: "text", text: rest });
      break;
    }
    if (open > 0) {
      if (rest.slice(0, open).includes("}}")) throw new TemplateError(`"}}" without "{{" in ${JSON.stringify(text)}`);
      parts.push({ kind: "text", text: rest.slice(0, open) });
    }
    const close = rest.indexOf("}}", open + 2);
    if (close === -1) throw new TemplateError(`"{{" is never closed in ${JSON.stringify(text)}`);
    const inner = rest.slice(open + 2, close);
    const raw = `{{${inner}}}`;
    if (!inner.trim()) throw new TemplateError(`${raw} is empty`);
    parts.push({ kind: "hole", raw, sources: inner.split("|").map((s) => parseSource(s, raw)) });
    rest = rest.slice(close + 2);
  }
  return parts;
}

function valueOf(source: TemplateSource, context: TemplateContext): string | undefined {
  const value =
    source.kind === "literal"
      ? source.value
      : source.kind === "label"
        ? context.labels[source.name]
        : source.kind === "annotation"
          ? context.annotations[source.name]
          : context.incident[source.field];
  return value === null || value === undefined || value === "" ? undefined : value;
}

/**
 * Fills a template; `encode` escapes what the holes bring in (a URL's path). Throws a TemplateError
 * naming the hole none of whose sources is set.
 */
export function renderTemplate(
  text: string,
  context: TemplateContext,
  encode: (value: string) => string = (v) => v,
): string {
  return parseTemplate(text)
    .map((part) => {
      if (part.kind === "text") return part.text;
      for (const source of part.sources) {
        const value = valueOf(source, context);
        if (value !== undefined) return encode(value);
      }
      throw new TemplateError(`${part.raw}: none of its sources is set for this alert`);
    })
    .join("");
}

/** Whether a string holds any `{{…}}` hole (a constant needs no alert to be resolved). */
export const isTemplated = (text: string) => text.includes("{{");
