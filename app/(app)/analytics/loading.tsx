import { PanelSkeleton } from "@/components/analytics/panel";

export default function Loading() {
  return (
    <div className="space-y-6">
      <div
        className="h-16 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800"
        aria-busy="true"
        aria-label="Loading analytics"
      />
      <PanelSkeleton title="Time to detect, acknowledge and resolve" height={320} />
      <PanelSkeleton title="Trends" height={560} />
    </div>
  );
}
