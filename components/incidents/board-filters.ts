// The board's filters, as they live in the URL and as the API reads them.
import { severities, type Incident, type Severity } from "@/lib/incidents/schemas";
import { incidentStatuses } from "@/lib/incidents/state-machine";

/** Rows per page: the board never renders thousands of rows (and its HTML stays small). */
export const BOARD_PAGE_SIZE = 50;

export const activeStatuses: Incident["status"][] = ["open", "acknowledged", "investigating"];

export interface BoardFilters {
  status: Incident["status"][];
  severity: Severity[];
  service?: string;
  team?: string;
  owner?: string;
  q?: string;
  /** A creation range, as the analytics drill-down sets it: from inclusive, to exclusive (ISO times). */
  created_after?: string;
  created_before?: string;
  /** "true": only incidents the analytics count (drills and tests left out). */
  counted?: "true" | "false";
}

export function filtersToQuery(filters: BoardFilters, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const s of filters.status) params.append("status", s);
  for (const s of filters.severity) params.append("severity", s);
  for (const key of ["service", "team", "owner", "q", "created_after", "created_before", "counted"] as const)
    if (filters[key]) params.set(key, filters[key]!);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params;
}

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function filtersFromSearchParams(
  params: Record<string, string | string[] | undefined>,
  defaults: { status: Incident["status"][] },
): BoardFilters {
  const statuses = asList(params.status).filter((s): s is Incident["status"] =>
    (incidentStatuses as readonly string[]).includes(s),
  );
  const chosenSeverities = asList(params.severity).filter((s): s is Severity =>
    (severities as readonly string[]).includes(s),
  );
  const one = (key: string) => {
    const v = params[key];
    const s = Array.isArray(v) ? v[0] : v;
    return s?.trim() ? s.trim().slice(0, 200) : undefined;
  };
  // A time that does not parse is dropped rather than failing the whole page.
  const time = (key: string) => {
    const v = one(key);
    return v && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined;
  };
  const counted = one("counted");
  return {
    status: statuses.length ? statuses : defaults.status,
    severity: chosenSeverities,
    service: one("service"),
    team: one("team"),
    owner: one("owner"),
    q: one("q"),
    created_after: time("created_after"),
    created_before: time("created_before"),
    counted: counted === "true" || counted === "false" ? counted : undefined,
  };
}
