"use client";
// Make an override: who goes on call, whom they replace (or added beside whoever is on call), from and to
// (UTC). The server validates and answers the schedule with its warnings, shown here.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { callApi } from "../api-client";
import { Button } from "../ui/button";
import { LintWarnings } from "./lint-warnings";

const field = "rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/** The picker's wall time is read as UTC, like every time Vigil shows. */
const utcInstant = (value: FormDataEntryValue | null) =>
  typeof value === "string" && value ? new Date(`${value}:00Z`).toISOString() : value;

export function OverrideForm({
  scheduleId,
  people,
  scheduled,
}: {
  scheduleId: string;
  people: { id: string; name: string }[];
  /** The people the schedule puts on call, to replace by name. */
  scheduled: { id: string; name: string }[];
}) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const create = useMutation({
    mutationFn: (data: FormData) => {
      const replaces = String(data.get("replaces"));
      return callApi<{ warnings: { code: string; message: string }[] }>(`/api/v1/schedules/${scheduleId}/overrides`, {
        method: "POST",
        body: {
          user_id: data.get("user_id"),
          kind: replaces === "add" ? "add" : "replace",
          replaces_user_id: replaces === "add" || replaces === "anyone" ? null : replaces,
          start: utcInstant(data.get("start")),
          end: utcInstant(data.get("end")),
        },
      });
    },
    onSuccess: () => {
      form.current?.reset();
      router.refresh();
    },
  });
  return (
    <div className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <form
        ref={form}
        aria-label="New override"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(new FormData(e.currentTarget));
        }}
      >
        <label className="text-sm font-medium">
          Person
          <select name="user_id" required className={`mt-1 block ${field}`}>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Replaces
          <select name="replaces" defaultValue="anyone" className={`mt-1 block ${field}`}>
            <option value="anyone">whoever is on call</option>
            {scheduled.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
            <option value="add">nobody: add beside them</option>
          </select>
        </label>
        <label className="text-sm font-medium">
          From (UTC)
          <input name="start" type="datetime-local" required className={`mt-1 block ${field}`} />
        </label>
        <label className="text-sm font-medium">
          To (UTC)
          <input name="end" type="datetime-local" required className={`mt-1 block ${field}`} />
        </label>
        <Button type="submit" intent="primary" disabled={create.isPending}>
          Add override
        </Button>
      </form>
      {create.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {create.error.message}
        </p>
      )}
      {create.data && <LintWarnings warnings={create.data.warnings} />}
    </div>
  );
}
