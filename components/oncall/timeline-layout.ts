// Lays out a schedule's timeline: the final schedule, each layer on its own and the overrides, as bars
// placed by percentage in a window of time. Pure, so the page and its tests share it.
import { finalSegments, type Schedule } from "@/lib/oncall/on-call-at";
import type { ScheduleDto } from "@/lib/oncall/schedules";

export interface TimelineBar {
  start: string;
  end: string;
  userIds: string[];
  /** Where the bar starts and how wide it is, in percent of the window. */
  left: number;
  width: number;
  /** Nobody is on call: drawn in red. */
  gap: boolean;
}

export interface TimelineRow {
  key: string;
  label: string;
  bars: TimelineBar[];
}

/** The pure on-call model of a schedule as the API answers it. */
export function scheduleModel(dto: Pick<ScheduleDto, "time_zone" | "layers" | "overrides">): Schedule {
  return {
    timeZone: dto.time_zone,
    layers: dto.layers.map((l) => ({
      id: l.id,
      name: l.name,
      anchor: l.anchor,
      interval: { unit: l.interval_unit, count: l.interval_count },
      participants: l.participants,
      restrictions: l.restrictions,
    })),
    overrides: dto.overrides.map((o) => ({
      id: o.id,
      start: new Date(o.start),
      end: new Date(o.end),
      userId: o.user_id,
      kind: o.kind,
      replaces: o.replaces_user_id,
    })),
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Bars for spans inside [from, to), clipped to it; spans outside are dropped. */
export function placeBars(
  spans: { start: Date; end: Date; userIds: string[] }[],
  from: Date,
  to: Date,
  markGaps = true,
): TimelineBar[] {
  const total = to.getTime() - from.getTime();
  return spans
    .map((s) => ({
      ...s,
      start: Math.max(s.start.getTime(), from.getTime()),
      end: Math.min(s.end.getTime(), to.getTime()),
    }))
    .filter((s) => s.end > s.start)
    .map((s) => ({
      start: new Date(s.start).toISOString(),
      end: new Date(s.end).toISOString(),
      userIds: s.userIds,
      left: round(((s.start - from.getTime()) / total) * 100),
      width: round(((s.end - s.start) / total) * 100),
      gap: markGaps && s.userIds.length === 0,
    }));
}

/**
 * The rows of the timeline: the final schedule first (gaps marked), then each layer alone, top layer
 * first as it wins, then one row per override. Layers show where they have nobody, but that is no gap.
 */
export function timelineRows(model: Schedule, from: Date, to: Date): TimelineRow[] {
  const final = { key: "final", label: "Final schedule", bars: placeBars(finalSegments(model, from, to), from, to) };
  const layers = [...model.layers].reverse().map((layer) => ({
    key: `layer-${layer.id}`,
    label: `Layer: ${layer.name}`,
    bars: placeBars(
      finalSegments({ timeZone: model.timeZone, layers: [layer], overrides: [] }, from, to).filter(
        (s) => s.userIds.length > 0,
      ),
      from,
      to,
      false,
    ),
  }));
  const overrides = model.overrides.map((o, i) => ({
    key: `override-${o.id}`,
    label: `Override ${i + 1} (${o.kind === "add" ? "adds" : "replaces"})`,
    bars: placeBars([{ start: o.start, end: o.end, userIds: [o.userId] }], from, to, false),
  }));
  return [final, ...layers, ...overrides];
}

/** Midnight UTC of each day in the window, as percent offsets for the day marks. */
export function dayMarks(from: Date, to: Date): { iso: string; left: number }[] {
  const total = to.getTime() - from.getTime();
  const marks: { iso: string; left: number }[] = [];
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1));
  for (; day < to; day.setUTCDate(day.getUTCDate() + 1))
    marks.push({ iso: day.toISOString(), left: round(((day.getTime() - from.getTime()) / total) * 100) });
  return marks;
}
