"use client";

import { useRouter } from "next/navigation";
import { useRef } from "react";
import { useIncidentStream } from "./use-incident-stream";

/** Re-renders the incident page when this incident changes elsewhere (API, Slack, PagerDuty, alerts). */
export function IncidentLiveRefresh({ incidentId }: { incidentId: string }) {
  const router = useRouter();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { live } = useIncidentStream((notice) => {
    if (notice && notice.incident_id !== incidentId) return; // null: back after a drop, look again
    pending.current ??= setTimeout(() => {
      pending.current = null;
      router.refresh();
    }, 300);
  });
  return (
    <span className={`text-xs ${live ? "text-emerald-700 dark:text-emerald-400" : "text-muted"}`} role="status">
      {live ? "● Live" : "○ Reconnecting…"}
    </span>
  );
}
