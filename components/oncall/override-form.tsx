"use client";
// Make an override: who goes on call, whom they replace (or added beside whoever is on call), from and to
// (UTC). The server validates and answers the schedule with its warnings, shown here.
import { field } from "./form-styles";
import { SavingForm } from "./saving-form";

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
  return (
    <SavingForm
      label="New override"
      submit="Add override"
      request={(data) => {
        const replaces = String(data.get("replaces"));
        return {
          path: `/api/v1/schedules/${scheduleId}/overrides`,
          method: "POST",
          body: {
            user_id: data.get("user_id"),
            kind: replaces === "add" ? "add" : "replace",
            replaces_user_id: replaces === "add" || replaces === "anyone" ? null : replaces,
            start: utcInstant(data.get("start")),
            end: utcInstant(data.get("end")),
          },
        };
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
    </SavingForm>
  );
}
