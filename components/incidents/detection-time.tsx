"use client";

// When the problem started, for MTTD: shown in the incident's facts, and set or corrected by a responder
// (a declared incident starts without one; an alert's startsAt may be late). Times are UTC, as everywhere.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Incident } from "@/lib/incidents/schemas";
import { callApi } from "../api-client";
import { Button } from "../ui/button";
import { UtcTime } from "../ui/utc-time";

/** "2026-11-28T21:12" (a datetime-local value read as UTC) -> ISO instant. */
const fromInput = (value: string) => new Date(`${value}:00Z`).toISOString();
const toInput = (iso: string) => iso.slice(0, 16);

export function DetectionTime({ incident, canEdit }: { incident: Incident; canEdit: boolean }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(toInput(incident.detected_at ?? incident.created_at));
  const save = useMutation({
    mutationFn: (detectedAt: string | null) =>
      callApi<Incident>(`/api/v1/incidents/${incident.ref}`, { method: "PATCH", body: { detected_at: detectedAt } }),
    onSuccess: () => {
      setEditing(false);
      router.refresh();
    },
  });

  if (!editing) {
    return (
      <span data-testid="detection-time">
        {incident.detected_at ? (
          <UtcTime iso={incident.detected_at} />
        ) : (
          <span title="Left out of MTTD until someone sets it">unknown</span>
        )}
        {canEdit && (
          <Button size="sm" intent="ghost" className="ml-1" onClick={() => setEditing(true)}>
            {incident.detected_at ? "Correct" : "Set"}
          </Button>
        )}
      </span>
    );
  }
  return (
    <form
      className="inline-flex flex-wrap items-center gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        if (value) save.mutate(fromInput(value));
      }}
    >
      <label className="sr-only" htmlFor="detected-at">
        Detected at (UTC)
      </label>
      <input
        id="detected-at"
        type="datetime-local"
        value={value}
        max={toInput(incident.created_at)}
        onChange={(e) => setValue(e.target.value)}
        className="rounded border border-zinc-300 bg-white px-2 py-0.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      />
      <span className="text-xs text-muted">UTC</span>
      <Button size="sm" intent="primary" type="submit" disabled={save.isPending}>
        Save
      </Button>
      {incident.detected_at && (
        <Button
          size="sm"
          onClick={() => save.mutate(null)}
          disabled={save.isPending}
          title="Nobody knows when it started: leave it out of MTTD"
        >
          Unknown
        </Button>
      )}
      <Button size="sm" intent="ghost" onClick={() => setEditing(false)}>
        Cancel
      </Button>
      {save.error && (
        <span role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not save: {save.error.message}
        </span>
      )}
    </form>
  );
}
