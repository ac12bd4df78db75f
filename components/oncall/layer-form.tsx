"use client";
// Add a layer on top of a schedule (admins): its anchor on the schedule's wall clock, its handoff interval,
// its participants in rotation order and an optional window of weekdays and hours. Shows the save's warnings.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { callApi } from "../api-client";
import { Button } from "../ui/button";
import { LintWarnings } from "./lint-warnings";

const field = "rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** The form's fields as the layer the API takes; a window only when both of its times are given. */
function layerBody(data: FormData) {
  const start = String(data.get("window_start") ?? "");
  const end = String(data.get("window_end") ?? "");
  const days = data.getAll("days").map(Number);
  return {
    name: data.get("name"),
    anchor: data.get("anchor"),
    interval_unit: data.get("interval_unit"),
    interval_count: Number(data.get("interval_count")),
    participants: data.getAll("participants"),
    restrictions: start && end ? [{ days, start, end }] : [],
  };
}

export function LayerForm({ scheduleId, people }: { scheduleId: string; people: { id: string; name: string }[] }) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const add = useMutation({
    mutationFn: (data: FormData) =>
      callApi<{ warnings: { code: string; message: string }[] }>(`/api/v1/schedules/${scheduleId}/layers`, {
        method: "POST",
        body: layerBody(data),
      }),
    onSuccess: () => {
      form.current?.reset();
      router.refresh();
    },
  });
  return (
    <div className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <form
        ref={form}
        aria-label="New layer"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate(new FormData(e.currentTarget));
        }}
      >
        <label className="text-sm font-medium">
          Layer name
          <input name="name" required maxLength={100} className={`mt-1 block ${field}`} />
        </label>
        <label className="text-sm font-medium">
          Anchor (schedule&apos;s wall clock)
          <input name="anchor" type="datetime-local" required className={`mt-1 block ${field}`} />
        </label>
        <label className="text-sm font-medium">
          Hand off every
          <input
            name="interval_count"
            type="number"
            min={1}
            max={1000}
            defaultValue={1}
            className={`mt-1 block w-20 ${field}`}
          />
        </label>
        <label className="text-sm font-medium">
          Unit
          <select name="interval_unit" defaultValue="weeks" className={`mt-1 block ${field}`}>
            <option>hours</option>
            <option>days</option>
            <option>weeks</option>
          </select>
        </label>
        <fieldset className="text-sm">
          <legend className="font-medium">Participants (in this order)</legend>
          {people.map((p) => (
            <label key={p.id} className="mr-3 inline-flex items-center gap-1">
              <input type="checkbox" name="participants" value={p.id} /> {p.name}
            </label>
          ))}
        </fieldset>
        <fieldset className="text-sm">
          <legend className="font-medium">Only on (optional window)</legend>
          {weekdays.map((d, i) => (
            <label key={d} className="mr-2 inline-flex items-center gap-1">
              <input type="checkbox" name="days" value={i} defaultChecked={i < 5} /> {d}
            </label>
          ))}
          <label className="ml-2">
            from <input name="window_start" type="time" className={field} />
          </label>
          <label className="ml-2">
            to <input name="window_end" type="time" className={field} />
          </label>
        </fieldset>
        <Button type="submit" intent="primary" disabled={add.isPending}>
          Add layer
        </Button>
      </form>
      {add.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {add.error.message}
        </p>
      )}
      {add.data && <LintWarnings warnings={add.data.warnings} />}
    </div>
  );
}
