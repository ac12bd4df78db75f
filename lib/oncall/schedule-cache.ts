// The schedules as last loaded, kept in the process while PostgreSQL's schedule_generation (bumped by a
// trigger on every committed change to schedules, layers or overrides; migration 0025) still has the count
// read just before loading them. A request then costs one tiny read instead of parsing every schedule's
// layers and overrides again: "who is on call" for 100 schedules was dominated by that parse.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { loadScheduleModels, toModel, type LoadedSchedule } from "./schedules";

/** Overrides are loaded from this long before the asked instant, so that nearby instants reuse one load. */
const EARLIER_MS = 30 * 24 * 3600_000;

interface Entry {
  generation: number;
  /** The loaded overrides are every one ending after `from`. */
  from: number;
  schedules: LoadedSchedule[];
}

// Per database handle (a process has one; each test file has its own). A transaction is a handle of its
// own, so what one reads (its own uncommitted changes included) is never served to anyone else.
const entries = new WeakMap<object, Entry>();
const loads = new WeakMap<object, number>();

/** How many times the schedules were read from PostgreSQL through this handle (tests, diagnostics). */
export const scheduleLoadsOf = (db: DbOrTx) => loads.get(db) ?? 0;

/**
 * The schedules `ids` (all when null) with the overrides that end after `from` and start before `until`,
 * as `loadScheduleModels` reads them, answered from the process's copy while no schedule changed.
 */
export async function loadCurrentSchedules(
  db: DbOrTx,
  ids: string[] | null,
  from: Date,
  until: Date,
): Promise<LoadedSchedule[]> {
  // Read before loading: a change committed in between makes the load newer than this count, never older,
  // and the next request then sees a different count and loads again.
  const [current] = await db.execute<{ generation: string | number }>(sql`select generation from schedule_generation`);
  const generation = Number(current?.generation ?? -1);
  let entry = entries.get(db);
  if (!entry || entry.generation !== generation || entry.from > from.getTime()) {
    // Every future override (few: a schedule changes rarely), and the past only as far back as asked; a
    // load for an earlier instant of the same count widens the copy rather than narrowing it.
    const earliest = Math.min(from.getTime() - EARLIER_MS, entry?.generation === generation ? entry.from : Infinity);
    const schedules = await loadScheduleModels(db, null, new Date(earliest));
    loads.set(db, scheduleLoadsOf(db) + 1);
    entry = { generation, from: earliest, schedules };
    entries.set(db, entry);
  }
  const wanted = ids ? new Set(ids) : null;
  const fromMs = from.getTime();
  const untilMs = until.getTime();
  return entry.schedules
    .filter((s) => !wanted || wanted.has(s.row.id))
    .map((s) => {
      const overrides = s.overrides.filter((o) => o.endsAt.getTime() > fromMs && o.startsAt.getTime() < untilMs);
      if (overrides.length === s.overrides.length) return s;
      return { ...s, overrides, model: toModel(s.row, s.layers, overrides) };
    });
}
