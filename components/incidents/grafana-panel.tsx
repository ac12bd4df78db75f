"use client";

// One embedded Grafana panel. Each loads on its own: a pulsing placeholder stands in until that
// iframe has loaded (a slow or failing panel never holds up the others or the rest of the page).
import { useState } from "react";

export function GrafanaPanel({ url, title }: { url: string; title: string }) {
  const [loaded, setLoaded] = useState(false);
  return (
    <div className="relative h-64 w-full" aria-busy={!loaded}>
      {!loaded && (
        <div
          aria-hidden="true"
          data-testid="grafana-panel-skeleton"
          className="absolute inset-0 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800"
        />
      )}
      <iframe
        src={url}
        title={title}
        data-testid="grafana-panel"
        loading="lazy"
        onLoad={() => setLoaded(true)}
        className={`h-full w-full rounded border border-zinc-200 transition-opacity dark:border-zinc-800 ${loaded ? "opacity-100" : "opacity-0"}`}
      />
    </div>
  );
}
