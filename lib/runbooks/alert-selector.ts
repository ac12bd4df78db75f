// Which alerts a runbook is for: alertnames and/or Prometheus-style label matchers, as its front matter
// says (`alertnames: [HighErrorRate]`, `matchers: ['service=~"checkout|payments"', 'severity!="info"']`).
// An alert matches when its alertname is one of the names (if any are given) and every matcher holds.
//
// Regular expressions run on RE2 (re2js), as in Prometheus: fully anchored, `.` matching newlines too, and
// in time linear in the label value. They are matched during alert ingestion, inside its transaction, so a
// backtracking engine let one pattern (`(.*.)*X`) stall ingestion for seconds per extra character. RE2
// refuses what it cannot run in linear time (lookaround, backreferences); lengths are capped so the linear
// cost stays small.
import { RE2JS, RE2JSException } from "re2js";

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

/** The longest regular expression a matcher may hold, and the largest RE2 program it may compile to. */
export const MAX_PATTERN_LENGTH = 1000;
const MAX_PROGRAM_SIZE = 500;
/**
 * A label value longer than this is not tried against a regular expression: the matcher does not hold
 * (neither =~ nor !~), so an outsized value cannot make a runbook apply. RE2's time is linear in the value
 * but also grows with the pattern's size; the two caps bound it.
 */
export const MAX_MATCHED_VALUE_LENGTH = 4096;

export const isRegexMatcher = (matcher: Pick<LabelMatcher, "op">) => matcher.op === "=~" || matcher.op === "!~";

type CompiledPattern = { regex: RE2JS; refused: null } | { regex: null; refused: string };

/** Patterns compiled once per process (a catalog has a few dozen); forgotten all at once when too many. */
const compiledPatterns = new Map<string, CompiledPattern>();
const PATTERNS_KEPT = 1000;

function compilePattern(pattern: string): CompiledPattern {
  let compiled = compiledPatterns.get(pattern);
  if (!compiled) {
    compiled = compileUncached(pattern);
    if (compiledPatterns.size >= PATTERNS_KEPT) compiledPatterns.clear();
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

function compileUncached(pattern: string): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return { regex: null, refused: `it is longer than ${MAX_PATTERN_LENGTH} characters` };
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern, RE2JS.DOTALL);
  } catch (error) {
    if (error instanceof RE2JSException) return { regex: null, refused: error.message };
    throw error;
  }
  if (regex.programSize() > MAX_PROGRAM_SIZE)
    return {
      regex: null,
      refused: `it is too large for a label matcher (RE2 program size ${regex.programSize()}, at most ${MAX_PROGRAM_SIZE}): use fewer or smaller repeats`,
    };
  return { regex, refused: null };
}

/** Why RE2 will not run this pattern (Perl-only syntax such as lookahead, a bad expression, too large), or null. */
export const regexRefusal = (pattern: string): string | null => compilePattern(pattern).refused;

/**
 * `service=~"api|web"` -> a matcher, its regular expression not checked: for runbook versions stored
 * before RE2, whose refused patterns match nothing (`matcherHolds`). Throws when the text is no matcher.
 */
export function readLabelMatcher(text: string): LabelMatcher {
  const match = matcherPattern.exec(text);
  if (!match)
    throw new Error(`${JSON.stringify(text)} is not a label matcher such as service="checkout" or service=~"api|web"`);
  const [, name, op, quoted] = match as unknown as [string, string, MatchOperator, string];
  return { name, op, value: quoted.replace(/\\(.)/g, "$1"), text: text.trim() };
}

/** `service=~"api|web"` -> a matcher; throws with the reason when it is not one, or RE2 refuses its pattern. */
export function parseLabelMatcher(text: string): LabelMatcher {
  const matcher = readLabelMatcher(text);
  const refused = isRegexMatcher(matcher) ? regexRefusal(matcher.value) : null;
  if (refused)
    throw new Error(`${JSON.stringify(text)}: Invalid regular expression for RE2, Prometheus' engine: ${refused}`);
  return matcher;
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
    case "!~": {
      const { regex } = compilePattern(matcher.value);
      // A refused pattern (stored before RE2) or an outsized value: the matcher does not hold either way.
      if (!regex || actual.length > MAX_MATCHED_VALUE_LENGTH) return false;
      return regex.testExact(actual) === (matcher.op === "=~");
    }
  }
}

export function selectorMatches(selector: AlertSelector, labels: Record<string, string>): boolean {
  if (selector.alertnames.length === 0 && selector.matchers.length === 0) return false;
  if (selector.alertnames.length > 0 && !selector.alertnames.includes(labels.alertname ?? "")) return false;
  return selector.matchers.every((m) => matcherHolds(m, labels));
}

/** How specific a selector is: runbooks that say more about an alert win over general ones. */
export const selectorSpecificity = (selector: AlertSelector) =>
  (selector.alertnames.length > 0 ? 1 : 0) + selector.matchers.length;

/** "alertname HighErrorRate, service=~\"api\"" – for people. */
export function describeSelector(selector: AlertSelector): string {
  const parts = [
    ...(selector.alertnames.length ? [`alertname ${selector.alertnames.join(" or ")}`] : []),
    ...selector.matchers.map((m) => m.text),
  ];
  return parts.join(", ");
}
