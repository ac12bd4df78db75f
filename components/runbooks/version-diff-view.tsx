// One version's changes against the one before it, as the history page lists them.
import type { DiffLine } from "@/lib/runbooks/version-diff";

const style = {
  added: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100",
  removed: "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100",
  same: "text-zinc-600 dark:text-zinc-400",
} as const;
const mark = { added: "+", removed: "-", same: " " } as const;

export function VersionDiffView({ lines }: { lines: DiffLine[] }) {
  if (lines.every((l) => l.kind === "same" || l.kind === "skipped"))
    return <p className="text-sm text-muted">No changes.</p>;
  return (
    <pre
      className="overflow-x-auto rounded border border-zinc-200 bg-white text-xs leading-5 dark:border-zinc-800 dark:bg-zinc-900"
      data-testid="version-diff"
    >
      {lines.map((line, i) =>
        line.kind === "skipped" ? (
          <div key={i} className="bg-zinc-50 px-2 text-zinc-400 dark:bg-zinc-800">
            ⋯ {line.count} unchanged line{line.count === 1 ? "" : "s"}
          </div>
        ) : (
          <div key={i} className={`px-2 ${style[line.kind]}`}>
            <span aria-hidden="true">{mark[line.kind]} </span>
            <span className="sr-only">{line.kind === "same" ? "" : `${line.kind}: `}</span>
            {line.text}
          </div>
        ),
      )}
    </pre>
  );
}
