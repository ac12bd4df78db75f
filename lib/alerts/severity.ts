// Which incident severity an alert means. A `priority` label P0..P4 wins; otherwise the `severity` label
// goes through a map (configurable: ALERT_SEVERITY_MAP); an unknown or missing one takes the default.
import type { Severity } from "../incidents/schemas";

export type SeverityMap = Record<string, Severity> & { default: Severity };

export const defaultSeverityMap: SeverityMap = {
  page: "P1",
  critical: "P2",
  error: "P2",
  warning: "P3",
  info: "P4",
  default: "P3",
};

export function severityOfAlert(labels: Record<string, string>, map: SeverityMap = defaultSeverityMap): Severity {
  const priority = labels.priority?.trim().toUpperCase();
  if (priority && /^P[0-4]$/.test(priority)) return priority as Severity;
  const severity = labels.severity?.trim().toLowerCase();
  return (severity && map[severity]) || map.default;
}

/** P0 is the most severe. */
export const moreSevere = (a: Severity, b: Severity): Severity => (a < b ? a : b);

/** Parses "page=P1,critical=P2,default=P3" (entries override the defaults). */
export function parseSeverityMap(text: string): SeverityMap {
  const map: SeverityMap = { ...defaultSeverityMap };
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([\w.-]+)\s*=\s*(P[0-4])$/i.exec(entry);
    if (!match) throw new Error(`"${entry}" is not label=P0..P4`);
    map[match[1]!.toLowerCase()] = match[2]!.toUpperCase() as Severity;
  }
  return map;
}
