// The frame every analytics panel sits in, its loading skeleton and its empty state.
import type { ReactNode } from "react";

interface PanelProps {
  title: string;
  /** One line on what the figures count. */
  description?: string;
  /** Links or controls on the right of the title. */
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}

export function Panel({ title, description, actions, children, className = "" }: PanelProps) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section
      aria-labelledby={id}
      className={`rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900 ${className}`}
    >
      <div className="mb-3 flex items-baseline gap-3">
        <h2 id={id} className="text-sm font-semibold">
          {title}
        </h2>
        {description && <p className="text-xs text-muted">{description}</p>}
        {actions && <div className="ml-auto text-xs">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function PanelSkeleton({
  title,
  height = 240,
  className = "",
}: {
  title: string;
  height?: number;
  className?: string;
}) {
  return (
    <Panel title={title} className={className}>
      <div
        aria-busy="true"
        aria-label={`Loading ${title.toLowerCase()}`}
        className="animate-pulse rounded bg-zinc-100 dark:bg-zinc-800"
        style={{ height }}
      />
    </Panel>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <p className="rounded border border-dashed border-zinc-300 p-6 text-center text-sm text-muted dark:border-zinc-700">
      {children}
    </p>
  );
}

export const linkClass = "text-blue-700 hover:underline dark:text-blue-400";
