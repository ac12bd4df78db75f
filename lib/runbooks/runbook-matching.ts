// Which runbook an incident follows: the one its alert's runbook_url names (`…/runbooks/<slug>`, whatever
// the host, so the Prometheus rules' links work wherever Vigil runs), else the most specific runbook
// whose alertnames / label matchers fit one of its alerts (firing ones first), else one fitting the
// incident's own labels (a declared incident has no alerts). Pure.
import { describeSelector, selectorMatches, selectorSpecificity } from "./alert-selector";
import type { RunbookDocument } from "./runbook-document";

export interface CatalogRunbook {
  id: string;
  slug: string;
  title: string;
  version: number;
  document: RunbookDocument;
  /** Why its actions may not act now (a Runbook resource's actions waiting for approval); null: they may. */
  actionsInactive: string | null;
}

export interface AlertFacts {
  fingerprint: string;
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RunbookMatch {
  runbook: CatalogRunbook;
  /** Why this one, for people: "the alert's runbook_url", "alertname HighErrorRate". */
  reason: string;
}

/** `http://localhost:3000/runbooks/high-error-rate` -> `high-error-rate`; null for other links. */
export function slugFromRunbookUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let path: string;
  try {
    path = new URL(url, "http://relative.invalid").pathname;
  } catch {
    return null;
  }
  const match = /\/runbooks\/([a-z0-9][a-z0-9-]{0,62})\/?$/.exec(path);
  return match?.[1] ?? null;
}

const firingFirst = (alerts: readonly AlertFacts[]) =>
  [...alerts].sort((a, b) => (a.status === b.status ? 0 : a.status === "firing" ? -1 : 1));

export function matchRunbook(
  catalog: readonly CatalogRunbook[],
  incident: { runbookUrl: string | null; labels: Record<string, string> },
  alerts: readonly AlertFacts[],
): RunbookMatch | null {
  const bySlug = new Map(catalog.map((r) => [r.slug, r]));
  const ordered = firingFirst(alerts);
  for (const url of [incident.runbookUrl, ...ordered.map((a) => a.annotations.runbook_url)]) {
    const runbook = bySlug.get(slugFromRunbookUrl(url) ?? "");
    if (runbook) return { runbook, reason: "linked by the alert's runbook_url" };
  }
  const candidates = [...catalog].sort(
    (a, b) =>
      selectorSpecificity(b.document.selector) - selectorSpecificity(a.document.selector) ||
      a.slug.localeCompare(b.slug),
  );
  const labelSets = ordered.length > 0 ? ordered.map((a) => a.labels) : [incident.labels];
  for (const labels of labelSets) {
    const runbook = candidates.find((r) => selectorMatches(r.document.selector, labels));
    if (runbook) return { runbook, reason: `matches ${describeSelector(runbook.document.selector)}` };
  }
  return null;
}

/**
 * The alerts of an incident a runbook's actions are for: those whose runbook_url names it or that fit its
 * selector, firing first. Automatic actions run once per such alert (each may name another deployment).
 */
export function alertsForRunbook(runbook: CatalogRunbook, alerts: readonly AlertFacts[]): AlertFacts[] {
  return firingFirst(alerts).filter(
    (a) =>
      slugFromRunbookUrl(a.annotations.runbook_url) === runbook.slug ||
      selectorMatches(runbook.document.selector, a.labels),
  );
}
