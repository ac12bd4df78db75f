"use client";

// The commander's board: active incidents, most severe and oldest first, kept live by the incident
// stream (server-sent events); filters live in the URL so a view can be shared; acknowledging is
// optimistic and rolls back, saying why, when the server refuses.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Incident, IncidentList, Severity } from "@/lib/incidents/schemas";
import { callApi } from "../api-client";
import { Button } from "../ui/button";
import { formatAge } from "../ui/relative-time";
import { SeverityBadge } from "../ui/severity-badge";
import { IncidentSummaryCells, IncidentSummaryHeaders, notOnPhone, wide } from "./incident-cells";
import { activeStatuses, BOARD_PAGE_SIZE, filtersToQuery, type BoardFilters } from "./board-filters";
import { useIncidentStream } from "./use-incident-stream";

const severities: Severity[] = ["P0", "P1", "P2", "P3", "P4"];
const PAGE = BOARD_PAGE_SIZE;

export interface LiveBoardProps {
  filters: BoardFilters;
  initial: IncidentList;
  counts: Record<Severity, number>;
  canAcknowledge: boolean;
  myEmail: string;
}

export function LiveBoard({ filters, initial, counts: initialCounts, canAcknowledge, myEmail }: LiveBoardProps) {
  const router = useRouter();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const queryString = filtersToQuery(filters).toString();
  const listKey = ["incidents", "board", queryString];
  const countsKey = ["incidents", "counts", queryString];

  const list = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) =>
      callApi<IncidentList>(
        `/api/v1/incidents?${filtersToQuery(filters, { sort: "severity", limit: String(PAGE), ...(pageParam ? { cursor: pageParam } : {}) })}`,
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    initialData: { pages: [initial], pageParams: [""] },
  });
  const counts = useQuery({
    queryKey: countsKey,
    queryFn: () => callApi<Record<Severity, number>>(`/api/v1/incidents/counts?${filtersToQuery(filters)}`),
    initialData: initialCounts,
  });

  // A change anywhere (API, Slack, PagerDuty, alerts), or the stream coming back after a drop, refetches;
  // bursts are folded into one refetch.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { live } = useIncidentStream(() => {
    pending.current ??= setTimeout(() => {
      pending.current = null;
      void queryClient.invalidateQueries({ queryKey: ["incidents"] });
    }, 300);
  });

  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const [refusal, setRefusal] = useState<string | null>(null);
  const acknowledge = useMutation({
    mutationFn: (incident: Incident) => callApi<Incident>(`/api/v1/incidents/${incident.ref}/ack`, { method: "POST" }),
    onMutate: async (incident) => {
      setRefusal(null);
      await queryClient.cancelQueries({ queryKey: listKey });
      const before = queryClient.getQueryData<InfiniteData<IncidentList>>(listKey);
      queryClient.setQueryData<InfiniteData<IncidentList>>(
        listKey,
        (data) =>
          data && {
            ...data,
            pages: data.pages.map((p) => ({
              ...p,
              data: p.data.map((i) => (i.id === incident.id ? { ...i, status: "acknowledged" as const } : i)),
            })),
          },
      );
      return { before };
    },
    onError: (error, incident, context) => {
      if (context?.before) queryClient.setQueryData(listKey, context.before);
      setRefusal(`Could not acknowledge ${incident.ref}: ${error.message}`);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ["incidents"] }),
  });

  const setFilters = (next: Partial<BoardFilters>) =>
    router.replace(`${pathname}?${filtersToQuery({ ...filters, ...next })}`, { scroll: false });
  const toggle = <T,>(list: T[], value: T) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  const incidents = useMemo(() => list.data.pages.flatMap((p) => p.data), [list.data]);
  const mine = filters.owner === myEmail;
  const narrowed = isNarrowed(filters);

  // A board left in a background tab: the tab's title counts what nobody has acknowledged, and a new P0 or
  // P1 is announced to screen readers.
  const unacknowledged = incidents.filter((i) => i.status === "open").length;
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, "");
    document.title = unacknowledged > 0 ? `(${unacknowledged}) ${base}` : base;
  }, [unacknowledged]);
  // What counts as new is relative to what these filters showed first: changing the filters (the board is
  // not remounted for them) starts again rather than announcing every incident they bring into view.
  const seen = useRef<{ filters: string; ids: Set<string> } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    const urgent = incidents.filter((i) => (i.severity === "P0" || i.severity === "P1") && i.status === "open");
    if (seen.current?.filters !== queryString) {
      seen.current = { filters: queryString, ids: new Set(urgent.map((i) => i.id)) };
      return;
    }
    const fresh = urgent.filter((i) => !seen.current!.ids.has(i.id));
    for (const i of fresh) seen.current.ids.add(i.id);
    if (fresh.length > 0)
      setAnnouncement(fresh.map((i) => `New ${i.severity} incident ${i.ref}: ${i.title}`).join(". "));
  }, [incidents, queryString]);

  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && ["INPUT", "TEXTAREA", "SELECT"].includes(e.target.tagName);
      if (e.key === "/" && !typing) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Severity">
        {severities.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={filters.severity.includes(s)}
            onClick={() => setFilters({ severity: toggle(filters.severity, s) })}
            className="flex items-center gap-1.5 rounded-full border border-zinc-300 px-2.5 py-1 text-sm aria-pressed:border-zinc-900 aria-pressed:bg-zinc-900 aria-pressed:text-white dark:border-zinc-700 dark:aria-pressed:bg-zinc-100 dark:aria-pressed:text-zinc-900"
          >
            <SeverityBadge severity={s} />
            <span className="tabular-nums" data-testid={`count-${s}`}>
              {counts.data[s]}
            </span>
          </button>
        ))}
        <span
          className={`ml-auto flex items-center gap-1.5 text-xs ${live ? "text-emerald-700 dark:text-emerald-400" : "text-muted"}`}
          role="status"
          aria-live="polite"
        >
          <span
            className={`inline-block h-2 w-2 rounded-full ${live ? "bg-emerald-500" : "bg-zinc-400"}`}
            aria-hidden
          />
          {live ? "Live" : "Reconnecting…"}
        </span>
      </div>

      <form
        key={queryString /* a new filter (Clear filters, a chip) resets the typed fields to it */}
        className="flex flex-wrap items-end gap-3"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          setFilters({
            q: String(form.get("q") ?? "") || undefined,
            service: String(form.get("service") ?? "") || undefined,
            team: String(form.get("team") ?? "") || undefined,
          });
        }}
      >
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Search <kbd className="rounded border px-1 text-[10px]">/</kbd>
          <input
            ref={search}
            name="q"
            defaultValue={filters.q}
            placeholder="Title or INC-123"
            className="mt-1 block w-56 rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Service
          <input
            name="service"
            defaultValue={filters.service}
            className="mt-1 block w-36 rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Team
          <input
            name="team"
            defaultValue={filters.team}
            className="mt-1 block w-36 rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
        </label>
        <Button type="submit">Filter</Button>
        <div role="group" aria-label="Status" className="flex gap-1">
          {activeStatuses.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={filters.status.includes(s)}
              onClick={() =>
                setFilters({ status: toggle(filters.status, s).length ? toggle(filters.status, s) : activeStatuses })
              }
              className="rounded border border-zinc-300 px-2 py-1 text-xs aria-pressed:bg-zinc-200 dark:border-zinc-700 dark:aria-pressed:bg-zinc-700"
            >
              {s}
            </button>
          ))}
        </div>
        <button
          type="button"
          aria-pressed={mine}
          onClick={() => setFilters({ owner: mine ? undefined : myEmail })}
          className="rounded border border-zinc-300 px-2 py-1 text-xs aria-pressed:bg-zinc-200 dark:border-zinc-700 dark:aria-pressed:bg-zinc-700"
        >
          Mine
        </button>
      </form>

      {refusal && (
        <p
          role="alert"
          className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
        >
          {refusal}
        </p>
      )}
      {list.isError && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not refresh the board: {list.error.message}
        </p>
      )}

      <p className="sr-only" role="alert" aria-live="assertive" data-testid="board-announcement">
        {announcement}
      </p>
      {incidents.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-muted dark:border-zinc-700">
          {narrowed ? (
            <>
              No incident matches these filters.{" "}
              <button
                type="button"
                onClick={() => router.replace(pathname, { scroll: false })}
                className="text-blue-700 underline dark:text-blue-400"
              >
                Clear filters
              </button>
            </>
          ) : (
            "No open incidents. All quiet."
          )}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-muted dark:border-zinc-800">
              <tr>
                <IncidentSummaryHeaders />
                <th scope="col" className={`px-3 py-2 ${notOnPhone}`}>
                  Age
                </th>
                <th scope="col" className={`px-3 py-2 ${wide}`}>
                  Last change
                </th>
                {canAcknowledge && (
                  <th scope="col" className="px-3 py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {incidents.map((incident) => (
                <tr key={incident.id} data-testid="incident-row">
                  <IncidentSummaryCells incident={incident} />
                  <td
                    className={`px-3 py-2 tabular-nums text-zinc-600 dark:text-zinc-400 ${notOnPhone}`}
                    title={incident.created_at}
                  >
                    {formatAge(now - Date.parse(incident.created_at))}
                  </td>
                  <td
                    className={`px-3 py-2 tabular-nums text-zinc-600 dark:text-zinc-400 ${wide}`}
                    title={incident.updated_at}
                  >
                    {formatAge(now - Date.parse(incident.updated_at))}
                  </td>
                  {canAcknowledge && (
                    <td className="px-3 py-2 text-right">
                      {incident.status === "open" && (
                        <Button
                          size="sm"
                          onClick={() => acknowledge.mutate(incident)}
                          disabled={acknowledge.isPending && acknowledge.variables?.id === incident.id}
                        >
                          Acknowledge
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? "Loading…" : `Show the next ${PAGE}`}
        </Button>
      )}
    </div>
  );
}

/** Whether the board shows less than every active incident. */
function isNarrowed(filters: BoardFilters): boolean {
  const allActive =
    filters.status.length === activeStatuses.length && activeStatuses.every((s) => filters.status.includes(s));
  return (
    !allActive ||
    filters.severity.length > 0 ||
    [
      filters.service,
      filters.team,
      filters.owner,
      filters.q,
      filters.created_after,
      filters.created_before,
      filters.counted,
    ].some(Boolean)
  );
}
