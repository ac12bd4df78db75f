"use client";

// The incident's timeline: newest or oldest first, filtered by kind, with a note form for responders.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import type { TimelineEvent } from "@/lib/incidents/schemas";
import { callApi } from "../api-client";
import { Button } from "../ui/button";
import { LinkedText } from "../ui/linked-text";
import { utcStamp } from "../ui/utc-time";

export function TimelineView({
  incidentRef,
  events,
  canAddNote,
}: {
  incidentRef: string;
  events: TimelineEvent[];
  canAddNote: boolean;
}) {
  const router = useRouter();
  const [newestFirst, setNewestFirst] = useState(true);
  const [kind, setKind] = useState("");
  const [text, setText] = useState("");
  const kinds = useMemo(() => [...new Set(events.map((e) => e.kind))].sort(), [events]);
  const shown = useMemo(() => {
    const filtered = kind ? events.filter((e) => e.kind === kind) : events;
    return [...filtered].sort((a, b) => (newestFirst ? b.id - a.id : a.id - b.id));
  }, [events, kind, newestFirst]);
  const note = useMutation({
    mutationFn: (body: string) =>
      callApi(`/api/v1/incidents/${incidentRef}/timeline`, { method: "POST", body: { text: body } }),
    onSuccess: () => {
      setText("");
      router.refresh();
    },
  });

  return (
    <div className="space-y-3">
      {canAddNote && (
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) note.mutate(text.trim());
          }}
        >
          <label htmlFor="note" className="sr-only">
            Add a note
          </label>
          <input
            id="note"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Add a note: what you saw, tried or decided"
            maxLength={10_000}
            className="flex-1 rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          <Button type="submit" intent="primary" disabled={note.isPending || !text.trim()}>
            Add note
          </Button>
        </form>
      )}
      {note.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not add the note: {note.error.message}
        </p>
      )}
      <div className="flex items-center gap-3 text-sm">
        <Button size="sm" intent="ghost" onClick={() => setNewestFirst(!newestFirst)}>
          {newestFirst ? "Newest first" : "Oldest first"}
        </Button>
        <label>
          <span className="sr-only">Show only</span>
          <select
            aria-label="Show only"
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            className="rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="">All events</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k.replaceAll("_", " ")}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="text-xs text-muted">Times are UTC.</p>
      <ol className="space-y-2 border-l border-zinc-200 pl-4 dark:border-zinc-800">
        {shown.map((e, i) => (
          <li key={e.id} data-testid="timeline-event" className="text-sm">
            <time dateTime={e.at} title={utcStamp(e.at)} className="mr-2 font-mono text-xs text-muted tabular-nums">
              {/* The date where it changes: an incident can span days, and times alone would seem out of order. */}
              {i === 0 || shown[i - 1]!.at.slice(0, 10) !== e.at.slice(0, 10) ? `${e.at.slice(0, 10)} ` : ""}
              {e.at.slice(11, 19)}
            </time>
            <span className="mr-2 rounded bg-zinc-100 px-1 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
              {e.kind.replaceAll("_", " ")}
            </span>
            <LinkedText text={e.text} />
            <span className="ml-2 text-xs text-muted">— {e.actor.name}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
