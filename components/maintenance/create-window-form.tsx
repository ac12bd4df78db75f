"use client";
// Plan a maintenance window: what it covers (service, team, labels as key=value), why, from when and for
// how long. The server validates; its field errors are shown as they come.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { callApi } from "../api-client";
import { Button } from "../ui/button";

const field = "rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/** "env=prod, region=eu" -> { env: "prod", region: "eu" }; a pair without "=" is sent as is, for the server to refuse. */
function readLabels(text: string): Record<string, string> {
  const pairs = text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  return Object.fromEntries(
    pairs.map((p) => [p.split("=")[0]!.trim(), p.includes("=") ? p.slice(p.indexOf("=") + 1).trim() : ""]),
  );
}

const optional = (value: FormDataEntryValue | null) =>
  typeof value === "string" && value.trim() ? value.trim() : undefined;

export function CreateWindowForm() {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const create = useMutation({
    mutationFn: (data: FormData) => {
      const startsAt = optional(data.get("starts_at"));
      return callApi("/api/v1/maintenance-windows", {
        method: "POST",
        body: {
          name: optional(data.get("name")),
          reason: data.get("reason"),
          service: optional(data.get("service")),
          team: optional(data.get("team")),
          labels: readLabels(String(data.get("labels") ?? "")),
          // The picker's wall time is read as UTC, like every time Vigil shows.
          starts_at: startsAt ? new Date(`${startsAt}:00Z`).toISOString() : undefined,
          duration: data.get("duration"),
        },
      });
    },
    onSuccess: () => {
      form.current?.reset();
      router.refresh();
    },
  });
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <form
        ref={form}
        aria-label="New maintenance window"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(new FormData(e.currentTarget));
        }}
      >
        <label className="text-sm font-medium">
          Service
          <input name="service" maxLength={200} placeholder="checkout" className={`mt-1 block ${field}`} />
        </label>
        <label className="text-sm font-medium">
          Team
          <input name="team" maxLength={200} placeholder="payments" className={`mt-1 block ${field}`} />
        </label>
        <label className="text-sm font-medium">
          Labels
          <input name="labels" placeholder="env=prod, region=eu" className={`mt-1 block ${field}`} />
        </label>
        <label className="text-sm font-medium">
          Starts (UTC; empty: now)
          <input name="starts_at" type="datetime-local" className={`mt-1 block ${field}`} />
        </label>
        <label className="text-sm font-medium">
          For
          <select name="duration" defaultValue="2h" className={`mt-1 block ${field}`}>
            {["30m", "1h", "2h", "4h", "8h", "1d", "3d"].map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Name (optional)
          <input name="name" maxLength={200} placeholder="DB upgrade" className={`mt-1 block ${field}`} />
        </label>
        <label className="min-w-64 flex-1 text-sm font-medium">
          Reason
          <input
            name="reason"
            required
            maxLength={2000}
            placeholder="Postgres 17 upgrade, CHG-1234"
            className={`mt-1 block w-full ${field}`}
          />
        </label>
        <Button type="submit" intent="primary" disabled={create.isPending}>
          Start window
        </Button>
      </form>
      {create.error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {create.error.message}
        </p>
      )}
    </div>
  );
}
