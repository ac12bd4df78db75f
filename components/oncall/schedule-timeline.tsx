// The schedule's timeline: one row for the final schedule (gaps in red), one per layer, one per override.
import { utcStamp } from "../ui/utc-time";
import type { TimelineRow } from "./timeline-layout";

const palette = [
  "bg-sky-700 text-white",
  "bg-emerald-700 text-white",
  "bg-violet-700 text-white",
  "bg-amber-800 text-white",
  "bg-pink-700 text-white",
  "bg-teal-700 text-white",
];

export function ScheduleTimeline({
  rows,
  marks,
  names,
}: {
  rows: TimelineRow[];
  marks: { iso: string; left: number }[];
  names: Record<string, string>;
}) {
  const colourOf = (userIds: string[]) => {
    const order = Object.keys(names);
    return palette[Math.max(0, order.indexOf(userIds[0] ?? "")) % palette.length];
  };
  const who = (userIds: string[]) => userIds.map((id) => names[id] ?? id).join(" + ");
  return (
    <div className="space-y-1" data-testid="schedule-timeline">
      {rows.map((row) => (
        <div key={row.key} className="flex items-center gap-2" data-testid={`timeline-row-${row.key.split("-")[0]}`}>
          <div className="w-48 shrink-0 truncate text-xs font-medium">{row.label}</div>
          <ol aria-label={row.label} className="relative h-7 flex-1 rounded bg-zinc-100 dark:bg-zinc-800">
            {marks.map((m) => (
              <li
                key={m.iso}
                aria-hidden
                className="absolute top-0 h-full border-l border-zinc-300 dark:border-zinc-600"
                style={{ left: `${m.left}%` }}
              />
            ))}
            {row.bars.map((bar) => {
              const text = bar.gap ? "Nobody on call" : who(bar.userIds);
              return (
                <li
                  key={bar.start}
                  data-testid={bar.gap ? "timeline-gap" : "timeline-bar"}
                  title={`${text}: ${utcStamp(bar.start)} – ${utcStamp(bar.end)}`}
                  className={`absolute top-0 h-full overflow-hidden whitespace-nowrap rounded px-1 text-xs leading-7 ${
                    bar.gap ? "bg-red-700 text-white" : colourOf(bar.userIds)
                  }`}
                  style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
                >
                  {text}
                </li>
              );
            })}
          </ol>
        </div>
      ))}
    </div>
  );
}
