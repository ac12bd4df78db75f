"use client";
// Add a layer on top of a schedule (admins): its anchor on the schedule's wall clock, its handoff interval,
// its participants in rotation order and an optional window of weekdays and hours. Shows the save's warnings.
import { field } from "./form-styles";
import { SavingForm } from "./saving-form";

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
  return (
    <SavingForm
      label="New layer"
      submit="Add layer"
      request={(data) => ({ path: `/api/v1/schedules/${scheduleId}/layers`, method: "POST", body: layerBody(data) })}
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
    </SavingForm>
  );
}
