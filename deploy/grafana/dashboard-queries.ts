// Reads the shipped Grafana dashboards and the metric names their PromQL queries use, for the tests
// that check them against lib/analytics/grafana-dashboards.ts, promtool and what /metrics exposes.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const grafanaDir = path.dirname(fileURLToPath(import.meta.url));
export const dashboardsDir = path.join(grafanaDir, "dashboards");

export interface DashboardTarget {
  refId: string;
  expr: string;
  datasource?: { type: string; uid: string };
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets: DashboardTarget[];
}

export interface Dashboard {
  file: string;
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating: {
    list: {
      name: string;
      type: string;
      query?: string | { query: string };
      datasource?: { type: string; uid: string };
    }[];
  };
}

export function loadDashboards(): Dashboard[] {
  return readdirSync(dashboardsDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(path.join(dashboardsDir, file), "utf8")) as Omit<Dashboard, "file">),
    }));
}

/** Grafana's slug of a dashboard title, as in /d/{uid}/{slug}. */
export const slugOf = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

/** Grafana's own variables replaced with values PromQL accepts, so promtool can parse the query. */
export const withGrafanaVariablesFilled = (expr: string) =>
  expr
    .replaceAll("$__rate_interval", "5m")
    .replaceAll("$__interval", "1m")
    .replaceAll("$__range", "1d")
    .replace(/\$\{?(\w+)\}?/g, "example");

const promqlWords = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "and",
  "or",
  "unless",
  "offset",
  "atan2",
  "inf",
  "nan",
]);

/**
 * The metric names a PromQL expression selects. Label matchers, ranges, strings, grouping clauses and
 * function or aggregation names (anything followed by a parenthesis) are not metric names.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const next = stripped.slice(match.index + name.length).trimStart();
    if (next.startsWith("(") || promqlWords.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names].sort();
}
