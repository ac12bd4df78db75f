// Which alerts a runbook is for: alertnames and/or Prometheus-style label matchers, as its front matter
// says (`alertnames: [HighErrorRate]`, `matchers: ['service=~"checkout|payments"', 'severity!="info"']`).
// An alert matches when its alertname is one of the names (if any are given) and every matcher holds.
// Regular expressions are anchored, as in Prometheus.

export type MatchOperator = "=" | "!=" | "=~" | "!~";

export interface LabelMatcher {
  name: string;
  op: MatchOperator;
  value: string;
  /** The matcher as written, for messages. */
  text: string;
}

export interface AlertSelector {
  alertnames: string[];
  matchers: LabelMatcher[];
}

const matcherPattern = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** `service=~"api|web"` -> a matcher; throws with the reason when it is not one. */
export function parseLabelMatcher(text: string): LabelMatcher {
  const match = matcherPattern.exec(text);
  if (!match) throw new Error(`${JSON.stringify(text)} is not a label matcher such as service="checkout" or service=~"api|web"`);
  const [, name, op, quoted] = match as unknown as [string, string, MatchOperator, string];
  const value = quoted.replace(/\\(.)/g, "$1");
  if (op === "=~" || op === "!~") {
    try {
      new RegExp(`^(?:${value})$`);
    } catch (error) {
      throw new Error(`${JSON.stringify(text)}: ${(error as Error).message}`);
    }
  }
  return { name, op, value, text: text.trim() };
}

export function matcherHolds(matcher: LabelMatcher, labels: Record<string, string>): boolean {
  // A missing label is the empty string, as in Prometheus: service!="x" holds for an alert without one.
  const actual = labels[matcher.name] ?? "";
  switch (matcher.op) {
    case "=":
      return actual === matcher.value;
    case "!=":
      return actual !== matcher.value;
    case "=~":
      return new RegExp(`^(?:${matcher.value})$`).test(actual);
    case "!~":
      return !new RegExp(`^(?:${matcher.value})$`).test(actual);
  }
}

export function selectorMatches(selector: AlertSelector, labels: Record<string, string>): boolean {
  if (selector.alertnames.length === 0 && selector.matchers.length === 0) return false;
  if (selector.alertnames.length > 0 && !selector.alertnames.includes(labels.alertname ?? "")) return false;
  return selector.matchers.every((m) => matcherHolds(m, labels));
}

/** How specific a selector is: runbooks that say more about an alert win over general ones. */
export const selectorSpecificity = (selector: AlertSelector) => (selector.alertnames.length > 0 ? 1 : 0) + selector.matchers.length;

/** "alertname HighErrorRate, service=~\"api\"" – for people. */
export function describeSelector(selector: AlertSelector): string {
  const parts = [...(selector.alertnames.length ? [`alertname ${selector.alertnames.join(" or ")}`] : []), ...selector.matchers.map((m) => m.text)];
  return parts.join(", ");
}
