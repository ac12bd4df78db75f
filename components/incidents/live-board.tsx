"use client";

// The commander's board: active incidents, most severe and oldest first, kept live by the incident
// stream (server-sent events); filters live in the URL so a view can be shared; acknowledging is
// optimistic and rolls back, saying why, when the server refuses. Its parts: use-board-data (queries
// and the acknowledge), use-board-live-refresh, use-board-announcements, and the table, board-table.
import { usePathname, useRouter } from "next/navigation";
import { useRef } from "react";
import { severities, type IncidentList, type Severity } from "@/lib/incidents/schemas";
import { Button } from "../ui/button";
import { SeverityBadge } from "../ui/severity-badge";
import { useKeyboardShortcuts } from "../use-keyboard-shortcuts";
import { activeStatuses, BOARD_PAGE_SIZE, filtersToQuery, type BoardFilters } from "./board-filters";
import { BoardTable } from "./board-table";
import { useBoardAnnouncements } from "./use-board-announcements";
import { useBoardData } from "./use-board-data";
import { useBoardLiveRefresh } from "./use-board-live-refresh";

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
  const { queryString, list, incidents, counts, acknowledge, refusal } = useBoardData(filters, initial, initialCounts);
  const { live } = useBoardLiveRefresh();
  const announcement = useBoardAnnouncements(incidents, queryString);
  const search = useRef<HTMLInputElement>(null);
  useKeyboardShortcuts({ "/": () => search.current?.focus() });

  const setFilters = (next: Partial<BoardFilters>) =>
    router.replace(`${pathname}?${filtersToQuery({ ...filters, ...next })}`, { scroll: false });
  const toggle = <T,>(list: T[], value: T) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  const mine = filters.owner === myEmail;
  const narrowed = isNarrowed(filters);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Severity">
        {severities.map((s) => (
          <Button
            key={s}
            intent="toggle"
            aria-pressed={filters.severity.includes(s)}
            onClick={() => setFilters({ severity: toggle(filters.severity, s) })}
          >
            <SeverityBadge severity={s} />
            <span className="tabular-nums" data-testid={`count-${s}`}>
              {counts[s]}
            </span>
          </Button>
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
            <Button
              key={s}
              intent="toggle"
              size="sm"
              aria-pressed={filters.status.includes(s)}
              onClick={() =>
                setFilters({ status: toggle(filters.status, s).length ? toggle(filters.status, s) : activeStatuses })
              }
            >
              {s}
            </Button>
          ))}
        </div>
        <Button
          intent="toggle"
          size="sm"
          aria-pressed={mine}
          onClick={() => setFilters({ owner: mine ? undefined : myEmail })}
        >
          Mine
        </Button>
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
              <Button intent="link" onClick={() => router.replace(pathname, { scroll: false })}>
                Clear filters
              </Button>
            </>
          ) : (
            "No open incidents. All quiet."
          )}
        </p>
      ) : (
        <BoardTable
          incidents={incidents}
          onAcknowledge={canAcknowledge ? (incident) => acknowledge.mutate(incident) : undefined}
          acknowledging={acknowledge.isPending ? acknowledge.variables?.id : undefined}
        />
      )}
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? "Loading…" : `Show the next ${BOARD_PAGE_SIZE}`}
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
